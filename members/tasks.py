"""Background jobs for members: the welcome email to someone a coordinator registered.

The admin queues `send_welcome_email` with `transaction.on_commit` once the registration is
saved, so the page answers without waiting for the mail server, and no email goes out for a
registration that was rolled back. The job takes an id, loads the member and hands over to
`members.emails`.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import emails
from .models import Member

# Retried with a growing pause (1s, 2s, 4s, … with jitter) when the database or the mail server
# is unreachable (smtplib's errors are OSErrors).
RETRY = {"autoretry_for": (OperationalError, InterfaceError, OSError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def send_welcome_email(member_id: int) -> str:
    """Sends the welcome email with its set-password link, once.

    A conditional update on `welcome_email_sent_at` decides which run sends, so a duplicate or
    a retry after a successful send stops; a failed send gives the claim back before the retry.
    """
    member = Member.objects.select_related("user").filter(pk=member_id).first()
    if member is None or member.erased_at or not member.user.email:
        return "nothing to send"
    if not Member.objects.filter(pk=member_id, welcome_email_sent_at__isnull=True).update(
        welcome_email_sent_at=timezone.now()
    ):
        return "already sent"
    try:
        emails.send_welcome_email(member)
    except Exception:
        Member.objects.filter(pk=member_id).update(welcome_email_sent_at=None)
        raise
    return "sent"
