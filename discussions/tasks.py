"""The periodic job for the group feed: digests for the last finished day and week.

Each run works out the last finished day and week in London (`alerts.last_finished_periods`),
records a digest for each member who may have something in it, and sends them. Safe to run any
number of times, also twice at once: the period is the digest's key in the outbox, so each
member gets one digest per period, and a worker takes a message with one conditional update.
Listed in involvement/schedule.py (hourly, so a run missed while the worker was down is made
up by the next).
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from outbox import sending
from outbox.models import Message

from . import messages
from .alerts import last_finished_periods

RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def send_digests() -> dict[str, int]:
    """Records and sends the daily and weekly digests that are due."""
    ids: list[int] = []
    for frequency, start in last_finished_periods():
        ids += messages.queue_digests(frequency=frequency, start=start, send_after_commit=False)
    if not ids:
        return {}
    return sending.send_pending(Message.objects.filter(pk__in=ids))
