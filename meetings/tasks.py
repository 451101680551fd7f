"""Background jobs for meetings: reminders, debriefs, waiting-list and change notices.

Each job takes ids, loads what it needs and hands over to `meetings.deliveries`, where a
unique delivery record decides who sends each message, so every job is safe to run twice at
once. Periodic jobs find what is due (no long countdowns sit in the broker); they are listed
in involvement/schedule.py. A send that fails is recorded and retried by
`retry_failed_deliveries`; the tasks themselves retry only when the database is
unreachable.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import deliveries
from .models import Meeting, MessageDelivery, Registration

logger = logging.getLogger(__name__)

# Retried with a growing pause (1s, 2s, 4s, … with jitter) when the database is unreachable.
RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def send_due_reminders() -> dict[str, int]:
    """Sends every meeting reminder that is due (at the offsets set in the group profile)."""
    outcomes: dict[str, int] = {}
    for offset, next_offset in deliveries.reminder_offsets():
        due = deliveries.due_reminders(offset, next_offset_days=next_offset)
        for outcome, count in deliveries.deliver_all(due, MessageDelivery.Kind.REMINDER, offset).items():
            outcomes[outcome] = outcomes.get(outcome, 0) + count
    return outcomes


@shared_task(**RETRY)
def send_due_debriefs() -> dict[str, int]:
    """Sends the after-meeting message (who to talk to, support and crisis lines) once it is due."""
    return deliveries.deliver_all(deliveries.due_debriefs(), MessageDelivery.Kind.DEBRIEF)


@shared_task(**RETRY)
def send_promotion_notice(registration_id: int) -> str | None:
    """Tells someone moved off the waiting list that the place is theirs."""
    registration = Registration.objects.select_related("meeting").filter(pk=registration_id).first()
    if registration is None or registration.status != Registration.Status.REGISTERED:
        return None  # they cancelled again before this ran
    meeting = registration.meeting
    if meeting.is_cancelled or meeting.starts_at <= timezone.now():
        return None
    return deliveries.deliver(registration, MessageDelivery.Kind.PROMOTED)


@shared_task(**RETRY)
def send_meeting_change_notices(meeting_id: int, change: str) -> dict[str, int]:
    """Tells everyone with a place or on the waiting list that the meeting was cancelled
    (``change="cancelled"``) or moved (``change="changed"``), with an updated calendar entry."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None or meeting.starts_at <= timezone.now():
        return {}
    if change == "cancelled":
        if not meeting.is_cancelled:
            return {}
        kind, key = MessageDelivery.Kind.CANCELLED, 0
    elif change == "changed":
        if meeting.is_cancelled:
            return {}  # the cancellation notice says all there is to say
        # One notice per version: two quick changes in a row make one email with the latest details.
        kind, key = MessageDelivery.Kind.CHANGED, meeting.sequence
    else:
        raise ValueError(f"Unknown meeting change {change!r}: expected 'cancelled' or 'changed'.")
    return deliveries.deliver_all(deliveries.change_notice_recipients(meeting), kind, key)


@shared_task(**RETRY)
def retry_failed_deliveries() -> dict[str, int]:
    """Tries failed meeting messages again, and reports any left half-sent by a stopped worker."""
    outcomes = deliveries.retry_failed()
    stale = list(deliveries.stale_deliveries().values_list("pk", flat=True)[:100])
    if stale:
        logger.error(
            "Meeting messages left 'sending' by a worker that stopped mid-send (not resent, "
            "as they may have gone; check and resend by hand if needed): %s",
            stale,
        )
    return outcomes
