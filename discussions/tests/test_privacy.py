"""A member's posts, messages to the team, reports and alert choices are in their data download,
and erasure removes their words from the feed and deletes their conversations with the team."""

from __future__ import annotations

import pytest

from discussions import services
from discussions.models import Conversation, Frequency, ModerationAction, Post
from discussions.privacy import REMOVED, erase_discussions, export_discussions

from .factories import PostFactory, feed_member

pytestmark = pytest.mark.django_db


def test_the_data_download_has_their_posts_messages_reports_and_choices(member, other_member, coordinator):
    writer = feed_member(member)
    thread = services.start_post(user=member, member=writer, kind="story", title="My story", body="What helped.")
    services.reply_to(thread=PostFactory(title="Other"), user=member, member=writer, body="My reply")
    services.ask_the_team(user=member, subject="Parking", body="Can I claim?")
    services.report_post(post=PostFactory(author=other_member), user=member, reason="unkind", details="Rude")
    services.save_alerts(user=member, new_posts=Frequency.DAILY, replies=Frequency.NEVER, team=Frequency.WEEKLY)
    services.mute_thread(thread=thread, user=member)

    data = export_discussions(writer)

    assert [post["title"] for post in data["posts"]] == ["My story", ""]
    assert data["posts"][1]["in_reply_to"] == "Other" and data["posts"][1]["text"] == "My reply"
    assert data["messages_with_the_team"] == [
        {
            "conversation": "Parking",
            "from": "You",
            "text": "Can I claim?",
            "sent_at": data["messages_with_the_team"][0]["sent_at"],
        }
    ]
    assert data["reports_you_made"][0]["details"] == "Rude"
    assert data["email_alerts"] == {"new_posts": "In a daily email", "replies": "Never", "team": "In a weekly email"}
    assert data["muted_threads"] == ["My story"]


def test_erasure_removes_their_words_and_conversations(member, other_member, coordinator):
    writer = feed_member(member)
    reader = feed_member(other_member)
    thread = services.start_post(user=member, member=writer, kind="story", title="My story", body="What helped.")
    other = services.start_post(user=other_member, member=reader, kind="question", title="Q", body="?")
    services.reply_to(thread=other, user=member, member=writer, body="My answer")
    services.hide_post(post=thread, by=coordinator, note="Quoting: What helped.")
    services.ask_the_team(user=member, subject="Parking", body="Can I claim?")

    erase_discussions(writer)

    for post in Post.objects.filter(pk__in=[thread.pk, *other.replies.values_list("pk", flat=True)]):
        assert post.author is None and post.body == REMOVED and post.title == "" and post.is_hidden
    other.refresh_from_db()
    assert other.reply_count == 0 and other.is_published
    assert not Conversation.objects.filter(member_user=member).exists()
    assert ModerationAction.objects.get(post=thread).note == ""


def test_erasure_through_members_calls_ours(member):
    from members.privacy import erase_member

    writer = feed_member(member)
    services.start_post(user=member, member=writer, kind="story", title="Erase me", body="Words")

    erase_member(member=writer)

    assert not Post.objects.filter(title="Erase me").exists()
