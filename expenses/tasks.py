"""Background jobs for expense claims: the email to the member when their claim changes status.

``expenses.services`` queues ``send_claim_status_email`` with ``transaction.on_commit`` after
each change. The job takes ids, loads the claim and hands over to ``expenses.emails``.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.db.models import Q
from django.utils import timezone

from . import emails
from .models import ClaimEmail, ExpenseClaim

logger = logging.getLogger(__name__)

# Retried with a growing pause (1s, 2s, 4s, … with jitter) when the database or the mail server
# is unreachable (smtplib's errors are OSErrors).
RETRY = {"autoretry_for": (OperationalError, InterfaceError, OSError), "retry_backoff": True, "max_retries": 5}

# A job that took an email and then died (the worker was killed mid-send) gives it up after this,
# so a later retry can send it. Far longer than any real send.
ABANDONED_AFTER = dt.timedelta(minutes=15)

State = ClaimEmail.State


def _take(delivery: ClaimEmail) -> bool:
    """True if this job now owns the sending of the email: one conditional UPDATE, so of two
    jobs running at once exactly one gets it (never a check-then-act in Python)."""
    now = timezone.now()
    free = Q(state=State.PENDING) | Q(state=State.SENDING, started_at__lt=now - ABANDONED_AFTER)
    return ClaimEmail.objects.filter(free, pk=delivery.pk).update(state=State.SENDING, started_at=now) == 1


@shared_task(**RETRY)
def send_claim_status_email(claim_id: int, status: str) -> str:
    """Emails the member that their claim was submitted, queried, approved, rejected or paid.

    Sends nothing if the claim has moved on since (a later email says what matters now), or if
    the member may not be emailed about claims (``can_contact``; taking a break does not stop
    these). Each change of status (a ClaimEvent) has one ClaimEmail row, unique per event; the
    job that takes it with a conditional update sends, and a duplicate or a retry after a
    successful send finds it taken or sent and stops. A failed send gives it back, so the retry
    sends.
    """
    claim = ExpenseClaim.objects.select_related("member", "member__user", "meeting").filter(pk=claim_id).first()
    if claim is None:
        return "no such claim"
    if claim.status != status:
        return "claim has moved on"
    event = emails.latest_event(claim, status)
    if event is None:
        # Every change of state made by expenses.services is recorded; without a record there is
        # nothing to hang "sent once" on, so say nothing rather than risk repeating ourselves.
        logger.warning("Claim %s is %s with no recorded change: no email sent.", claim_id, status)
        return "no change recorded"
    delivery, _ = ClaimEmail.objects.get_or_create(event=event)
    if not _take(delivery):
        return "already sent"
    try:
        sent = emails.send_claim_status_email(claim, status)
    except Exception:
        ClaimEmail.objects.filter(pk=delivery.pk).update(state=State.PENDING, started_at=None)
        logger.warning("Could not send the %s email for claim %s; it will be retried.", status, claim_id)
        raise
    ClaimEmail.objects.filter(pk=delivery.pk).update(
        state=State.SENT if sent else State.NOT_SENT, finished_at=timezone.now()
    )
    return "sent" if sent else "member may not be emailed"
