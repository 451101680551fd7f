"""Messages in "download my data" and "erase my data": every message to the member is listed once
(what it was, how, what happened and when, never what it said), and erasure removes what the
messages said and where they went, keeping the record that they were sent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from members.messages import account_email, welcome
from members.privacy import erase_member, member_export_json
from members.tests.factories import MemberFactory, give_consents
from outbox import sending
from outbox.kinds import Content
from outbox.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def grace():
    member = MemberFactory(active=True, user__email="grace@example.org", user__name="Grace Obi")
    give_consents(member)
    return member


def test_the_data_download_lists_each_message_once_without_what_it_said(grace):
    welcome(member=grace)
    account_email(to="grace@example.org", content=Content(subject="Reset your password", text="A secret link"))
    sending.send_pending()

    listed = member_export_json(grace)["messages"]

    assert [(m["message"], m["channel"], m["status"]) for m in listed] == [
        ("Welcome email with a link to set a password", "Email", "Sent"),
        ("Account email (confirm an address, reset a password)", "Email", "Sent"),
    ]
    assert all(m["sent_at"] and m["made_at"] for m in listed)
    assert "secret link" not in str(listed) and "Reset your password" not in str(listed)


def test_the_data_page_shows_the_messages(grace):
    welcome(member=grace)
    client = Client()
    client.force_login(grace.user)

    html = client.get(reverse("members:data")).content.decode()

    assert "Messages we have sent you, or tried to" in html
    assert "Welcome email with a link to set a password" in html


def test_erasure_removes_what_messages_said_and_where_they_went(grace, other_member):
    welcome(member=grace)
    sending.send_pending()
    someone_else = MemberFactory(user=other_member, active=True)
    welcome(member=someone_else)
    sending.send_pending()

    erase_member(member=grace)

    message = Message.objects.get(recipient=grace.user)
    assert (message.to, message.subject, message.body_text, message.body_html) == ("", "", "", "")
    assert message.status == Message.Status.SENT and message.sent_at is not None
    assert Message.objects.get(recipient=other_member).to == "other.member@example.org", "only theirs"
