"""Report runs: asked for, made in the worker (section by section), stored, told about once,
and tried again when they fail or get stuck (involvement/report_runs.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from involvement import report_runs
from involvement.messages import REPORT_READY, queue_report_ready
from involvement.models import ReportRun, private_reports
from involvement.reports import SECTIONS
from members.tests.factories import MemberFactory
from outbox import sending
from outbox.models import Message
from surveys.tests.factories import partners_survey

from .project_factories import project

pytestmark = pytest.mark.django_db

Status = ReportRun.Status

PROJECT_TITLE = "Welcome letter for new parents"


@pytest.fixture
def made(coordinator, celery_eager, django_capture_on_commit_callbacks):
    """A project case study asked for by a coordinator and made by the (eager) worker: once for
    the tests that look at a finished run."""
    with django_capture_on_commit_callbacks(execute=True):
        run = report_runs.request_report(ReportRun.Kind.PROJECT, by=coordinator, project=project(title=PROJECT_TITLE))
    run.refresh_from_db()
    return run


def test_a_report_asked_for_is_made_in_the_worker_stored_and_the_asker_told_once(made, coordinator):
    run = made
    assert run.status == Status.READY
    assert run.started_at <= run.finished_at
    assert run.error == ""
    with run.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    assert run.file_size == len(content)
    # The file's name on disk is random; the readable name is given at download.
    assert PROJECT_TITLE.lower().replace(" ", "-") not in run.file.name
    # Every section was reported as it was reached.
    assert (run.section, run.sections_total) == (len(SECTIONS["project"]), len(SECTIONS["project"]))
    assert run.section_title == SECTIONS["project"][-1]

    (message,) = Message.objects.filter(kind=REPORT_READY)
    assert (message.recipient, message.status) == (coordinator, Message.Status.SENT)
    (email,) = mail.outbox
    assert email.to == [coordinator.email]
    assert email.subject.startswith("Your report is ready")
    assert f"/reports/{run.pk}/" in email.body
    assert "Project case study" in email.body
    # No figures, no titles: the email only says a report is ready.
    assert PROJECT_TITLE not in email.body and PROJECT_TITLE not in email.alternatives[0][0]


def test_a_run_already_made_or_being_made_is_not_made_again(made):
    finished_at = made.finished_at

    assert report_runs.make_report(made.pk) == Status.READY

    made.refresh_from_db()
    assert made.finished_at == finished_at
    assert Message.objects.filter(kind=REPORT_READY).count() == 1
    working = ReportRun.objects.create(kind=ReportRun.Kind.PROJECT, project=made.project, status=Status.WORKING)
    assert report_runs.make_report(working.pk) == Status.WORKING


def test_the_progress_callback_writes_the_section_and_its_title(coordinator):
    run = ReportRun.objects.create(kind=ReportRun.Kind.PROJECT, status=Status.WORKING, requested_by=coordinator)

    report_runs.progress_writer(run.pk)(3, 9, "Stakeholders and how they were involved")

    run.refresh_from_db()
    assert (run.section, run.sections_total, run.section_title) == (3, 9, "Stakeholders and how they were involved")


def test_a_survey_deleted_before_its_report_is_made_fails_plainly_and_cannot_be_retried(coordinator):
    survey = partners_survey()["survey"]
    run = report_runs.request_report(ReportRun.Kind.SURVEY, by=coordinator, survey=survey)
    survey.delete()

    assert report_runs.make_report(run.pk) == Status.FAILED

    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert run.error == "The survey was deleted after the report was asked for."
    assert not run.file and run.finished_at is not None
    assert not Message.objects.filter(kind=REPORT_READY).exists()
    with pytest.raises(report_runs.ReportCannotBeMade):
        report_runs.retry_report(run, by=coordinator)


def test_a_run_that_failed_while_saving_is_retried_as_a_new_run_that_is_made(
    coordinator, commissioner, monkeypatch, celery_eager, django_capture_on_commit_callbacks
):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(private_reports, "save", disk_full)
    with django_capture_on_commit_callbacks(execute=True):
        run = report_runs.request_report(ReportRun.Kind.PROJECT, by=coordinator, project=project())
    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert run.error.startswith("Could not make the report: OSError")
    assert not run.file
    monkeypatch.undo()

    with django_capture_on_commit_callbacks(execute=True):
        again = report_runs.retry_report(run, by=commissioner)

    again.refresh_from_db()
    run.refresh_from_db()
    assert again.pk != run.pk
    assert (again.kind, again.project, again.requested_by) == (run.kind, run.project, commissioner)
    assert again.status == Status.READY
    assert run.status == Status.FAILED  # kept as the record of what went wrong
    # The one who pressed "Try again", a commissioner here, is the one told.
    assert [m.recipient for m in Message.objects.filter(kind=REPORT_READY)] == [commissioner]
    assert mail.outbox[-1].to == [commissioner.email]


def test_a_run_waiting_for_more_than_30_minutes_is_stuck_and_a_retry_stops_it(coordinator):
    run = report_runs.request_report(ReportRun.Kind.PROJECT, by=coordinator, project=project())
    soon = timezone.now() + dt.timedelta(minutes=29)
    later = timezone.now() + dt.timedelta(minutes=31)
    assert not report_runs.is_stuck(run, now=soon)
    assert report_runs.retry_report(run, by=coordinator, now=soon) is None
    assert report_runs.is_stuck(run, now=later)

    again = report_runs.retry_report(run, by=coordinator, now=later)

    run.refresh_from_db()
    assert run.status == Status.FAILED and run.error == report_runs.STUCK_REASON
    assert again.status == Status.QUEUED
    # The worker that finally gets the old task leaves it alone.
    assert report_runs.make_report(run.pk) == Status.FAILED


def test_a_run_being_made_for_more_than_30_minutes_is_stuck(coordinator):
    started = timezone.now() - dt.timedelta(minutes=31)
    run = ReportRun.objects.create(
        kind=ReportRun.Kind.PROJECT, project=project(), status=Status.WORKING, started_at=started
    )
    assert report_runs.is_stuck(run)
    assert report_runs.can_retry(run)
    run.started_at = timezone.now()
    assert not report_runs.is_stuck(run)


def test_the_ready_message_goes_to_a_commissioner_who_asked_but_never_to_a_member(commissioner, member):
    shared = ReportRun.objects.create(kind=ReportRun.Kind.PROJECT, status=Status.READY, requested_by=commissioner)
    own = ReportRun.objects.create(
        kind=ReportRun.Kind.CERTIFICATE,
        status=Status.READY,
        requested_by=member,
        member=MemberFactory(user=member, active=True),
    )

    assert queue_report_ready(own) == []
    ids = queue_report_ready(shared)
    sending.send_pending(Message.objects.filter(pk__in=ids))

    (message,) = Message.objects.filter(kind=REPORT_READY)
    assert (message.recipient, message.status) == (commissioner, Message.Status.SENT)


def test_the_ready_message_is_not_sent_for_a_run_that_is_gone_or_no_longer_ready(coordinator):
    run = ReportRun.objects.create(kind=ReportRun.Kind.PROJECT, status=Status.READY, requested_by=coordinator)
    ids = queue_report_ready(run)
    ReportRun.objects.filter(pk=run.pk).update(status=Status.FAILED)

    sending.send_pending(Message.objects.filter(pk__in=ids))

    message = Message.objects.get(pk=ids[0])
    assert message.status == Message.Status.SKIPPED
    assert "no longer ready" in message.reason


def test_erasing_a_member_deletes_their_certificates_and_files(django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    from members.privacy import erase_member

    member = MemberFactory(active=True)
    run = ReportRun.objects.create(kind=ReportRun.Kind.CERTIFICATE, status=Status.READY, member=member)
    run.file.save("certificate.pdf", ContentFile(b"%PDF-1.7 certificate"))
    name = run.file.name
    assert private_reports.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        erase_member(member=member)

    assert not ReportRun.objects.filter(pk=run.pk).exists()
    assert not private_reports.exists(name)


def test_request_report_refuses_parameters_that_do_not_fit_the_kind(coordinator):
    with pytest.raises(ValueError):
        report_runs.request_report(ReportRun.Kind.SURVEY, by=coordinator)
    with pytest.raises(ValueError):
        report_runs.request_report(
            ReportRun.Kind.PERIOD, by=coordinator, start=dt.date(2026, 3, 1), end=dt.date(2026, 1, 1)
        )
    assert not ReportRun.objects.exists()


def test_the_admin_lists_runs_read_only_and_tries_failed_ones_again(coordinator_client, coordinator):
    from django.urls import reverse

    failed = ReportRun.objects.create(kind=ReportRun.Kind.PROJECT, project=project(), status=Status.FAILED)
    changelist = reverse("admin:involvement_reportrun_changelist")
    page = coordinator_client.get(changelist).content.decode()
    assert f'href="{reverse("reports:home")}"' in page  # "Make a report"
    assert coordinator_client.get(reverse("admin:involvement_reportrun_add")).status_code == 403

    coordinator_client.post(changelist, {"action": "try_again", "_selected_action": [failed.pk]})

    again = ReportRun.objects.exclude(pk=failed.pk).get()
    assert (again.project, again.requested_by, again.status) == (failed.project, coordinator, Status.QUEUED)
