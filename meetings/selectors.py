"""Reading meetings and a member's own registrations for the member pages.

Meetings themselves are public (the group says openly when and where it meets), so the
meeting lookups return the same rows to everyone. Registrations are only ever fetched *for a
given member*, so one member can never read or change another's by construction. Who may see
the joining link and the minutes is decided in ``meetings.access``.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from members.models import Member

from .models import Meeting, Registration

# A place, or a place in the queue: what a member can still give up, and what stops them signing up again.
ACTIVE = (Registration.Status.REGISTERED, Registration.Status.WAITING)

# The registrations "My meetings" lists.
COMING_UP = (Registration.Status.REGISTERED,)
WAITING = (Registration.Status.WAITING,)
BEEN_TO = (Registration.Status.ATTENDED,)


def upcoming_meetings() -> QuerySet[Meeting]:
    """Meetings that have not finished yet, soonest first (cancelled ones too, marked as such)."""
    return Meeting.objects.filter(ends_at__gt=timezone.now()).select_related("venue").order_by("starts_at", "pk")


def past_meetings() -> QuerySet[Meeting]:
    """Meetings that took place, most recent first. Cancelled meetings are left out."""
    return (
        Meeting.objects.filter(ends_at__lte=timezone.now(), status=Meeting.Status.SCHEDULED)
        .select_related("venue")
        .order_by("-starts_at", "-pk")
    )


def get_meeting(pk: int) -> Meeting:
    """Any meeting by id (they are public), or 404."""
    return get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)


def get_registration_for_member(member: Member | None, meeting: Meeting) -> Registration | None:
    """The member's own registration for this meeting, if they have one."""
    if member is None:
        return None
    return Registration.objects.filter(member=member, meeting=meeting).first()


def registrations_by_meeting(member: Member | None, meetings) -> dict[int, Registration]:
    """The member's own registrations for the given meetings (one query), keyed by meeting id."""
    if member is None:
        return {}
    ids = [meeting.pk for meeting in meetings]
    if not ids:
        return {}
    return {
        registration.meeting_id: registration
        for registration in Registration.objects.filter(member=member, meeting_id__in=ids)
    }


def _earlier_in_queue() -> Subquery:
    """How many people joined the same waiting list before this registration did."""
    earlier = (
        Registration.objects.filter(meeting=OuterRef("meeting"), status=Registration.Status.WAITING)
        .filter(
            Q(waiting_since__lt=OuterRef("waiting_since"))
            | Q(waiting_since=OuterRef("waiting_since"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("meeting")
        .annotate(ahead=Count("pk"))
        .values("ahead")
    )
    return Subquery(earlier)


def with_waiting_position(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotates `waiting_position` (1 is next in line) in the same query."""
    return registrations.annotate(waiting_position=Coalesce(_earlier_in_queue(), Value(0)) + 1)


def waiting_position(registration: Registration) -> int | None:
    """Where the member is on the waiting list (1 is next), or None if they are not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    return with_waiting_position(Registration.objects.filter(pk=registration.pk)).values_list(
        "waiting_position", flat=True
    )[0]


def member_registrations(member: Member, statuses, *, upcoming: bool) -> QuerySet[Registration]:
    """A member's own registrations with the given statuses, with their meetings and venues."""
    now = timezone.now()
    registrations = Registration.objects.filter(member=member, status__in=statuses).select_related(
        "meeting", "meeting__venue"
    )
    if upcoming:
        return registrations.filter(meeting__ends_at__gt=now).order_by("meeting__starts_at", "pk")
    return registrations.filter(meeting__ends_at__lte=now).order_by("-meeting__starts_at", "-pk")
