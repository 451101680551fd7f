"""Showing meeting times the NHS.UK way, in Europe/London time: "Tuesday 12 May 2026, 10am to 12 noon"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import template

register = template.Library()

LONDON = ZoneInfo("Europe/London")


def clock(moment: dt.datetime) -> str:
    """10am, 2:30pm, 12 noon, 12 midnight (the NHS.UK style for times)."""
    if moment.hour == 12 and moment.minute == 0:
        return "12 noon"
    if moment.hour == 0 and moment.minute == 0:
        return "12 midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def day(moment: dt.datetime) -> str:
    """Tuesday 12 May 2026."""
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def meeting_when(starts_at: dt.datetime, ends_at: dt.datetime | None = None) -> str:
    """The day and times of a meeting in London time, with the day of the week."""
    start = starts_at.astimezone(LONDON)
    if ends_at is None:
        return f"{day(start)}, {clock(start)}"
    end = ends_at.astimezone(LONDON)
    if end.date() == start.date():
        return f"{day(start)}, {clock(start)} to {clock(end)}"
    return f"{day(start)}, {clock(start)} to {day(end)}, {clock(end)}"


@register.filter
def when(meeting) -> str:
    """``{{ meeting|when }}``: "Tuesday 12 May 2026, 10am to 12 noon"."""
    return meeting_when(meeting.starts_at, meeting.ends_at)


@register.filter
def london_day(moment: dt.datetime) -> str:
    """``{{ some_datetime|london_day }}``: "Tuesday 12 May 2026"."""
    return day(moment.astimezone(LONDON)) if moment else ""
