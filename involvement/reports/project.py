"""The project case study: one project laid out as the co-production good-practice template,
ready to submit as evidence. It goes to commissioners, so it names nobody."""

from __future__ import annotations

from collections.abc import Callable

from involvement.models import ReportRun
from involvement.reporting import project as figures

from .document import Document, period_label, render_document

SECTIONS = [
    "The good practice template",
    "The ladder of co-production",
    "Meetings, resources and surveys",
    "You said, we did",
    "In members' own words",
]
SECTION_IDS = ["template", "ladder", "linked", "impact", "words"]


def build(run: ReportRun, progress: Callable[[int, int, str], None]) -> bytes:
    project = run.project
    if project is None:
        raise ValueError("A project case study needs a project.")
    total = len(SECTIONS)
    progress(1, total, SECTIONS[0])
    template_name = figures.template_name(project)
    rows = figures.template_rows(project)
    progress(2, total, SECTIONS[1])
    ladder = figures.ladder(project)
    progress(3, total, SECTIONS[2])
    links = figures.links(project)
    progress(4, total, SECTIONS[3])
    impact = figures.impact_items(project)
    progress(5, total, SECTIONS[4])
    quotes = figures.quotes(project)
    document = Document(
        title="Project case study",
        subtitle=project.title,
        period_label=period_label(project.started_on, project.completed_on),
        description=f"{template_name}: {project.title}",
        sections=list(zip(SECTION_IDS, SECTIONS, strict=True)),
    )
    return render_document(
        "pdf/reports/project.html",
        document,
        {
            "project": project,
            "template_name": template_name,
            "rows": rows,
            "ladder": ladder,
            "links": links,
            "impact": impact,
            "quotes": quotes,
        },
    )
