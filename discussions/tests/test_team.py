"""Ask the team: a member's private conversation with the coordinators. Only that member and
coordinators can see it; coordinators share one inbox that shows who answered."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from discussions import services
from discussions.models import Conversation, TeamMessage
from members.tests.totp import client_with_two_step

from .factories import CoordinatorFactory, feed_member

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_asks_the_team_and_sees_their_conversation(member):
    feed_member(member)
    client = _client(member)

    response = client.post(
        reverse("discussions:ask"),
        {"subject": "Bringing my baby", "body": "Can I bring her to the panel?", "token": str(uuid.uuid4())},
    )

    conversation = Conversation.objects.get()
    assert response["Location"] == reverse("discussions:conversation", args=[conversation.pk])
    assert conversation.member_user == member and conversation.waiting_for_team
    page = client.get(reverse("discussions:team")).content.decode()
    assert "Bringing my baby" in page and "Waiting for the team to answer" in page


def test_sending_the_question_twice_starts_one_conversation(member):
    feed_member(member)
    data = {"subject": "Twice", "body": "Hello", "token": str(uuid.uuid4())}
    client = _client(member)
    client.post(reverse("discussions:ask"), data)
    client.post(reverse("discussions:ask"), data)
    assert Conversation.objects.count() == 1 and TeamMessage.objects.count() == 1


def test_a_question_needs_a_subject_and_a_message(member):
    feed_member(member)
    response = _client(member).post(reverse("discussions:ask"), {"subject": "", "body": "Typed words"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say in a few words what it is about." in page and "Typed words" in page
    assert not Conversation.objects.exists()


def test_the_shared_inbox_shows_who_answered(member, coordinator, coordinator_client):
    feed_member(member)
    colleague = CoordinatorFactory(email="colleague@example.org", name="Pat Colleague")
    conversation = services.ask_the_team(user=member, subject="Parking", body="Can I claim?")
    waiting = coordinator_client.get(reverse("discussions_staff:inbox")).content.decode()
    assert "Parking" in waiting and "Needs an answer" in waiting

    client_with_two_step(colleague).post(
        reverse("discussions_staff:conversation", args=[conversation.pk]),
        {"body": "Yes you can.", "token": str(uuid.uuid4())},
    )

    conversation.refresh_from_db()
    assert conversation.last_answered_by == colleague and not conversation.waiting_for_team
    assert "Parking" not in coordinator_client.get(reverse("discussions_staff:inbox")).content.decode()
    everything = coordinator_client.get(reverse("discussions_staff:inbox") + "?show=all").content.decode()
    assert "Parking" in everything and "Pat Colleague" in everything
    member_view = _client(member).get(reverse("discussions:conversation", args=[conversation.pk])).content.decode()
    assert "Yes you can." in member_view and "Pat (team)" in member_view


def test_the_member_writing_again_puts_it_back_in_the_inbox(member, coordinator):
    feed_member(member)
    conversation = services.ask_the_team(user=member, subject="Parking", body="Can I claim?")
    services.write_message(conversation=conversation, user=coordinator, body="Yes.")
    services.write_message(conversation=conversation, user=member, body="Thanks, and the bus?")
    conversation.refresh_from_db()
    assert conversation.waiting_for_team and conversation.message_count == 3


def test_another_member_cannot_see_or_write_in_a_conversation(member, other_member):
    feed_member(member)
    feed_member(other_member)
    conversation = services.ask_the_team(user=member, subject="Private", body="Only for the team")
    client = _client(other_member)

    assert client.get(reverse("discussions:conversation", args=[conversation.pk])).status_code == 404
    response = client.post(reverse("discussions:conversation", args=[conversation.pk]), {"body": "Hi"})
    assert response.status_code == 404
    assert "Private" not in client.get(reverse("discussions:team")).content.decode()
    assert conversation.messages.count() == 1


def test_commissioners_and_the_public_see_no_conversation(member, commissioner_client, anonymous):
    feed_member(member)
    conversation = services.ask_the_team(user=member, subject="Private", body="Only for the team")
    for url in (
        reverse("discussions:team"),
        reverse("discussions:conversation", args=[conversation.pk]),
        reverse("discussions_staff:conversation", args=[conversation.pk]),
        reverse("discussions_staff:inbox"),
    ):
        assert commissioner_client.get(url).status_code == 403, url
        assert anonymous.get(url).status_code == 302, url


def test_a_member_cannot_use_the_staff_inbox(member):
    feed_member(member)
    conversation = services.ask_the_team(user=member, subject="Mine", body="Hello")
    client = _client(member)
    assert client.get(reverse("discussions_staff:conversation", args=[conversation.pk])).status_code == 403
    response = client.post(reverse("discussions_staff:conversation", args=[conversation.pk]), {"body": "x"})
    assert response.status_code == 403


def test_the_ask_page_takes_the_teams_hours_from_the_group_profile(member):
    from django.apps import apps

    feed_member(member)
    profile, _ = apps.get_model("involvement", "GroupProfile").objects.get_or_create(pk=1)
    profile.contact_hours = "Tuesday to Thursday, 10am to 4pm"
    profile.save()

    page = _client(member).get(reverse("discussions:ask")).content.decode()

    assert "Tuesday to Thursday, 10am to 4pm" in page
    assert "working days" not in page


def test_nobody_can_write_in_a_conversation_whose_member_was_removed(member, coordinator):
    feed_member(member)
    conversation = services.ask_the_team(user=member, subject="Expenses", body="Can I claim?")
    Conversation.objects.filter(pk=conversation.pk).update(member_user=None)

    with pytest.raises(services.DiscussionError):
        services.write_message(conversation=conversation, user=coordinator, body="Hello?")
