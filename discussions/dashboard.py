"""The group feed's entries on a member's "Your involvement" page (registered in `ready()`)."""

from __future__ import annotations

from django.urls import reverse

from members.dashboard import DashboardEntry
from members.models import Member

from .access import IN_OPEN_THREAD
from .models import Post
from .rules import TAKING_PART


def dashboard_entries(member: Member) -> list[DashboardEntry]:
    """ "Group feed" (with posts waiting for a moderator) and "Ask the team": one query."""
    entries: list[DashboardEntry] = []
    if member is None:
        return entries
    if member.status == TAKING_PART:
        waiting = Post.objects.filter(IN_OPEN_THREAD, author_id=member.user_id, status=Post.Status.HELD).count()
        entries.append(
            DashboardEntry(
                title="Group feed",
                url=reverse("discussions:feed"),
                description="News from the team, and talk with other members between meetings.",
                highlight=f"{waiting} waiting for a moderator" if waiting else "",
                order=40,
            )
        )
    if not member.has_left:
        entries.append(
            DashboardEntry(
                title="Ask the team",
                url=reverse("discussions:team"),
                description="Ask the coordinators something privately, away from the group.",
                order=41,
            )
        )
    return entries
