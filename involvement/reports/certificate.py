"""The certificate of involvement: a member's own record of what they did with the group, with
dates and hours, signed off with the group's name and contacts for a CV or a job application."""

from __future__ import annotations

from collections.abc import Callable

from common.group import group_profile
from involvement.models import ReportRun
from involvement.reporting import certificate as figures

from .document import Document, period_label, render_document

SECTIONS = list(figures.STAGES)
SECTION_IDS = ["summary", "meetings", "resources", "surveys", "projects", "training", "confirmation"]


def build(run: ReportRun, progress: Callable[[int, int, str], None]) -> bytes:
    member = run.member
    if member is None:
        raise ValueError("A certificate of involvement needs a member.")
    certificate = figures.certificate_figures(member, run.start, run.end, progress=progress)
    profile = group_profile()
    document = Document(
        title="Certificate of involvement",
        subtitle=certificate.name,
        period_label=period_label(certificate.start, certificate.end),
        description=f"What {certificate.name} did with {profile.name}, with dates and hours.",
        sections=list(zip(SECTION_IDS, SECTIONS, strict=True)),
        group_name=profile.name,
    )
    return render_document("pdf/reports/certificate.html", document, {"certificate": certificate, "profile": profile})
