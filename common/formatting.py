"""Dates, times and money as the portal writes them: one module, so every page, email and PDF agrees.

The NHS.UK content style guide ("Numbers, measurements, dates and time") decides the words:
"10am" and "5:30pm" (no ".00", no 24-hour clock), "midday" and "midnight" (never "12 noon" or
"12pm"), dates as "6 August 2018" or, where the day of the week helps, "Wednesday 6 August 2018",
months in full, and "to" in ranges ("2pm to 6pm"). Numbers over 999 have a comma ("£1,250.00").

Times are stored in UTC and always shown in UK time (Europe/London, BST or GMT as it falls),
whatever the server's own time zone. The same functions are template filters
(``{% load formatting %}``, see ``common/templatetags/formatting.py``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def to_london(moment: dt.datetime) -> dt.datetime:
    """``moment`` on the clock in the UK. A naive datetime is taken to be UK time already."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=LONDON)
    return moment.astimezone(LONDON)


def _day(value: dt.date | dt.datetime) -> dt.date:
    # A datetime's day is the UK day: 11:30pm on 31 March UTC is already 1 April in summer.
    return to_london(value).date() if isinstance(value, dt.datetime) else value


def clock(moment: dt.datetime | dt.time) -> str:
    """A time of day in UK time: "10am", "2:30pm", "midday", "midnight"."""
    if isinstance(moment, dt.datetime):
        moment = to_london(moment)
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def day_month_year(value: dt.date | dt.datetime) -> str:
    """A date without its day of the week: "10 March 2026"."""
    day = _day(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def long_date(value: dt.date | dt.datetime) -> str:
    """A date with its day of the week, for anything people come to: "Tuesday 10 March 2026"."""
    day = _day(value)
    return f"{WEEKDAYS[day.weekday()]} {day_month_year(day)}"


def short_date(value: dt.date | dt.datetime) -> str:
    """For email subjects, where the year is plain from the context: "Tuesday 10 March"."""
    day = _day(value)
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def date_and_time(moment: dt.datetime) -> str:
    """When something happened: "10 March 2026 at 2:30pm"."""
    return f"{day_month_year(moment)} at {clock(moment)}"


def time_range(start: dt.datetime | dt.time, end: dt.datetime | dt.time) -> str:
    """From one time to another: "10am to midday"."""
    return f"{clock(start)} to {clock(end)}"


def date_and_time_range(start: dt.datetime, end: dt.datetime | None = None) -> str:
    """The day and times of something: "Tuesday 12 May 2026, 10am to midday" (and the end's day if it differs)."""
    if end is None:
        return f"{long_date(start)}, {clock(start)}"
    if _day(end) == _day(start):
        return f"{long_date(start)}, {time_range(start, end)}"
    return f"{long_date(start)}, {clock(start)} to {long_date(end)}, {clock(end)}"


def pounds(amount: Decimal | int | str | None) -> str:
    """Pounds and pence: "£1,234.50", "-£5.00"; no amount (an empty total) is "£0.00"."""
    value = Decimal(amount if amount not in (None, "") else 0)
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def pence_or_pounds(amount: Decimal) -> str:
    """How rates per mile are written: "45p", "45.5p", or "£1.20" from a pound up."""
    value = Decimal(amount)
    if value < 1:
        pence = value * 100
        return f"{pence:.0f}p" if pence == pence.to_integral_value() else f"{pence:.1f}p"
    return pounds(value)
