"""Background jobs for expense claims: the email to the member when their claim changes status.

``expenses.services`` queues ``send_claim_status_email`` with ``transaction.on_commit`` after
each change. The job takes ids, loads the claim and hands over to ``expenses.emails``.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache
from django.db import InterfaceError, OperationalError

from . import emails
from .models import ExpenseClaim

logger = logging.getLogger(__name__)

# Retried with a growing pause (1s, 2s, 4s, … with jitter) when the database or the mail server
# is unreachable (smtplib's errors are OSErrors).
RETRY = {"autoretry_for": (OperationalError, InterfaceError, OSError), "retry_backoff": True, "max_retries": 5}

# How long a sent claim email is remembered, so a retried or duplicated job does not send it again.
SENT_MEMORY_SECONDS = 60 * 24 * 60 * 60


@shared_task(**RETRY)
def send_claim_status_email(claim_id: int, status: str) -> str:
    """Emails the member that their claim was submitted, queried, approved, rejected or paid.

    Sends nothing if the claim has moved on since (a later email says what matters now), or if
    the member may not be emailed about claims (``can_contact``; taking a break does not stop
    these). The first job to claim the key for this change of status sends; a duplicate or a
    retry after a successful send finds the key taken (``cache.add`` is atomic) and stops. A
    failed send gives the key back, so the retry sends.
    """
    claim = ExpenseClaim.objects.select_related("member", "member__user", "meeting").filter(pk=claim_id).first()
    if claim is None:
        return "no such claim"
    if claim.status != status:
        return "claim has moved on"
    event = emails.latest_event(claim, status)
    key = f"expenses:claim-email:{claim.pk}:{status}:{event.pk if event else 0}"
    if not cache.add(key, "sending", SENT_MEMORY_SECONDS):
        return "already sent"
    try:
        sent = emails.send_claim_status_email(claim, status)
    except Exception:
        cache.delete(key)
        logger.warning("Could not send the %s email for claim %s; it will be retried.", status, claim_id)
        raise
    return "sent" if sent else "member may not be emailed"
