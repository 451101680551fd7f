"""The coordinators' view of every message: filters, "Needs checking", and "Send again" that
first says a held message may already have arrived."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outbox import channels, sending
from outbox.models import Message

from .conftest import KIND

Status = Message.Status
CHANGELIST = reverse("admin:outbox_message_changelist")


@pytest.fixture
def held_message(hook, person):
    sending.queue(kind=KIND, about=person, recipient=person, purpose="news")
    message = Message.objects.get()
    long_ago = timezone.now() - channels.longest_send() - dt.timedelta(minutes=1)
    sending._take(message, long_ago, status=Status.PENDING, attempts=0)  # then the worker died
    return message


def test_coordinators_see_every_message_with_its_status(coordinator_client, held_message):
    page = coordinator_client.get(CHANGELIST).content.decode()

    assert "Test note" in page
    assert "Pat Person" in page
    assert "Sending" in page


def test_needs_checking_lists_held_and_failed_messages_only(coordinator_client, held_message, person):
    sending.queue(kind=KIND, about=person, recipient=person, purpose="news", key="fine")
    sending.send_pending()  # the second one is sent
    assert Message.objects.filter(status=Status.SENT).count() == 1

    response = coordinator_client.get(CHANGELIST, {"needs_checking": "yes"})

    assert list(response.context["cl"].queryset) == [held_message]


def test_filters_by_status_channel_and_kind(coordinator_client, held_message):
    for query in ({"status__exact": "sending"}, {"channel__exact": "email"}, {"kind": KIND}):
        response = coordinator_client.get(CHANGELIST, query)
        assert list(response.context["cl"].queryset) == [held_message], query
    response = coordinator_client.get(CHANGELIST, {"status__exact": "sent"})
    assert list(response.context["cl"].queryset) == []


def test_send_again_first_says_the_message_may_already_have_arrived(coordinator_client, held_message):
    response = coordinator_client.post(CHANGELIST, {"action": "send_again", "_selected_action": [held_message.pk]})

    page = response.content.decode()
    assert "may already have arrived" in page
    assert len(mail.outbox) == 0
    held_message.refresh_from_db()
    assert held_message.status == Status.SENDING


def test_send_again_once_confirmed_sends_and_records_who(coordinator_client, coordinator, held_message):
    response = coordinator_client.post(
        CHANGELIST, {"action": "send_again", "_selected_action": [held_message.pk], "confirm": "yes"}, follow=True
    )

    assert "Sent 1 message(s)." in response.content.decode()
    held_message.refresh_from_db()
    assert held_message.status == Status.SENT
    assert held_message.sent_again_by == coordinator
    assert len(mail.outbox) == 1


def test_the_message_list_is_refused_to_members_and_commissioners(held_message, member_client, commissioner_client):
    for client in (member_client, commissioner_client):
        response = client.get(CHANGELIST)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/login" in response["Location"]


def test_the_message_list_costs_the_same_number_of_queries_for_more_messages(
    coordinator_client, hook, person, django_assert_max_num_queries
):
    from django.contrib.auth import get_user_model

    def add(count):
        for n in range(count):
            user = get_user_model().objects.create_user(email=f"p{n}-{Message.objects.count()}@example.org", name="P")
            sending.queue(kind=KIND, about=user, recipient=user, purpose="news")

    add(3)
    with django_assert_max_num_queries(20) as few:
        coordinator_client.get(CHANGELIST)
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator_client.get(CHANGELIST)


def test_coordinators_never_see_the_words_of_an_account_email(coordinator_client, hook, person, settings):
    from outbox import kinds

    settings.EMAIL_BACKEND = "outbox.tests.backends.RefusingBackend"  # kept as failed, words and all
    kinds.register_prepared("outbox_tests.account", label="Test account email")
    content = kinds.Content(subject="Set your password", text="https://example.org/reset/key-123")
    sending.queue_prepared(kind="outbox_tests.account", recipient=person, to=person.email, content=content)
    sending.send_pending()
    message = Message.objects.get()

    page = coordinator_client.get(reverse("admin:outbox_message_change", args=[message.pk])).content.decode()

    assert message.status == Status.FAILED
    assert "Set your password" in page
    assert "key-123" not in page
    assert "Not shown: account emails carry one-off links" in page
