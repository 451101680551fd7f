"""A report made end to end by a real Celery worker on Redis and PostgreSQL.

A coordinator asks for the yearly involvement report in the portal (``manage.py shell``, with
the production settings, as the web process would): the run is saved "waiting" and, once that
commits, its task goes to Redis. A worker started as the compose ``worker`` service starts it
takes the run, works through its sections, stores the PDF in private storage and marks it ready;
the coordinator's "your report is ready" email goes through the outbox (written to files here).

It uses its own database (``<name>_report_jobs``, dropped afterwards) and Redis database 10.
"""

from __future__ import annotations

import subprocess
import time
from email import message_from_string, policy

import psycopg2
import pytest
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

REDIS_DB = 10
TIMEOUT = 120  # seconds for the worker to make the report

ASK_FOR_A_REPORT = """
import datetime as dt
from django.contrib.auth.models import Group
from django.db import transaction
from involvement.report_runs import request_report
from members.models import User

coordinator = User.objects.create_user(email="reports.coordinator@example.org", name="Chloe", is_staff=True)
coordinator.groups.add(Group.objects.get(name="Coordinators"))
with transaction.atomic():
    run = request_report("period", by=coordinator, start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31))
print("run", run.pk)
"""


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    maintenance_url, database_url, database_name = database_urls("report_jobs")
    redis = redis_url(REDIS_DB)
    recreate_database(maintenance_url, database_name, create=True)
    Redis.from_url(redis).flushdb()
    work = tmp_path_factory.mktemp("report-jobs")
    env = production_env(
        work,
        database_url=database_url,
        redis_url=redis,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(work / "emails"),
    )
    portal = Portal(env, work)
    try:
        # The compose `migrate` service and the Dockerfile's collectstatic step: reports read
        # their print stylesheet through the static files manifest, as in production.
        portal.run(
            {
                "migrate": [str(BIN / "python"), "manage.py", "migrate", "--noinput"],
                "collectstatic": [str(BIN / "python"), "manage.py", "collectstatic", "--noinput"],
            }
        )
        portal.database_url = database_url
        portal.work = work
        yield portal
    finally:
        portal.stop()
        recreate_database(maintenance_url, database_name, create=False)
        Redis.from_url(redis).flushdb()


def run_row(database_url: str, pk: int) -> tuple:
    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT status, section, sections_total, file, file_size, error "
                "FROM involvement_reportrun WHERE id = %s",
                [pk],
            )
            return cursor.fetchone()
    finally:
        connection.close()


def test_a_report_asked_for_in_the_portal_is_made_by_the_worker_and_the_asker_told(portal: Portal):
    portal.start(
        "worker",
        portal._command("celery", ["-A", "involvement", "worker", "--loglevel=INFO", "--concurrency=1"]),
    )
    with portal.show_output_on_failure():
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", "shell", "-c", ASK_FOR_A_REPORT],
            cwd=BASE_DIR,
            env=portal.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        pk = int(result.stdout.split("run", 1)[1].split()[0])

        deadline = time.monotonic() + TIMEOUT
        while (row := run_row(portal.database_url, pk))[0] in ("queued", "working"):
            portal.check_running()
            assert time.monotonic() < deadline, f"the report was not made within {TIMEOUT}s: {row}"
            time.sleep(0.2)

        status, section, total, name, size, error = row
        assert (status, error) == ("ready", "")
        assert section == total > 1
        stored = portal.work / "var" / "private" / "reports" / name
        assert stored.read_bytes().startswith(b"%PDF") and stored.stat().st_size == size

        deadline = time.monotonic() + 30
        while not list((portal.work / "emails").glob("*.log")):
            assert time.monotonic() < deadline, "the 'your report is ready' email was not sent"
            time.sleep(0.2)
        (log,) = [path.read_text() for path in (portal.work / "emails").glob("*.log")]
        email = message_from_string(log, policy=policy.default)
        assert email["To"] == "reports.coordinator@example.org"
        assert email["Subject"].startswith("Your report is ready")
        assert f"https://involvement.example.nhs.uk/reports/{pk}/" in email.get_body(("plain",)).get_content()
