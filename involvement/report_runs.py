"""Report runs: asking for a report, making it in the worker, and trying again.

A run's life, all through this module (the Reports page, the admin, the member's certificate page
and the task alike):

1. `request_report` saves a *queued* run and, once that commits, queues the Celery task
   (``involvement.tasks.make_report``) with the run's id.
2. `make_report` (the task's body) *takes* the run with one conditional update (queued →
   working), so of two workers given the same run only one makes it. It calls
   ``involvement.reports.build_report`` with a progress callback that writes "section n of m"
   to the row, stores the PDF in private storage, and marks the run *ready*, then tells the
   person who asked through the outbox (`involvement.messages`). Any error marks the run
   *failed* with a short reason for staff (the traceback goes to the log, never to a page).
3. A failed run is kept as it is, as the record of what went wrong; `retry_report` makes a **new
   run with the same parameters**, asked for by whoever pressed "Try again" (so they are the one
   told). A run left *queued* or *working* for longer than `STUCK_AFTER` (a worker died, the
   broker lost the task) counts as stuck: the page says so and offers the same retry, which first
   marks the stuck run failed, so a worker that wakes up late cannot finish it as well.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.formatting import long_date

from .models import Project, ReportRun

logger = logging.getLogger(__name__)

Kind = ReportRun.Kind
Status = ReportRun.Status

# A report takes seconds to make; one still waiting or being made after this is not coming.
STUCK_AFTER = dt.timedelta(minutes=30)

# The reason staff see for a run that was stuck when someone tried again.
STUCK_REASON = "Stopped: it was not finished within 30 minutes (the worker may have stopped)."


class ReportCannotBeMade(Exception):
    """What a run asks for no longer exists or does not make sense; the text says why."""


def request_report(
    kind: str,
    *,
    by,
    start: dt.date | None = None,
    end: dt.date | None = None,
    project: Project | None = None,
    survey=None,
    member=None,
) -> ReportRun:
    """Saves a queued run of ``kind`` asked for by ``by`` and has the worker make it once the
    caller's transaction commits. The forms check what people type; this checks that the
    parameters fit the kind (a programming error otherwise)."""
    kind = Kind(kind)
    needed = {
        Kind.PERIOD: start is not None and end is not None and start <= end,
        Kind.PROJECT: project is not None,
        Kind.SURVEY: survey is not None,
        Kind.CERTIFICATE: member is not None,
    }
    if not needed[kind]:
        raise ValueError(f"A {kind.label.lower()} needs its {_what_it_needs(kind)}.")
    run = ReportRun.objects.create(
        kind=kind,
        start=start,
        end=end,
        project=project if kind == Kind.PROJECT else None,
        survey=survey if kind == Kind.SURVEY else None,
        member=member if kind == Kind.CERTIFICATE else None,
        requested_by=by,
    )
    # robust: if the broker is down, the run still stands; the page offers to try again later.
    transaction.on_commit(lambda: _enqueue(run.pk), robust=True)
    return run


def _what_it_needs(kind: str) -> str:
    return {
        Kind.PERIOD: "start and end dates (the end on or after the start)",
        Kind.PROJECT: "project",
        Kind.SURVEY: "survey",
        Kind.CERTIFICATE: "member",
    }[kind]


def _enqueue(run_id: int) -> None:
    from .tasks import make_report as task

    task.delay(run_id)


def describe(run: ReportRun, *, show_member: bool) -> str:
    """What the run is of: its dates, the project or survey's title, or (for those who may see
    it) whose certificate."""
    if run.kind == ReportRun.Kind.PERIOD and run.start and run.end:
        return f"{long_date(run.start)} to {long_date(run.end)}"
    if run.kind == ReportRun.Kind.PROJECT:
        return run.project.title if run.project else "A project that has since been deleted"
    if run.kind == ReportRun.Kind.SURVEY:
        return run.survey.title if run.survey else "A survey that has since been deleted"
    if run.kind == ReportRun.Kind.CERTIFICATE:
        if not show_member or run.member is None:
            return ""
        return str(run.member.user.name or f"member {run.member_id}")
    return ""


# --- In the worker ------------------------------------------------------------------------------


def progress_writer(run_id: int) -> Callable[[int, int, str], None]:
    """The callback a builder calls as it reaches each section: one cheap update of the row."""

    def progress(section: int, total: int, title: str) -> None:
        ReportRun.objects.filter(pk=run_id, status=Status.WORKING).update(
            section=section, sections_total=total, section_title=str(title)[:120]
        )

    return progress


def _check_still_possible(run: ReportRun) -> None:
    """What was asked for must still exist: a project or survey deleted after the run was asked
    for leaves its field empty (SET_NULL), and a certificate's member may have been erased."""
    if run.kind == Kind.PERIOD and (run.start is None or run.end is None or run.end < run.start):
        raise ReportCannotBeMade("The period has no start or end, or ends before it starts.")
    if run.kind == Kind.PROJECT and run.project_id is None:
        raise ReportCannotBeMade("The project was deleted after the report was asked for.")
    if run.kind == Kind.SURVEY and run.survey_id is None:
        raise ReportCannotBeMade("The survey was deleted after the report was asked for.")
    if run.kind == Kind.CERTIFICATE and (run.member_id is None or run.member.erased_at is not None):
        raise ReportCannotBeMade("The member's details were erased after the certificate was asked for.")


def _short_reason(exc: Exception) -> str:
    if isinstance(exc, ReportCannotBeMade):
        return str(exc)[:300]
    return f"Could not make the report: {type(exc).__name__}: {exc}"[:300]


def make_report(run_id: int) -> str:
    """Makes the run's PDF if this worker is the one to take it; returns the run's status
    afterwards. Safe to run twice at once, and for a run that was already made or stopped."""
    from .reports import build_report, report_filename

    taken = ReportRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.WORKING, started_at=timezone.now(), section=0, sections_total=0, section_title="", error=""
    )
    if not taken:
        return ReportRun.objects.filter(pk=run_id).values_list("status", flat=True).first() or "missing"
    run = ReportRun.objects.select_related("project", "survey", "member__user", "requested_by").get(pk=run_id)
    try:
        _check_still_possible(run)
        pdf = build_report(run, progress_writer(run_id))
        # The stored name is random (models.report_file_path); the download gives the readable one.
        run.file.save(report_filename(run), ContentFile(pdf), save=False)
    except Exception as exc:
        if not isinstance(exc, ReportCannotBeMade):
            logger.exception("Report run %s (%s) could not be made", run_id, run.kind)
        else:
            logger.warning("Report run %s (%s) could not be made: %s", run_id, run.kind, exc)
        ReportRun.objects.filter(pk=run_id, status=Status.WORKING).update(
            status=Status.FAILED, finished_at=timezone.now(), error=_short_reason(exc), file=""
        )
        return Status.FAILED
    with transaction.atomic():
        finished = ReportRun.objects.filter(pk=run_id, status=Status.WORKING).update(
            status=Status.READY, finished_at=timezone.now(), file=run.file.name, file_size=len(pdf), error=""
        )
        if finished:
            from .messages import queue_report_ready

            run.refresh_from_db()
            queue_report_ready(run)
    if not finished:
        # Someone stopped it as stuck meanwhile and asked again: keep no file nobody can reach.
        run.file.delete(save=False)
        return ReportRun.objects.filter(pk=run_id).values_list("status", flat=True).first() or "missing"
    return Status.READY


# --- Stuck and failed runs ----------------------------------------------------------------------


def is_stuck(run: ReportRun, *, now: dt.datetime | None = None) -> bool:
    """Still waiting or being made long after it should have finished."""
    now = now or timezone.now()
    if run.status == Status.QUEUED:
        return run.requested_at < now - STUCK_AFTER
    if run.status == Status.WORKING:
        return (run.started_at or run.requested_at) < now - STUCK_AFTER
    return False


def can_retry(run: ReportRun, *, now: dt.datetime | None = None) -> bool:
    return run.status == Status.FAILED or is_stuck(run, now=now)


def retry_report(run: ReportRun, *, by, now: dt.datetime | None = None) -> ReportRun | None:
    """Asks again for what a failed or stuck run asked for: a new queued run, asked for by ``by``.
    A stuck run is first marked failed (one conditional update, so a worker that finishes it
    late cannot also mark it ready). Returns None if the run cannot be retried (it is fine, or
    finished meanwhile); raises `ReportCannotBeMade` if what it was about has been deleted."""
    now = now or timezone.now()
    with transaction.atomic():
        if run.status != Status.FAILED:
            cutoff = now - STUCK_AFTER
            stuck = Q(status=Status.QUEUED, requested_at__lt=cutoff) | Q(status=Status.WORKING, started_at__lt=cutoff)
            stopped = ReportRun.objects.filter(stuck, pk=run.pk).update(
                status=Status.FAILED, finished_at=now, error=STUCK_REASON
            )
            if not stopped:
                return None
        _check_still_possible(run)
        return request_report(
            run.kind,
            by=by,
            start=run.start,
            end=run.end,
            project=run.project,
            survey=run.survey,
            member=run.member,
        )


# --- Erasure ---------------------------------------------------------------------------------------


def erase_certificates(member) -> list:
    """A member's certificates name them: erasure deletes the runs, and their files once the
    erasure has committed (registered with `members.privacy` in `InvolvementConfig.ready`)."""
    runs = ReportRun.objects.filter(kind=Kind.CERTIFICATE, member=member)
    names = [name for name in runs.values_list("file", flat=True) if name]
    runs.delete()
    if names:
        from .models import private_reports

        transaction.on_commit(lambda: [private_reports.delete(name) for name in names])
    return []
