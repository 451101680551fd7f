"""The figures of the involvement report for a period: `period_figures(start, end)`.

The period runs from ``start`` to ``end`` inclusive, in UK days: from midnight at the start of
``start`` to midnight at the end of ``end``, Europe/London time (times are stored in UTC).
Something "in the period" happened inside those two moments. Anything that has to have
happened already (a meeting that took place, a review round that closed) is also counted only
up to ``now``, so a report on the current quarter does not count tomorrow's meeting.

Every figure is counted in the database with a fixed number of queries, whatever the number
of members, meetings, registrations or responses (a test holds this at two sizes). What goes
to commissioners is already suppressed here: equality, lived-experience and "how they heard"
breakdowns are bar charts from `common.charts` with ``suppress_small=True``, and small counts
of people elsewhere are `common.suppression.cell` values. No name, contact detail or free-text
answer of a member is read, apart from quotes a member currently agrees may be used (never
with a name). `METHODS` says, in plain words, how each figure is counted; the report prints it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from common.charts import BarChart, bar_chart
from common.formatting import day_month_year
from common.suppression import Cell, cell
from expenses import finance
from expenses.models import Category
from library.models import Credit, Resource, ReviewFeedback, ReviewInvitation, ReviewRound
from library.reach import reach_between
from meetings.models import Meeting, Registration
from members.consent import latest_consent_given
from members.models import ConsentText, EqualityMonitoring, Member
from surveys.models import Answer, Choice, Question, Response, ReviewComment, Survey

from ..models import ImpactItem, Project, ProjectMember, Quote, RungChange, rung_label
from . import Progress, stage_counter

ACTIVE = Member.Status.ACTIVE
NOT_ANSWERED = "Not answered"
# Survey questions with one answer per person, whose top answer is a fair "key result".
KEY_RESULT_KINDS = (
    Question.Kind.SINGLE_CHOICE,
    Question.Kind.AGREEMENT,
    Question.Kind.RATING,
    Question.Kind.EXPERIENCE,
)
TOP_RESOURCES = 10
ONE_PLACE = Decimal("0.1")
PENCE = Decimal("0.01")


# --- The figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    active_members: int
    joiners: int
    leavers: int
    meetings_held: int
    meetings_by_kind: tuple[tuple[str, int], ...]
    attendances: int
    people_involved: int
    hours: Decimal  # to one decimal place
    expenses_paid: Decimal
    involvement_payments_paid: Decimal
    claims_paid: int

    @property
    def total_paid(self) -> Decimal:
        return self.expenses_paid + self.involvement_payments_paid


@dataclass(frozen=True)
class MembershipPoint:
    on: dt.date
    active: int


@dataclass(frozen=True)
class Membership:
    points: tuple[MembershipPoint, ...]
    chart: BarChart


@dataclass(frozen=True)
class Breakdown:
    """One suppressed breakdown of people (a chart and its table): ``chart.bars`` hold the
    figures as they may be shown."""

    title: str
    chart: BarChart
    note: str = ""


@dataclass(frozen=True)
class Diversity:
    counted: int  # members active at the end of the period
    relationship: Breakdown
    topics: Breakdown
    equality: tuple[Breakdown, ...]
    equality_answered: Cell


@dataclass(frozen=True)
class MeetingRow:
    label: str
    meetings: int
    places_offered: int  # the capacity of meetings that had a limit
    meetings_without_limit: int
    places_taken: int
    attendances: int
    hours: Decimal

    @property
    def average_attendance(self) -> Decimal:
        if not self.meetings:
            return Decimal("0.0")
        return (Decimal(self.attendances) / self.meetings).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Meetings:
    by_kind: tuple[MeetingRow, ...]
    by_mode: tuple[MeetingRow, ...]
    total: MeetingRow
    cancelled: int


@dataclass(frozen=True)
class ProjectRow:
    title: str
    kind: str
    started_on: dt.date | None
    completed_on: dt.date | None
    rung_at_start: int | None
    rung_at_end: int | None
    rung_target: int
    changes_in_period: int
    members_involved: Cell

    @property
    def rung_at_start_label(self) -> str:
        return rung_label(self.rung_at_start) or "Not recorded"

    @property
    def rung_at_end_label(self) -> str:
        return rung_label(self.rung_at_end) or "Not recorded"

    @property
    def rung_target_label(self) -> str:
        return rung_label(self.rung_target)

    @property
    def movement(self) -> int | None:
        if self.rung_at_start is None or self.rung_at_end is None:
            return None
        return self.rung_at_end - self.rung_at_start

    @property
    def movement_text(self) -> str:
        moved = self.movement
        if moved is None:
            return "Not known"
        if moved == 0:
            return "No change"
        rungs = "rung" if abs(moved) == 1 else "rungs"
        return f"Up {moved} {rungs}" if moved > 0 else f"Down {-moved} {rungs}"


@dataclass(frozen=True)
class ProjectsSummary:
    rows: tuple[ProjectRow, ...]
    moved_up: int
    moved_down: int
    reached_target: int


@dataclass(frozen=True)
class PublishedResource:
    title: str
    format: str
    language: str
    language_code: str  # for the title's lang attribute: the right font and reading direction
    first_published_on: dt.date
    credited: Cell


@dataclass(frozen=True)
class ReviewedResource:
    title: str
    closed_on: dt.date
    reviewers: Cell  # members who sent their review
    points: Cell
    acted_on: Cell  # points that led to a change


@dataclass(frozen=True)
class Reach:
    title: str
    views: int
    downloads: int


@dataclass(frozen=True)
class Library:
    published: tuple[PublishedResource, ...]
    revised: int  # new versions of resources published before
    reviewed: tuple[ReviewedResource, ...]
    reach: tuple[Reach, ...]  # the most viewed, at most TOP_RESOURCES
    resources_read: int
    total_views: int
    total_downloads: int


@dataclass(frozen=True)
class KeyResult:
    question: str
    answered: Cell
    answer: str  # the top answer (answers, if tied); empty when too few answered
    count: Cell
    share: str  # "45%", or empty

    @property
    def shown(self) -> bool:
        return bool(self.answer)


@dataclass(frozen=True)
class SurveyRow:
    title: str
    audience: str
    opened_on: dt.date | None
    closed_on: dt.date | None
    responses: Cell
    key_results: tuple[KeyResult, ...]


@dataclass(frozen=True)
class ImpactRow:
    you_said: str
    we_did: str
    status: str
    closed_on: dt.date
    raised_on: dt.date
    raised_at: str
    why_not_possible: str
    project: str


@dataclass(frozen=True)
class Impact:
    items: tuple[ImpactRow, ...]
    raised: int
    done: int
    not_possible: int
    open_at_end: int


@dataclass(frozen=True)
class QuoteRow:
    text: str
    said_on: dt.date
    about: str


@dataclass(frozen=True)
class PeriodFigures:
    start: dt.date
    end: dt.date
    counted_at: dt.datetime
    headline: Headline
    membership: Membership
    heard_about: Breakdown
    diversity: Diversity
    meetings: Meetings
    projects: ProjectsSummary
    library: Library
    surveys: tuple[SurveyRow, ...]
    impact: Impact
    quotes: tuple[QuoteRow, ...]
    methods: tuple[tuple[str, str], ...]

    @property
    def period_label(self) -> str:
        return f"{day_month_year(self.start)} to {day_month_year(self.end)}"


# --- How each figure is counted (printed at the end of the report) ------------------------

METHODS: tuple[tuple[str, str], ...] = (
    (
        "The period",
        "From the start of the first day to the end of the last day, UK time. "
        "Things that had not happened yet when the report was made are not counted.",
    ),
    (
        "Active members",
        "Members whose status was active at the end of the period. People who had asked to join "
        "but not finished joining, people taking a break and people who had left are not counted. "
        "A member's status on a past date is read from the history of their record.",
    ),
    (
        "Joined",
        "People who signed up to the group during the period, whether or not they have finished joining.",
    ),
    (
        "Left",
        "Members whose status changed to left during the period. This includes people whose "
        "records were erased at their request: they count as leaving on the day they left.",
    ),
    (
        "Meetings held",
        "Meetings and other activities that started in the period and had ended by the time the "
        "report was made. Cancelled meetings are not counted.",
    ),
    (
        "Attendances",
        "Each time a member took part in a meeting held in the period. Where staff took the "
        "register, only people marked as attended. Before the register is taken, everyone who "
        "still had a place. One person at three meetings is three attendances.",
    ),
    (
        "Places offered and taken",
        "Places offered is the number of places at meetings that had a limit. Places taken is the "
        "number of people who had a place (booked, attended or did not come), not the waiting list.",
    ),
    (
        "People involved at least once",
        "Each person counted once if, in the period, they took part in a meeting, sent a review of "
        "a draft resource, answered a survey that asks for names, commented on draft survey "
        "questions, were credited on a resource published in the period, or were involved in a "
        "project that was running. Answers to anonymous surveys cannot be counted here, because "
        "nothing links them to a person.",
    ),
    (
        "Hours of involvement",
        "The length of each meeting (from its start time to its end time), added up for every "
        "person who took part. Time spent on reviews and surveys is not counted, because we do "
        "not know how long it took.",
    ),
    (
        "Expenses and involvement payments",
        "Lines of expense claims marked as paid, with a payment date in the period. Involvement "
        "payments are shown apart from expenses (travel, parking, childcare and other costs).",
    ),
    (
        "Membership over time",
        "Active members at the end of each month in the period, counted as for active members.",
    ),
    (
        "How people heard about the group",
        "The answer given by each person who joined in the period. Each person is in one row.",
    ),
    (
        "Who our members are",
        "Members active at the end of the period. Equality questions are optional and held apart "
        "from names; people may choose several lived-experience topics, so those rows add up to "
        "more than the number of members.",
    ),
    (
        "Small numbers",
        "To protect people's privacy, any count of people from 1 to 4 is shown as 'fewer than 5'. "
        "Where a total would let someone work out a hidden number, a second number is hidden too. "
        "Zero is shown as 0.",
    ),
    (
        "Projects and the ladder",
        "Projects that were running at some time in the period. The rung at the start and end of "
        "the period comes from the record of each move on the ladder. Members involved is a count "
        "only: nobody is named.",
    ),
    (
        "Resources",
        "Co-produced resources are those published for the first time in the period. Reviews are "
        "member review rounds that closed in the period. Views and downloads are counted each "
        "month with nothing kept about the reader; search engines are left out.",
    ),
    (
        "Surveys",
        "Surveys that were open at some time in the period, or received answers in it. Responses "
        "and results count answers sent in the period. The key result of a question is the answer "
        "most people chose, shown only when 5 or more people answered. Written answers are never "
        "included.",
    ),
    (
        "You said, we did",
        "Items that were done, or found not possible, in the period. The words are written by staff.",
    ),
    (
        "Quotes",
        "Only the words of members who agree, at the time the report is made, to their anonymised "
        "words being used in reports. Nobody is named.",
    ),
)


# --- The period and dates -------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    now: dt.datetime

    @property
    def begins(self) -> dt.datetime:
        return local_midnight(self.start)

    @property
    def ends(self) -> dt.datetime:
        """The moment the period ends: midnight at the end of its last day (exclusive)."""
        return local_midnight(self.end + dt.timedelta(days=1))

    @property
    def happened_by(self) -> dt.datetime:
        """The end of the period, or now if that is earlier."""
        return min(self.ends, self.now)

    def days(self) -> tuple[dt.date, dt.date]:
        return (self.start, self.end)

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        return (self.begins, self.ends)


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of a UK day as an aware datetime (BST or GMT as it falls)."""
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day), timezone.get_current_timezone())


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of each month in the period; the period's own last day ends the list."""
    days: list[dt.date] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        days.append(min(last, end))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


# --- Members: status on a date --------------------------------------------------------------


def status_on(moment: dt.datetime) -> Case:
    """An expression: each member's status just before ``moment``.

    The current status if it took effect before then; otherwise the status of the newest
    history row whose status took effect before then (history is kept for every save); and for
    a record with no such row (erasure deletes the history), active if they had finished
    joining by then.
    """
    HistoricalMember = Member.history.model
    earlier = (
        HistoricalMember.objects.filter(id=OuterRef("pk"), status_changed_at__lt=moment)
        .order_by("-status_changed_at", "-history_date", "-history_id")
        .values("status")[:1]
    )
    finished_joining = Case(
        When(onboarding_completed_at__lt=moment, then=Value(ACTIVE.value)),
        default=Value(Member.Status.INTERESTED.value),
        output_field=CharField(),
    )
    return Case(
        When(status_changed_at__lt=moment, then=F("status")),
        default=Coalesce(Subquery(earlier, output_field=CharField()), finished_joining),
        output_field=CharField(),
    )


def active_members_at(moment: dt.datetime) -> QuerySet[Member]:
    """Members who had joined before ``moment`` and were active just before it."""
    return (
        Member.objects.filter(joined_at__lt=moment).annotate(status_then=status_on(moment)).filter(status_then=ACTIVE)
    )


def leavers(period: Period) -> QuerySet[Member]:
    """Members whose status became "left" in the period (now, or in their record's history)."""
    HistoricalMember = Member.history.model
    left = Member.Status.LEFT
    begins, ends = period.moments()
    in_history = HistoricalMember.objects.filter(
        status=left, status_changed_at__gte=begins, status_changed_at__lt=ends
    ).values("id")
    return Member.objects.filter(
        Q(status=left, status_changed_at__gte=begins, status_changed_at__lt=ends) | Q(pk__in=in_history)
    )


# --- Meetings -------------------------------------------------------------------------------


def meetings_held(period: Period) -> QuerySet[Meeting]:
    """Meetings that started in the period and had ended by now, not cancelled."""
    return Meeting.objects.filter(
        starts_at__gte=period.begins, starts_at__lt=period.ends, ends_at__lte=period.now
    ).exclude(status=Meeting.Status.CANCELLED)


def took_part(period: Period) -> QuerySet[Registration]:
    """Each time someone took part in a meeting held in the period."""
    return Registration.objects.took_part(now=period.now).filter(
        meeting__starts_at__gte=period.begins, meeting__starts_at__lt=period.ends
    )


MEETING_LENGTH = ExpressionWrapper(F("meeting__ends_at") - F("meeting__starts_at"), output_field=DurationField())


def _as_duration(value: dt.timedelta | int | None) -> dt.timedelta:
    if value is None:
        return dt.timedelta()
    if not isinstance(value, dt.timedelta):  # SQLite sums durations as microseconds
        return dt.timedelta(microseconds=int(value))
    return value


def _hours(duration: dt.timedelta) -> Decimal:
    return (Decimal(int(duration.total_seconds())) / 3600).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _meetings(period: Period) -> Meetings:
    held = meetings_held(period)
    meeting_rows = held.values("kind", "mode").annotate(
        meetings=Count("pk"),
        places=Sum("capacity"),
        unlimited=Count("pk", filter=Q(capacity__isnull=True)),
    )
    taken_rows = (
        Registration.objects.filter(meeting__in=held, status__in=Registration.HOLDS_PLACE)
        .values("meeting__kind", "meeting__mode")
        .annotate(taken=Count("pk"))
    )
    attended_rows = (
        took_part(period)
        .values("meeting__kind", "meeting__mode")
        .annotate(attendances=Count("pk"), length=Sum(MEETING_LENGTH))
    )
    cells: dict[tuple[str, str], dict] = defaultdict(
        lambda: {"meetings": 0, "places": 0, "unlimited": 0, "taken": 0, "attendances": 0, "length": dt.timedelta()}
    )
    for row in meeting_rows.order_by():
        cell_ = cells[(row["kind"], row["mode"])]
        cell_.update(meetings=row["meetings"], places=row["places"] or 0, unlimited=row["unlimited"])
    for row in taken_rows.order_by():
        cells[(row["meeting__kind"], row["meeting__mode"])]["taken"] = row["taken"]
    for row in attended_rows.order_by():
        cells[(row["meeting__kind"], row["meeting__mode"])].update(
            attendances=row["attendances"], length=_as_duration(row["length"])
        )

    def row_for(label: str, keys) -> MeetingRow:
        chosen = [cells[key] for key in keys if key in cells]
        return MeetingRow(
            label=label,
            meetings=sum(c["meetings"] for c in chosen),
            places_offered=sum(c["places"] for c in chosen),
            meetings_without_limit=sum(c["unlimited"] for c in chosen),
            places_taken=sum(c["taken"] for c in chosen),
            attendances=sum(c["attendances"] for c in chosen),
            hours=_hours(sum((c["length"] for c in chosen), dt.timedelta())),
        )

    keys = list(cells)
    by_kind = tuple(
        row_for(label, [k for k in keys if k[0] == value])
        for value, label in Meeting.Kind.choices
        if any(k[0] == value for k in keys)
    )
    by_mode = tuple(
        row_for(label, [k for k in keys if k[1] == value])
        for value, label in Meeting.Mode.choices
        if any(k[1] == value for k in keys)
    )
    cancelled = Meeting.objects.filter(
        starts_at__gte=period.begins, starts_at__lt=period.ends, status=Meeting.Status.CANCELLED
    ).count()
    return Meetings(by_kind=by_kind, by_mode=by_mode, total=row_for("All meetings", keys), cancelled=cancelled)


# --- People involved ------------------------------------------------------------------------


def projects_running(period: Period) -> QuerySet[Project]:
    """Projects running at some time in the period: started by its end (or, with no start date,
    recorded by then) and not completed before it began."""
    started = Q(started_on__lte=period.end) | Q(started_on__isnull=True, created_at__lt=period.ends)
    not_done = Q(completed_on__isnull=True) | Q(completed_on__gte=period.start)
    return Project.objects.filter(started, not_done)


def _involved_in_projects(period: Period) -> QuerySet[ProjectMember]:
    return ProjectMember.objects.filter(project__in=projects_running(period)).filter(
        Q(joined_on__isnull=True) | Q(joined_on__lte=period.end)
    )


def people_involved(period: Period) -> QuerySet[Member]:
    """Each member involved in any way in the period, once (see METHODS)."""
    begins, ends = period.moments()
    ways = [
        took_part(period).values("member_id"),
        ReviewInvitation.objects.filter(responded_at__gte=begins, responded_at__lt=ends).values("member_id"),
        Response.objects.filter(member__isnull=False, submitted_on__range=period.days()).values("member_id"),
        ReviewComment.objects.filter(member__isnull=False, created_at__gte=begins, created_at__lt=ends).values(
            "member_id"
        ),
        Credit.objects.filter(
            resource__versions__published_at__gte=begins, resource__versions__published_at__lt=ends
        ).values("member_id"),
        _involved_in_projects(period).values("member_id"),
    ]
    condition = Q()
    for way in ways:
        condition |= Q(pk__in=way)
    return Member.objects.filter(condition)


# --- Headline -------------------------------------------------------------------------------


def _money(period: Period) -> tuple[Decimal, Decimal, int]:
    lines = finance.payable_lines(start=period.start, end=period.end, basis=finance.Basis.PAID)
    sums = lines.order_by().aggregate(
        payments=Sum("amount", filter=Q(category=Category.INVOLVEMENT_PAYMENT)),
        expenses=Sum("amount", filter=~Q(category=Category.INVOLVEMENT_PAYMENT)),
        claims=Count("claim", distinct=True),
    )
    # SQLite sums decimals as floats: back to pounds and pence.
    expenses, payments = (Decimal(str(sums[key] or 0)).quantize(PENCE) for key in ("expenses", "payments"))
    return expenses, payments, sums["claims"]


def _people(period: Period) -> dict:
    """The headline figures about people and money (the meetings' figures join them later)."""
    begins, ends = period.moments()
    expenses, payments, claims = _money(period)
    return {
        "active_members": active_members_at(ends).count(),
        "joiners": Member.objects.filter(joined_at__gte=begins, joined_at__lt=ends).count(),
        "leavers": leavers(period).count(),
        "people_involved": people_involved(period).count(),
        "expenses_paid": expenses,
        "involvement_payments_paid": payments,
        "claims_paid": claims,
    }


# --- Membership over time -------------------------------------------------------------------


def _membership(period: Period) -> Membership:
    days = month_ends(period.start, period.end)
    moments = [local_midnight(day + dt.timedelta(days=1)) for day in days]
    # One query: each member's status at every month end, counted in the database.
    members = Member.objects.annotate(**{f"status_{i}": status_on(moment) for i, moment in enumerate(moments)})
    counts = members.aggregate(
        **{
            f"active_{i}": Count("pk", filter=Q(**{f"status_{i}": ACTIVE, "joined_at__lt": moment}))
            for i, moment in enumerate(moments)
        }
    )
    points = tuple(MembershipPoint(on=day, active=counts[f"active_{i}"]) for i, day in enumerate(days))
    chart = bar_chart(
        chart_id="chart-membership",
        title="Active members at the end of each month",
        rows=[(day_month_year(point.on), point.active) for point in points],
        percentages=False,
        label_heading="At the end of",
        count_heading="Active members",
    )
    return Membership(points=points, chart=chart)


# --- Breakdowns of people (suppressed) ------------------------------------------------------


def _choice_rows(counts: dict[str, int], choices, total: int) -> list[tuple[str, int]]:
    """A row per choice (in the order they are asked, "Prefer not to say" as its own row),
    then "Not answered" for everyone else."""
    rows = [(label, counts.get(value, 0)) for value, label in choices]
    rows.append((NOT_ANSWERED, total - sum(count for _, count in rows)))
    return rows


def _breakdown(chart_id: str, title: str, rows, *, total: int, cells_add_up: bool = True, note: str = "") -> Breakdown:
    chart = bar_chart(
        chart_id=chart_id,
        title=title,
        rows=rows,
        total=total,
        suppress_small=True,
        cells_add_up=cells_add_up,
        unit="people",
    )
    return Breakdown(title=title, chart=chart, note=note)


def _counts_by_choice(queryset: QuerySet, field: str, choices) -> tuple[dict[str, int], int]:
    """How many rows have each value of ``field``, and how many rows in all: one query."""
    sums = queryset.aggregate(
        _total=Count("pk"),
        **{f"c_{i}": Count("pk", filter=Q(**{field: value})) for i, (value, _) in enumerate(choices)},
    )
    return {value: sums[f"c_{i}"] for i, (value, _) in enumerate(choices)}, sums["_total"]


def _heard_about(period: Period) -> Breakdown:
    joined = Member.objects.filter(joined_at__gte=period.begins, joined_at__lt=period.ends)
    counts, total = _counts_by_choice(joined, "heard_about", Member.HeardAbout.choices)
    return _breakdown(
        "chart-heard-about",
        "How people who joined in the period heard about the group",
        _choice_rows(counts, Member.HeardAbout.choices, total),
        total=total,
    )


EQUALITY_QUESTIONS = (
    ("age_band", "Age", EqualityMonitoring.AgeBand.choices),
    ("ethnicity", "Ethnic group", EqualityMonitoring.Ethnicity.choices),
    ("disability", "Disability or long-term condition", EqualityMonitoring.YesNo.choices),
    ("sexual_orientation", "Sexual orientation", EqualityMonitoring.SexualOrientation.choices),
    ("religion", "Religion or belief", EqualityMonitoring.Religion.choices),
    ("gender_same_as_birth", "Gender identity the same as sex registered at birth", EqualityMonitoring.YesNo.choices),
)


def _diversity(period: Period) -> Diversity:
    active = active_members_at(period.ends)
    relationships, counted = _counts_by_choice(active, "relationship", Member.Relationship.choices)
    relationship = _breakdown(
        "chart-relationship",
        "Relationship to the service",
        _choice_rows(relationships, Member.Relationship.choices, counted),
        total=counted,
    )

    # Topics are a list per person: each is counted where the list holds it (the JSON text
    # holds it in quotes, so "other" never matches inside another topic's name).
    topic_sums = active.aggregate(
        **{
            f"t_{i}": Count("pk", filter=Q(topics__icontains=f'"{value}"'))
            for i, (value, _) in enumerate(Member.Topic.choices)
        },
        prefer_not=Count("pk", filter=Q(topics_prefer_not=True)),
        none=Count("pk", filter=Q(topics=[], topics_prefer_not=False)),
    )
    topic_rows = [(label, topic_sums[f"t_{i}"]) for i, (_, label) in enumerate(Member.Topic.choices)]
    topic_rows += [("Prefer not to say", topic_sums["prefer_not"]), (NOT_ANSWERED, topic_sums["none"])]
    topics = _breakdown(
        "chart-topics",
        "Lived experience members chose to tell us about",
        topic_rows,
        total=counted,
        cells_add_up=False,
        note="People may choose more than one, so the rows add up to more than the number of members.",
    )

    answers = EqualityMonitoring.objects.filter(key__in=active.values("equality_key"))
    aggregates = {"_answered": Count("pk")}
    for field, _, choices in EQUALITY_QUESTIONS:
        for value, _ in choices:
            aggregates[f"{field}__{value}"] = Count("pk", filter=Q(**{field: value}))
    sums = answers.aggregate(**aggregates)
    equality = tuple(
        _breakdown(
            f"chart-{field.replace('_', '-')}",
            title,
            _choice_rows({value: sums[f"{field}__{value}"] for value, _ in choices}, choices, counted),
            total=counted,
        )
        for field, title, choices in EQUALITY_QUESTIONS
    )
    return Diversity(
        counted=counted,
        relationship=relationship,
        topics=topics,
        equality=equality,
        equality_answered=cell(sums["_answered"]),
    )


# --- Projects -------------------------------------------------------------------------------


def _rung_then(changes: list[RungChange], day: dt.date, fallback: int) -> int | None:
    """The rung at the end of ``day``: the last move on or before it; before the first move,
    where that move started from; with no moves at all, the rung recorded now."""
    before = [change for change in changes if change.changed_on <= day]
    if before:
        return before[-1].rung_to
    if changes:
        return changes[0].rung_from
    return fallback


def _projects(period: Period) -> ProjectsSummary:
    involved = Q(involved__joined_on__isnull=True) | Q(involved__joined_on__lte=period.end)
    projects = (
        projects_running(period)
        .annotate(members_involved=Count("involved", filter=involved, distinct=True))
        .prefetch_related(Prefetch("rung_changes", queryset=RungChange.objects.order_by("changed_on", "pk")))
        .order_by(F("started_on").asc(nulls_last=True), "title", "pk")
    )
    rows = []
    for project in projects:
        changes = list(project.rung_changes.all())
        rows.append(
            ProjectRow(
                title=project.title,
                kind=project.get_kind_display(),
                started_on=project.started_on,
                completed_on=project.completed_on,
                rung_at_start=_rung_then(changes, period.start - dt.timedelta(days=1), project.rung_now),
                rung_at_end=_rung_then(changes, period.end, project.rung_now),
                rung_target=project.rung_target,
                changes_in_period=sum(1 for change in changes if period.start <= change.changed_on <= period.end),
                members_involved=cell(project.members_involved),
            )
        )
    return ProjectsSummary(
        rows=tuple(rows),
        moved_up=sum(1 for row in rows if (row.movement or 0) > 0),
        moved_down=sum(1 for row in rows if (row.movement or 0) < 0),
        reached_target=sum(1 for row in rows if row.rung_at_end is not None and row.rung_at_end >= row.rung_target),
    )


# --- Library --------------------------------------------------------------------------------


ACTED_ON = (ReviewFeedback.Response.CHANGED, ReviewFeedback.Response.CHANGED_DIFFERENTLY)


def _library(period: Period) -> Library:
    begins, ends = period.moments()
    first_published = (
        Resource.objects.filter(first_published_at__gte=begins, first_published_at__lt=ends)
        .annotate(credited=Count("credits", distinct=True))
        .order_by("first_published_at", "title")
    )
    published = tuple(
        PublishedResource(
            title=item.title,
            format=item.get_format_display(),
            language=item.get_language_display(),
            language_code=item.language,
            first_published_on=timezone.localdate(item.first_published_at),
            credited=cell(item.credited),
        )
        for item in first_published
    )
    revised = (
        Resource.objects.filter(versions__published_at__gte=begins, versions__published_at__lt=ends)
        .exclude(first_published_at__gte=begins)
        .distinct()
        .count()
    )
    # A round closes at its deadline, or earlier if staff closed it (ReviewRound.closed_on).
    closed_when = Case(
        When(closed_at__lt=F("deadline"), then=F("closed_at")), default=F("deadline"), output_field=DateTimeField()
    )
    rounds = (
        ReviewRound.objects.annotate(closed_when=closed_when)
        .filter(closed_when__gte=begins, closed_when__lt=period.happened_by)
        .annotate(
            reviewers=Count("invitations", filter=Q(invitations__responded_at__isnull=False), distinct=True),
            points=Count("feedback", distinct=True),
            acted_on=Count("feedback", filter=Q(feedback__response__in=ACTED_ON), distinct=True),
        )
        .select_related("resource")
        .order_by("closed_when", "pk")
    )
    reviewed = tuple(
        ReviewedResource(
            title=item.resource.title,
            closed_on=timezone.localdate(item.closed_when),
            reviewers=cell(item.reviewers),
            points=cell(item.points),
            acted_on=cell(item.acted_on),
        )
        for item in rounds
    )
    reach = reach_between(period.start, period.end)
    return Library(
        published=published,
        revised=revised,
        reviewed=reviewed,
        reach=tuple(Reach(row["title"], row["views"] or 0, row["downloads"] or 0) for row in reach[:TOP_RESOURCES]),
        resources_read=len(reach),
        total_views=sum(row["views"] or 0 for row in reach),
        total_downloads=sum(row["downloads"] or 0 for row in reach),
    )


# --- Surveys --------------------------------------------------------------------------------


def _share(count: int, total: int) -> str:
    return f"{(Decimal(100 * count) / total).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"


def _key_result(question: Question, picked: dict[int, int]) -> KeyResult:
    counts = [(choice.label, picked.get(choice.pk, 0)) for choice in question.choices.all()]
    answered = sum(count for _, count in counts)
    top = max((count for _, count in counts), default=0)
    if answered < 5 or top < 5:
        # Too few answers to show a result without pointing at anyone.
        return KeyResult(question=question.text, answered=cell(answered), answer="", count=cell(top), share="")
    labels = [label for label, count in counts if count == top]
    return KeyResult(
        question=question.text,
        answered=cell(answered),
        answer=" and ".join(labels) + (" (equal)" if len(labels) > 1 else ""),
        count=cell(top),
        share=_share(top, answered),
    )


def _surveys(period: Period) -> tuple[SurveyRow, ...]:
    begins, ends = period.moments()
    in_period = Q(responses__submitted_on__range=period.days())
    window = Q(opened__lt=ends) & (Q(closes_at__gte=begins) | Q(closes_at__isnull=True, status=Survey.Status.OPEN))
    surveys = list(
        Survey.objects.filter(status__in=[Survey.Status.OPEN, Survey.Status.CLOSED])
        .annotate(opened=Coalesce("opens_at", "created_at"), sent=Count("responses", filter=in_period))
        .filter(Q(sent__gt=0) | window)
        .order_by("opened", "title", "pk")
    )
    questions = list(
        Question.objects.filter(section__survey__in=surveys, kind__in=KEY_RESULT_KINDS)
        .select_related("section")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "pk")))
        .order_by("section__order", "section_id", "order", "pk")
    )
    picked = dict(
        Answer.objects.filter(
            question__in=[q.pk for q in questions],
            choice__isnull=False,
            response__submitted_on__range=period.days(),
        )
        .values_list("choice_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_survey: dict[int, list[Question]] = defaultdict(list)
    for question in questions:
        by_survey[question.section.survey_id].append(question)
    return tuple(
        SurveyRow(
            title=survey.title,
            audience=survey.get_audience_display(),
            opened_on=timezone.localdate(survey.opens_at) if survey.opens_at else None,
            closed_on=timezone.localdate(survey.closes_at) if survey.closes_at else None,
            responses=cell(survey.sent),
            key_results=tuple(_key_result(question, picked) for question in by_survey[survey.pk]),
        )
        for survey in surveys
    )


# --- You said, we did, and quotes -----------------------------------------------------------


def _impact(period: Period) -> Impact:
    items = (
        ImpactItem.objects.filter(status__in=ImpactItem.CLOSED, closed_on__range=period.days())
        .select_related("project")
        .order_by("closed_on", "pk")
    )
    rows = tuple(
        ImpactRow(
            you_said=item.you_said,
            we_did=item.we_did,
            status=item.get_status_display(),
            closed_on=item.closed_on,
            raised_on=item.raised_on,
            raised_at=item.get_source_display(),
            why_not_possible=item.why_not_possible if item.status == ImpactItem.Status.NOT_POSSIBLE else "",
            project=item.project.title if item.project else "",
        )
        for item in items
    )
    closed_in_period = Q(status__in=ImpactItem.CLOSED, closed_on__range=period.days())
    counts = ImpactItem.objects.aggregate(
        raised=Count("pk", filter=Q(raised_on__range=period.days())),
        done=Count("pk", filter=closed_in_period & Q(status=ImpactItem.Status.DONE)),
        not_possible=Count("pk", filter=closed_in_period & Q(status=ImpactItem.Status.NOT_POSSIBLE)),
        open_at_end=Count(
            "pk", filter=Q(raised_on__lte=period.end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=period.end))
        ),
    )
    return Impact(items=rows, **counts)


def quotes_allowed() -> QuerySet[Quote]:
    """Quotes whose member agrees now to their anonymised words being used (the newest
    decision counts, so a withdrawal takes effect at once), from members not erased."""
    agreeing = (
        Member.objects.filter(erased_at__isnull=True)
        .annotate(words=latest_consent_given(ConsentText.Purpose.ANONYMISED_WORDS))
        .filter(words=True)
    )
    return Quote.objects.filter(member__in=agreeing.values("pk"))


def _quotes(period: Period) -> tuple[QuoteRow, ...]:
    quotes = (
        quotes_allowed()
        .filter(said_on__range=period.days())
        .select_related("project", "impact_item")
        .order_by("said_on", "pk")
    )
    return tuple(
        QuoteRow(
            text=quote.text,
            said_on=quote.said_on,
            about=quote.project.title if quote.project else "",
        )
        for quote in quotes
    )


# --- All of it ------------------------------------------------------------------------------

# The stages of counting, in the order the report shows them: a progress callback hears each.
STAGES = (
    "Headline figures",
    "Membership over time",
    "How people heard about the group",
    "Who our members are",
    "Meetings and attendance",
    "Projects and the ladder of co-production",
    "Resources co-produced and reviewed",
    "Surveys",
    "You said, we did",
)


def period_figures(
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> PeriodFigures:
    """Every figure of the involvement report for ``start`` to ``end`` (inclusive, UK days).

    ``progress(n, total, title)`` is called as each stage of `STAGES` begins (n from 1).
    """
    if end < start:
        raise ValueError("The end of the period must be on or after its start.")
    period = Period(start=start, end=end, now=now or timezone.now())
    next_stage = stage_counter(STAGES, progress)
    next_stage()
    people = _people(period)
    next_stage()
    membership = _membership(period)
    next_stage()
    heard_about = _heard_about(period)
    next_stage()
    diversity = _diversity(period)
    next_stage()
    meetings = _meetings(period)
    next_stage()
    projects = _projects(period)
    next_stage()
    library = _library(period)
    next_stage()
    surveys = _surveys(period)
    next_stage()
    impact = _impact(period)
    quotes = _quotes(period)
    return PeriodFigures(
        start=start,
        end=end,
        counted_at=period.now,
        headline=Headline(
            **people,
            meetings_held=meetings.total.meetings,
            meetings_by_kind=tuple((row.label, row.meetings) for row in meetings.by_kind),
            attendances=meetings.total.attendances,
            hours=meetings.total.hours,
        ),
        membership=membership,
        heard_about=heard_about,
        diversity=diversity,
        meetings=meetings,
        projects=projects,
        library=library,
        surveys=surveys,
        impact=impact,
        quotes=quotes,
        methods=METHODS,
    )
