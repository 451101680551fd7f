"""How many times each resource was viewed and downloaded, per month: the library's impact.

No cookies, no addresses, nothing about the reader: a count goes up by one. The row for the
month is updated with ``F()`` in one query; only the first view of a month makes the row.
Obvious robots (search engines, link checkers) are not counted; the rest need not be perfect.
The reports read `reach_between`.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from .models import Resource, ResourceReach

ROBOT_WORDS = ("bot", "crawl", "spider", "slurp", "preview", "monitor", "curl", "wget", "python-requests", "headless")


def is_robot(request) -> bool:
    agent = request.headers.get("User-Agent", "").lower()
    return not agent or any(word in agent for word in ROBOT_WORDS)


def _month(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()).replace(day=1)


def _count(resource_id: int, field: str) -> None:
    month = _month()
    if ResourceReach.objects.filter(resource_id=resource_id, month=month).update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            ResourceReach.objects.create(resource_id=resource_id, month=month, **{field: 1})
    except IntegrityError:
        # Someone else made this month's row a moment ago: count on it.
        ResourceReach.objects.filter(resource_id=resource_id, month=month).update(**{field: F(field) + 1})


def record_view(request, resource: Resource) -> None:
    """Counts one view of a public resource page (not robots)."""
    if not is_robot(request):
        _count(resource.pk, "views")


def record_download(request, resource: Resource) -> None:
    """Counts one download of a resource's file or PDF (not robots)."""
    if not is_robot(request):
        _count(resource.pk, "downloads")


def reach_between(start: dt.date, end: dt.date) -> list[dict]:
    """Views and downloads per resource for the months from ``start`` to ``end`` (inclusive),
    most viewed first: ``{"resource_id", "title", "views", "downloads"}``."""
    rows = (
        ResourceReach.objects.filter(month__gte=_month(start), month__lte=_month(end))
        .values("resource_id", "resource__title")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
        .order_by("-views", "resource__title")
    )
    return [
        {
            "resource_id": row["resource_id"],
            "title": row["resource__title"],
            "views": row["views"],
            "downloads": row["downloads"],
        }
        for row in rows
    ]
