"""Group-wide periodic jobs. Each is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.core import management
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import report_runs
from .health import HEARTBEAT_CACHE_KEY


@shared_task
def ping() -> str:
    """Answers "pong": lets a deployment check that a worker takes and finishes tasks."""
    return "pong"


@shared_task
def record_heartbeat() -> str:
    """Notes when the scheduler last ran a job, reported by /healthz."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    return now


@shared_task
def clear_expired_sessions() -> None:
    """Removes sessions that have timed out, so the session table does not grow for ever."""
    management.call_command("clearsessions")


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def make_report(run_id: int) -> str:
    """Makes one asked-for report (`involvement.report_runs.make_report`); safe to run twice."""
    return report_runs.make_report(run_id)
