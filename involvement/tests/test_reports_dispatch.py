"""The reports package: one entry point for every kind, the section titles for progress, and
the file names reports download as."""

from __future__ import annotations

import datetime as dt

import pytest

from involvement.models import Project, ReportRun
from involvement.reports import SECTIONS, build_report, report_filename
from involvement.reports.document import period_label


def test_sections_are_listed_for_the_case_study_survey_and_certificate():
    for kind in ("project", "survey", "certificate"):
        assert SECTIONS[kind], kind
        assert all(isinstance(title, str) and title for title in SECTIONS[kind])


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="no report of kind"):
        build_report(ReportRun(kind="nonsense"))


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        (
            {"kind": "period", "start": dt.date(2025, 4, 1), "end": dt.date(2026, 3, 31)},
            "involvement-report-2025-04-01-to-2026-03-31.pdf",
        ),
        ({"kind": "period"}, "involvement-report-all-dates.pdf"),
        ({"kind": "period", "start": dt.date(2025, 4, 1)}, "involvement-report-from-2025-04-01.pdf"),
        ({"kind": "certificate"}, "certificate-of-involvement.pdf"),
        ({"kind": "survey"}, "survey-results.pdf"),
        ({"kind": "project"}, "project-case-study.pdf"),
    ],
)
def test_report_file_names(fields, name):
    assert report_filename(ReportRun(**fields)) == name


def test_a_case_study_file_is_named_after_its_project(db):
    project = Project.objects.create(title="Leaflets: what we changed & why!")
    assert (
        report_filename(ReportRun(kind="project", project=project))
        == "project-case-study-leaflets-what-we-changed-why.pdf"
    )


def test_period_labels():
    assert period_label(dt.date(2025, 4, 1), dt.date(2026, 3, 31)) == "1 April 2025 to 31 March 2026"
    assert period_label(dt.date(2025, 4, 1), None) == "From 1 April 2025"
    assert period_label(None, dt.date(2026, 3, 31)) == "Up to 31 March 2026"
    assert period_label(None, None) == "All dates"
