"""The figures for a member's certificate of involvement: what they did with the group, with
dates and hours, for a CV or a job application.

It is the member's own document, so it carries their name (the name they go by). It still says
nothing about why they joined: a meeting marked as touching on painful experiences is listed by
its kind ("Focus group"), not its title, because a title can say more than the member wants an
employer to read.

Every list is one query, however long the member has been involved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, Q
from django.utils import timezone

from common.formatting import LONDON
from involvement.models import ProjectMember
from library.models import Credit, ReviewInvitation
from meetings.models import Registration
from members.models import Member, TrainingRecord
from surveys.models import ReviewComment

from . import Progress, stage_counter

HOUR = Decimal(3600)
# The certificate's sections, in order: progress hears each as its figures are worked out.
STAGES = (
    "Summary",
    "Meetings and activities",
    "Resources reviewed and written",
    "Surveys designed",
    "Projects",
    "Training",
    "Confirmation",
)


def hours_text(hours: Decimal) -> str:
    """ "2 hours", "1 hour", "1.5 hours", "0.75 hours"."""
    number = f"{hours.normalize():f}" if hours else "0"
    return f"{number} hour{'' if hours == 1 else 's'}"


@dataclass(frozen=True)
class Activity:
    on: dt.date | None
    title: str
    what: str
    hours: Decimal | None = None

    @property
    def hours_shown(self) -> str:
        return hours_text(self.hours) if self.hours is not None else ""


@dataclass(frozen=True)
class CertificateFigures:
    name: str
    joined_on: dt.date
    start: dt.date
    end: dt.date
    meetings: list[Activity]
    resources: list[Activity]
    surveys: list[Activity]
    projects: list[Activity]
    training: list[Activity]

    @property
    def hours(self) -> Decimal:
        return sum((activity.hours or Decimal(0) for activity in self.meetings), Decimal(0))

    @property
    def hours_shown(self) -> str:
        return hours_text(self.hours)

    @property
    def is_empty(self) -> bool:
        return not (self.meetings or self.resources or self.surveys or self.projects or self.training)


def hours_between(start: dt.datetime, end: dt.datetime) -> Decimal:
    """A meeting's length in hours, to the nearest quarter of an hour."""
    quarters = round(Decimal((end - start).total_seconds()) / HOUR * 4)
    return Decimal(quarters) / 4


def _between(field: str, start: dt.date | None, end: dt.date | None) -> Q:
    """``field`` (a date and time) within the period in UK time; an open end is not a limit."""
    limits = Q()
    if start is not None:
        limits &= Q(**{f"{field}__gte": dt.datetime.combine(start, dt.time.min, tzinfo=LONDON)})
    if end is not None:
        after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=LONDON)
        limits &= Q(**{f"{field}__lt": after})
    return limits


def _within(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    return day is not None and (start is None or start <= day) and (end is None or day <= end)


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


Day = dt.date | None


def meetings(member: Member, start: Day, end: Day, *, now: dt.datetime | None = None) -> list[Activity]:
    """Meetings the member took part in (``Registration.took_part``), with each one's hours."""
    registrations = (
        Registration.objects.took_part(now=now)
        .filter(_between("meeting__starts_at", start, end), member=member)
        .select_related("meeting")
        .only(
            "meeting__title",
            "meeting__kind",
            "meeting__is_sensitive",
            "meeting__starts_at",
            "meeting__ends_at",
        )
        .order_by("meeting__starts_at", "meeting_id")
    )
    return [
        Activity(
            on=_day(registration.meeting.starts_at),
            title=registration.meeting.get_kind_display()
            if registration.meeting.is_sensitive
            else registration.meeting.title,
            what=registration.meeting.get_kind_display(),
            hours=hours_between(registration.meeting.starts_at, registration.meeting.ends_at),
        )
        for registration in registrations
    ]


def resources(member: Member, start: Day, end: Day) -> list[Activity]:
    """Drafts the member reviewed (dated by when they sent their review) and resources they are
    credited with helping to make (dated by first publication; one not published yet only when
    the certificate has no period)."""
    all_time = start is None and end is None
    reviews = list(
        ReviewInvitation.objects.filter(_between("responded_at", start, end), member=member, responded_at__isnull=False)
        .select_related("round__resource")
        .only("responded_at", "round__resource__title")
        .order_by("responded_at", "pk")
    )
    reviewed = {invitation.round.resource_id for invitation in reviews}
    activities = [
        Activity(on=_day(invitation.responded_at), title=invitation.round.resource.title, what="Reviewed a draft")
        for invitation in reviews
    ]
    credits = (
        Credit.objects.filter(member=member)
        .select_related("resource")
        .only("role", "resource__title", "resource__first_published_at")
        .order_by("resource__first_published_at", "pk")
    )
    for credit in credits:
        if credit.role == Credit.Role.REVIEWED and credit.resource_id in reviewed:
            continue  # the review above says it, with its date
        published = _day(credit.resource.first_published_at)
        if not (_within(published, start, end) or (published is None and all_time)):
            continue
        activities.append(Activity(on=published, title=credit.resource.title, what=credit.get_role_display()))
    return sorted(activities, key=lambda activity: (activity.on or dt.date.max, activity.title))


def surveys(member: Member, start: Day, end: Day) -> list[Activity]:
    """Surveys whose questions the member helped design, by commenting in member review."""
    rows = (
        ReviewComment.objects.filter(_between("created_at", start, end), member=member)
        .values("question__section__survey_id", "question__section__survey__title")
        .annotate(first=Min("created_at"), comments=Count("id"))
        .order_by("first", "question__section__survey_id")
    )
    return [
        Activity(
            on=_day(row["first"]),
            title=row["question__section__survey__title"],
            what="Checked the questions before the survey opened",
        )
        for row in rows
    ]


def projects(member: Member, start: Day, end: Day) -> list[Activity]:
    """Projects the member was involved in, where the project's dates overlap the period."""
    overlap = Q()
    if end is not None:
        overlap &= Q(project__started_on__isnull=True) | Q(project__started_on__lte=end)
    if start is not None:
        overlap &= Q(project__completed_on__isnull=True) | Q(project__completed_on__gte=start)
    involvements = (
        ProjectMember.objects.filter(overlap, member=member)
        .select_related("project")
        .only("role", "joined_on", "project__title", "project__started_on")
        .order_by("project__started_on", "project__title", "pk")
    )
    return [
        Activity(
            on=involvement.joined_on or involvement.project.started_on,
            title=involvement.project.title,
            what=involvement.role or "Took part",
        )
        for involvement in involvements
    ]


def training(member: Member, start: Day, end: Day) -> list[Activity]:
    limits = Q()
    if start is not None:
        limits &= Q(completed_on__gte=start)
    if end is not None:
        limits &= Q(completed_on__lte=end)
    records = (
        TrainingRecord.objects.filter(limits, member=member).select_related("course").order_by("completed_on", "pk")
    )
    return [Activity(on=record.completed_on, title=record.course.name, what="Completed") for record in records]


def member_name(member: Member) -> str:
    """The name the member goes by, as they gave it."""
    return member.user.name.strip() or "A member of the group"


def certificate_period(
    member: Member, start: Day, end: Day, *, now: dt.datetime | None = None
) -> tuple[dt.date, dt.date]:
    """The dates a certificate says it covers: as asked, or from joining to today where not given."""
    return start or _day(member.joined_at), end or timezone.localdate(now)


def certificate_figures(
    member: Member,
    start: Day = None,
    end: Day = None,
    *,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> CertificateFigures:
    """What the member did from ``start`` to ``end``; everything they did when not given.
    ``progress`` hears each of `STAGES` as it begins."""
    next_stage = stage_counter(STAGES, progress)
    next_stage()
    shown_start, shown_end = certificate_period(member, start, end, now=now)
    next_stage()
    met = meetings(member, start, end, now=now)
    next_stage()
    reviewed = resources(member, start, end)
    next_stage()
    designed = surveys(member, start, end)
    next_stage()
    involved = projects(member, start, end)
    next_stage()
    trained = training(member, start, end)
    next_stage()
    return CertificateFigures(
        name=member_name(member),
        joined_on=_day(member.joined_at),
        start=shown_start,
        end=shown_end,
        meetings=met,
        resources=reviewed,
        surveys=designed,
        projects=involved,
        training=trained,
    )
