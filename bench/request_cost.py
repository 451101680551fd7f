"""What the portal's middleware costs a request: a tiny page with and without it.

    make bench            (or: .venv/bin/python -m bench.request_cost --seconds 5 --rounds 3)

Starts gunicorn as production does (production settings, 4 workers, loopback only) twice: once
with the full middleware stack, driven with a logged-in member's session cookie, once with no
middleware at all. A load generator in a separate process (`wrk` when installed, otherwise a small
multi-process Python client) drives each in turn, 16 connections for a fixed time, a few rounds.
Prints requests a second for each and their ratio. The target is a ratio of at least 0.5.

Needs PostgreSQL and Redis. BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_bench;
the database is created and migrated if missing) and BENCH_REDIS_URL (default
redis://127.0.0.1:6379/13) say which. Not a test: pytest never collects this folder.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_EMAIL = "bench.member@example.org"
TARGET_RATIO = 0.5


def _environment(var_dir: Path) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        MFA_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1",
        PORTAL_BASE_URL="https://127.0.0.1",
        VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "staticfiles"),
        LOG_FORMAT="json",
        DEBUG="false",
    )
    (var_dir / "staticfiles").mkdir(parents=True, exist_ok=True)
    return env


def _create_database(url: str) -> None:
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    server = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()


def _member_session_cookie() -> tuple[str, str]:
    """Migrates, makes sure the bench member exists with every consent given, and logs them in."""
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)

    from members.models import ConsentText, User
    from members.services import get_or_create_member, record_consents

    user = User.objects.filter(email=BENCH_EMAIL).first() or User.objects.create_user(
        email=BENCH_EMAIL, password=secrets.token_urlsafe(20), name="Bench Member"
    )
    member = get_or_create_member(user)
    if not member.consents.exists():
        decisions = {purpose.value: True for purpose in ConsentText.CONSENT_PURPOSES}
        decisions[ConsentText.Purpose.RESPECT_AGREEMENT.value] = True
        record_consents(member=member, decisions=decisions)
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    value = client.cookies[name].value
    connections.close_all()
    return name, value


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        conn.close()


class Gunicorn:
    """gunicorn with the production command line (Procfile), bound to loopback, 4 workers."""

    def __init__(self, env: dict[str, str], wsgi_app: str, workers: int, log: Path):
        self.port = _free_port()
        self.env = env
        self.command = [
            sys.executable, "-m", "gunicorn", wsgi_app,
            f"--bind=127.0.0.1:{self.port}", f"--workers={workers}",
            "--access-logfile=-", "--no-control-socket",
        ]  # fmt: skip
        self.log = log

    def __enter__(self) -> Gunicorn:
        self.log_file = self.log.open("ab")
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start-up; see {self.log}")
            try:
                _get(self.port, "/bench/tiny", {"X-Forwarded-Proto": "https"})
                return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within 30 seconds; see {self.log}")

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()


def _wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> float:
    command = ["wrk", f"--threads={min(2, connections)}", f"--connections={connections}", f"--duration={seconds}s"]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx" in output or "Socket errors" in output:
        raise SystemExit(f"wrk saw failed requests:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _python_client(url: str, headers: dict[str, str], deadline: float, threads: int, results) -> None:
    parts = urllib.parse.urlsplit(url)
    counts = [0] * threads
    failures = [0] * threads

    def loop(index: int) -> None:
        while time.time() < deadline:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            try:
                conn.request("GET", parts.path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    counts[index] += 1
                else:
                    failures[index] += 1
            except OSError:
                failures[index] += 1
            finally:
                conn.close()

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put((sum(counts), sum(failures)))


def _python_load(url: str, headers: dict[str, str], seconds: int, connections: int) -> float:
    """The fallback when wrk is not installed: 4 processes sharing the connections between threads."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = min(4, connections)
    start = time.time()
    deadline = start + seconds
    clients = [
        context.Process(target=_python_client, args=(url, headers, deadline, connections // processes, results))
        for _ in range(processes)
    ]
    for client in clients:
        client.start()
    totals = [results.get() for _ in clients]
    for client in clients:
        client.join()
    if sum(failed for _, failed in totals):
        raise SystemExit(f"{sum(failed for _, failed in totals)} requests failed")
    return sum(done for done, _ in totals) / (time.time() - start)


def measure(server: Gunicorn, headers: dict[str, str], seconds: int, connections: int) -> float:
    url = f"http://127.0.0.1:{server.port}/bench/tiny"
    load = _wrk if shutil.which("wrk") else _python_load
    load(url, headers, 1, connections)  # warm up: connections, imports, caches
    return load(url, headers, seconds, connections)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="how long each measurement runs (default 5)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each, taken in turn (default 3)")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = _environment(var_dir)
    os.environ.update(env)
    _create_database(env["DATABASE_URL"])
    cookie_name, cookie_value = _member_session_cookie()
    # Production sits behind a proxy that ends TLS and says so in this header (SECURE_PROXY_SSL_HEADER).
    proxy = {"X-Forwarded-Proto": "https"}
    member = {**proxy, "Cookie": f"{cookie_name}={cookie_value}"}
    generator = "wrk" if shutil.which("wrk") else "Python (install wrk for steadier figures)"
    print(f"load generator: {generator}, {args.connections} connections, {args.seconds} s each")
    print(f"gunicorn: {args.workers} workers, production settings; logs in {var_dir}")

    # Both servers run throughout (an idle one costs nothing) and take turns under load, so that
    # other work on the machine weighs on both alike; the median of the rounds is reported.
    with (
        Gunicorn(env, "involvement.wsgi", args.workers, var_dir / "gunicorn-full.log") as full_server,
        Gunicorn(env, "bench.bare_wsgi", args.workers, var_dir / "gunicorn-bare.log") as bare_server,
    ):
        status, body = _get(full_server.port, "/bench/whoami", member)
        if (status, body) != (200, "member"):
            raise SystemExit(f"The bench member's session did not log in: {status} {body[:200]!r}")
        rounds = []
        for number in range(1, args.rounds + 1):
            full = measure(full_server, member, args.seconds, args.connections)
            bare = measure(bare_server, member, args.seconds, args.connections)
            rounds.append((full, bare))
            print(f"round {number}: {full:6.0f} requests/s with middleware, {bare:6.0f} without ({full / bare:.2f})")

    full = statistics.median(f for f, _ in rounds)
    bare = statistics.median(b for _, b in rounds)
    ratio = statistics.median(f / b for f, b in rounds)
    print(f"tiny view, full middleware, logged-in member: {full:8.0f} requests/s")
    print(f"tiny view, no middleware:                     {bare:8.0f} requests/s")
    print(f"ratio: {ratio:.2f} (target at least {TARGET_RATIO}); medians of {args.rounds} rounds")


if __name__ == "__main__":
    main()
