"""Meeting reminders through real Celery workers on Redis and PostgreSQL: never sent twice.

Worker processes (two child processes each) are started as the compose ``worker`` service
starts them, with the production settings, and send email over SMTP to a mail server run by
this test on loopback, which takes a moment over each message (as a real one does) and records
what it accepted, so the test can count emails from outside the workers.

- Two workers sent the reminder job four times at once: the member gets one email, and the
  outbox holds one sent message.
- Workers killed (SIGKILL, the whole process group, as when a container is killed) in the
  middle of a batch, several times, then started again with the outbox's sweep: nobody gets a
  reminder twice, and every reminder is either sent or held "sending" (listed for a
  coordinator under "Needs checking", never sent again by itself).

It uses its own database (``<name>_meeting_jobs``, dropped afterwards) and Redis database
number 13 (emptied first), so it runs beside the other tests without touching their data.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import socket
import socketserver
import subprocess
import threading
import time

import psycopg2
import pytest
from redis import Redis

from tests.integration.processes import (
    BASE_DIR,
    BIN,
    Portal,
    celery_client,
    database_urls,
    production_env,
    recreate_database,
    redis_url,
)

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]

REDIS_DB = 13
TASK_TIMEOUT = 90  # seconds for the workers to finish the jobs
MEMBER_EMAIL = "jobs.member@example.org"
BATCH = 30  # reminders due at once in the killed-worker test
KILLS = 3
SEND_DELAY = 0.2  # seconds the mail server takes over each message

# Run in the portal (manage.py shell): members whose day-before reminder is due now, one
# meeting each. Prints the registration ids.
MAKE_DUE_REMINDERS = """
import datetime as dt
from django.utils import timezone
from meetings.models import Meeting, Registration
from members.models import Member, User
from members.services import record_consents

now = timezone.now()
ids = []
for email in {emails!r}:
    user = User.objects.create_user(email=email, name="Jo")
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
    ids.append(registration.pk)
print("registrations", ",".join(map(str, ids)))
"""


class SlowMailServer:
    """An SMTP server on loopback that takes ``delay`` seconds over each message and records
    every message it accepted, as (recipients, data)."""

    def __init__(self, delay: float):
        self.accepted: list[tuple[list[str], bytes]] = []
        lock = threading.Lock()
        accepted = self.accepted

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(f"{line}\r\n".encode())

            def handle(self):
                with contextlib.suppress(OSError):
                    self.reply("220 localhost ESMTP stand-in")
                    recipients: list[str] = []
                    while line := self.rfile.readline():
                        command = line.decode(errors="replace").strip()
                        verb = command[:4].upper()
                        if verb in ("EHLO", "HELO"):
                            self.reply("250 localhost")
                        elif verb == "MAIL":
                            recipients = []
                            self.reply("250 OK")
                        elif verb == "RCPT":
                            recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                            self.reply("250 OK")
                        elif verb == "DATA":
                            self.reply("354 End data with <CR><LF>.<CR><LF>")
                            data = b""
                            while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                                data += chunk
                            time.sleep(delay)  # a killed worker may go while we take it in
                            with lock:
                                accepted.append((recipients, data))
                            self.reply("250 OK: queued")
                        elif verb == "QUIT":
                            self.reply("221 Bye")
                            return
                        else:  # RSET, NOOP
                            self.reply("250 OK")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received_by(self) -> collections.Counter:
        return collections.Counter(address for recipients, _ in list(self.accepted) for address in recipients)

    def messages_to(self, address: str) -> list[bytes]:
        return [data for recipients, data in list(self.accepted) if address in recipients]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def mail_server():
    server = SlowMailServer(delay=SEND_DELAY)
    yield server
    server.close()


@pytest.fixture(scope="module")
def portal(tmp_path_factory, mail_server):
    """The portal's database and environment, migrated; workers are started by each test."""
    maintenance_url, database_url, database_name = database_urls("meeting_jobs")
    redis = redis_url(REDIS_DB)
    recreate_database(maintenance_url, database_name, create=True)
    Redis.from_url(redis).flushdb()

    work = tmp_path_factory.mktemp("meeting-jobs")
    env = production_env(
        work,
        database_url=database_url,
        redis_url=redis,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_server.port),
    )
    portal = Portal(env, work)
    try:
        portal.run({"migrate": [str(BIN / "python"), "manage.py", "migrate", "--noinput"]})
        portal.database_url = database_url
        yield portal
    finally:
        portal.stop()
        recreate_database(maintenance_url, database_name, create=False)
        Redis.from_url(redis).flushdb()


@pytest.fixture
def client(portal):
    app = celery_client("meeting-jobs-client", portal.env["REDIS_URL"])
    yield app
    app.close()


def start_workers(portal: Portal, round_name: str) -> list[str]:
    names = [f"worker-{round_name}-{n}" for n in (1, 2)]
    for name in names:
        portal.start(
            name,
            portal._command(
                "celery",
                ["-A", "involvement", "worker", "--loglevel=INFO", "--concurrency=2", f"--hostname={name}@%h"],
            ),
        )
    return names


def stop_workers(portal: Portal, names: list[str], *, kill: bool) -> None:
    """Stops the workers: SIGKILL to the whole process group (the worker and its children, as
    when a container is killed) or a warm shutdown."""
    for name in names:
        process = portal.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        process.wait(timeout=30)


def make_due_reminders(portal: Portal, emails: list[str]) -> list[int]:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", MAKE_DUE_REMINDERS.format(emails=emails)],
        cwd=BASE_DIR,
        env=portal.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return [int(pk) for pk in result.stdout.split("registrations", 1)[1].split()[0].split(",")]


def outbox_rows(database_url: str, registration_ids: list[int]) -> list[tuple]:
    """The outbox's messages about these registrations: (about_id, kind, key, channel, status)."""
    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT message.about_id, message.kind, message.key, message.channel, message.status
                FROM outbox_message AS message
                JOIN django_content_type AS type ON type.id = message.about_type_id
                WHERE type.app_label = 'meetings' AND type.model = 'registration'
                  AND message.about_id = ANY(%s)
                ORDER BY message.about_id, message.id
                """,
                [registration_ids],
            )
            return cursor.fetchall()
    finally:
        connection.close()


def wait_for(portal: Portal, condition, what: str, timeout: float = TASK_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        portal.check_running()
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout}s"
        time.sleep(0.05)


def test_a_due_reminder_goes_exactly_once_when_two_workers_run_the_job_at_once(portal, mail_server, client):
    (registration_id,) = make_due_reminders(portal, [MEMBER_EMAIL])
    workers = start_workers(portal, "twice")
    try:
        with portal.show_output_on_failure():
            results = [client.send_task("meetings.tasks.send_due_reminders") for _ in range(4)]
            wait_for(portal, lambda: all(result.ready() for result in results), "the reminder jobs")
            outcomes = [result.get(timeout=5) for result in results]
    finally:
        stop_workers(portal, workers, kill=False)

    with portal.show_output_on_failure():
        assert sum(outcome.get("sent", 0) for outcome in outcomes) == 1, outcomes
        assert outbox_rows(portal.database_url, [registration_id]) == [
            (registration_id, "meetings.reminder", "1", "email", "sent")
        ]
        (email,) = mail_server.messages_to(MEMBER_EMAIL)
        assert b"https://involvement.example.nhs.uk/meetings/" in email
        assert b"text/calendar" in email


def test_workers_killed_mid_batch_never_send_a_reminder_twice_and_forget_nobody(portal, mail_server, client):
    emails = [f"batch.{n}@example.org" for n in range(BATCH)]
    registration_ids = make_due_reminders(portal, emails)

    def accepted() -> int:
        received = mail_server.received_by()
        return sum(received[email] for email in emails)

    def statuses() -> collections.Counter:
        return collections.Counter(row[-1] for row in outbox_rows(portal.database_url, registration_ids))

    sent_when_killed = []
    with portal.show_output_on_failure():
        for kill in range(KILLS):
            before = accepted()
            workers = start_workers(portal, f"killed-{kill}")
            # The reminder job (the first time it runs, it records the whole batch) and the
            # outbox's sweep (beat runs it every minute), side by side.
            client.send_task("meetings.tasks.send_due_reminders")
            client.send_task("outbox.tasks.sweep_outbox")
            wait_for(portal, lambda before=before: accepted() >= before + 4, f"four more emails (kill {kill + 1})")
            stop_workers(portal, workers, kill=True)
            sent_when_killed.append(statuses()["sent"])

        # Started again: the sweep sends what is left; the job finds nothing new due.
        workers = start_workers(portal, "after")
        try:
            results = [
                client.send_task("outbox.tasks.sweep_outbox"),
                client.send_task("meetings.tasks.send_due_reminders"),
            ]
            wait_for(portal, lambda: all(result.ready() for result in results), "the sweep after the kills")
            assert results[1].get(timeout=5) == {}, "every reminder was recorded by the first run"
        finally:
            stop_workers(portal, workers, kill=False)

        rows = outbox_rows(portal.database_url, registration_ids)
        received = mail_server.received_by()
        by_status = collections.defaultdict(set)
        for row in rows:
            by_status[row[-1]].add(row[0])
        email_of = dict(zip(registration_ids, emails, strict=True))

        # Every kill landed in the middle of the batch.
        assert all(0 < sent < BATCH for sent in sent_when_killed), sent_when_killed
        # One message per member, and nobody was sent it twice.
        assert sorted(row[0] for row in rows) == sorted(registration_ids)
        assert {(kind, key, channel) for _, kind, key, channel, _ in rows} == {("meetings.reminder", "1", "email")}
        assert max(received[email] for email in emails) == 1, received
        # Each is sent, or held "sending" by a killed worker (at most the two being sent at each
        # kill), for a coordinator to check: it may or may not have arrived.
        assert set(by_status) <= {"sent", "sending"}, dict(by_status)
        assert len(by_status["sending"]) <= 2 * KILLS
        assert all(received[email_of[pk]] == 1 for pk in by_status["sent"])
        nobody_told = {pk for pk in registration_ids if received[email_of[pk]] == 0}
        assert nobody_told <= by_status["sending"], "a member got nothing and nobody would know"


def test_the_mail_server_stand_in_answers_like_one():
    # The test above means something only if the workers really talk SMTP to it.
    import smtplib

    server = SlowMailServer(delay=0)
    try:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as smtp:
            smtp.sendmail("from@example.org", ["to@example.org"], b"Subject: hi\r\n\r\nHello")
        assert server.received_by() == {"to@example.org": 1}
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            assert sock.recv(100).startswith(b"220 ")
    finally:
        server.close()
