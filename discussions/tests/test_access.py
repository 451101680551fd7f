"""Only members taking part (active) and coordinators see the feed. The public, commissioners,
people still joining, taking a break or who have left see nothing of it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from discussions import services
from members.models import Member

from .factories import PostFactory, feed_member

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _feed_urls(post) -> list[str]:
    return [
        reverse("discussions:feed"),
        reverse("discussions:thread", args=[post.pk]),
        reverse("discussions:compose"),
        reverse("discussions:alerts"),
        reverse("discussions:report", args=[post.pk]),
    ]


def test_the_public_is_sent_to_log_in_and_sees_nothing(anonymous):
    post = PostFactory(title="A private group post")
    for url in _feed_urls(post):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        assert "A private group post" not in response.content.decode()


def test_commissioners_are_refused_everything(commissioner_client):
    post = PostFactory(title="A private group post")
    for url in _feed_urls(post):
        response = commissioner_client.get(url)
        assert response.status_code == 403, url
        assert "A private group post" not in response.content.decode()
    assert commissioner_client.post(reverse("discussions:mute", args=[post.pk])).status_code == 403


def test_a_commissioner_who_was_once_a_member_is_refused_too(commissioner, commissioner_client):
    feed_member(commissioner)
    assert commissioner_client.get(reverse("discussions:feed")).status_code == 403
    assert commissioner_client.get(reverse("discussions:team")).status_code == 403
    assert commissioner_client.get(reverse("discussions:ask")).status_code == 403


@pytest.mark.parametrize("status", [Member.Status.INTERESTED, Member.Status.PAUSED, Member.Status.LEFT])
def test_members_not_taking_part_are_refused_with_a_reason(member, status):
    feed_member(member, status=status)
    post = PostFactory(title="A private group post")
    client = _client(member)
    for url in _feed_urls(post):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "A private group post" not in response.content.decode()
    if status == Member.Status.PAUSED:
        assert "taking a break" in client.get(reverse("discussions:feed")).content.decode()


def test_a_member_taking_part_and_a_coordinator_see_the_feed(member, coordinator_client):
    feed_member(member)
    PostFactory(title="A private group post")
    assert "A private group post" in _client(member).get(reverse("discussions:feed")).content.decode()
    assert "A private group post" in coordinator_client.get(reverse("discussions:feed")).content.decode()


def test_a_hidden_post_is_for_coordinators_only(member, coordinator, coordinator_client):
    feed_member(member)
    post = PostFactory(title="Hidden one")
    services.hide_post(post=post, by=coordinator, note="Removed.")
    assert _client(member).get(reverse("discussions:thread", args=[post.pk])).status_code == 404
    assert _client(member).get(reverse("discussions:report", args=[post.pk])).status_code == 404
    assert coordinator_client.get(reverse("discussions:thread", args=[post.pk])).status_code == 200


def test_a_missing_post_is_not_found(member):
    feed_member(member)
    client = _client(member)
    assert client.get(reverse("discussions:thread", args=[999999])).status_code == 404
    # Beyond what the database's id column holds: still "not found", never an error.
    assert client.get(reverse("discussions:thread", args=[10**20])).status_code == 404
    assert client.get(reverse("discussions:report", args=[10**20])).status_code == 404
    assert client.get(reverse("discussions:conversation", args=[10**20])).status_code == 404


def test_the_navigation_shows_the_feed_to_members_and_staff_only(member, coordinator_client, commissioner_client):
    feed_member(member)
    link = f'href="{reverse("discussions:feed")}"'
    assert link in _client(member).get(reverse("home")).content.decode()
    assert link in coordinator_client.get(reverse("home")).content.decode()
    assert link not in commissioner_client.get(reverse("home")).content.decode()
    assert link not in Client().get(reverse("home")).content.decode()


def test_the_dashboard_links_the_feed_and_says_what_waits(member):
    from members.dashboard import entries_for

    from .factories import new_member

    writer = new_member(member)
    services.start_post(user=member, member=writer, kind="discussion", title="Hi", body="New here")

    entries = {entry.title: entry for entry in entries_for(writer)}
    assert entries["Group feed"].url == reverse("discussions:feed")
    assert entries["Group feed"].highlight == "1 waiting for a moderator"
    assert entries["Ask the team"].url == reverse("discussions:team")
    page = _client(member).get(reverse("members:dashboard")).content.decode()
    assert "Group feed" in page


def test_replies_in_a_hidden_thread_are_hidden_with_it(member, other_member, coordinator):
    from .factories import ReplyFactory, new_member

    feed_member(member)
    writer = new_member(other_member)
    thread = PostFactory(title="Taken down later")
    published = ReplyFactory(thread=thread, body="A reply that was in the feed")
    waiting = services.reply_to(thread=thread, user=other_member, member=writer, body="My reply waits")
    assert waiting.is_held
    services.hide_post(post=thread, by=coordinator, note="Removed.")

    reader = _client(member)
    assert reader.get(reverse("discussions:report", args=[published.pk])).status_code == 404
    writer_client = _client(other_member)
    assert writer_client.get(reverse("discussions:edit", args=[waiting.pk])).status_code == 404
    assert (
        reverse("discussions:edit", args=[waiting.pk])
        not in writer_client.get(reverse("discussions:feed")).content.decode()
    )
    with pytest.raises(services.DiscussionError):
        services.edit_held_post(
            post=waiting, user=other_member, member=writer, title="", body="Changed", content_note="", topic=None
        )
