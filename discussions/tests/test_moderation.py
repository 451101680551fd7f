"""Pre-moderation and the moderation queue: new members' posts wait for a moderator (who may
approve, hide with a note to the writer, or contact the writer privately), reported posts come
to the queue, and every action is recorded. Only coordinators moderate."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from discussions import services
from discussions.models import Conversation, ModerationAction, Post, Report

from .factories import PostFactory, feed_member, new_member, safeguarding_phrases

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _start(member, **fields) -> Post:
    fields = {"kind": "discussion", "title": "Hello everyone", "body": "I am new here.", **fields}
    return services.start_post(user=member.user, member=member, **fields)


def test_a_new_members_post_waits_for_a_moderator_and_only_they_and_staff_see_it(
    member, other_member, coordinator, coordinator_client
):
    writer = new_member(member)
    feed_member(other_member)

    response = _client(member).post(
        reverse("discussions:compose"),
        {"kind": "discussion", "title": "Hello everyone", "body": "I am new here.", "token": str(uuid.uuid4())},
    )

    post = Post.objects.get()
    assert post.is_held and post.held_because == Post.HeldBecause.NEW_MEMBER
    own = _client(member).get(response["Location"]).content.decode()
    assert "waiting for a moderator" in own
    feed = _client(other_member).get(reverse("discussions:feed")).content.decode()
    assert "Hello everyone" not in feed
    assert _client(other_member).get(reverse("discussions:thread", args=[post.pk])).status_code == 404
    assert coordinator_client.get(reverse("discussions:thread", args=[post.pk])).status_code == 200
    assert writer.user == post.author


def test_the_hold_period_is_configurable(member):
    writer = new_member(member)
    safeguarding_phrases(hold_days=0)
    assert _start(writer).is_published
    safeguarding_phrases(hold_days=28)
    assert _start(writer, title="Second").is_held


def test_the_writer_can_change_a_waiting_post_and_it_still_waits(member):
    writer = new_member(member)
    post = _start(writer)

    response = _client(member).post(
        reverse("discussions:edit", args=[post.pk]),
        {"title": "Hello all", "body": "Changed my words.", "content_note": "", "topic": ""},
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Hello all" and "Changed my words." in post.body_html
    assert post.is_held and post.edited_at is not None


def test_nobody_else_can_change_a_waiting_post_and_a_published_one_cannot_be_changed(member, other_member):
    post = _start(new_member(member))
    feed_member(other_member)
    assert _client(other_member).get(reverse("discussions:edit", args=[post.pk])).status_code == 404

    services.approve_post(post=post, by=post.author, note="")
    assert _client(member).get(reverse("discussions:edit", args=[post.pk])).status_code == 404


def test_approving_publishes_the_post_and_records_who_did_it(member, coordinator, coordinator_client):
    post = _start(new_member(member))

    response = coordinator_client.post(
        reverse("discussions_staff:moderate", args=[post.pk]), {"action": "approve", "note": "Welcome!"}
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_published and post.published_at is not None
    action = ModerationAction.objects.get(post=post)
    assert (action.action, action.by, action.note) == ("approve", coordinator, "Welcome!")


def test_hiding_needs_a_note_which_goes_to_the_writer_privately(member, coordinator, coordinator_client):
    post = _start(feed_member(member))
    url = reverse("discussions_staff:moderate", args=[post.pk])

    refused = coordinator_client.post(url, {"action": "hide", "note": ""})
    assert refused.status_code == 200
    assert "Write a note to the writer." in refused.content.decode()
    post.refresh_from_db()
    assert post.is_published

    coordinator_client.post(url, {"action": "hide", "note": "We took this down because it names a nurse."})

    post.refresh_from_db()
    assert post.is_hidden
    conversation = Conversation.objects.get(member_user=member)
    assert conversation.about_post == post
    assert conversation.messages.get().body == "We took this down because it names a nurse."
    assert conversation.messages.get().from_team
    assert ModerationAction.objects.filter(post=post, action="hide", by=coordinator).exists()
    page = _client(member).get(reverse("discussions:conversation", args=[conversation.pk])).content.decode()
    assert "names a nurse" in page
    assert _client(member).get(reverse("discussions:thread", args=[post.pk])).status_code == 404


def test_a_hidden_reply_no_longer_counts(member, other_member, coordinator):
    thread = _start(feed_member(member))
    reply = services.reply_to(thread=thread, user=other_member, member=feed_member(other_member), body="Rude words")
    thread.refresh_from_db()
    assert thread.reply_count == 1

    services.hide_post(post=reply, by=coordinator, note="Please be kind.")

    thread.refresh_from_db()
    assert thread.reply_count == 0


def test_contacting_the_writer_starts_a_private_conversation(member, coordinator, coordinator_client):
    post = _start(feed_member(member))

    coordinator_client.post(
        reverse("discussions_staff:moderate", args=[post.pk]), {"action": "contact", "body": "How are you doing?"}
    )

    conversation = Conversation.objects.get(member_user=member)
    assert conversation.last_answered_by == coordinator
    assert not conversation.waiting_for_team
    assert ModerationAction.objects.filter(post=post, action="contact").exists()
    post.refresh_from_db()
    assert post.is_published  # contacting changes nothing about the post


def test_a_reported_post_comes_to_the_queue_and_keeping_it_closes_the_reports(
    member, other_member, coordinator, coordinator_client
):
    post = _start(feed_member(member))
    feed_member(other_member)

    response = _client(other_member).post(
        reverse("discussions:report", args=[post.pk]), {"reason": "private", "details": "It names someone."}
    )
    _client(other_member).post(reverse("discussions:report", args=[post.pk]), {"reason": "private"})

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.details) == (other_member, "private", "It names someone.")
    post.refresh_from_db()
    assert post.open_reports == 1
    queue = coordinator_client.get(reverse("discussions_staff:queue")).content.decode()
    assert "Hello everyone" in queue and "Reported 1 time" in queue

    coordinator_client.post(reverse("discussions_staff:moderate", args=[post.pk]), {"action": "approve", "note": ""})

    post.refresh_from_db()
    report.refresh_from_db()
    assert post.open_reports == 0 and report.resolved_by == coordinator and post.is_published
    assert ModerationAction.objects.filter(post=post, action="keep").exists()
    assert "Hello everyone" not in coordinator_client.get(reverse("discussions_staff:queue")).content.decode()


def test_a_report_needs_a_reason(member):
    feed_member(member)
    post = PostFactory()

    response = _client(member).post(reverse("discussions:report", args=[post.pk]), {"reason": ""})

    assert response.status_code == 200
    assert "Choose why you are reporting this post." in response.content.decode()
    assert not Report.objects.exists()


def test_the_queue_shows_held_posts_safeguarding_first(member, other_member, coordinator_client):
    safeguarding_phrases("want to die")
    _start(new_member(member), title="Just new")
    _start(feed_member(other_member), title="Worrying", body="Some days I want to die.")

    queue = coordinator_client.get(reverse("discussions_staff:queue"))

    titles = [post.title for post in queue.context["page"].object_list]
    assert titles == ["Worrying", "Just new"]


def test_staff_pin_and_unpin_and_it_is_recorded(coordinator, coordinator_client):
    post = PostFactory()
    url = reverse("discussions_staff:moderate", args=[post.pk])

    coordinator_client.post(url, {"action": "pin"})
    post.refresh_from_db()
    assert post.pinned
    coordinator_client.post(url, {"action": "unpin"})
    post.refresh_from_db()
    assert not post.pinned
    assert list(ModerationAction.objects.filter(post=post).values_list("action", flat=True)) == ["unpin", "pin"]


def test_an_unknown_action_is_explained_not_an_error(coordinator_client):
    post = PostFactory()
    response = coordinator_client.post(reverse("discussions_staff:moderate", args=[post.pk]), {"action": "zap"})
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["member", "commissioner", "anonymous"])
def test_only_coordinators_use_the_moderation_pages(who, member, commissioner_client, anonymous):
    feed_member(member)
    post = PostFactory()
    client = {"member": _client(member), "commissioner": commissioner_client, "anonymous": anonymous}[who]
    for url in (
        reverse("discussions_staff:queue"),
        reverse("discussions_staff:moderate", args=[post.pk]),
        reverse("discussions_staff:inbox"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if who == "anonymous":
            assert "/accounts/login/" in response["Location"]
    response = client.post(reverse("discussions_staff:moderate", args=[post.pk]), {"action": "pin"})
    post.refresh_from_db()
    assert not post.pinned


def test_a_post_a_moderator_has_hidden_can_no_longer_be_changed(member, coordinator):
    post = _start(new_member(member))
    client = _client(member)
    client.get(reverse("discussions:edit", args=[post.pk]))
    services.hide_post(post=post, by=coordinator, note="Please see our message.")

    response = client.post(
        reverse("discussions:edit", args=[post.pk]), {"title": "T", "body": "B", "content_note": "", "topic": ""}
    )

    assert response.status_code == 404  # only a post still waiting can be changed
    post.refresh_from_db()
    assert post.is_hidden and post.title == "Hello everyone"


def test_a_post_another_moderator_hid_is_not_approved_back_into_the_feed(member, coordinator, coordinator_client):
    post = _start(new_member(member))
    services.hide_post(post=post, by=coordinator, note="Please see our message.")

    # A second moderator still has the page from before it was hidden.
    response = coordinator_client.post(
        reverse("discussions_staff:moderate", args=[post.pk]), {"action": "approve", "note": ""}
    )

    assert response.status_code == 200
    assert "Another moderator has hidden this post" in response.content.decode()
    post.refresh_from_db()
    assert post.is_hidden
    assert not ModerationAction.objects.filter(post=post, action="approve").exists()
