"""The member's "Your involvement" page: surveys to answer and drafts to review (two queries)."""

from __future__ import annotations

from django.urls import reverse

from members.dashboard import DashboardEntry
from members.models import Member

from .selectors import surveys_to_answer, surveys_to_review


def dashboard_entries(member: Member | None) -> list[DashboardEntry]:
    if member is None:
        return []
    entries = []
    to_answer = surveys_to_answer(member).count()
    if to_answer:
        entries.append(
            DashboardEntry(
                title="Surveys to answer",
                url=reverse("surveys:list"),
                description="Tell us what you think. Each survey says how long it takes.",
                highlight=f"{to_answer} to answer",
                order=40,
            )
        )
    to_review = surveys_to_review(member).count()
    if to_review:
        entries.append(
            DashboardEntry(
                title="Survey questions to check",
                url=reverse("surveys:list"),
                description="Read new survey questions before they go out, and tell us what to change.",
                highlight=f"{to_review} waiting for you",
                order=41,
            )
        )
    return entries
