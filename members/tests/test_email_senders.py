"""Every email that is not an account email asks `can_contact` first: checked by reading the code.

`members.consent.can_contact(member, purpose, channel)` is the one question every sender asks
before sending anything that is not an account email. A new sender that builds and sends a
message itself would skip it silently, and no behaviour test of the existing senders would
notice. So this test reads every Python module of the project and fails if one sends email
directly (Django's mail functions and message classes, a message's ``.send()``, a
connection's ``send_messages``, an allauth adapter's ``send_mail``) outside the modules
listed below, each with the reason it may.

A new sender should go through `members.emails.send_member_email` (which asks `can_contact`),
or be added here with the reason, and reviewed as such.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Module (path from the project root) -> why it may send email itself.
ALLOWED_SENDERS = {
    "members/emails.py": (
        "`send_member_email` asks can_contact before every non-account email; "
        "`send_welcome_email` is an account email (the set-password link), see docs/decisions/0004."
    ),
    "members/adapters.py": (
        "allauth's account emails (verification, password reset): without them a person cannot "
        "reach their own account, so they go whatever the contact preferences (docs/decisions/0004)."
    ),
    "meetings/emails.py": (
        "builds and sends meeting messages; called only by meetings/deliveries.py, which asks "
        "can_contact first and records the message as skipped otherwise (see MEETING_EMAIL_CALLERS)."
    ),
}

# meetings/emails.py sends without asking can_contact itself, so who may call it is part of the rule.
MEETING_EMAIL_CALLERS = {"meetings/deliveries.py": "asks can_contact before each send (`send_claimed`)."}

MAIL_NAMES = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "EmailMessage",
    "EmailMultiAlternatives",
    "get_connection",
}
SKIPPED_FOLDERS = {".venv", "node_modules", "tests", "migrations", "__pycache__", "var", "static", "e2e", "bench"}


def project_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_FOLDERS.intersection(path.relative_to(ROOT).parts[:-1])
        and not path.name.startswith("test_")
        and path.name != "conftest.py"
    )


def direct_sends(source: str) -> list[str]:
    """What in this source sends email itself: each as "line N: what"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail"):
            for alias in node.names:
                if alias.name in MAIL_NAMES or alias.name == "*":
                    found.append(f"line {node.lineno}: imports {alias.name} from {node.module}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("django.core.mail"):
                    found.append(f"line {node.lineno}: imports {alias.name}")
        elif isinstance(node, ast.Attribute) and node.attr in MAIL_NAMES | {"send_messages"}:
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
    return found


def imports_meeting_emails(path: Path, source: str) -> bool:
    package = path.relative_to(ROOT).parts[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            names = {alias.name for alias in node.names}
            if node.module == "meetings.emails" or (node.module == "meetings" and "emails" in names):
                return True
            if (
                package == "meetings"
                and node.level == 1
                and (node.module == "emails" or (node.module is None and "emails" in names))
            ):
                return True
        elif isinstance(node, ast.Import) and any(alias.name == "meetings.emails" for alias in node.names):
            return True
    return False


def test_only_the_listed_modules_send_email_themselves():
    offenders = {}
    for path in project_modules():
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED_SENDERS:
            continue
        sends = direct_sends(path.read_text(encoding="utf-8"))
        if sends:
            offenders[relative] = sends
    assert offenders == {}, (
        "These modules send email without going through members.emails.send_member_email "
        "(which asks can_contact). Use it, or add the module to ALLOWED_SENDERS with the reason."
    )


def test_the_listed_senders_still_send_so_the_list_stays_true():
    # An allow-listed module that stopped sending should come off the list.
    for relative in ALLOWED_SENDERS:
        path = ROOT / relative
        assert path.exists(), relative
        assert direct_sends(path.read_text(encoding="utf-8")), relative


def test_only_the_deliveries_module_calls_the_meeting_email_senders():
    callers = {
        path.relative_to(ROOT).as_posix()
        for path in project_modules()
        if path.relative_to(ROOT).as_posix() != "meetings/emails.py"
        and imports_meeting_emails(path, path.read_text(encoding="utf-8"))
    }
    assert callers <= set(MEETING_EMAIL_CALLERS), callers - set(MEETING_EMAIL_CALLERS)


def test_the_scan_finds_the_ways_a_module_could_send_email():
    # The scan above means something only if it recognises a sender when there is one.
    assert direct_sends("from django.core.mail import send_mail\nsend_mail('s', 'b', None, ['a@b.c'])")
    assert direct_sends("from django.core import mail\nmail.send_mail('s', 'b', None, ['a@b.c'])")
    assert direct_sends("import django.core.mail\n")
    assert direct_sends("from django.core.mail import EmailMessage\nEmailMessage('s').send()")
    assert direct_sends("def f(message):\n    message.send(fail_silently=True)")
    assert direct_sends("def f(connection, messages):\n    connection.send_messages(messages)")
    assert direct_sends("def f(adapter):\n    adapter.send_mail('account/email/x', 'a@b.c', {})")
    # …and leaves alone what only looks like one.
    assert direct_sends("def f(signal):\n    signal.send(sender=object)") == []
    assert direct_sends("from members.emails import send_member_email\n") == []
