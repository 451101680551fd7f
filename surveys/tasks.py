"""Periodic job for surveys: the nightly re-write of anonymous responses (surveys.anonymity).

Reminders are not a job: a coordinator sends the one reminder from the survey's invitations
page (or the admin action), and the outbox's key makes it once per member.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .anonymity import rewrite_anonymous_responses

RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def rewrite_anonymous_survey_responses() -> int:
    """Re-writes anonymous responses sent before today as new rows in random order."""
    return rewrite_anonymous_responses()
