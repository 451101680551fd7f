"""Members' alert choices, and the periods digests cover.

A daily digest covers one day in London (midnight to midnight) and is sent after it ends; a
weekly digest covers Monday to Sunday and is sent after the Sunday. The period's start is the
digest's key in the outbox, so each member gets at most one digest per period, however often
the job runs.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from common.formatting import LONDON

from .models import AlertSettings, Frequency

DIGESTS = (Frequency.DAILY, Frequency.WEEKLY)
KINDS = ("new_posts", "replies", "team")


def alerts_for(user) -> AlertSettings:
    """The member's choices, or the defaults (unsaved) if they have never changed them."""
    found = AlertSettings.objects.filter(user=user).first()
    return found or AlertSettings(user=user)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=LONDON)


def period_window(frequency: str, start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The aware start and end (exclusive) of a digest period."""
    days = 7 if frequency == Frequency.WEEKLY else 1
    return _midnight(start), _midnight(start + dt.timedelta(days=days))


def period_key(frequency: str, start: dt.date) -> str:
    return f"{frequency}:{start.isoformat()}"


def parse_period_key(key: str) -> tuple[str, dt.date]:
    frequency, start = key.split(":", 1)
    if frequency not in DIGESTS:
        raise ValueError(f"Not a digest period: {key!r}")
    return frequency, dt.date.fromisoformat(start)


def last_finished_periods(now: dt.datetime | None = None) -> list[tuple[str, dt.date]]:
    """The most recent finished day and week (London time) at ``now``."""
    today = timezone.localtime(now or timezone.now(), LONDON).date()
    yesterday = today - dt.timedelta(days=1)
    this_monday = today - dt.timedelta(days=today.weekday())
    return [(Frequency.DAILY, yesterday), (Frequency.WEEKLY, this_monday - dt.timedelta(days=7))]
