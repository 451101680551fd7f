"""The one schedule of periodic background jobs, read by Celery beat.

Each entry has a readable name; later features add theirs here so the whole
timetable is visible in one place.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "record-scheduler-heartbeat": {
        "task": "involvement.tasks.record_heartbeat",
        "schedule": 60.0,
    },
    "clear-expired-sessions": {
        "task": "involvement.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
}
