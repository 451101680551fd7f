"""``manage.py involvement_report``: the same reports from the shell, written to a file."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from involvement.models import ReportRun
from involvement.reports import SECTIONS
from members.tests.factories import MemberFactory

from .project_factories import project

pytestmark = pytest.mark.django_db


def test_the_yearly_report_is_written_as_a_pdf_with_progress_on_stderr(tmp_path):
    out = tmp_path / "report.pdf"
    errors = io.StringIO()

    call_command("involvement_report", "--start", "2025-04-01", "--end", "2026-03-31", "--out", str(out), stderr=errors)

    reader = PdfReader(out)
    assert len(reader.pages) > 1
    assert reader.metadata.title
    progress = errors.getvalue()
    total = len(SECTIONS["period"])
    assert f"Section 1 of {total}: {SECTIONS['period'][0]}" in progress
    assert f"Section {total} of {total}" in progress
    assert f"Wrote {out}" in progress
    assert not ReportRun.objects.exists()  # nothing is saved or sent


def test_a_project_case_study_goes_to_its_usual_file_name_without_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    the_project = project(title="Better letters")

    call_command("involvement_report", "--kind", "project", "--project", str(the_project.pk), stderr=io.StringIO())

    (written,) = tmp_path.iterdir()
    assert written.name == "project-case-study-better-letters.pdf"
    assert written.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--start", "2025-04-01"], "A period report needs --start and --end"),
        (["--start", "1 April 2025", "--end", "2026-03-31"], "--start must be a date written as YYYY-MM-DD"),
        (["--start", "2026-04-01", "--end", "2026-03-31"], "--end must be the same as or after --start"),
        (["--kind", "project"], "Say which project with --project <id>"),
        (["--kind", "project", "--project", "999999"], "There is no project with id 999999"),
        (["--kind", "survey", "--survey", "999999"], "There is no survey with id 999999"),
        (["--kind", "certificate", "--member", "999999"], "There is no member with id 999999"),
    ],
)
def test_bad_dates_and_ids_are_explained(arguments, message, tmp_path):
    with pytest.raises(CommandError, match=message):
        call_command("involvement_report", *arguments, "--out", str(tmp_path / "x.pdf"), stderr=io.StringIO())
    assert not (tmp_path / "x.pdf").exists()


def test_an_erased_member_has_no_certificate(tmp_path):
    member = MemberFactory()
    member.erased_at = member.joined_at
    member.save()
    with pytest.raises(CommandError, match=f"There is no member with id {member.pk}"):
        call_command("involvement_report", "--kind", "certificate", "--member", str(member.pk), stderr=io.StringIO())
