"""The demo group has a lively feed: pinned news, questions with replies, a story behind a content
note, a post waiting for a moderator, a reported post, and conversations with the team. Running
the seed again changes nothing."""

from __future__ import annotations

import pytest

from discussions.demo import seed_discussions
from discussions.models import Conversation, Post, TeamMessage

pytestmark = pytest.mark.django_db


def test_the_demo_feed_has_everything_the_issue_lists(demo_group):
    threads = Post.objects.filter(thread__isnull=True)
    assert threads.filter(pinned=True, kind=Post.Kind.NEWS, status=Post.Status.PUBLISHED).exists()
    assert threads.filter(kind=Post.Kind.YOU_SAID).exists()
    question = threads.get(kind=Post.Kind.QUESTION)
    assert question.reply_count >= 2
    assert threads.filter(kind=Post.Kind.STORY).exclude(content_note="").exists()
    assert threads.filter(status=Post.Status.HELD).exists()
    assert threads.filter(open_reports__gt=0).exists()
    assert Conversation.objects.count() >= 3
    assert Conversation.objects.filter(waiting_for_team=True).exists()
    assert Conversation.objects.filter(last_answered_by__isnull=False).exists()


def test_seeding_again_changes_nothing(demo_group):
    counts = (Post.objects.count(), Conversation.objects.count(), TeamMessage.objects.count())
    seed_discussions()
    assert (Post.objects.count(), Conversation.objects.count(), TeamMessage.objects.count()) == counts
