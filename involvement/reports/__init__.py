"""Report PDFs: the figures from ``involvement.reporting``, laid out on the shared frame.

One module per report kind (``period``, ``project``, ``survey``, ``certificate``), each with
``SECTIONS`` (its section titles, in order) and ``build(run, progress)`` returning PDF bytes.
The worker, the admin and the management command use only what this package exposes:

- `SECTIONS`: section titles by ``ReportRun.Kind`` value, for "working on section n of m";
- `build_report(run, progress)`: the PDF for a run (saved or not);
- `report_filename(run)`: the name the file is downloaded as.
"""

from __future__ import annotations

import importlib

from django.utils.text import slugify

from involvement.models import ReportRun
from involvement.reporting import Progress

KINDS = tuple(ReportRun.Kind.values)


def _module(kind: str):
    if kind not in KINDS:
        raise ValueError(f"There is no report of kind {kind!r}.")
    return importlib.import_module(f"{__name__}.{kind}")


# Section titles per ReportRun.Kind value, in the order each report works through them.
SECTIONS: dict[str, list[str]] = {kind: list(_module(kind).SECTIONS) for kind in KINDS}


def _no_progress(n: int, total: int, title: str) -> None:
    pass


def build_report(run: ReportRun, progress: Progress | None = None) -> bytes:
    """The PDF for ``run``, which may be unsaved. ``progress(n, total, title)`` is called as each
    section's figures are worked out (n from 1), before the PDF is rendered."""
    return _module(run.kind).build(run, progress or _no_progress)


def _dates(run: ReportRun) -> str:
    if run.start and run.end:
        return f"{run.start:%Y-%m-%d}-to-{run.end:%Y-%m-%d}"
    if run.start:
        return f"from-{run.start:%Y-%m-%d}"
    if run.end:
        return f"up-to-{run.end:%Y-%m-%d}"
    return ""


def report_filename(run: ReportRun) -> str:
    """The name a report downloads as, for example "involvement-report-2025-04-01-to-2026-03-31.pdf".

    Never a member's name: the certificate's file name is the same for everyone.
    """
    if run.kind == ReportRun.Kind.PERIOD:
        parts = ["involvement-report", _dates(run) or "all-dates"]
    elif run.kind == ReportRun.Kind.PROJECT:
        parts = ["project-case-study", slugify(run.project.title)[:60] if run.project_id else ""]
    elif run.kind == ReportRun.Kind.SURVEY:
        parts = ["survey-results", slugify(run.survey.title)[:60] if run.survey_id else ""]
    else:
        parts = ["certificate-of-involvement", _dates(run)]
    return "-".join(part.strip("-") for part in parts if part.strip("-")) + ".pdf"
