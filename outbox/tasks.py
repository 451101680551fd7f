"""Background jobs of the outbox: send what was queued, sweep up what nobody sent, and remove
old message bodies. Each takes ids or nothing and is safe to run twice at once (a message is
taken with a conditional update; see outbox/sending.py)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import sending
from .models import Message

# Retried with a growing pause (1s, 2s, 4s, … with jitter) when the database is unreachable.
# Sending failures are the outbox's business (recorded on the row), never a task retry.
RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def send_messages(message_ids: list[int]) -> dict[str, int]:
    """Sends messages queued by a change, once it has committed."""
    return sending.send_pending(Message.objects.filter(pk__in=message_ids))


@shared_task(**RETRY)
def sweep_outbox() -> dict[str, int]:
    """Sends messages nobody has sent (their task was never queued, say because the broker was
    down), retries temporary failures, and reports messages held by a stopped worker."""
    return sending.sweep()


@shared_task(**RETRY)
def remove_old_message_bodies() -> int:
    """Keeps the record that a message was sent, without its words, after OUTBOX_KEEP_BODIES_DAYS."""
    return sending.remove_old_bodies()
