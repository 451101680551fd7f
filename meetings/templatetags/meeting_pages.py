"""``{{ meeting|when }}``: a meeting's day and times, "Tuesday 12 May 2026, 10am to midday".

Dates, times and money in general come from ``{% load formatting %}`` (``common.formatting``).
"""

from __future__ import annotations

from django import template

from common.formatting import date_and_time_range

register = template.Library()


@register.filter
def when(meeting) -> str:
    """The meeting's day and times in UK time, written the NHS.UK way."""
    return date_and_time_range(meeting.starts_at, meeting.ends_at)
