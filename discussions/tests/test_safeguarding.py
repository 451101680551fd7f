"""Safeguarding words: a post or reply containing one of the configured words or phrases
(any capitals, whole words only) is held for a moderator instead of published, the writer is
shown where to get help now at once, and the coordinators are told by a discreet email."""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse

from discussions import messages, rules, services
from discussions.models import Post
from outbox.models import Message
from outbox.sending import send_pending

from .factories import CoordinatorFactory, PostFactory, feed_member, safeguarding_phrases

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def signpost(db):
    # The signposts live in the project package, which apps may not import: found by label.
    signpost_model = apps.get_model("involvement", "Signpost")
    return signpost_model.objects.create(kind="crisis", name="Samaritans", phone="116 123")


@pytest.mark.parametrize(
    "text, found",
    [
        ("Some nights I want to DIE, honestly", ["want to die"]),
        ("I  want\nto die", ["want to die"]),
        ("thinking about suicide.", ["suicide"]),
        ("I wanted to diet this week", []),
        ("a suicides-prevention leaflet", []),
        ("the word self-harm appears", ["self-harm"]),
    ],
)
def test_phrases_match_in_any_capitals_on_whole_words(text, found):
    assert rules.safeguarding_matches(text, ["want to die", "suicide", "self-harm"]) == found


def test_a_post_with_a_safeguarding_phrase_is_held_and_the_writer_sees_help_at_once(member, other_member, signpost):
    safeguarding_phrases("end it all")
    feed_member(member)
    feed_member(other_member)

    response = _client(member).post(
        reverse("discussions:compose"),
        {"kind": "discussion", "title": "Tonight", "body": "I just want to End It All.", "token": str(uuid.uuid4())},
        follow=True,
    )

    post = Post.objects.get()
    assert post.is_held and post.held_because == Post.HeldBecause.SAFEGUARDING
    assert post.matched_phrases == "end it all"
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("discussions:held", args=[post.pk])
    assert 'id="help-now"' in page and "Samaritans" in page and "tel:116123" in page
    assert "Tonight" not in _client(other_member).get(reverse("discussions:feed")).content.decode()
    # …and the help stays on the post's own page for as long as it waits.
    assert "Samaritans" in _client(member).get(reverse("discussions:thread", args=[post.pk])).content.decode()


def test_a_reply_with_a_safeguarding_phrase_is_held_too(member, signpost):
    safeguarding_phrases("kill myself")
    feed_member(member)
    thread = PostFactory()

    response = _client(member).post(
        reverse("discussions:thread", args=[thread.pk]), {"body": "I could kill myself", "token": str(uuid.uuid4())}
    )

    reply = thread.replies.get()
    assert reply.held_for_safeguarding
    assert response["Location"] == reverse("discussions:held", args=[reply.pk])
    thread.refresh_from_db()
    assert thread.reply_count == 0


def test_coordinators_are_told_by_a_discreet_email(member, coordinator, celery_eager):
    safeguarding_phrases("end it all")
    other_coordinator = CoordinatorFactory(email="second@example.org")
    writer = feed_member(member)

    post = services.start_post(user=member, member=writer, kind="discussion", title="Tonight", body="End it all.")
    send_pending()

    told = {message.to[0]: message for message in mail.outbox}
    assert set(told) == {coordinator.email, other_coordinator.email}
    message = told[coordinator.email]
    assert message.subject.startswith("A post needs checking today")
    assert "end it all" not in message.subject.lower()
    assert "end it all" in message.body
    assert reverse("discussions_staff:moderate", args=[post.pk]) in message.body
    assert member.email not in told


def test_the_notice_is_not_sent_once_a_moderator_has_dealt_with_the_post(member, coordinator):
    safeguarding_phrases("end it all")
    writer = feed_member(member)
    post = services.start_post(user=member, member=writer, kind="discussion", title="T", body="end it all")
    services.hide_post(post=post, by=coordinator, note="We will call you today.")

    outcomes = send_pending()

    assert not [m for m in mail.outbox if m.subject.startswith("A post needs checking")]
    notice = Message.objects.get(kind=messages.SAFEGUARDING)
    assert notice.status == Message.Status.SKIPPED and "already dealt with" in notice.reason
    assert outcomes.get("skipped", 0) >= 1


def test_taking_the_words_out_does_not_publish_a_post_a_moderator_was_asked_to_see(member):
    safeguarding_phrases("end it all")
    writer = feed_member(member)
    post = services.start_post(user=member, member=writer, kind="discussion", title="T", body="end it all")

    services.edit_held_post(
        post=post, user=member, member=writer, title="T", body="I am fine", content_note="", topic=None
    )

    post.refresh_from_db()
    assert post.held_for_safeguarding


def test_staff_posts_are_never_held(coordinator):
    safeguarding_phrases("suicide")
    post = services.start_post(
        user=coordinator, member=None, kind="news", title="Suicide prevention training", body="Sign up for it."
    )
    assert post.is_published


def test_once_a_moderator_has_dealt_with_it_the_help_page_leads_to_the_post(member, coordinator):
    safeguarding_phrases("end it all")
    writer = feed_member(member)
    post = services.start_post(user=member, member=writer, kind="discussion", title="T", body="end it all")
    client = _client(member)
    assert client.get(reverse("discussions:held", args=[post.pk])).status_code == 200

    services.approve_post(post=post, by=coordinator, note="Spoke to her; she wants it posted.")

    response = client.get(reverse("discussions:held", args=[post.pk]))
    assert response["Location"] == reverse("discussions:thread", args=[post.pk])


def test_nobody_else_sees_the_help_page_for_someone_elses_post(member, other_member):
    safeguarding_phrases("end it all")
    writer = feed_member(member)
    feed_member(other_member)
    post = services.start_post(user=member, member=writer, kind="discussion", title="T", body="end it all")

    assert _client(other_member).get(reverse("discussions:held", args=[post.pk])).status_code == 404
