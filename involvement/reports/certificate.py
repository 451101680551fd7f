"""The certificate of involvement: a member's own record of what they did with the group, with
dates and hours, signed off with the group's name and contacts for a CV or a job application."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from common.group import group_profile
from involvement.models import ReportRun
from involvement.reporting import certificate as figures

from .document import Document, period_label, render_document

SECTIONS = [
    "Summary",
    "Meetings and activities",
    "Resources reviewed and written",
    "Surveys designed",
    "Projects",
    "Training",
    "Confirmation",
]
SECTION_IDS = ["summary", "meetings", "resources", "surveys", "projects", "training", "confirmation"]


def build(run: ReportRun, progress: Callable[[int, int, str], None]) -> bytes:
    member = run.member
    if member is None:
        raise ValueError("A certificate of involvement needs a member.")
    total = len(SECTIONS)
    progress(1, total, SECTIONS[0])
    start, end = run.start, run.end
    shown_start, shown_end = figures.certificate_period(member, start, end)
    progress(2, total, SECTIONS[1])
    meetings = figures.meetings(member, start, end)
    progress(3, total, SECTIONS[2])
    resources = figures.resources(member, start, end)
    progress(4, total, SECTIONS[3])
    surveys = figures.surveys(member, start, end)
    progress(5, total, SECTIONS[4])
    projects = figures.projects(member, start, end)
    progress(6, total, SECTIONS[5])
    training = figures.training(member, start, end)
    progress(7, total, SECTIONS[6])
    name = figures.member_name(member)
    certificate = figures.CertificateFigures(
        name=name,
        joined_on=timezone.localtime(member.joined_at).date(),
        start=shown_start,
        end=shown_end,
        meetings=meetings,
        resources=resources,
        surveys=surveys,
        projects=projects,
        training=training,
    )
    profile = group_profile()
    document = Document(
        title="Certificate of involvement",
        subtitle=name,
        period_label=period_label(shown_start, shown_end),
        description=f"What {name} did with {profile.name}, with dates and hours.",
        sections=list(zip(SECTION_IDS, SECTIONS, strict=True)),
        group_name=profile.name,
    )
    return render_document("pdf/reports/certificate.html", document, {"certificate": certificate, "profile": profile})
