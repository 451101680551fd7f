"""Periodic jobs for meetings: the reminders and debriefs that are due now.

Each run works out from the database what is due (`meetings.due`; no countdowns sit in the
broker), records those messages in the outbox and sends them straight away. Both steps are safe
to run twice at once: the outbox's unique key makes each message once, and a worker takes a
message with one conditional update, so only one run sends it. The jobs are listed in
involvement/schedule.py.

Notices caused by a change (a place comes up, a meeting is cancelled or moved) need no job of
their own: the service records them in its transaction and the outbox sends them after commit
(and its sweep sends anything no task picked up).
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from outbox import sending
from outbox.models import Message

from . import due, messages

# Retried with a growing pause (1s, 2s, 4s, … with jitter) when the database is unreachable.
# Sending failures are the outbox's business (recorded on each message), never a task retry.
RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": True, "max_retries": 5}


def _send_now(ids: list[int]) -> dict[str, int]:
    if not ids:
        return {}
    return sending.send_pending(Message.objects.filter(pk__in=ids))


@shared_task(**RETRY)
def send_due_reminders() -> dict[str, int]:
    """Sends every meeting reminder that is due (at the offsets set in the group profile)."""
    ids: list[int] = []
    for offset, next_offset in due.reminder_offsets():
        registrations = due.due_reminders(offset, next_offset_days=next_offset)
        ids += messages.queue_reminders(registrations, days_before=offset, send_after_commit=False)
    return _send_now(ids)


@shared_task(**RETRY)
def send_due_debriefs() -> dict[str, int]:
    """Sends the after-meeting message (who to talk to, support and crisis lines) once it is due."""
    return _send_now(messages.queue_debriefs(due.due_debriefs(), send_after_commit=False))
