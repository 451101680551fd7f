"""Periodic jobs for the library (listed in involvement/schedule.py).

- `send_review_reminders` (hourly): the one reminder to each reviewer who has not sent feedback,
  when the deadline is close. Exactly once per reviewer: the outbox keeps one message per
  invitation, and a message is taken for sending by one conditional update.
- `send_review_due_notices` (weekly, Monday morning): moves published resources whose review date
  has come to "due for review", and sends coordinators the list of resources due or overdue.
  Exactly once a week per coordinator: the message key is the ISO week.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from outbox import sending
from outbox.models import Message

from . import due, messages, services

RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": True, "max_retries": 5}


def _send_now(ids: list[int]) -> dict[str, int]:
    if not ids:
        return {}
    return sending.send_pending(Message.objects.filter(pk__in=ids))


@shared_task(**RETRY)
def send_review_reminders() -> dict[str, int]:
    """Reminds reviewers whose deadline is near and who have not sent feedback yet."""
    return _send_now(messages.queue_reminders(due.due_review_reminders(), send_after_commit=False))


@shared_task(**RETRY)
def send_review_due_notices() -> dict[str, int]:
    """Marks resources due for review and tells coordinators which are due or overdue."""
    services.mark_due_for_review()
    return _send_now(messages.queue_review_due_notices(send_after_commit=False))
