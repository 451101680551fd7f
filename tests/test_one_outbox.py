"""Every message goes through the one outbox: checked by reading the code.

The outbox (``outbox/``) records each message with the change that causes it, asks
``members.consent.can_contact`` (through the recipients hook) at the moment of sending, and
sends it once. A module that sent email or a text itself would skip all of that silently, and
no behaviour test of the existing messages would notice. So this test reads every Python module
of the project (tests and migrations aside) and fails if one, other than ``outbox/channels.py``,
uses Django's mail sending (``send_mail``, ``EmailMessage``, a connection…), the GOV.UK Notify
client or ``smtplib``'s clients.

It also fails if a module queues a kind of message that its own app does not register: the app
that registers a kind writes its words (its builder), so another app queueing it would send
words it does not own. A kind's name starts with its app's label ("expenses.claim_paid"); kinds
that tests register are named "<app>_tests.<what>" and are left out.

Last, every kind the apps register is made as its app makes it (``tests/message_fixtures.py``)
for a member who then withdraws consent, and sent: nothing goes, so every kind is gated by
``can_contact`` at the moment of sending (account emails excepted, listed with the reason).

A new message belongs in its app's ``messages.py`` (see docs/decisions/0010-one-outbox.md).
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from django.conf import settings

from outbox import kinds, sending
from outbox.models import Message

ROOT = Path(settings.BASE_DIR)

# Module (path from the project root) -> why it may send itself.
ALLOWED_SENDERS = {
    "outbox/channels.py": "the outbox's two channels: email through Django's backend, texts through Notify.",
}

MAIL_NAMES = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "EmailMessage",
    "EmailMultiAlternatives",
    "get_connection",
}
NOTIFY_NAMES = {
    "NotificationsAPIClient",
    "send_sms_notification",
    "send_email_notification",
    "send_letter_notification",
}
SMTP_NAMES = {"SMTP", "SMTP_SSL", "LMTP"}
SKIPPED_FOLDERS = {".venv", "node_modules", "tests", "migrations", "__pycache__", "var", "static", "e2e", "bench"}

QUEUERS = {"queue", "queue_many", "queue_prepared"}


def project_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_FOLDERS.intersection(path.relative_to(ROOT).parts[:-1])
        and not path.name.startswith("test_")
        and path.name != "conftest.py"
    )


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _module_name(relative: str) -> str:
    parts = Path(relative).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# --- Sending without the outbox -----------------------------------------------------------------


def direct_sends(source: str) -> list[str]:
    """What in this source sends a message itself: each as "line N: what"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for alias in node.names:
                if module.startswith("django.core.mail") and (alias.name in MAIL_NAMES or alias.name == "*"):
                    found.append(f"line {node.lineno}: imports {alias.name} from {module}")
                elif module.startswith("notifications_python_client"):
                    found.append(f"line {node.lineno}: imports {alias.name} from {module} (GOV.UK Notify)")
                elif module == "smtplib" and alias.name in SMTP_NAMES | {"*"}:
                    found.append(f"line {node.lineno}: imports {alias.name} from smtplib")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(("django.core.mail", "notifications_python_client")):
                    found.append(f"line {node.lineno}: imports {alias.name}")
        elif isinstance(node, ast.Attribute) and node.attr in MAIL_NAMES | NOTIFY_NAMES | SMTP_NAMES | {
            "send_messages"
        }:
            found.append(f"line {node.lineno}: uses .{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "send"
            # A message's send() takes no arguments but fail_silently; a signal's send() needs a sender.
            and not node.args
            and all(keyword.arg == "fail_silently" for keyword in node.keywords)
        ):
            found.append(f"line {node.lineno}: calls .send()")
        elif isinstance(node, ast.Constant) and node.value == "django.utils.log.AdminEmailHandler":
            found.append(f"line {node.lineno}: logs errors by email (AdminEmailHandler)")
    return found


def test_only_the_outbox_channels_send_messages_themselves():
    offenders = {}
    for path in project_modules():
        relative = _relative(path)
        if relative in ALLOWED_SENDERS:
            continue
        sends = direct_sends(path.read_text(encoding="utf-8"))
        if sends:
            offenders[relative] = sends
    assert offenders == {}, (
        "These modules send messages without the outbox (which records each one with its change, "
        "asks can_contact and sends it once). Add a kind to the app's messages.py and queue it "
        "with outbox.sending.queue instead."
    )


def test_the_listed_senders_still_send_so_the_list_stays_true():
    # An allowed module that stopped sending should come off the list.
    for relative in ALLOWED_SENDERS:
        path = ROOT / relative
        assert path.exists(), relative
        assert direct_sends(path.read_text(encoding="utf-8")), relative


def test_the_scan_finds_the_ways_a_module_could_send():
    # The scan above means something only if it recognises a sender when there is one.
    assert direct_sends("from django.core.mail import send_mail\nsend_mail('s', 'b', None, ['a@b.c'])")
    assert direct_sends("from django.core import mail\nmail.send_mail('s', 'b', None, ['a@b.c'])")
    assert direct_sends("from django.core import mail\nmail.mail_admins('s', 'b')")
    assert direct_sends("import django.core.mail\n")
    assert direct_sends("from django.core.mail import EmailMessage\nEmailMessage('s').send()")
    assert direct_sends("from django.core.mail import get_connection\nget_connection().open()")
    assert direct_sends("def f(message):\n    message.send(fail_silently=True)")
    assert direct_sends("def f(connection, messages):\n    connection.send_messages(messages)")
    assert direct_sends("def f(adapter):\n    adapter.send_mail('account/email/x', 'a@b.c', {})")
    assert direct_sends("from notifications_python_client.notifications import NotificationsAPIClient\n")
    assert direct_sends("import notifications_python_client\n")
    assert direct_sends("def f(client):\n    client.send_sms_notification(phone_number='07700900123')")
    assert direct_sends("import smtplib\nsmtplib.SMTP('localhost').sendmail('a', ['b'], 'c')")
    assert direct_sends("LOGGING = {'class': 'django.utils.log.AdminEmailHandler'}")
    # …and leaves alone what only looks like one.
    assert direct_sends("def f(signal):\n    signal.send(sender=object)") == []
    assert (
        direct_sends("from outbox import sending\nsending.queue(kind='x.y', about=a, recipient=b, purpose='c')") == []
    )
    assert direct_sends("import smtplib\ntry:\n    pass\nexcept smtplib.SMTPException:\n    pass") == []


# --- Queueing another app's kind ------------------------------------------------------------------


def _outbox_names(tree: ast.AST, module: str, what: str, functions: set[str]) -> tuple[set[str], set[str]]:
    """The names this module gives ``outbox.<what>`` (a module) and its ``functions``."""
    modules, names = set(), set()
    target = f"outbox.{what}"
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: only the outbox itself imports itself this way
                package = module.split(".")[: -node.level] if module.count(".") >= node.level else []
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                if base == "outbox" and alias.name == what:
                    modules.add(alias.asname or alias.name)
                elif base == target and alias.name in functions:
                    names.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == target:
                    modules.add(alias.asname or alias.name)
    return modules, names


def calls_to(source: str, module: str, what: str, functions: set[str]) -> Iterator[tuple[int, str, ast.Call]]:
    """(line, function, call) for each call of ``outbox.<what>.<one of functions>`` in the source."""
    tree = ast.parse(source)
    modules, names = _outbox_names(tree, module, what, functions)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in functions and ast.unparse(func.value) in modules:
            yield node.lineno, func.attr, node
        elif isinstance(func, ast.Name) and func.id in names:
            yield node.lineno, func.id, node


def _strings(value) -> set[str] | None:
    if isinstance(value, str):
        return {value}
    if isinstance(value, Mapping):
        value = list(value.values())
    if isinstance(value, list | tuple | set | frozenset):
        found: set[str] = set()
        for item in value:
            strings = _strings(item)
            if strings is None:
                return None
            found |= strings
        return found
    return None


def kinds_named_by(expression: ast.expr | None, module: str) -> set[str] | None:
    """The kinds an expression can name: a string, an f-string (every registered kind it can
    match), a constant of the module (or one it imports), or any value of a dict or list of them.
    None when the code does not say."""
    if expression is None:
        return None
    if isinstance(expression, ast.Constant):
        return _strings(expression.value)
    if isinstance(expression, ast.JoinedStr):
        pattern = "".join(
            re.escape(part.value) if isinstance(part, ast.Constant) else ".+" for part in expression.values
        )
        return {kind.name for kind in kinds.registered() if re.fullmatch(pattern, kind.name)}
    if isinstance(expression, ast.Subscript):
        return kinds_named_by(expression.value, module)
    if (
        isinstance(expression, ast.Call)
        and isinstance(expression.func, ast.Attribute)
        and expression.func.attr == "get"
    ):
        return kinds_named_by(expression.func.value, module)
    if isinstance(expression, ast.Name | ast.Attribute):
        value = importlib.import_module(module)
        for part in ast.unparse(expression).split("."):
            value = getattr(value, part, None)
            if value is None:
                return None
        return _strings(value)
    return None


def _kind_argument(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg in ("kind", "name"):
            return keyword.value
    return call.args[0] if call.args else None


def _is_test_kind(name: str) -> bool:
    return name.split(".")[0].endswith("_tests")


def owners() -> dict[str, set[str]]:
    """For each registered kind, the apps that register it: the app of its builder, or, for
    kinds made with their words, the apps that call ``register_prepared`` with it."""
    prepared: dict[str, set[str]] = {}
    for path in project_modules():
        relative = _relative(path)
        module = _module_name(relative)
        for _, _, call in calls_to(path.read_text(encoding="utf-8"), module, "kinds", {"register_prepared"}):
            for name in kinds_named_by(_kind_argument(call), module) or ():
                prepared.setdefault(name, set()).add(relative.split("/")[0])
    found = {}
    for kind in kinds.registered():
        if kind.build is kinds.stored_content:
            found[kind.name] = prepared.get(kind.name, set())
        else:
            found[kind.name] = {kind.build.__module__.split(".")[0]}
    return found


def queueing_offences(sources: list[tuple[str, str]] | None = None) -> list[str]:
    """Each call that queues a kind its module's app does not register. ``sources`` are
    (path from the project root, source) pairs; every project module by default."""
    if sources is None:
        sources = [(_relative(path), path.read_text(encoding="utf-8")) for path in project_modules()]
    apps_of_kinds = owners()
    offences = []
    for relative, source in sources:
        app, module = relative.split("/")[0], _module_name(relative)
        if app == "outbox":
            continue
        for line, function, call in calls_to(source, module, "sending", QUEUERS):
            named = kinds_named_by(_kind_argument(call), module)
            if not named:
                offences.append(
                    f"{relative}:{line}: {function}() with a kind this scan cannot read: write kind= as a "
                    "string or a constant of the app's messages module (or a dict of them)"
                )
                continue
            for name in sorted(named):
                registered_by = apps_of_kinds.get(name)
                if registered_by is None:
                    offences.append(f"{relative}:{line}: {function}() queues {name!r}, which no app registers")
                elif registered_by != {app}:
                    who = ", ".join(sorted(registered_by)) or "no app's code"
                    offences.append(f"{relative}:{line}: {app} queues {name!r}, which {who} registers")
    return offences


def test_each_app_queues_only_the_kinds_it_registers():
    offences = queueing_offences()
    assert offences == [], "Queue a kind from the app that registers it (its messages.py):\n" + "\n".join(offences)


def test_the_queueing_scan_finds_every_call_site():
    sites = {
        (_relative(path), function)
        for path in project_modules()
        for _, function, _ in calls_to(
            path.read_text(encoding="utf-8"), _module_name(_relative(path)), "sending", QUEUERS
        )
    }
    # The messages this branch moved onto the outbox, at least: the scan sees them.
    assert {
        ("expenses/messages.py", "queue"),
        ("members/messages.py", "queue"),
        ("members/messages.py", "queue_prepared"),
    } <= sites


def test_every_kind_is_named_after_the_app_that_registers_it():
    wrong = {
        name: sorted(apps)
        for name, apps in owners().items()
        if not _is_test_kind(name) and apps != {name.split(".")[0]}
    }
    assert wrong == {}, "A kind is named '<app>.<what>' and registered by that app only (its builder lives there)."


@pytest.mark.parametrize(
    "source, found",
    [
        ("from outbox import sending\nsending.queue(kind='x.y')", [(2, "queue")]),
        ("from outbox import sending as s\ns.queue_many(kind='x.y')", [(2, "queue_many")]),
        ("from outbox.sending import queue\nqueue(kind='x.y')", [(2, "queue")]),
        ("import outbox.sending\noutbox.sending.queue_prepared(kind='x.y')", [(2, "queue_prepared")]),
        ("from queue import Queue\nQueue().put(1)\nqueue = []\nqueue.append(1)", []),
    ],
)
def test_the_scan_recognises_the_ways_to_call_the_outbox(source, found):
    assert [(line, function) for line, function, _ in calls_to(source, "someapp.messages", "sending", QUEUERS)] == found


def test_the_scan_reads_kinds_written_as_strings_constants_and_dicts_of_them():
    def named(expression: str, module: str = "expenses.messages"):
        return kinds_named_by(ast.parse(expression, mode="eval").body, module)

    assert named("'members.welcome'") == {"members.welcome"}
    assert named("WELCOME", "members.messages") == {"members.welcome"}
    assert named("KINDS[event.to_status]") >= {"expenses.claim_paid", "expenses.claim_submitted"}
    assert named("f'expenses.claim_{status}'") >= {"expenses.claim_paid", "expenses.claim_queried"}
    assert named("kind") is None  # a variable: the scan cannot tell, and says so


def test_the_scan_reports_a_kind_queued_by_another_app_or_by_nobody():
    queue = "from outbox import sending\nsending.queue(kind={}, about=a, recipient=b, purpose='claims')\n"

    assert queueing_offences([("meetings/messages.py", queue.format("'expenses.claim_paid'"))]) == [
        "meetings/messages.py:2: meetings queues 'expenses.claim_paid', which expenses registers"
    ]
    assert queueing_offences([("expenses/messages.py", queue.format("'expenses.claim_lost'"))]) == [
        "expenses/messages.py:2: queue() queues 'expenses.claim_lost', which no app registers"
    ]
    (unreadable,) = queueing_offences([("expenses/messages.py", queue.format("kind"))])
    assert "a kind this scan cannot read" in unreadable
    assert queueing_offences([("expenses/messages.py", queue.format("'expenses.claim_paid'"))]) == []


# --- Every kind asks can_contact at the moment of sending -----------------------------------------

# Kinds that go whatever someone's contact choices, and why (the recipients hook still refuses
# a closed or erased account, or one with no email address).
ACCOUNT_KINDS = {
    "members.welcome": "the set-password link is how someone registered by staff gets into their account",
    "members.account_email": "allauth's address confirmation and password reset: without them nobody can log in",
}


def _project_kinds() -> list[str]:
    return sorted(kind.name for kind in kinds.registered() if not _is_test_kind(kind.name))


def _staff_notices(kind: str):
    """The messages of ``kind`` made, if every one is a notice to staff (``members.recipients.STAFF``)."""
    made = Message.objects.filter(kind=kind)
    if made.exists() and not made.exclude(purpose="staff").exists():
        return made
    return None


def _assert_staff_notices_go_only_to_active_staff(notices) -> None:
    """Staff notices are not a member's messages: the hook's gate for them is being active staff
    with an email address. Once their recipients are no longer staff, nothing goes."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk__in=notices.values("recipient")).update(is_staff=False)
    sending.send_pending(notices)
    assert set(notices.values_list("status", flat=True)) == {Message.Status.SKIPPED}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", _project_kinds())
def test_every_kind_is_sent_only_if_can_contact_says_yes_when_it_goes(kind):
    """Made for a member who may be contacted, then sent after they withdrew consent: nothing
    goes (account emails excepted, and they go)."""
    from members.services import record_consent

    from .message_fixtures import MAKERS, messages_to, reachable_member, realistic_group

    assert kind in MAKERS, f"Add a maker for {kind!r} to tests/message_fixtures.py, so it is checked here."
    realistic_group()
    member = reachable_member()
    MAKERS[kind](member)
    notices = _staff_notices(kind)
    if notices is not None:
        _assert_staff_notices_go_only_to_active_staff(notices)
        return
    made = messages_to(kind, member)
    assert made.exists(), f"The maker for {kind} made no message to the member"

    record_consent(member=member, purpose="contact", given=False)
    sending.send_pending(made)

    outcomes = set(made.values_list("status", flat=True))
    if kind in ACCOUNT_KINDS:
        assert outcomes == {Message.Status.SENT}, ACCOUNT_KINDS[kind]
    else:
        assert outcomes == {Message.Status.SKIPPED}, f"{kind} went to a member who withdrew consent"
        assert all("no consent" in reason for reason in made.values_list("reason", flat=True))
