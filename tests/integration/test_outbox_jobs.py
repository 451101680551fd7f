"""Every kind of message through the real outbox: real Celery workers on Redis and PostgreSQL,
started as the compose ``worker`` service starts them, with the production settings.

For each kind the portal registers (one of each is made through the apps' own code, by
`tests.message_fixtures.MAKERS`), three things that go wrong in real life:

- **the broker is down** when the change commits: the change still stands, the message waits
  in the outbox, and the periodic sweep sends it, once;
- **the same message is sent by several tasks at once** (two workers, the task repeated): it
  goes once;
- **a worker is killed mid-send** (the mail server or Notify stalls, the worker is killed): the
  message is never sent again by itself, and it is listed under "Needs checking" once older
  than the longest a send can take.

Emails are written as files (Django's file-based backend) and texts go over real HTTP to a
stand-in for GOV.UK Notify on loopback, so the tests count what left from outside. The tests
use their own database (``<name>_outbox_jobs``) and Redis database 12.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid
from collections import Counter

import psycopg2
import pytest
from redis import Redis

from tests.integration.processes import (
    BASE_DIR,
    BIN,
    Portal,
    celery_client,
    database_urls,
    free_port,
    production_env,
    recreate_database,
    redis_url,
)
from tests.integration.stand_ins import FakeNotify, HangingServer

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]

REDIS_DB = 12
TIMEOUT = 120  # seconds for the workers to finish

# Run in the portal (manage.py shell): one realistic message of every kind to a new member.
MAKE_ONE_OF_EACH = """
import json
from outbox import kinds
from outbox.models import Message
from tests.message_fixtures import MAKERS, reachable_member, realistic_group
{before}
realistic_group()
missing = sorted(kind.name for kind in kinds.registered() if kind.name not in MAKERS)
assert not missing, f"no maker for {{missing}}"
local, domain = "{email}".split("@")
recipients = []
for number, kind in enumerate(sorted(MAKERS)):
    # A member of their own for each kind, so that what one maker sets up for its message (the
    # member's alert choices, say) cannot change whether another kind's message is wanted.
    member = reachable_member(email=f"{{local}}+{{number}}@{{domain}}", name="Grace Obi")
    MAKERS[kind](member)
    recipients.append(member.user)
rows = Message.objects.filter(recipient__in=recipients).order_by("pk").values("pk", "kind", "channel", "status")
print("MESSAGES" + json.dumps(list(rows)))
"""

# Which messages need checking now, and once a send could no longer be going on.
NEEDS_CHECKING_NOW_AND_LATER = """
import json
from django.utils import timezone
from outbox import channels, sending
soon = list(sending.needs_checking().values_list("pk", flat=True))
later = list(sending.needs_checking(now=timezone.now() + channels.longest_send()).values_list("pk", flat=True))
print("LISTED" + json.dumps([later, soon]))
"""

# Broker down: this process's Celery app is pointed at a port where nothing listens.
BROKER_DOWN = """
from involvement.celery import app
app.conf.broker_url = "redis://127.0.0.1:{port}/0"
app.conf.broker_connection_retry = False
app.conf.broker_connection_max_retries = 1
"""


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    maintenance_url, database_url, database_name = database_urls("outbox_jobs")
    redis = redis_url(REDIS_DB)
    recreate_database(maintenance_url, database_name, create=True)
    Redis.from_url(redis).flushdb()
    notify = FakeNotify()
    work = tmp_path_factory.mktemp("outbox-jobs")
    env = production_env(
        work,
        database_url=database_url,
        redis_url=redis,
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="false",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(work / "emails"),
        NOTIFY_API_KEY=f"portal_jobs-{uuid.uuid4()}-{uuid.uuid4()}",
        NOTIFY_SMS_TEMPLATE_ID=str(uuid.uuid4()),
        NOTIFY_BASE_URL=notify.url,
    )
    portal = Portal(env, work)
    portal.database_url = database_url
    portal.notify = notify
    portal.work = work
    try:
        portal.run({"migrate": [str(BIN / "python"), "manage.py", "migrate", "--noinput"]})
        yield portal
    finally:
        portal.stop()
        notify.close()
        recreate_database(maintenance_url, database_name, create=False)
        Redis.from_url(redis).flushdb()


def start_worker(
    portal: Portal, name: str, *, concurrency: int = 2, pool: str = "prefork", **env: str
) -> subprocess.Popen:
    log = (portal.work / f"{name}.log").open("wb")
    process = subprocess.Popen(
        portal._command(
            "celery",
            [
                "-A",
                "involvement",
                "worker",
                "--loglevel=INFO",
                f"--pool={pool}",
                f"--concurrency={concurrency}",
                f"--hostname={name}@%h",
            ],
        ),
        cwd=BASE_DIR,
        env={**portal.env, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    portal.processes[name] = process
    return process


def stop_worker(portal: Portal, name: str, sig=signal.SIGTERM) -> None:
    process = portal.processes.pop(name)
    os.killpg(process.pid, sig)
    process.wait(timeout=30)


def make_one_of_each(portal: Portal, email: str, *, before: str = "") -> list[dict]:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", MAKE_ONE_OF_EACH.format(email=email, before=before)],
        cwd=BASE_DIR,
        env=portal.env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return json.loads(result.stdout.split("MESSAGES", 1)[1].strip().splitlines()[0])


def rows(portal: Portal, ids: list[int]) -> dict[int, dict]:
    columns = ["id", "kind", "channel", "status", "attempts", "taken_at", "to"]
    connection = psycopg2.connect(portal.database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT id, kind, channel, status, attempts, taken_at, "to" FROM outbox_message WHERE id = ANY(%s)',
                [ids],
            )
            return {row[0]: dict(zip(columns[1:], row[1:], strict=True)) for row in cursor.fetchall()}
    finally:
        connection.close()


def run_tasks(portal: Portal, *calls: tuple[str, list]) -> list:
    app = celery_client("outbox-jobs-client", portal.env["REDIS_URL"])
    try:
        results = [app.send_task(name, args=args) for name, args in calls]
        deadline = time.monotonic() + TIMEOUT
        while not all(result.ready() for result in results):
            portal.check_running()
            assert time.monotonic() < deadline, f"the tasks did not finish within {TIMEOUT}s\n{portal.output()}"
            time.sleep(0.25)
        return [result.get(timeout=5) for result in results]
    finally:
        app.close()


def emails_written(portal: Portal) -> Counter:
    """How many emails the workers wrote to each address."""
    written = b"".join(path.read_bytes() for path in sorted((portal.work / "emails").glob("*")))
    return Counter(line[4:].decode() for line in written.splitlines() if line.startswith(b"To: "))


def emails_expected(after: dict[int, dict], ids) -> Counter:
    return Counter(after[pk]["to"] for pk in ids if after[pk]["channel"] == "email" and after[pk]["status"] == "sent")


def texts_sent(portal: Portal) -> list[int]:
    """The outbox ids of every text the stand-in Notify was asked to send."""
    references = [call["json"].get("reference", "") for call in portal.notify.received]
    return [int(reference.removeprefix("portal-")) for reference in references if reference.startswith("portal-")]


def wait_until(portal: Portal, ids: list[int], condition, what: str) -> dict[int, dict]:
    deadline = time.monotonic() + TIMEOUT
    while True:
        portal.check_running()
        current = rows(portal, ids)
        if condition(current):
            return current
        assert time.monotonic() < deadline, f"{what} did not happen within {TIMEOUT}s: {current}\n{portal.output()}"
        time.sleep(0.25)


def kinds_of(messages: list[dict]) -> set[str]:
    return {message["kind"] for message in messages}


FINISHED = {"sent", "skipped"}


def test_with_the_broker_down_every_kind_waits_in_the_outbox_and_the_sweep_sends_it_once(portal):
    messages = make_one_of_each(portal, "broker.down@example.org", before=BROKER_DOWN.format(port=free_port()))
    ids = [message["pk"] for message in messages]
    assert len(kinds_of(messages)) >= 12, "one message of every kind"
    assert {message["status"] for message in messages} == {"pending"}, "nothing could be sent yet"

    start_worker(portal, "sweeper")
    try:
        with portal.show_output_on_failure():
            run_tasks(portal, ("outbox.tasks.sweep_outbox", []), ("outbox.tasks.sweep_outbox", []))
            after = wait_until(portal, ids, lambda r: all(row["status"] in FINISHED for row in r.values()), "sending")
    finally:
        stop_worker(portal, "sweeper")

    assert all(row["attempts"] == 1 for row in after.values()), after
    sent_texts = [pk for pk, row in after.items() if row["channel"] == "sms" and row["status"] == "sent"]
    expected = emails_expected(after, ids)
    written = emails_written(portal)
    assert {address: written[address] for address in expected} == expected
    assert sorted(set(texts_sent(portal)) & set(ids)) == sorted(sent_texts)
    assert kinds_of([row for row in after.values() if row["status"] == "sent"]) == kinds_of(messages)


def test_every_kind_goes_once_when_several_tasks_send_it_at_the_same_time(portal):
    # The makers' own after-commit tasks wait in Redis until the workers start; then each message
    # is also sent by three more tasks, spread over two workers with two processes each.
    messages = make_one_of_each(portal, "twice@example.org")
    ids = [message["pk"] for message in messages]
    start_worker(portal, "worker-1")
    start_worker(portal, "worker-2")
    try:
        with portal.show_output_on_failure():
            run_tasks(portal, *[("outbox.tasks.send_messages", [ids])] * 3)
            after = wait_until(portal, ids, lambda r: all(row["status"] in FINISHED for row in r.values()), "sending")
    finally:
        stop_worker(portal, "worker-1")
        stop_worker(portal, "worker-2")

    assert all(row["attempts"] == 1 for row in after.values()), after
    expected = emails_expected(after, ids)
    written = emails_written(portal)
    assert {address: written[address] for address in expected} == expected
    texts = [pk for pk in texts_sent(portal) if pk in ids]
    assert len(texts) == len(set(texts)), "no text sent twice"
    assert kinds_of([row for row in after.values() if row["status"] == "sent"]) == kinds_of(messages)


def test_a_message_a_killed_worker_was_sending_is_never_sent_again_and_needs_checking(portal):
    hanging = HangingServer()
    messages = make_one_of_each(portal, "killed@example.org", before=BROKER_DOWN.format(port=free_port()))
    ids = [message["pk"] for message in messages]
    try:
        # One thread per message, each stuck in its send: the mail server and Notify never answer.
        start_worker(
            portal,
            "doomed",
            concurrency=len(ids),
            pool="threads",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(hanging.port),
            EMAIL_TIMEOUT_SECONDS="600",
            NOTIFY_BASE_URL=f"http://127.0.0.1:{hanging.port}",
            NOTIFY_TIMEOUT_SECONDS="600",
        )
        app = celery_client("outbox-jobs-client", portal.env["REDIS_URL"])
        try:
            for pk in ids:
                app.send_task("outbox.tasks.send_messages", args=[[pk]])
        finally:
            app.close()
        with portal.show_output_on_failure():
            taken = wait_until(
                portal,
                ids,
                lambda r: all(row["status"] != "pending" for row in r.values()),
                "every message being taken",
            )
        stop_worker(portal, "doomed", signal.SIGKILL)
    finally:
        hanging.close()

    start_worker(portal, "after")
    try:
        with portal.show_output_on_failure():
            for _ in range(2):
                run_tasks(portal, ("outbox.tasks.sweep_outbox", []), ("outbox.tasks.send_messages", [ids]))
    finally:
        stop_worker(portal, "after")

    after = rows(portal, ids)
    held = {pk: row for pk, row in taken.items() if row["status"] == "sending"}
    assert {pk: (after[pk]["status"], after[pk]["attempts"]) for pk in held} == dict.fromkeys(held, ("sending", 1))
    assert kinds_of(list(held.values())) == kinds_of(messages), "a message of every kind was held"
    expected = emails_expected(after, [pk for pk in ids if pk not in held])
    written = emails_written(portal)
    assert {address: written[address] for address in expected} == expected
    assert not set(texts_sent(portal)) & set(held), "no held text went out"

    listed = subprocess.run(
        [
            str(BIN / "python"),
            "manage.py",
            "shell",
            "-c",
            NEEDS_CHECKING_NOW_AND_LATER,
        ],
        cwd=BASE_DIR,
        env=portal.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr[-3000:]
    later, soon = json.loads(listed.stdout.split("LISTED", 1)[1].strip().splitlines()[0])
    assert set(later) >= set(held), "held messages need checking once a send cannot still be going"
    assert not set(soon) & set(held), "not while a send could still be going"
