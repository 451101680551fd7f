"""`make run`'s background jobs, as processes: periodic jobs fire with no Redis and no PostgreSQL.

This starts the worker line of ``Procfile.dev`` exactly as written (a Celery worker with the
scheduler embedded, ``--beat``) under the development settings, with a fresh VAR_DIR, no
REDIS_URL and no DATABASE_URL — so messages pass through kombu's filesystem transport and the
cache is the file cache under VAR_DIR — and checks that the scheduler's heartbeat job really
ran: beat put it on the folder queue, the worker took it and wrote the heartbeat to the file
cache that /healthz reads.

SCHEDULER_HEARTBEAT_SECONDS=1 makes the heartbeat due every second instead of every minute.
It needs nothing but Python, so it runs in a plain ``make test``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.utils.dateparse import parse_datetime

from involvement.health import HEARTBEAT_CACHE_KEY
from tests.integration.processes import BASE_DIR, BIN, Portal

pytestmark = pytest.mark.integration

HEARTBEAT_TIMEOUT = 25  # seconds for the worker to start and beat's first heartbeat to land

# What a newcomer's environment may carry that would switch `make run` away from its embedded
# mode (or point it at someone else's files).
NOT_INHERITED = {"REDIS_URL", "DATABASE_URL", "VAR_DIR", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def procfile_command(procfile: str, name: str) -> list[str]:
    for line in (BASE_DIR / procfile).read_text().splitlines():
        process, _, command = line.partition(":")
        if process.strip() == name and not line.lstrip().startswith("#"):
            return shlex.split(command)
    raise AssertionError(f"{procfile} has no {name!r} line")


def test_the_worker_command_in_procfile_dev_runs_the_scheduler_embedded():
    command = procfile_command("Procfile.dev", "worker")
    assert command[:4] == ["celery", "-A", "involvement", "worker"]
    assert "--beat" in command
    # The schedule file follows VAR_DIR (CELERY_BEAT_SCHEDULE_FILENAME), not the working folder.
    assert not any(arg.startswith(("--schedule", "-s")) for arg in command)


@pytest.fixture
def embedded_worker(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="involvement.settings.development",
        VAR_DIR=str(tmp_path / "var"),
        SCHEDULER_HEARTBEAT_SECONDS="1",
        LOG_LEVEL="INFO",
    )
    portal = Portal(env, tmp_path)
    try:
        # As `make run` does before honcho starts the Procfile.
        portal.run({"migrate": [str(BIN / "python"), "manage.py", "migrate", "--noinput"]})
        command = procfile_command("Procfile.dev", "worker")
        portal.start("worker", portal._command(command[0], command[1:]))
        yield portal
    finally:
        portal.stop()


def test_periodic_jobs_fire_with_no_redis_and_no_postgresql(embedded_worker):
    var = embedded_worker.logs / "var"
    # The file cache the worker writes to, read from outside the worker.
    file_cache = FileBasedCache(str(var / "cache"), {})
    started = time.time()
    deadline = time.monotonic() + HEARTBEAT_TIMEOUT
    heartbeat = None
    with embedded_worker.show_output_on_failure():
        while heartbeat is None:
            embedded_worker.check_running()
            assert time.monotonic() < deadline, (
                f"no scheduler heartbeat within {HEARTBEAT_TIMEOUT}s\n{embedded_worker.output()}"
            )
            time.sleep(0.25)
            heartbeat = file_cache.get(HEARTBEAT_CACHE_KEY)

        assert parse_datetime(heartbeat).timestamp() >= started - 1
        # The messages went through the folders under VAR_DIR, and beat kept its state there too.
        assert (var / "celery" / "queue").is_dir()
        assert list((var / "celery").glob("beat-schedule*")), "beat kept no schedule file under VAR_DIR"
        # It keeps firing: a later heartbeat replaces the first.
        deadline = time.monotonic() + 10
        while file_cache.get(HEARTBEAT_CACHE_KEY) == heartbeat:
            embedded_worker.check_running()
            assert time.monotonic() < deadline, "the heartbeat fired once and then stopped"
            time.sleep(0.25)

    log = (embedded_worker.logs / "worker.log").read_text(errors="replace")
    assert "transport:   filesystem://" in log, "the worker did not use the filesystem broker"
    assert "beat: Starting" in log, "the worker did not start the embedded scheduler"


def test_development_settings_need_no_environment_and_use_the_filesystem_broker(tmp_path):
    """The development settings load with no variables at all (what `make run` relies on)."""
    env = {
        "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "involvement.settings.development",
        "VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CELERY_BROKER_URL, settings.CACHES['default']['BACKEND'])",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["filesystem://localhost//", "django.core.cache.backends.filebased.FileBasedCache"]
