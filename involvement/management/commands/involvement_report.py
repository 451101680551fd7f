"""Makes a report from the shell, as the worker would, and writes the PDF to a file.

    python manage.py involvement_report --start 2025-04-01 --end 2026-03-31 --out report.pdf
    python manage.py involvement_report --kind project --project 3 --out case-study.pdf
    python manage.py involvement_report --kind survey --survey 7 --out survey.pdf
    python manage.py involvement_report --kind certificate --member 42 --out certificate.pdf

The run is not saved (no report run is listed, nobody is emailed); progress goes to stderr.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from involvement.models import Project, ReportRun
from members.models import Member
from surveys.models import Survey

Kind = ReportRun.Kind


def _date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--{what} must be a date written as YYYY-MM-DD, for example 2025-04-01 (not {value!r})."
        ) from None


class Command(BaseCommand):
    help = "Makes an involvement report, project case study, survey results or certificate as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=Kind.values, default=Kind.PERIOD, help="Which report (default: period).")
        parser.add_argument("--start", help="First day of the period, YYYY-MM-DD (period reports, certificates).")
        parser.add_argument("--end", help="Last day of the period, YYYY-MM-DD (period reports, certificates).")
        parser.add_argument("--project", type=int, help="The project's id (project case studies).")
        parser.add_argument("--survey", type=int, help="The survey's id (survey results).")
        parser.add_argument("--member", type=int, help="The member's id (certificates).")
        parser.add_argument("--out", help="Where to write the PDF (default: the report's usual file name).")

    def handle(self, *args, kind: str, out: str | None, **options):
        run = self._run(kind, options)
        from involvement.reports import build_report, report_filename

        def progress(section: int, total: int, title: str) -> None:
            self.stderr.write(f"Section {section} of {total}: {title}")

        pdf = build_report(run, progress)
        path = Path(out or report_filename(run))
        try:
            path.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"Could not write {path}: {exc.strerror or exc}.") from None
        self.stderr.write(self.style.SUCCESS(f"Wrote {path} ({len(pdf):,} bytes)."))

    def _run(self, kind: str, options) -> ReportRun:
        run = ReportRun(kind=kind, requested_at=timezone.now(), status=ReportRun.Status.WORKING)
        if kind == Kind.PERIOD:
            if not options["start"] or not options["end"]:
                raise CommandError(
                    "A period report needs --start and --end, for example --start 2025-04-01 --end 2026-03-31."
                )
            run.start, run.end = _date(options["start"], "start"), _date(options["end"], "end")
            if run.end < run.start:
                raise CommandError("--end must be the same as or after --start.")
        elif kind == Kind.PROJECT:
            run.project = self._get(Project.objects.all(), options["project"], "project")
        elif kind == Kind.SURVEY:
            run.survey = self._get(Survey.objects.all(), options["survey"], "survey")
        else:
            run.member = self._get(
                Member.objects.filter(erased_at__isnull=True).select_related("user"), options["member"], "member"
            )
        if kind == Kind.CERTIFICATE and (options["start"] or options["end"]):
            # A certificate may be limited to some dates; without them it covers everything.
            run.start = _date(options["start"], "start") if options["start"] else None
            run.end = _date(options["end"], "end") if options["end"] else None
            if run.start and run.end and run.end < run.start:
                raise CommandError("--end must be the same as or after --start.")
        return run

    @staticmethod
    def _get(queryset, pk: int | None, what: str):
        if pk is None:
            raise CommandError(f"Say which {what} with --{what} <id>.")
        found = queryset.filter(pk=pk).first()
        if found is None:
            raise CommandError(f"There is no {what} with id {pk}.")
        return found
