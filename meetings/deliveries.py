"""Meeting messages sent exactly once: who is due a message, and the claim that decides who sends it.

Every message to a registration has one `MessageDelivery` row, unique on (registration, kind,
key). A worker *claims* the message by inserting that row; the database lets exactly one
insert succeed, so two workers running the same job at the same moment, or a job retried
after a crash, never send twice. Only the claimant sends, then records the outcome:

- ``sent``;
- ``skipped`` when `can_contact` says no (consent withdrawn, a break, left, no email address);
- ``failed`` with the error when the mail server refuses. `retry_failed_deliveries` takes a
  failed row back with a conditional update (only one worker can move it from failed to
  sending) and tries again with a growing pause, up to `MAX_ATTEMPTS`, and only while the
  message still makes sense (a reminder never goes after the meeting has started).

A worker that dies between claiming and recording leaves the row in ``sending``. It is not
sent again automatically — whether it went is unknown, and the rule is never twice — but it
stays visible in the admin ("Needs checking"), `stale_deliveries()` lists it for the retry job
to log, and a coordinator can "Send again" (`resend`) once they have checked.

Messages caused by a change someone makes (a place coming up, a meeting cancelled or moved)
use an *outbox*: the service saves a ``pending`` row in the same transaction as the change
(`queue`), and a task queued on commit sends it. If the broker is down the change still
stands, and the periodic retry job sends pending rows nobody has sent (`send_pending`). Taking
a pending row is the same conditional update as taking back a failed one, so it goes once.
See docs/decisions/0005-meeting-messages-exactly-once.md.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from members.consent import ContactPurpose, can_contact
from members.models import Channel

from . import emails
from .models import Meeting, MessageDelivery, Registration

logger = logging.getLogger(__name__)

Kind = MessageDelivery.Kind
Status = MessageDelivery.Status

# Debriefs are not sent for meetings that ended longer ago than this (a worker that was down
# for a week should not send a week-old "how are you after the meeting").
DEBRIEF_WINDOW = dt.timedelta(days=3)
MAX_ATTEMPTS = 5
# The pause before retry n is RETRY_BASE_DELAY * 2**(n-1): 5, 10, 20, 40 minutes.
RETRY_BASE_DELAY = dt.timedelta(minutes=5)
# A claim still "sending" after this long belonged to a worker that stopped mid-send.
STALE_AFTER = dt.timedelta(minutes=30)


def _group_profile():
    return import_string(settings.EMAIL_CONTEXT_FUNCTION)()["group_profile"]


# --- Sending one message ----------------------------------------------------------------------


def _send_reminder(registration: Registration, key: int) -> None:
    emails.send_reminder(registration, days_before=key)


SENDERS: dict[str, Callable[[Registration, int], None]] = {
    Kind.REMINDER: _send_reminder,
    Kind.DEBRIEF: lambda registration, key: emails.send_debrief(registration),
    Kind.PROMOTED: lambda registration, key: emails.send_promotion_notice(registration),
    Kind.CANCELLED: lambda registration, key: emails.send_cancellation_notice(registration),
    Kind.CHANGED: lambda registration, key: emails.send_change_notice(registration),
}


def queue(registration: Registration, kind: str, key: int = 0) -> None:
    """Records a message to send (outbox), in the caller's transaction. Nothing is sent here.
    A message already recorded under the same key is left as it is."""
    queue_all([registration], kind, key)


def queue_all(registrations: Iterable[Registration], kind: str, key: int = 0) -> None:
    """Records the same message for each registration, in one insert."""
    rows = [
        MessageDelivery(registration=registration, kind=kind, key=key, status=Status.PENDING, attempts=0)
        for registration in registrations
    ]
    MessageDelivery.objects.bulk_create(rows, ignore_conflicts=True)


def claim(registration: Registration, kind: str, key: int = 0) -> MessageDelivery | None:
    """Takes the right to send this message, or None if someone already has it."""
    try:
        with transaction.atomic():
            return MessageDelivery.objects.create(registration=registration, kind=kind, key=key)
    except IntegrityError:
        return None


def _finish(delivery: MessageDelivery, **fields) -> None:
    MessageDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(**fields)
    for field, value in fields.items():
        setattr(delivery, field, value)


def send_claimed(delivery: MessageDelivery) -> str:
    """Sends a message this worker has claimed (its row is ``sending``) and records the outcome."""
    registration = Registration.objects.select_related("member__user", "meeting__venue").get(
        pk=delivery.registration_id
    )
    if not can_contact(registration.member, ContactPurpose.MEETINGS, Channel.EMAIL):
        _finish(delivery, status=Status.SKIPPED, last_error="")
        logger.info("Meeting message %s not sent: no consent to contact, or not contactable", delivery.pk)
        return Status.SKIPPED
    try:
        SENDERS[delivery.kind](registration, delivery.key)
    except Exception as exc:  # a refused or broken send must be recorded, whatever raised it
        _finish(delivery, status=Status.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:500])
        if delivery.attempts >= MAX_ATTEMPTS:
            logger.error(
                "Meeting message %s (%s) failed %s times and will not be tried again; "
                "check it in the admin and use 'Send again' when the problem is fixed: %s",
                delivery.pk,
                delivery.kind,
                delivery.attempts,
                exc,
            )
        else:
            logger.warning("Meeting message %s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc)
        return Status.FAILED
    _finish(delivery, status=Status.SENT, sent_at=timezone.now(), last_error="")
    return Status.SENT


def deliver(registration: Registration, kind: str, key: int = 0) -> str | None:
    """Sends one message exactly once. Returns the outcome, or None if another worker has it."""
    delivery = claim(registration, kind, key)
    if delivery is None:
        return None
    return send_claimed(delivery)


def deliver_all(registrations: Iterable[Registration], kind: str, key: int = 0) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    for registration in registrations:
        outcome = str(deliver(registration, kind, key) or "claimed elsewhere")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


# --- Who is due what --------------------------------------------------------------------------


def _without_delivery(queryset: QuerySet[Registration], kind: str, key: int) -> QuerySet[Registration]:
    delivered = MessageDelivery.objects.filter(registration=OuterRef("pk"), kind=kind, key=key)
    return queryset.filter(~Exists(delivered))


def due_reminders(offset_days: int, *, next_offset_days: int = 0, now: dt.datetime | None = None):
    """Registrations due the reminder ``offset_days`` before their meeting, not yet claimed.

    A reminder is due from ``offset_days`` before the start. If the worker was down, a late
    reminder still goes until the next (smaller) reminder falls due — then only that one goes —
    and never once the meeting has started. Someone who took their place after a reminder fell
    due does not get it (they have just seen the details, and the next reminder will come).
    """
    now = now or timezone.now()
    offset = dt.timedelta(days=offset_days)
    registrations = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        meeting__status=Meeting.Status.SCHEDULED,
        meeting__starts_at__gt=now + dt.timedelta(days=next_offset_days),
        meeting__starts_at__lte=now + offset,
        status_changed_at__lte=F("meeting__starts_at") - offset,
    )
    return _without_delivery(registrations, Kind.REMINDER, offset_days).select_related("meeting", "member__user")


def reminder_offsets() -> list[tuple[int, int]]:
    """(offset, the next smaller offset or 0) for each reminder the group profile asks for."""
    offsets = _group_profile().reminder_offsets  # largest first
    return list(zip(offsets, [*offsets[1:], 0], strict=True))


def due_debriefs(*, now: dt.datetime | None = None) -> QuerySet[Registration]:
    """Registrations due their debrief message, not yet claimed.

    The message goes ``debrief_delay_minutes`` after a meeting ends (and not for meetings that
    ended more than three days ago), to everyone registered — or, once attendance is taken,
    only to those who came.
    """
    now = now or timezone.now()
    delay = dt.timedelta(minutes=_group_profile().debrief_delay_minutes)
    registrations = Registration.objects.filter(
        meeting__status=Meeting.Status.SCHEDULED,
        meeting__ends_at__lte=now - delay,
        meeting__ends_at__gt=now - DEBRIEF_WINDOW,
    )
    before_attendance = Q(
        meeting__attendance_taken_at__isnull=True,
        status__in=[Registration.Status.REGISTERED, Registration.Status.ATTENDED],
    )
    after_attendance = Q(meeting__attendance_taken_at__isnull=False, status=Registration.Status.ATTENDED)
    registrations = registrations.filter(before_attendance | after_attendance)
    return _without_delivery(registrations, Kind.DEBRIEF, 0).select_related("meeting", "member__user")


def change_notice_recipients(meeting: Meeting) -> QuerySet[Registration]:
    """Everyone with a place or on the waiting list."""
    return meeting.registrations.filter(
        status__in=[*Registration.HOLDS_PLACE, Registration.Status.WAITING]
    ).select_related("member__user")


# --- Retrying ----------------------------------------------------------------------------------


def _still_timely(delivery: MessageDelivery, now: dt.datetime) -> bool:
    """Whether a failed message is still worth sending."""
    registration = delivery.registration
    meeting = registration.meeting
    if delivery.kind == Kind.DEBRIEF:
        return meeting.ends_at > now - DEBRIEF_WINDOW
    if delivery.kind == Kind.CANCELLED:
        return meeting.is_cancelled and meeting.starts_at > now
    if meeting.is_cancelled or meeting.starts_at <= now:
        return False
    if delivery.kind == Kind.CHANGED:
        # A later change has its own notice with the latest details; this one is out of date.
        if delivery.key < meeting.sequence and _has_later_change_notice(delivery):
            return False
        return registration.status in (*Registration.HOLDS_PLACE, Registration.Status.WAITING)
    if delivery.kind == Kind.PROMOTED and delivery.key != registration.promotions:
        return False  # an earlier promotion, since given up: only the latest is news
    return registration.status == Registration.Status.REGISTERED  # reminders and promotions


def _has_later_change_notice(delivery: MessageDelivery) -> bool:
    return MessageDelivery.objects.filter(
        registration_id=delivery.registration_id, kind=Kind.CHANGED, key__gt=delivery.key
    ).exists()


def _retry_due_at(delivery: MessageDelivery) -> dt.datetime:
    return delivery.claimed_at + RETRY_BASE_DELAY * 2 ** (delivery.attempts - 1)


def _take(delivery: MessageDelivery, now: dt.datetime, **still) -> bool:
    """Moves a message to "sending" for this worker, only if it is ``still`` as this worker saw
    it: one conditional update, so of two workers at most one takes it."""
    taken = MessageDelivery.objects.filter(pk=delivery.pk, **still).update(
        status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    if taken:
        delivery.status = Status.SENDING
        delivery.attempts += 1
        delivery.claimed_at = now
    return taken == 1


def reclaim(delivery: MessageDelivery, *, now: dt.datetime | None = None) -> bool:
    """Takes a failed message back for another try, if it is still failed with the attempts
    this worker saw."""
    return _take(delivery, now or timezone.now(), status=Status.FAILED, attempts=delivery.attempts)


def retry_failed(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Tries again every failed message whose pause is over and which still makes sense."""
    now = now or timezone.now()
    outcomes: dict[str, int] = {}
    failed = MessageDelivery.objects.filter(status=Status.FAILED, attempts__lt=MAX_ATTEMPTS).select_related(
        "registration__meeting"
    )
    for delivery in failed.order_by("claimed_at")[:500]:
        if _retry_due_at(delivery) > now or not _still_timely(delivery, now):
            continue
        if not reclaim(delivery, now=now):
            continue
        outcome = str(send_claimed(delivery))
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _take_pending(delivery: MessageDelivery, now: dt.datetime) -> bool:
    """Takes a pending message to send it, if it is still pending."""
    return _take(delivery, now, status=Status.PENDING)


NO_LONGER_NEEDED = "no longer needed"


def send_pending(
    pending: QuerySet[MessageDelivery] | None = None, *, now: dt.datetime | None = None
) -> dict[str, int]:
    """Sends recorded (outbox) messages nobody has sent yet, each exactly once.

    A message that no longer makes sense (the place was given up again, the meeting has
    started or was cancelled, a later change superseded it) is marked skipped, with the reason.
    """
    now = now or timezone.now()
    if pending is None:
        pending = MessageDelivery.objects.all()
    pending = pending.filter(status=Status.PENDING).select_related("registration__meeting")
    outcomes: dict[str, int] = {}
    for delivery in pending.order_by("claimed_at", "pk")[:500]:
        if not _still_timely(delivery, now):
            outcome = NO_LONGER_NEEDED
            MessageDelivery.objects.filter(pk=delivery.pk, status=Status.PENDING).update(
                status=Status.SKIPPED, last_error="Not sent: no longer needed by the time it was due."
            )
        elif _take_pending(delivery, now):
            outcome = str(send_claimed(delivery))
        else:
            outcome = "claimed elsewhere"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


# --- Sending again by hand --------------------------------------------------------------------

RESENDABLE = (Status.FAILED, Status.SENDING, Status.PENDING)


def resend(delivery: MessageDelivery, *, now: dt.datetime | None = None) -> str | None:
    """A coordinator's "Send again" for one message that failed (also after the last automatic
    attempt), was left "sending" by a stopped worker, or never left the outbox.

    Takes the row with the same conditional update as `reclaim` (status, attempts and claim
    time as they were seen), so two clicks or a retry job running at the same moment send it once. A
    message still being sent (claimed less than `STALE_AFTER` ago) is left alone. Returns the
    outcome, or None if it could not be taken.
    """
    now = now or timezone.now()
    if delivery.status not in RESENDABLE:
        return None
    if delivery.status == Status.SENDING and delivery.claimed_at > now - STALE_AFTER:
        return None
    seen = {"status": delivery.status, "attempts": delivery.attempts, "claimed_at": delivery.claimed_at}
    if not _take(delivery, now, **seen):
        return None
    return send_claimed(delivery)


def needs_checking(*, now: dt.datetime | None = None) -> QuerySet[MessageDelivery]:
    """Messages a person should look at: stuck "sending", or failed with no tries left."""
    now = now or timezone.now()
    return MessageDelivery.objects.filter(
        Q(status=Status.SENDING, claimed_at__lt=now - STALE_AFTER)
        | Q(status=Status.FAILED, attempts__gte=MAX_ATTEMPTS)
    )


def stale_deliveries(*, now: dt.datetime | None = None) -> QuerySet[MessageDelivery]:
    """Claims left "sending" by a worker that stopped mid-send (in the last few days)."""
    now = now or timezone.now()
    return MessageDelivery.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - STALE_AFTER, claimed_at__gt=now - dt.timedelta(days=3)
    )
