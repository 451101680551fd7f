"""The outbox on its own: a test kind of message about a user, and a recipients hook the
tests control (the real one, members', is tested in members and in tests/integration)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from outbox import kinds, recipients
from outbox.kinds import Content

KIND = "outbox_tests.note"


def build_note(message):
    if getattr(message.about, "name", "") == "No longer needed":
        raise kinds.NoLongerNeeded("the test said so")
    if message.channel == "sms":
        return Content(text=f"Hello {message.about.name}. A note for you.")
    return Content(subject="A note for you", text=f"Hello {message.about.name}.", html="<p>Hello.</p>")


kinds.register(KIND, label="Test note", build=build_note)


class FakeRecipients:
    def __init__(self):
        self.allowed = True
        self.phone = "07700900123"
        self.channels = {"email"}

    def may_contact(self, user, purpose, channel):
        return self.allowed

    def address(self, user, channel):
        return user.email if channel == "email" else self.phone

    def chosen_channels(self, users):
        return {user.pk: set(self.channels) for user in users}


@pytest.fixture
def hook():
    before = recipients.get()
    fake = FakeRecipients()
    recipients.register(fake)
    yield fake
    recipients.register(before)


@pytest.fixture
def person(db):
    return get_user_model().objects.create_user(email="person@example.org", name="Pat Person")
