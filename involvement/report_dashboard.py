"""The certificate of involvement line on a member's "Your involvement" page (no query)."""

from __future__ import annotations

from django.urls import reverse

from members.dashboard import DashboardEntry
from members.models import Member


def certificate_entries(member: Member | None) -> list[DashboardEntry]:
    if member is None or member.has_left or member.erased_at:
        return []
    return [
        DashboardEntry(
            title="Certificate of involvement",
            url=reverse("reports:certificate"),
            description=(
                "A PDF of what you have taken part in, with dates and hours. Useful for a CV or a job application."
            ),
            order=190,
        )
    ]
