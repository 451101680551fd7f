"""The one hook through which the outbox asks about people: may this person be sent this
message on this channel now, and at what address.

The outbox sits below the app that knows about members and consent, so that app registers
its answers here (members does, in `MembersConfig.ready()`); `members.consent.can_contact`
stays the only gate and every channel goes through it. With nothing registered the outbox
sends nothing at all rather than guess.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class Recipients(Protocol):
    def may_contact(self, user, purpose: str, channel: str) -> bool:
        """Whether ``user`` may be sent a message for ``purpose`` on ``channel`` right now."""

    def address(self, user, channel: str) -> str:
        """The email address or phone number to use, or "" if there is none."""

    def chosen_channels(self, users: list) -> dict[int, set[str]]:
        """The channels each person has chosen to be contacted on, by user id (one query for
        the lot: a reminder run asks about everyone due at once)."""


_recipients: Recipients | None = None


def register(recipients: Recipients) -> None:
    global _recipients
    _recipients = recipients


def get() -> Recipients:
    if _recipients is None:
        raise ImproperlyConfigured("No recipients hook is registered with the outbox: is the members app installed?")
    return _recipients
