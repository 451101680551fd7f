"""The writes that matter for meetings: registering, the waiting list, cancelling, attendance.

Every function that changes who holds a place locks the meeting row first
(`select_for_update`), so two members taking the last place at the same moment leave exactly
one registered and one waiting. The meeting's `registered_count` and `waiting_count` are kept
in step inside the same transaction, so pages can show them without counting.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from members.models import Member

from . import messages
from .models import Meeting, Registration, Venue


class RegistrationError(Exception):
    """Why a registration change cannot be made, in words a member can read."""


class AttendanceError(RegistrationError):
    """Why attendance cannot be recorded, in words a coordinator can read."""


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _refuse_if_closed(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise RegistrationError("This meeting has been cancelled.")
    if meeting.starts_at <= timezone.now():
        raise RegistrationError("This meeting has already started, so your place can no longer be changed here.")


def _refresh_counts(meeting: Meeting) -> None:
    counts = meeting.registrations.aggregate(
        registered=Count("id", filter=Q(status__in=Registration.HOLDS_PLACE)),
        waiting=Count("id", filter=Q(status=Registration.Status.WAITING)),
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        registered_count=counts["registered"], waiting_count=counts["waiting"]
    )
    meeting.registered_count = counts["registered"]
    meeting.waiting_count = counts["waiting"]


def needs_from_profile(member: Member) -> dict:
    """A registration's needs, prefilled from the member's access needs.

    Needs the registration form has no box for (large print, Easy Read, anything else the member
    wrote on their profile) go into "anything else", so the coordinator still sees them.
    """
    other = []
    if member.needs_large_print:
        other.append("Large print")
    if member.needs_easy_read:
        other.append("Easy Read")
    if member.access_other.strip():
        other.append(member.access_other.strip())
    return {
        "needs_childcare": member.needs_childcare,
        "needs_bsl": member.needs_bsl,
        "interpreter_language": member.interpreter_language if member.needs_interpreter else "",
        "needs_step_free": member.needs_step_free,
        "other_needs": "\n".join(other),
    }


@transaction.atomic
def register_for_meeting(*, member: Member, meeting: Meeting, needs: dict | None = None) -> Registration:
    """Takes a place, or a place on the waiting list when the meeting is full.

    Registering again after cancelling or sending apologies reuses the same record.
    """
    meeting = _lock(meeting)
    _refuse_if_closed(meeting)
    if member.has_left or member.erased_at:
        raise RegistrationError("You have left the group, so you cannot sign up for meetings.")
    registration = Registration.objects.filter(meeting=meeting, member=member).first()
    if registration and registration.status in (*Registration.HOLDS_PLACE, Registration.Status.WAITING):
        # Already holding a place (or queueing for one): keep it, never send them to the back of
        # the queue. "Did not attend" before the start can only be left over from an early save
        # of attendance; they still have their place.
        if registration.status == Registration.Status.NO_SHOW:
            registration.status = Registration.Status.REGISTERED
            registration.status_changed_at = timezone.now()
        if needs is not None:
            for field, value in needs.items():
                setattr(registration, field, value)
        registration.save()
        return registration
    full = meeting.capacity is not None and meeting.registered_count >= meeting.capacity
    now = timezone.now()
    fields = {
        **(needs if needs is not None else needs_from_profile(member)),
        "status": Registration.Status.WAITING if full else Registration.Status.REGISTERED,
        "waiting_since": now if full else None,
        "status_changed_at": now,
    }
    if registration is None:
        registration = Registration.objects.create(meeting=meeting, member=member, **fields)
    else:
        for field, value in fields.items():
            setattr(registration, field, value)
        registration.save()
    _refresh_counts(meeting)
    return registration


@transaction.atomic
def send_apologies(*, member: Member, meeting: Meeting) -> Registration:
    """Says the member cannot come. Frees their place (if they had one) for the next person waiting."""
    meeting = _lock(meeting)
    _refuse_if_closed(meeting)
    registration, _ = Registration.objects.get_or_create(
        meeting=meeting, member=member, defaults={"status": Registration.Status.APOLOGIES}
    )
    had_place = registration.status in Registration.HOLDS_PLACE
    registration.status = Registration.Status.APOLOGIES
    registration.waiting_since = None
    registration.status_changed_at = timezone.now()
    registration.save()
    if had_place:
        _promote(meeting)
    _refresh_counts(meeting)
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration) -> Registration | None:
    """Cancels a place or a place on the waiting list. Returns whoever was moved into the freed place."""
    meeting = _lock(registration.meeting)
    _refuse_if_closed(meeting)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in (*Registration.HOLDS_PLACE, Registration.Status.WAITING):
        return None
    had_place = registration.status in Registration.HOLDS_PLACE
    registration.status = Registration.Status.CANCELLED
    registration.waiting_since = None
    registration.status_changed_at = timezone.now()
    registration.save()
    promoted = _promote(meeting) if had_place else None
    _refresh_counts(meeting)
    return promoted


def _promote(meeting: Meeting) -> Registration | None:
    """Moves the first person waiting into a free place and tells them (after commit)."""
    if meeting.is_cancelled or meeting.starts_at <= timezone.now():
        return None
    holding = meeting.registrations.filter(status__in=Registration.HOLDS_PLACE).count()
    if meeting.capacity is not None and holding >= meeting.capacity:
        return None
    first = (
        meeting.registrations.select_for_update()
        .filter(status=Registration.Status.WAITING)
        .order_by("waiting_since", "id")
        .first()
    )
    if first is None:
        return None
    first.status = Registration.Status.REGISTERED
    first.waiting_since = None
    first.status_changed_at = timezone.now()
    # Each promotion is its own message (key = this count), so a second one is told too.
    first.promotions += 1
    first.save(update_fields=["status", "waiting_since", "status_changed_at", "promotions"])
    # Recorded with the promotion, in the same transaction; the outbox sends it after commit.
    messages.queue_promotion_notice(first)
    return first


@transaction.atomic
def promote_from_waiting_list(*, meeting: Meeting) -> list[Registration]:
    """Fills every free place from the waiting list (after capacity is raised, say)."""
    meeting = _lock(meeting)
    promoted = []
    while (registration := _promote(meeting)) is not None:
        promoted.append(registration)
    _refresh_counts(meeting)
    return promoted


def has_started(meeting: Meeting, *, now=None) -> bool:
    return meeting.starts_at <= (now or timezone.now())


@transaction.atomic
def record_attendance(*, meeting: Meeting, attended: Iterable[int]) -> bool:
    """Marks who came (by registration id). Returns whether the register is now complete.

    Before the meeting starts, people can be ticked as they arrive: those ticked are marked
    attended and everyone else keeps their place as registered (unticking someone puts them
    back). Only once it has started does "not ticked" mean "did not attend": before then,
    marking someone absent would take away their joining link and their place.
    """
    meeting = _lock(meeting)
    if meeting.is_cancelled:
        raise AttendanceError("This meeting was cancelled, so there is no attendance to take.")
    attended = set(attended)
    now = timezone.now()
    holding = meeting.registrations.filter(status__in=Registration.HOLDS_PLACE)
    ticked = holding.filter(pk__in=attended).exclude(status=Registration.Status.ATTENDED)
    ticked.update(status=Registration.Status.ATTENDED, status_changed_at=now)
    not_ticked = holding.exclude(pk__in=attended)
    complete = has_started(meeting, now=now)
    absent = Registration.Status.NO_SHOW if complete else Registration.Status.REGISTERED
    not_ticked.exclude(status=absent).update(status=absent, status_changed_at=now)
    if complete:
        # From now on the debrief goes only to those who came (see due.due_debriefs).
        Meeting.objects.filter(pk=meeting.pk).update(attendance_taken_at=now)
        meeting.attendance_taken_at = now
    _refresh_counts(meeting)
    return complete


@transaction.atomic
def mark_attendance(*, registration: Registration, attended: bool) -> Registration:
    """Marks one person as attended or as did not attend (the admin's actions use this).

    Anyone with a place can be marked attended, also before the start (as they arrive).
    "Did not attend" is refused until the meeting has started. Waiting, apologies and
    cancelled registrations are refused: they had no place to attend.
    """
    meeting = _lock(registration.meeting)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if meeting.is_cancelled:
        raise AttendanceError("This meeting was cancelled, so there is no attendance to take.")
    if registration.status not in Registration.HOLDS_PLACE:
        raise AttendanceError(
            f"{registration.member} did not have a place ({registration.get_status_display().lower()})."
        )
    if not attended and not has_started(meeting):
        raise AttendanceError("This meeting has not started yet, so nobody can be marked as not attending.")
    status = Registration.Status.ATTENDED if attended else Registration.Status.NO_SHOW
    if registration.status != status:
        registration.status = status
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at"])
    return registration


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, reason: str = "") -> Meeting:
    """Cancels a meeting; everyone registered or waiting is told (by email with an updated
    calendar entry, and by text if they chose it)."""
    meeting = _lock(meeting)
    if meeting.is_cancelled:
        return meeting
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancellation_reason = reason
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancelled_at", "cancellation_reason", "sequence", "updated_at"])
    messages.queue_cancellation_notices(meeting)
    return meeting


@transaction.atomic
def change_meeting(*, meeting: Meeting, **changes) -> Meeting:
    """Moves a meeting (time, place, joining link). Registrants are told, with an updated calendar entry."""
    meeting = _lock(meeting)
    changed = {field for field, value in changes.items() if getattr(meeting, field) != value}
    for field in changed:
        setattr(meeting, field, changes[field])
    if changed:
        meeting.full_clean()
        meeting.sequence += 1
        meeting.save()
        messages.queue_change_notices(meeting)
    return meeting


@transaction.atomic
def bump_calendar_sequence(*, meeting: Meeting) -> Meeting:
    """Bumps the calendar SEQUENCE after a change to something the .ics shows that is not a
    move (the kind, what to bring, the joining notes), so calendar apps take the new version.
    Nobody is emailed: the details are on the meeting page and in the next reminder."""
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
    meeting.sequence = Meeting.objects.values_list("sequence", flat=True).get(pk=meeting.pk)
    return meeting


# What the calendar (.ics) LOCATION shows of a venue (see calendar.calendar_location).
VENUE_CALENDAR_FIELDS = ("name", "address", "postcode")


def venue_details_changed(*, venue: Venue) -> int:
    """Bumps the calendar SEQUENCE of every meeting still to come at a venue whose name or
    address was corrected, so calendar apps show the new location. Returns how many."""
    return Meeting.objects.filter(
        venue=venue, status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now()
    ).update(sequence=F("sequence") + 1)


def publish_minutes(*, meeting: Meeting) -> bool:
    """Publishes a meeting's minutes so members can read them. False if there are none to publish."""
    if not meeting.minutes.strip():
        return False
    if meeting.minutes_are_published:
        return True
    meeting.minutes_status = Meeting.MinutesStatus.PUBLISHED
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes_status", "minutes_published_at", "updated_at"])
    return True
