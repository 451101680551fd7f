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

import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
import redis
from celery import Celery
from cryptography.fernet import Fernet
from psycopg2 import sql

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_DB = 14

START_TIMEOUT = 60  # seconds for gunicorn to answer
TASK_TIMEOUT = 60  # seconds for the ping task to come back
SETUP_TIMEOUT = 300  # seconds for migrate and collectstatic


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 60) -> str:
    if not path.exists():
        return f"--- {path.name}: (no output) ---"
    text = path.read_text(errors="replace").splitlines()[-lines:]
    return f"--- last {len(text)} lines of {path.name} ---\n" + "\n".join(text)


class Portal:
    """The running processes and what the tests need to talk to them."""

    def __init__(self, env: dict[str, str], logs: Path):
        self.env = env
        self.logs = logs
        self.port = _free_port()
        self.processes: dict[str, subprocess.Popen] = {}

    # Processes ---------------------------------------------------------------

    def _command(self, name: str, args: list[str]) -> list[str]:
        executable = BIN / name
        return [str(executable) if executable.exists() else name, *args]

    def run(self, names_and_commands: dict[str, list[str]]) -> None:
        """Run one-shot commands side by side; fail with their output if any fails."""
        running = {}
        for name, command in names_and_commands.items():
            log = (self.logs / f"{name}.log").open("wb")
            running[name] = (
                subprocess.Popen(command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT),
                log,
            )
        failures = []
        for name, (process, log) in running.items():
            try:
                code = process.wait(timeout=SETUP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                code = f"timed out after {SETUP_TIMEOUT}s"
            log.close()
            if code != 0:
                failures.append(f"{name} exited with {code}\n{_tail(self.logs / f'{name}.log')}")
        if failures:
            pytest.fail("\n\n".join(failures), pytrace=False)

    def start(self, name: str, command: list[str]) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        # A session of its own, so stopping it also stops gunicorn's and celery's children.
        self.processes[name] = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def check_running(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                pytest.fail(f"{name} exited early with {process.returncode}\n{self.output()}", pytrace=False)

    def output(self) -> str:
        return "\n".join(_tail(self.logs / f"{name}.log") for name in self.processes)

    @contextlib.contextmanager
    def show_output_on_failure(self):
        """Re-raise a failed assertion or error with the processes' recent output attached."""
        try:
            yield
        except pytest.fail.Exception:
            raise
        except Exception as exc:
            pytest.fail(f"{type(exc).__name__}: {exc}\n\n{self.output()}", pytrace=False)

    # HTTP ----------------------------------------------------------------------

    def get(self, path: str, headers: dict[str, str] | None = None, timeout: float = 10):
        """One GET, redirects not followed: (status, headers, body)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def wait_until_answering(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            self.check_running()
            try:
                self.get("/healthz", timeout=5)
                return
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not answer within {START_TIMEOUT}s\n{self.output()}", pytrace=False)
                time.sleep(0.25)


def _database_urls() -> tuple[str, str, str]:
    """(maintenance URL, URL of this test's own database, its name), from DATABASE_URL."""
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"{url.path.lstrip('/') or 'portal'}_processes"[:63]
    return urlunsplit(url._replace(path="/postgres")), urlunsplit(url._replace(path=f"/{name}")), name


def _recreate_database(maintenance_url: str, name: str, *, create: bool) -> None:
    connection = psycopg2.connect(maintenance_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            if create:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def _redis_url() -> str:
    url = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit(url._replace(path=f"/{REDIS_DB}"))


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    maintenance_url, database_url, database_name = _database_urls()
    redis_url = _redis_url()
    _recreate_database(maintenance_url, database_name, create=True)
    redis.Redis.from_url(redis_url).flushdb()

    work = tmp_path_factory.mktemp("processes")
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(work),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "involvement.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MFA_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_BASE_URL": "https://involvement.example.nhs.uk",
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(work / "var"),
        "STATIC_ROOT": str(work / "static"),
        "LOG_FORMAT": "json",
        "WEB_CONCURRENCY": "2",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
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
        _recreate_database(maintenance_url, database_name, create=False)
        redis.Redis.from_url(redis_url).flushdb()


@pytest.fixture
def portal_without_redis(portal):
    """A second gunicorn on the same database whose REDIS_URL points at a port nobody listens on."""
    logs = portal.logs / "without-redis"
    logs.mkdir(exist_ok=True)
    dead_redis = f"redis://127.0.0.1:{_free_port()}/0"
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
    client = Celery("integration-client", set_as_current=False)
    client.conf.update(
        broker_url=portal.env["REDIS_URL"],
        result_backend=portal.env["REDIS_URL"],
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
    )
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
