"""Email backends that fail the way real mail servers do, for the outbox's error paths."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class DisconnectingBackend(BaseEmailBackend):
    """The server hangs up: may work later."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(BaseEmailBackend):
    """The server refuses the address: never will work."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"person@example.org": (550, b"No such user")})
