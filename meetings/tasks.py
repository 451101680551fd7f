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
from .models import Meeting, MessageDelivery

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


def _single_outcome(outcomes: dict[str, int]) -> str | None:
    for outcome in (MessageDelivery.Status.SENT, MessageDelivery.Status.FAILED, MessageDelivery.Status.SKIPPED):
        if outcomes.get(outcome):
            return str(outcome)
    return None


@shared_task(**RETRY)
def send_promotion_notice(registration_id: int) -> str | None:
    """Tells someone moved off the waiting list that the place is theirs.

    Sends the promotion message recorded (pending) with the promotion; None if there is none
    left to send (already sent, or they gave the place up again before this ran).
    """
    pending = MessageDelivery.objects.filter(registration_id=registration_id, kind=MessageDelivery.Kind.PROMOTED)
    return _single_outcome(deliveries.send_pending(pending))


@shared_task(**RETRY)
def send_meeting_change_notices(meeting_id: int, change: str) -> dict[str, int]:
    """Tells everyone with a place or on the waiting list that the meeting was cancelled
    (``change="cancelled"``) or moved (``change="changed"``), with an updated calendar entry."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if change not in ("cancelled", "changed"):
        raise ValueError(f"Unknown meeting change {change!r}: expected 'cancelled' or 'changed'.")
    if meeting is None or meeting.starts_at <= timezone.now():
        return {}
    if change == "cancelled":
        if not meeting.is_cancelled:
            return {}
        kind = MessageDelivery.Kind.CANCELLED
    else:
        if meeting.is_cancelled:
            return {}  # the cancellation notice says all there is to say
        kind = MessageDelivery.Kind.CHANGED
    # The notices were recorded (pending) with the change. One notice per version: two quick
    # changes in a row make one email with the latest details (the older one is skipped).
    pending = MessageDelivery.objects.filter(registration__meeting=meeting, kind=kind)
    outcomes = deliveries.send_pending(pending)
    outcomes.pop(deliveries.NO_LONGER_NEEDED, None)
    return outcomes


@shared_task(**RETRY)
def retry_failed_deliveries() -> dict[str, int]:
    """Sends meeting messages left in the outbox (their task was never queued, say because the
    broker was down), tries failed ones again, and reports any left half-sent by a stopped worker."""
    outcomes = deliveries.send_pending()
    for outcome, count in deliveries.retry_failed().items():
        outcomes[outcome] = outcomes.get(outcome, 0) + count
    stale = list(deliveries.stale_deliveries().values_list("pk", flat=True)[:100])
    if stale:
        logger.error(
            "Meeting messages left 'sending' by a worker that stopped mid-send (not resent, "
            "as they may have gone; check and resend by hand if needed): %s",
            stale,
        )
    return outcomes
