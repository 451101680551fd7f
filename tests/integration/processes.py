"""Starting the portal's production processes (gunicorn, Celery) for integration tests.

Shared by the integration tests: each gets its own PostgreSQL database and Redis
database number, and the same environment the compose services run with.
"""

from __future__ import annotations

import contextlib
import http.client
import os
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
from cryptography.fernet import Fernet
from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT = 60  # seconds for gunicorn to answer
SETUP_TIMEOUT = 300  # seconds for migrate and collectstatic


def free_port() -> int:
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
        self.port = free_port()
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


def database_urls(suffix: str) -> tuple[str, str, str]:
    """(maintenance URL, URL of a test's own database, its name), from DATABASE_URL."""
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"{url.path.lstrip('/') or 'portal'}_{suffix}"[:63]
    return urlunsplit(url._replace(path="/postgres")), urlunsplit(url._replace(path=f"/{name}")), name


def recreate_database(maintenance_url: str, name: str, *, create: bool) -> None:
    connection = psycopg2.connect(maintenance_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            if create:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def redis_url(db: int) -> str:
    """REDIS_URL with its own database number, so tests never share a queue."""
    url = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit(url._replace(path=f"/{db}"))


def production_env(work: Path, *, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The environment the compose services run with: production settings, fresh secrets."""
    return {
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
        "VAR_DIR": str(work / "var"),
        "LOG_FORMAT": "json",
        **extra,
    }


def celery_client(name: str, url: str):
    """A Celery app that only sends tasks to the portal's workers (through the broker at ``url``)
    and reads their results; close it when done."""
    from celery import Celery

    app = Celery(name, set_as_current=False)
    app.conf.update(
        broker_url=url,
        result_backend=url,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
    )
    return app
