"""Meeting reminders through real Celery workers on Redis and PostgreSQL: sent exactly once.

Two worker processes (two child processes each), started as the compose ``worker`` service
starts them, with the production settings, are sent the reminder job four times at once.
The member must get one email, and the database must hold one sent delivery. The workers
write emails as files (Django's file-based backend, EMAIL_FILE_PATH), so this test can count
them from outside.

It uses its own database (``<name>_meeting_jobs``, dropped afterwards) and Redis database
number 13 (emptied first), so it runs beside the other tests without touching their data.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import psycopg2
import pytest
from celery import Celery
from redis import Redis

from tests.integration.processes import (
    BASE_DIR,
    BIN,
    Portal,
    database_urls,
    production_env,
    recreate_database,
    redis_url,
)

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]

REDIS_DB = 13
TASK_TIMEOUT = 90  # seconds for the workers to finish the jobs
MEMBER_EMAIL = "jobs.member@example.org"

# Run in the portal (manage.py shell) to make a member whose day-before reminder is due now.
MAKE_A_DUE_REMINDER = f"""
import datetime as dt
from django.utils import timezone
from meetings.models import Meeting, Registration
from members.models import Member, User
from members.services import record_consents

now = timezone.now()
user = User.objects.create_user(email="{MEMBER_EMAIL}", name="Jo")
member = Member.objects.create(user=user, status="active", contact_by_email=True)
record_consents(member=member, decisions={{"keep_details": True, "contact": True}})
meeting = Meeting.objects.create(
    title="Group meeting",
    starts_at=now + dt.timedelta(hours=23),
    ends_at=now + dt.timedelta(hours=25),
    mode="online",
    online_link="https://meet.example.org/jobs",
)
registration = Registration.objects.create(
    meeting=meeting, member=member, status="registered", status_changed_at=now - dt.timedelta(days=3)
)
print("registration", registration.pk)
"""


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    maintenance_url, database_url, database_name = database_urls("meeting_jobs")
    redis = redis_url(REDIS_DB)
    recreate_database(maintenance_url, database_name, create=True)
    Redis.from_url(redis).flushdb()

    work = tmp_path_factory.mktemp("meeting-jobs")
    env = production_env(
        work,
        database_url=database_url,
        redis_url=redis,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(work / "emails"),
    )
    portal = Portal(env, work)
    try:
        portal.run({"migrate": [str(BIN / "python"), "manage.py", "migrate", "--noinput"]})
        for name in ("worker-1", "worker-2"):
            portal.start(
                name,
                portal._command(
                    "celery",
                    ["-A", "involvement", "worker", "--loglevel=INFO", "--concurrency=2", f"--hostname={name}@%h"],
                ),
            )
        portal.database_url = database_url
        portal.emails = Path(env["EMAIL_FILE_PATH"])
        yield portal
    finally:
        portal.stop()
        recreate_database(maintenance_url, database_name, create=False)
        Redis.from_url(redis).flushdb()


def _make_a_due_reminder(portal: Portal) -> int:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", MAKE_A_DUE_REMINDER],
        cwd=BASE_DIR,
        env=portal.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return int(result.stdout.split("registration", 1)[1].split()[0])


def _deliveries(database_url: str, registration_id: int) -> list[tuple[str, int, str]]:
    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT kind, key, status FROM meetings_messagedelivery WHERE registration_id = %s",
                [registration_id],
            )
            return cursor.fetchall()
    finally:
        connection.close()


def test_a_due_reminder_goes_exactly_once_when_two_workers_run_the_job_at_once(workers):
    registration_id = _make_a_due_reminder(workers)
    client = Celery("meeting-jobs-client", set_as_current=False)
    client.conf.update(
        broker_url=workers.env["REDIS_URL"],
        result_backend=workers.env["REDIS_URL"],
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
    )
    try:
        with workers.show_output_on_failure():
            results = [client.send_task("meetings.tasks.send_due_reminders") for _ in range(4)]
            deadline = time.monotonic() + TASK_TIMEOUT
            while not all(result.ready() for result in results):
                workers.check_running()
                assert time.monotonic() < deadline, f"the reminder jobs did not finish within {TASK_TIMEOUT}s"
                time.sleep(0.25)
            outcomes = [result.get(timeout=5) for result in results]
    finally:
        client.close()

    with workers.show_output_on_failure():
        assert sum(outcome.get("sent", 0) for outcome in outcomes) == 1, outcomes
        assert _deliveries(workers.database_url, registration_id) == [("reminder", 1, "sent")]

        written = b"".join(path.read_bytes() for path in sorted(workers.emails.glob("*")))
        assert written.count(f"To: {MEMBER_EMAIL}".encode()) == 1
        assert b"https://involvement.example.nhs.uk/meetings/" in written
        assert b"text/calendar" in written
