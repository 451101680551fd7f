"""Plan the year: a run of meetings from a rule, such as "every second month, second Tuesday, 10:00 to 12:00".

The coordinators' page for it is ``meetings/admin_plan_year.py``.

`plan_series` is a pure function: it returns the dates (with their Europe/London times) and why
any date was moved, and saves nothing, so staff can review the plan before `create_series`
stores it. A date that falls on a bank holiday moves to the same weekday a week later. Bank holidays
differ across the UK, so the group profile says which nation's apply (England and Wales, Scotland
or Northern Ireland).
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
from dataclasses import dataclass, field

import holidays
from django.db import transaction
from django.utils import timezone

from common.formatting import LONDON, time_range
from common.group import group_profile
from members.models import User

from .models import Meeting, MeetingSeries, Venue

LAST_WEEK = -1
WEEK_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth", LAST_WEEK: "last"}
EVERY_N_MONTHS_NAMES = {
    1: "Every month",
    2: "Every second month",
    3: "Every third month",
    4: "Every fourth month",
    6: "Every sixth month",
}


@dataclass(frozen=True)
class PlannedMeeting:
    """One date in a plan; `moved_because` names the bank holidays it was moved away from."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    rule_date: datetime.date
    moved_because: tuple[str, ...] = field(default=())

    @property
    def date(self) -> datetime.date:
        return self.starts_at.date()

    @property
    def was_moved(self) -> bool:
        return bool(self.moved_because)

    @property
    def moved_note(self) -> str:
        if not self.moved_because:
            return ""
        weeks = "a week" if len(self.moved_because) == 1 else f"{len(self.moved_because)} weeks"
        return f"Moved {weeks} later because of {' and '.join(self.moved_because)}"


def nth_weekday(year: int, month: int, weekday: int, week_of_month: int) -> datetime.date:
    """The first, second, third, fourth (1–4) or last (-1) given weekday (Monday is 0) of a month."""
    if week_of_month == LAST_WEEK:
        last_day = calendar.monthrange(year, month)[1]
        day = datetime.date(year, month, last_day)
        return day - datetime.timedelta(days=(day.weekday() - weekday) % 7)
    if week_of_month not in (1, 2, 3, 4):
        raise ValueError("week_of_month must be 1, 2, 3, 4 or -1 (the last)")
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week_of_month - 1))


# The nations the group profile offers, as the `holidays` package names them.
NATIONS = {"ENG": "England and Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
DEFAULT_NATION = "ENG"


def group_nation() -> str:
    """The nation whose bank holidays the group keeps, from the group profile."""
    profile = group_profile()
    nation = getattr(profile, "uk_nation", DEFAULT_NATION)
    return nation if nation in NATIONS else DEFAULT_NATION


def bank_holidays(years: range, nation: str = DEFAULT_NATION) -> holidays.HolidayBase:
    """Bank holidays in one UK nation (from the `holidays` package: no network needed)."""
    if nation not in NATIONS:
        raise ValueError(f"nation must be one of {', '.join(NATIONS)}")
    return holidays.UK(subdiv=nation, years=list(years))


def _london(day: datetime.date, at: datetime.time) -> datetime.datetime:
    # zoneinfo picks the right offset for the day, so 10:00 is 10:00 on the clock in BST and GMT.
    return datetime.datetime.combine(day, at, tzinfo=LONDON)


def plan_series(
    start: datetime.date,
    months: int = 12,
    every_n_months: int = 2,
    weekday: int = 1,
    week_of_month: int = 2,
    start_time: datetime.time = datetime.time(10),
    end_time: datetime.time = datetime.time(12),
    skip_bank_holidays: bool = True,
    nation: str = DEFAULT_NATION,
) -> list[PlannedMeeting]:
    """The meetings a rule gives over `months` months, starting with the month of `start`.

    Takes the `week_of_month`-th `weekday` (Monday is 0, Tuesday 1; -1 for the last one) of every
    `every_n_months`-th month. Dates before `start` are left out (so a plan made mid-month does not
    put a meeting in the past). A bank holiday moves the meeting to the same weekday a week later,
    again if that is a holiday too, and the plan records which holidays it moved for.
    """
    if months < 1 or every_n_months < 1:
        raise ValueError("months and every_n_months must be at least 1")
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    if end_time <= start_time:
        raise ValueError("end_time must be after start_time")
    last_year = start.year + (start.month - 1 + months - 1) // 12
    # One year more than the plan covers: a date moved a week on can cross into January.
    holiday_names = bank_holidays(range(start.year, last_year + 2), nation) if skip_bank_holidays else {}
    planned = []
    for offset in range(0, months, every_n_months):
        year, month_index = divmod(start.month - 1 + offset, 12)
        rule_date = nth_weekday(start.year + year, month_index + 1, weekday, week_of_month)
        day = rule_date
        moved_because: list[str] = []
        while day in holiday_names:
            moved_because.append(holiday_names.get(day))
            day += datetime.timedelta(weeks=1)
        if day < start:
            continue
        planned.append(
            PlannedMeeting(
                starts_at=_london(day, start_time),
                ends_at=_london(day, end_time),
                rule_date=rule_date,
                moved_because=tuple(moved_because),
            )
        )
    return planned


def describe_rule(
    *,
    every_n_months: int,
    week_of_month: int,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    first_month: datetime.date,
    months: int,
    skip_bank_holidays: bool,
) -> str:
    """The rule in words, stored on the series: "Every second month, second Tuesday, 10am to midday…"."""
    every = EVERY_N_MONTHS_NAMES.get(every_n_months, f"Every {every_n_months} months")
    words = (
        f"{every}, {WEEK_NAMES[week_of_month]} {calendar.day_name[weekday]}, "
        f"{time_range(start_time, end_time)}, for {months} months from {first_month:%B %Y}"
    )
    if skip_bank_holidays:
        words += "; a week later when it falls on a bank holiday"
    return words


def plan_signature(planned: list[PlannedMeeting]) -> str:
    """A short fingerprint of a plan, so a save can check it is the plan that was previewed."""
    text = "|".join(f"{p.starts_at.isoformat()}/{p.ends_at.isoformat()}" for p in planned)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@transaction.atomic
def create_series(
    *,
    title: str,
    rule: str,
    planned: list[PlannedMeeting],
    created_by: User | None,
    kind: str = Meeting.Kind.GROUP_MEETING,
    mode: str = Meeting.Mode.IN_PERSON,
    venue: Venue | None = None,
    online_link: str = "",
    capacity: int | None = None,
    debrief_lead_name: str = "",
    debrief_lead_contact: str = "",
) -> MeetingSeries:
    """Saves a reviewed plan: the series and all its meetings, or nothing at all."""
    series = MeetingSeries.objects.create(title=title, rule=rule, created_by=created_by)
    meetings = [
        Meeting(
            series=series,
            kind=kind,
            title=title,
            # Django stores aware datetimes in UTC; the London offset of each date is kept.
            starts_at=p.starts_at,
            ends_at=p.ends_at,
            mode=mode,
            venue=venue,
            online_link=online_link,
            capacity=capacity,
            debrief_lead_name=debrief_lead_name,
            debrief_lead_contact=debrief_lead_contact,
        )
        for p in planned
    ]
    for meeting in meetings:
        meeting.full_clean(exclude=["series"])
        # save() rather than bulk_create, so each meeting's history starts with its creation.
        meeting.save()
    return series


def clashes(planned: list[PlannedMeeting]) -> dict[datetime.date, str]:
    """Meetings already on the planned days (one query), so a plan is not saved twice by mistake."""
    if not planned:
        return {}
    days = {p.date for p in planned}
    existing = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED,
        starts_at__gte=planned[0].starts_at.replace(hour=0, minute=0),
        starts_at__lt=planned[-1].ends_at.replace(hour=23, minute=59),
    ).only("title", "starts_at")
    found = {}
    for meeting in existing:
        day = timezone.localtime(meeting.starts_at).date()
        if day in days:
            found[day] = f"Already a meeting that day: {meeting.title}"
    return found
