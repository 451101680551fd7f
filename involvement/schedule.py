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
    # Meetings: each run finds what is due and is safe to run twice (see meetings/deliveries.py),
    # so a run dropped because the worker was busy or down loses nothing.
    "send-meeting-reminders": {
        "task": "meetings.tasks.send_due_reminders",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},  # a run still queued when the next is due is dropped
    },
    "send-meeting-debriefs": {
        "task": "meetings.tasks.send_due_debriefs",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},  # a run still queued when the next is due is dropped
    },
    "retry-failed-meeting-messages": {
        "task": "meetings.tasks.retry_failed_deliveries",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},  # a run still queued when the next is due is dropped
    },
}
