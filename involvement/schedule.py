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
    # The outbox: sends what no task picked up, retries what may work now, and reports
    # messages held by a worker that stopped (see outbox/sending.py).
    "sweep-outbox": {
        "task": "outbox.tasks.sweep_outbox",
        "schedule": 60.0,
        "options": {"expires": 50},  # a run still queued when the next is due is dropped
    },
    "remove-old-message-bodies": {
        "task": "outbox.tasks.remove_old_message_bodies",
        "schedule": crontab(hour=3, minute=30),
    },
    # Meetings: each run finds the reminders and debriefs due and records them in the outbox
    # (see meetings/due.py and meetings/tasks.py); safe to run twice, so a run dropped because
    # the worker was busy or down loses nothing. Notices caused by a change need no job: the
    # outbox sends them after commit, and its sweep sends anything left.
    "send-meeting-reminders": {
        "task": "meetings.tasks.send_due_reminders",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},  # a run still queued when the next is due is dropped
    },
    # Library: the one reminder before a review deadline (hourly), and on Monday mornings the
    # resources due for review are marked and listed for coordinators (once a week: the outbox
    # key is the week). Both are safe to run twice.
    "send-library-review-reminders": {
        "task": "library.tasks.send_review_reminders",
        "schedule": crontab(minute=20),
        "options": {"expires": 3000},
    },
    "send-library-review-due-notices": {
        "task": "library.tasks.send_review_due_notices",
        "schedule": crontab(day_of_week=1, hour=8, minute=0),
    },
    "send-meeting-debriefs": {
        "task": "meetings.tasks.send_due_debriefs",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},  # a run still queued when the next is due is dropped
    },
    # Surveys: re-writes the anonymous responses sent before today as new rows in random order,
    # so neither row order nor transaction ids tie them to who answered (surveys/anonymity.py,
    # docs/decisions/0012). Safe to run twice; a missed night is caught up by the next.
    "rewrite-anonymous-survey-responses": {
        "task": "surveys.tasks.rewrite_anonymous_survey_responses",
        "schedule": crontab(hour=2, minute=45),
    },
    # The group feed: daily and weekly digests for the last finished day and week (see
    # discussions/tasks.py). Hourly, and safe to run again: each member gets one per period.
    "send-discussion-digests": {
        "task": "discussions.tasks.send_digests",
        "schedule": crontab(minute=20),
        "options": {"expires": 3000},
    },
}
