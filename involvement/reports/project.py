"""The project case study: one project laid out as the co-production good-practice template,
ready to submit as evidence. It goes to commissioners, so it names nobody."""

from __future__ import annotations

from collections.abc import Callable

from involvement.models import ReportRun
from involvement.reporting import project as figures

from .document import Document, period_label, render_document

SECTIONS = list(figures.STAGES)
SECTION_IDS = ["template", "ladder", "linked", "impact", "words"]


def build(run: ReportRun, progress: Callable[[int, int, str], None]) -> bytes:
    project = run.project
    if project is None:
        raise ValueError("A project case study needs a project.")
    case_study = figures.project_figures(project, progress=progress)
    document = Document(
        title="Project case study",
        subtitle=project.title,
        period_label=period_label(project.started_on, project.completed_on),
        description=f"{case_study.template_name}: {project.title}",
        sections=list(zip(SECTION_IDS, SECTIONS, strict=True)),
    )
    return render_document(
        "pdf/reports/project.html",
        document,
        {
            "project": project,
            "template_name": case_study.template_name,
            "rows": case_study.rows,
            "ladder": case_study.ladder,
            "links": case_study.links,
            "impact": case_study.impact,
            "quotes": case_study.quotes,
        },
    )
