"""The involvement report for a period: a quarter, a year or any dates. It goes to
commissioners, so it names nobody; every figure comes from `involvement.reporting.period`."""

from __future__ import annotations

from collections.abc import Callable

from involvement.models import ReportRun
from involvement.reporting.period import STAGES, period_figures

from .document import Document, period_label, render_document

METHODS_TITLE = "How the figures are counted"
# The sections of the report, in order: one for each stage of counting, then the methods note.
SECTIONS = [*STAGES, METHODS_TITLE]
SECTION_IDS = [
    "headline",
    "membership",
    "heard-about",
    "members",
    "meetings",
    "projects",
    "resources",
    "surveys",
    "you-said-we-did",
    "methods",
]


def build(run: ReportRun, progress: Callable[[int, int, str], None]) -> bytes:
    """The PDF for ``run.start`` to ``run.end``. ``progress`` hears each section as its figures
    are counted; the methods note, last, is told just before the PDF is drawn."""
    if run.start is None or run.end is None:
        raise ValueError("An involvement report needs a start and an end date.")
    total = len(SECTIONS)
    figures = period_figures(run.start, run.end, progress=lambda n, _total, title: progress(n, total, title))
    progress(total, total, METHODS_TITLE)
    document = Document(
        title="Involvement report",
        subtitle="What members did with the service, and what changed",
        period_label=period_label(run.start, run.end),
        description=f"Involvement report for {period_label(run.start, run.end)}",
        sections=list(zip(SECTION_IDS, SECTIONS, strict=True)),
    )
    return render_document("pdf/reports/period.html", document, {"figures": figures})
