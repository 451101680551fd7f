"""Checks behind /healthz: can we reach the database and the message broker?"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection

from .celery import app as celery_app

logger = logging.getLogger(__name__)

HEARTBEAT_CACHE_KEY = "involvement:scheduler-heartbeat"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return "unavailable"
    return "ok"


def broker_status(timeout: float = 2.0) -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
            # For Redis, opening the connection sends nothing; a PING proves the server answers.
            client = getattr(conn.default_channel, "client", None)
            if client is not None:
                client.ping()
    except Exception as exc:  # kombu raises transport-specific errors
        logger.warning("Health check: broker unreachable: %s", exc)
        return "unavailable"
    return "ok"


def last_scheduler_heartbeat() -> str | None:
    """When beat last ran a job, if the cache can say; informational, never fails the check."""
    try:
        return cache.get(HEARTBEAT_CACHE_KEY)
    except Exception as exc:  # the production cache is Redis, which may be the thing that is down
        logger.warning("Health check: cache unreachable: %s", exc)
        return None
