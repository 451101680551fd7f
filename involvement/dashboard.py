"""The "You said, we did" line on a member's "Your involvement" page: what changed lately
because of what members said (two queries, whatever the size of the group)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from members.dashboard import DashboardEntry
from members.models import Member

from .models import ImpactItem

# "Lately": items done or closed in this many days.
RECENT_DAYS = 90
# How much of the latest item's "we did" the line shows.
SHORT = 140


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"


def dashboard_entries(member: Member | None) -> list[DashboardEntry]:
    if member is None or member.has_left:
        return []
    since = timezone.localdate() - datetime.timedelta(days=RECENT_DAYS)
    closed_lately = ImpactItem.objects.filter(status=ImpactItem.Status.DONE, closed_on__gte=since)
    latest = closed_lately.order_by("-closed_on", "-pk").only("we_did", "you_said").first()
    description = "What members told us, and what the service did about it."
    if latest is not None and latest.we_did.strip():
        description = f"Latest: {_short(latest.we_did)}"
    count = closed_lately.count() if latest is not None else 0
    return [
        DashboardEntry(
            title="You said, we did",
            url=reverse("impact:list"),
            description=description,
            highlight=f"{count} done lately" if count else "",
            order=60,
        ),
        DashboardEntry(
            title="Our projects",
            url=reverse("impact:projects"),
            description="Work members are doing with the service, and how much say members have in each.",
            order=61,
        ),
    ]
