"""Survey results: one survey's answers, as charts with their figures in tables beside them.
For commissioners: small counts read "fewer than 5" and no written answer is ever included."""

from __future__ import annotations

from collections.abc import Callable

from involvement.models import ReportRun
from involvement.reporting import survey as figures

from .document import Document, period_label, render_document

SECTIONS = list(figures.STAGES)
SECTION_IDS = ["about", "co-design", "answers", "over-time"]


def build(run: ReportRun, progress: Callable[[int, int, str], None]) -> bytes:
    survey = run.survey
    if survey is None:
        raise ValueError("A survey results report needs a survey.")
    report = figures.survey_figures(survey, progress=progress)
    document = Document(
        title="Survey results",
        subtitle=survey.title,
        period_label=period_label(report.facts.opened_on, report.facts.closed_on),
        description=f"The results of the survey “{survey.title}”, with small numbers hidden.",
        sections=list(zip(SECTION_IDS, SECTIONS, strict=True)),
    )
    return render_document(
        "pdf/reports/survey.html",
        document,
        {"facts": report.facts, "co_design": report.co_design, "results": report.results},
    )
