"""``{% load formatting %}``: dates, times and money in templates, written as ``common.formatting`` writes them.

``{{ meeting.starts_at|long_date }}`` → "Tuesday 10 March 2026", ``{{ item.amount|pounds }}`` →
"£12.40". A missing value (None or "") shows as nothing rather than as an error or "£0.00".
"""

from __future__ import annotations

from django import template

from common import formatting

register = template.Library()


def _filter(function):
    def display(value):
        if value is None or value == "":
            return ""
        return function(value)

    display.__doc__ = function.__doc__
    register.filter(function.__name__, display)
    return display


clock = _filter(formatting.clock)
day_month_year = _filter(formatting.day_month_year)
long_date = _filter(formatting.long_date)
short_date = _filter(formatting.short_date)
date_and_time = _filter(formatting.date_and_time)
pounds = _filter(formatting.pounds)
pence_or_pounds = _filter(formatting.pence_or_pounds)
