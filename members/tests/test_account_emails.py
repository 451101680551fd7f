"""allauth's account emails (confirm an address, reset a password, "you already have an account")
go through the outbox like every other message: recorded with their words, sent after the
commit, and the pages that ask for them work while the queue or the mail server is down."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members.models import User
from outbox import sending
from outbox import tasks as outbox_tasks
from outbox.models import Message

pytestmark = pytest.mark.django_db

ACCOUNT_EMAIL = "members.account_email"
PASSWORD = "a-long-and-memorable-phrase"


@pytest.fixture
def broker_down(monkeypatch):
    """Queueing the outbox's task fails, as it does when Redis is unreachable."""

    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(outbox_tasks.send_messages, "delay", refuse)


def _sign_up(client, email="new.member@example.org"):
    return client.post(
        reverse("account_signup"),
        {"name": "Nia Brown", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_the_verification_email_is_recorded_in_the_outbox_and_sent_after_the_commit(
    anonymous, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(anonymous)

    message = Message.objects.get(kind=ACCOUNT_EMAIL)
    user = User.objects.get(email="new.member@example.org")
    assert (message.recipient, message.to, message.purpose) == (user, "new.member@example.org", sending.ACCOUNT)
    assert message.status == Message.Status.SENT
    assert message.subject == "Confirm your email address – Involvement group"
    (email,) = mail.outbox
    assert email.subject == message.subject
    assert "/accounts/confirm-email/" in email.body
    assert message.body_text == "", "the one-off link is not kept once sent"


def test_signing_up_works_while_the_queue_is_down_and_the_sweep_sends_the_email(
    anonymous, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(anonymous)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert Message.objects.get(kind=ACCOUNT_EMAIL).status == Message.Status.PENDING
    assert mail.outbox == []

    assert sending.sweep() == {Message.Status.SENT: 1}
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[0].body).group(1)
    assert anonymous.post(link).status_code == 302
    assert EmailAddress.objects.get(email="new.member@example.org").verified


def test_asking_for_a_password_reset_works_while_the_mail_server_is_down(
    anonymous, member, settings, celery_eager, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "outbox.tests.backends.DisconnectingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(reverse("account_reset_password"), {"email": member.email})

    assert response.status_code == 302
    message = Message.objects.get(kind=ACCOUNT_EMAIL)
    assert message.status == Message.Status.RETRYING, "tried again after a pause"
    assert "SMTPServerDisconnected" in message.reason


def test_a_password_reset_for_an_address_with_no_account_is_sent_to_that_address(
    anonymous, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(reverse("account_reset_password"), {"email": "Nobody@Example.org"})

    message = Message.objects.get(kind=ACCOUNT_EMAIL)
    assert (message.recipient, message.status) == (None, Message.Status.SENT)
    assert [email.to for email in mail.outbox] == [["nobody@example.org"]]


def test_confirming_a_newly_added_address_goes_to_that_address(
    member_client, member, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("account_email"), {"action_add": "", "email": "amira.new@example.org"})

    assert response.status_code == 302
    message = Message.objects.get(kind=ACCOUNT_EMAIL)
    assert (message.recipient, message.to) == (member, "amira.new@example.org")
    assert [email.to for email in mail.outbox] == [["amira.new@example.org"]], "not to the account's login address"


def test_account_emails_go_whatever_the_persons_contact_choices(
    anonymous, member, celery_eager, django_capture_on_commit_callbacks
):
    from members.services import get_or_create_member

    get_or_create_member(member)  # a member who has chosen no way to be contacted and given no consent
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(reverse("account_reset_password"), {"email": member.email})

    assert Message.objects.get(kind=ACCOUNT_EMAIL).status == Message.Status.SENT
    assert [email.to for email in mail.outbox] == [[member.email]]
