"""Planning the year: the dates a rule gives, bank holidays, and UK time across the clock changes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meetings.models import Meeting, MeetingSeries
from meetings.plan_year import LAST_WEEK, create_series, describe_rule, nth_weekday, plan_series, plan_signature
from meetings.tests.factories import VenueFactory

UTC = dt.UTC
MONDAY, TUESDAY, FRIDAY = 0, 1, 4


def test_twelve_months_of_second_tuesdays():
    planned = plan_series(dt.date(2026, 1, 1), months=12, every_n_months=1)

    assert [p.date for p in planned] == [
        dt.date(2026, 1, 13),
        dt.date(2026, 2, 10),
        dt.date(2026, 3, 10),
        dt.date(2026, 4, 14),
        dt.date(2026, 5, 12),
        dt.date(2026, 6, 9),
        dt.date(2026, 7, 14),
        dt.date(2026, 8, 11),
        dt.date(2026, 9, 8),
        dt.date(2026, 10, 13),
        dt.date(2026, 11, 10),
        dt.date(2026, 12, 8),
    ]
    assert all(p.date.weekday() == TUESDAY and 8 <= p.date.day <= 14 for p in planned)
    assert not any(p.was_moved for p in planned)


def test_the_default_rule_is_every_second_month_on_the_second_tuesday_from_ten_to_twelve():
    planned = plan_series(dt.date(2026, 1, 1))

    assert [p.date.month for p in planned] == [1, 3, 5, 7, 9, 11]
    assert all(p.date.weekday() == TUESDAY for p in planned)
    assert [(p.starts_at.hour, p.ends_at.hour) for p in planned] == [(10, 12)] * 6


def test_a_meeting_on_the_early_may_bank_holiday_moves_to_the_next_monday():
    # The first Monday in May 2026 is the Early May bank holiday.
    planned = plan_series(dt.date(2026, 1, 1), every_n_months=2, weekday=MONDAY, week_of_month=1)

    may = next(p for p in planned if p.rule_date.month == 5)
    assert may.rule_date == dt.date(2026, 5, 4)
    assert may.date == dt.date(2026, 5, 11)
    assert may.was_moved
    assert may.moved_because == ("May Day",)
    assert may.moved_note == "Moved a week later because of May Day"
    # The other months are not moved.
    assert [p.date for p in planned if p is not may] == [
        dt.date(2026, 1, 5),
        dt.date(2026, 3, 2),
        dt.date(2026, 7, 6),
        dt.date(2026, 9, 7),
        dt.date(2026, 11, 2),
    ]


def test_christmas_day_then_new_years_day_moves_the_meeting_two_weeks():
    # The fourth Friday of December 2026 is Christmas Day; a week later is New Year's Day.
    planned = plan_series(dt.date(2026, 12, 1), months=1, weekday=FRIDAY, week_of_month=4)

    assert len(planned) == 1
    assert planned[0].rule_date == dt.date(2026, 12, 25)
    assert planned[0].date == dt.date(2027, 1, 8)
    assert planned[0].moved_because == ("Christmas Day", "New Year's Day")
    assert planned[0].moved_note == "Moved 2 weeks later because of Christmas Day and New Year's Day"


def test_the_last_monday_of_may_is_the_spring_bank_holiday_and_moves_into_june():
    planned = plan_series(dt.date(2026, 5, 1), months=1, weekday=MONDAY, week_of_month=LAST_WEEK)

    assert planned[0].rule_date == dt.date(2026, 5, 25)
    assert planned[0].date == dt.date(2026, 6, 1)
    assert planned[0].moved_because == ("Spring Bank Holiday",)


def test_bank_holidays_can_be_kept():
    planned = plan_series(dt.date(2026, 5, 1), months=1, weekday=MONDAY, week_of_month=1, skip_bank_holidays=False)

    assert planned[0].date == dt.date(2026, 5, 4)
    assert not planned[0].was_moved


def test_ten_oclock_in_london_is_nine_utc_in_july_and_ten_utc_in_january():
    planned = plan_series(dt.date(2026, 1, 1), months=12, every_n_months=6)

    january, july = planned
    assert january.date == dt.date(2026, 1, 13)
    assert january.starts_at.astimezone(UTC).time() == dt.time(10)
    assert january.ends_at.astimezone(UTC).time() == dt.time(12)
    assert july.date == dt.date(2026, 7, 14)
    assert july.starts_at.astimezone(UTC).time() == dt.time(9)
    assert july.ends_at.astimezone(UTC).time() == dt.time(11)


def test_a_series_across_the_clock_change_keeps_the_same_time_on_the_clock():
    # The clocks go forward on 29 March 2026 and back on 25 October 2026.
    planned = plan_series(dt.date(2026, 3, 1), months=8, every_n_months=1, weekday=TUESDAY, week_of_month=LAST_WEEK)

    assert {p.starts_at.hour for p in planned} == {10}
    utc_hours = {p.date: p.starts_at.astimezone(UTC).hour for p in planned}
    assert utc_hours[dt.date(2026, 3, 31)] == 9
    assert utc_hours[dt.date(2026, 10, 27)] == 10


def test_dates_before_the_start_are_left_out():
    # Planned on 20 January: January's second Tuesday (13th) has gone.
    planned = plan_series(dt.date(2026, 1, 20), months=3, every_n_months=1)

    assert [p.date for p in planned] == [dt.date(2026, 2, 10), dt.date(2026, 3, 10)]


def test_nth_weekday():
    assert nth_weekday(2026, 2, TUESDAY, 1) == dt.date(2026, 2, 3)
    assert nth_weekday(2026, 2, TUESDAY, 4) == dt.date(2026, 2, 24)
    assert nth_weekday(2026, 3, TUESDAY, LAST_WEEK) == dt.date(2026, 3, 31)
    with pytest.raises(ValueError):
        nth_weekday(2026, 3, TUESDAY, 5)


def test_a_rule_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        plan_series(dt.date(2026, 1, 1), start_time=dt.time(12), end_time=dt.time(10))


def test_the_rule_in_words():
    words = describe_rule(
        every_n_months=2,
        week_of_month=2,
        weekday=TUESDAY,
        start_time=dt.time(10),
        end_time=dt.time(12),
        first_month=dt.date(2026, 1, 1),
        months=12,
        skip_bank_holidays=True,
    )
    assert words == (
        "Every second month, second Tuesday, 10am to midday, for 12 months from January 2026; "
        "a week later when it falls on a bank holiday"
    )


def test_the_signature_changes_with_the_plan():
    assert plan_signature(plan_series(dt.date(2026, 1, 1))) == plan_signature(plan_series(dt.date(2026, 1, 1)))
    assert plan_signature(plan_series(dt.date(2026, 1, 1))) != plan_signature(
        plan_series(dt.date(2026, 1, 1), start_time=dt.time(11), end_time=dt.time(13))
    )


@pytest.mark.django_db
def test_saving_a_plan_stores_the_series_and_its_meetings_in_utc(coordinator):
    venue = VenueFactory()
    planned = plan_series(dt.date(2026, 1, 1))

    saved = create_series(
        title="Group meeting",
        rule="Every second month",
        planned=planned,
        created_by=coordinator,
        venue=venue,
        capacity=20,
    )

    meetings = list(Meeting.objects.filter(series=saved).order_by("starts_at"))
    assert len(meetings) == 6
    assert {m.venue for m in meetings} == {venue}
    assert {m.capacity for m in meetings} == {20}
    assert saved.created_by == coordinator
    july = meetings[3]
    july.refresh_from_db()
    assert july.starts_at == dt.datetime(2026, 7, 14, 9, tzinfo=UTC)
    january = meetings[0]
    assert january.starts_at == dt.datetime(2026, 1, 13, 10, tzinfo=UTC)
    assert january.history.count() == 1


@pytest.mark.django_db
def test_a_plan_that_cannot_be_saved_saves_nothing(coordinator):
    with pytest.raises(ValidationError):
        create_series(
            title="Group meeting",
            rule="Every second month",
            planned=plan_series(dt.date(2026, 1, 1)),
            created_by=coordinator,
            capacity=0,
        )

    assert not MeetingSeries.objects.exists()
    assert not Meeting.objects.exists()


def test_a_scottish_bank_holiday_moves_the_meeting_only_in_scotland():
    # The first Monday in August is a bank holiday in Scotland only (England's is the last Monday).
    first_monday_of_august = {"months": 1, "every_n_months": 1, "weekday": MONDAY, "week_of_month": 1}
    scotland = plan_series(dt.date(2027, 8, 1), nation="SCT", **first_monday_of_august)
    england = plan_series(dt.date(2027, 8, 1), **first_monday_of_august)

    assert [p.date for p in scotland] == [dt.date(2027, 8, 9)]
    assert scotland[0].moved_note == "Moved a week later because of Summer Bank Holiday"
    assert [p.date for p in england] == [dt.date(2027, 8, 2)]
    assert not england[0].was_moved


def test_st_andrews_day_moves_a_scottish_meeting_and_northern_ireland_keeps_its_own_holidays():
    last_tuesday_of_november = {"months": 1, "every_n_months": 1, "weekday": TUESDAY, "week_of_month": LAST_WEEK}

    (scotland,) = plan_series(dt.date(2027, 11, 1), nation="SCT", **last_tuesday_of_november)
    (northern_ireland,) = plan_series(dt.date(2027, 11, 1), nation="NIR", **last_tuesday_of_november)

    assert scotland.date == dt.date(2027, 12, 7)
    assert "Saint Andrew's Day" in scotland.moved_note
    assert northern_ireland.date == dt.date(2027, 11, 30)


def test_an_unknown_nation_is_refused():
    with pytest.raises(ValueError, match="nation must be one of"):
        plan_series(dt.date(2027, 1, 1), nation="XYZ")
