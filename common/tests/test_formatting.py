"""Dates, times and money are written the NHS.UK way, in UK time, by one module."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template

from common.formatting import (
    LONDON,
    clock,
    date_and_time,
    date_and_time_range,
    day_month_year,
    long_date,
    pence_or_pounds,
    pounds,
    short_date,
    time_range,
    to_london,
)

UTC = dt.UTC


def uk(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (12, 0, "midday"),
        (0, 0, "midnight"),
        (10, 0, "10am"),
        (10, 30, "10:30am"),
        (14, 30, "2:30pm"),
        (0, 5, "12:05am"),
        (12, 45, "12:45pm"),
        (23, 59, "11:59pm"),
    ],
)
def test_clock_follows_the_nhsuk_style(hour, minute, expected):
    assert clock(dt.time(hour, minute)) == expected
    assert clock(uk(2026, 1, 13, hour, minute)) == expected


def test_clock_shows_uk_time_in_summer_and_in_winter():
    assert clock(dt.datetime(2026, 7, 1, 9, 0, tzinfo=UTC)) == "10am"  # BST
    assert clock(dt.datetime(2026, 1, 13, 9, 0, tzinfo=UTC)) == "9am"  # GMT
    assert clock(dt.datetime(2026, 6, 1, 11, 0, tzinfo=UTC)) == "midday"


def test_the_clock_change_moves_the_day_too():
    late = dt.datetime(2026, 5, 31, 23, 30, tzinfo=UTC)  # 12:30am on 1 June in the UK
    assert long_date(late) == "Monday 1 June 2026"
    assert to_london(late).utcoffset() == dt.timedelta(hours=1)
    winter = dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert day_month_year(winter) == "31 December 2026"


def test_a_naive_datetime_is_taken_as_uk_time():
    assert clock(dt.datetime(2026, 7, 1, 10, 0)) == "10am"


def test_dates_have_months_in_full_and_no_leading_zeros():
    day = dt.date(2026, 3, 10)
    assert long_date(day) == "Tuesday 10 March 2026"
    assert short_date(day) == "Tuesday 10 March"
    assert day_month_year(dt.date(2026, 3, 1)) == "1 March 2026"
    assert date_and_time(uk(2026, 3, 10, 14, 30)) == "10 March 2026 at 2:30pm"


def test_ranges_use_to():
    start = uk(2026, 5, 12, 10)
    assert time_range(start, uk(2026, 5, 12, 12)) == "10am to midday"
    assert date_and_time_range(start, uk(2026, 5, 12, 12)) == "Tuesday 12 May 2026, 10am to midday"
    assert date_and_time_range(start) == "Tuesday 12 May 2026, 10am"
    assert time_range(dt.time(9, 30), dt.time(0, 0)) == "9:30am to midnight"


def test_a_range_into_the_next_day_names_both_days():
    start = uk(2026, 6, 3, 19)
    assert date_and_time_range(start, uk(2026, 6, 4, 0)) == (
        "Wednesday 3 June 2026, 7pm to Thursday 4 June 2026, midnight"
    )


def test_a_range_across_the_clock_change_keeps_the_times_on_the_clock():
    # 29 March 2026: the clocks go forward at 1am GMT.
    start = dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 12:30am GMT
    end = dt.datetime(2026, 3, 29, 9, 0, tzinfo=UTC)  # 10am BST
    assert date_and_time_range(start, end) == "Sunday 29 March 2026, 12:30am to 10am"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1234.5"), "£1,234.50"),
        (Decimal("0.4"), "£0.40"),
        (Decimal("12"), "£12.00"),
        (Decimal("1000000"), "£1,000,000.00"),
        (Decimal("-5"), "-£5.00"),
        (Decimal("-1234.56"), "-£1,234.56"),
        (3, "£3.00"),
        ("7.25", "£7.25"),
        (None, "£0.00"),
    ],
)
def test_pounds(amount, expected):
    assert pounds(amount) == expected


def test_rates_below_a_pound_are_in_pence():
    assert pence_or_pounds(Decimal("0.45")) == "45p"
    assert pence_or_pounds(Decimal("0.455")) == "45.5p"
    assert pence_or_pounds(Decimal("1.2")) == "£1.20"


def render(source: str, **context) -> str:
    return Template("{% load formatting %}" + source).render(Context(context))


def test_template_filters_write_the_same_words():
    moment = dt.datetime(2026, 7, 1, 11, 0, tzinfo=UTC)
    assert render("{{ m|long_date }}, {{ m|clock }}", m=moment) == "Wednesday 1 July 2026, midday"
    assert render("{{ m|day_month_year }} / {{ m|short_date }}", m=moment) == "1 July 2026 / Wednesday 1 July"
    assert render("{{ m|date_and_time }}", m=moment) == "1 July 2026 at midday"
    assert render("{{ a|pounds }} {{ r|pence_or_pounds }}", a=Decimal("1234.5"), r=Decimal("0.45")) == "£1,234.50 45p"


def test_template_filters_show_nothing_for_a_missing_value():
    assert render("[{{ m|long_date }}][{{ a|pounds }}][{{ m|clock }}]", m=None, a="") == "[][][]"
