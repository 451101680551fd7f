"""Survey results: one survey's answers, as charts with their figures in tables beside them.
For commissioners: small counts read "fewer than 5" and no written answer is ever included."""

from __future__ import annotations

from collections.abc import Callable

from involvement.models import ReportRun
from involvement.reporting import survey as figures

from .document import Document, period_label, render_document

SECTIONS = [
    "About the survey",
    "How members shaped the questions",
    "The answers",
    "Responses over time",
]
SECTION_IDS = ["about", "co-design", "answers", "over-time"]


def build(run: ReportRun, progress: Callable[[int, int, str], None]) -> bytes:
    survey = run.survey
    if survey is None:
        raise ValueError("A survey results report needs a survey.")
    total = len(SECTIONS)
    progress(1, total, SECTIONS[0])
    facts = figures.survey_facts(survey)
    progress(2, total, SECTIONS[1])
    co_design = figures.co_design(survey)
    progress(3, total, SECTIONS[2])
    results = figures.answers(survey)
    progress(4, total, SECTIONS[3])
    document = Document(
        title="Survey results",
        subtitle=survey.title,
        period_label=period_label(facts.opened_on, facts.closed_on),
        description=f"The results of the survey “{survey.title}”, with small numbers hidden.",
        sections=list(zip(SECTION_IDS, SECTIONS, strict=True)),
    )
    return render_document(
        "pdf/reports/survey.html", document, {"facts": facts, "co_design": co_design, "results": results}
    )
