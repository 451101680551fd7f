"""The production shape, as processes: the commands docker-compose.yml runs, on the local services.

There is no Docker engine where the tests run, so this starts what the compose
services start — ``manage.py migrate`` (the ``migrate`` service), ``collectstatic``
(the Dockerfile's build step), ``gunicorn involvement.wsgi`` (``web``) and
``celery -A involvement worker`` (``worker``) — with the production settings,
against the PostgreSQL in DATABASE_URL and the Redis in REDIS_URL, and checks
that the portal answers, that a task goes through Redis to the worker and back, and
that /healthz still answers with a JSON 503 when Redis is unreachable.

It uses its own database (``<name>_processes``, dropped afterwards) and its own
Redis database (number 14, emptied first), so it never touches the test
database or another run's queue.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from redis import Redis

from tests.integration.processes import (
    BIN,
    Portal,
    celery_client,
    database_urls,
    free_port,
    production_env,
    recreate_database,
    redis_url,
)

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]

REDIS_DB = 14
TASK_TIMEOUT = 60  # seconds for the ping task to come back


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    maintenance_url, database_url, database_name = database_urls("processes")
    redis = redis_url(REDIS_DB)
    recreate_database(maintenance_url, database_name, create=True)
    Redis.from_url(redis).flushdb()

    work = tmp_path_factory.mktemp("processes")
    env = production_env(
        work,
        database_url=database_url,
        redis_url=redis,
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(work / "static"),
        WEB_CONCURRENCY="2",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    portal = Portal(env, work)
    try:
        # The compose `migrate` service and the Dockerfile's collectstatic step.
        portal.run(
            {
                "migrate": [str(BIN / "python"), "manage.py", "migrate", "--noinput"],
                "collectstatic": [str(BIN / "python"), "manage.py", "collectstatic", "--noinput"],
            }
        )
        # The `web` and `worker` services.
        portal.start(
            "gunicorn",
            portal._command(
                "gunicorn",
                ["involvement.wsgi", f"--bind=127.0.0.1:{portal.port}", "--access-logfile=-", "--no-control-socket"],
            ),
        )
        portal.start(
            "worker",
            portal._command(
                "celery",
                ["-A", "involvement", "worker", "--loglevel=INFO", "--concurrency=1"],
            ),
        )
        portal.wait_until_answering()
        yield portal
    finally:
        portal.stop()
        recreate_database(maintenance_url, database_name, create=False)
        Redis.from_url(redis).flushdb()


@pytest.fixture
def portal_without_redis(portal):
    """A second gunicorn on the same database whose REDIS_URL points at a port nobody listens on."""
    logs = portal.logs / "without-redis"
    logs.mkdir(exist_ok=True)
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    broken = Portal({**portal.env, "REDIS_URL": dead_redis}, logs)
    try:
        broken.start(
            "gunicorn",
            broken._command("gunicorn", ["involvement.wsgi", f"--bind=127.0.0.1:{broken.port}", "--no-control-socket"]),
        )
        broken.wait_until_answering()
        yield broken
    finally:
        broken.stop()


def test_healthz_reports_database_and_broker_ok(portal):
    with portal.show_output_on_failure():
        status, headers, body = portal.get("/healthz")
        assert status == 200, body
        assert headers["Content-Type"] == "application/json"
        report = json.loads(body)
        assert report["status"] == "ok"
        assert report["database"] == "ok"
        assert report["broker"] == "ok"
        assert "scheduler_last_seen" in report


def test_healthz_is_503_json_when_redis_is_unreachable(portal_without_redis):
    # In production Redis is the cache as well as the broker, so nothing /healthz
    # reads may raise when it is down: the answer is a 503 report, not a 500 page.
    with portal_without_redis.show_output_on_failure():
        status, headers, body = portal_without_redis.get("/healthz")
        assert status == 503, body[:2000]
        assert headers["Content-Type"] == "application/json"
        report = json.loads(body)
        assert report["status"] == "unavailable"
        assert report["database"] == "ok"
        assert report["broker"] == "unavailable"


def test_home_page_has_the_nhsuk_layout_and_hashed_static_files(portal):
    with portal.show_output_on_failure():
        status, headers, body = portal.get("/")
        assert status == 200, body[:2000]
        page = body.decode()
        assert 'class="nhsuk-header"' in page
        assert 'id="maincontent"' in page
        assert "nonce-" in headers["Content-Security-Policy"]

        # The manifest from collectstatic names the stylesheet by its hash, and
        # whitenoise serves it, compressed, from the gunicorn process.
        match = re.search(r'href="(/static/nhsuk-frontend/nhsuk-frontend\.min\.[0-9a-f]{12}\.css)"', page)
        assert match, "the NHS.UK stylesheet is not linked by its hashed name"
        status, headers, css = portal.get(match.group(1), headers={"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]


def test_a_task_round_trips_through_redis_and_the_worker(portal):
    client = celery_client("integration-client", portal.env["REDIS_URL"])
    try:
        with portal.show_output_on_failure():
            result = client.send_task("involvement.tasks.ping")
            # Poll rather than block, so a worker that dies is reported at once.
            deadline = time.monotonic() + TASK_TIMEOUT
            while not result.ready():
                portal.check_running()
                assert time.monotonic() < deadline, f"no answer to the ping task within {TASK_TIMEOUT}s"
                time.sleep(0.25)
            assert result.get(timeout=5) == "pong"
    finally:
        client.close()
