"""The one schedule of periodic background jobs, read by Celery beat.

Each entry has a readable name; later features add theirs here so the whole
timetable is visible in one place.
"""

from celery.schedules import crontab

from involvement.env import env_int

# How often beat records its heartbeat (reported by /healthz). The default suits every real
# deployment; the embedded-jobs test shortens it to prove beat fires within seconds.
SCHEDULER_HEARTBEAT_SECONDS = env_int("SCHEDULER_HEARTBEAT_SECONDS", 60, minimum=1)

BEAT_SCHEDULE = {
    "record-scheduler-heartbeat": {
        "task": "involvement.tasks.record_heartbeat",
        "schedule": float(SCHEDULER_HEARTBEAT_SECONDS),
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
