"""The library's line on a member's "Your involvement" page: drafts waiting for their review."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from members.dashboard import DashboardEntry
from members.models import Member

from .models import ReviewInvitation


def waiting_count(member: Member) -> int:
    """How many drafts are waiting for this member's feedback (one query)."""
    return ReviewInvitation.objects.filter(
        member=member,
        responded_at__isnull=True,
        round__closed_at__isnull=True,
        round__deadline__gt=timezone.now(),
    ).count()


def dashboard_entries(member: Member) -> list[DashboardEntry]:
    waiting = waiting_count(member)
    return [
        DashboardEntry(
            title="Drafts to review",
            url=reverse("library:reviews"),
            description="Leaflets and guides the group is writing, and what happened to your feedback.",
            highlight=f"{waiting} waiting for you" if waiting else "",
            order=40,
        )
    ]
