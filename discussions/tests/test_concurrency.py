"""Double posting and replies at the same moment, against PostgreSQL with one connection per
thread (SQLite takes one writer at a time, so it cannot show the race; these skip without it)."""

from __future__ import annotations

import uuid

import pytest

from common.tests.concurrency import at_the_same_moment
from discussions import services
from discussions.models import Conversation, Post, TeamMessage

from .factories import PostFactory, feed_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_same_form_sent_twice_at_once_makes_one_post():
    writer = feed_member()
    token = uuid.uuid4()

    def post():
        return services.start_post(
            user=writer.user, member=writer, kind="discussion", title="Once", body="Only once", token=token
        )

    results = at_the_same_moment(post, post, post)

    assert Post.objects.filter(title="Once").count() == 1
    assert len({result.pk for result in results}) == 1


def test_replies_at_once_are_all_counted():
    thread = PostFactory()
    writers = [feed_member() for _ in range(4)]

    at_the_same_moment(
        *[
            (lambda w=w: services.reply_to(thread=thread, user=w.user, member=w, body="Me too", token=uuid.uuid4()))
            for w in writers
        ]
    )

    thread.refresh_from_db()
    assert thread.reply_count == thread.replies.count() == 4


def test_the_same_question_sent_twice_at_once_starts_one_conversation():
    asker = feed_member()
    token = uuid.uuid4()

    def ask():
        return services.ask_the_team(user=asker.user, subject="Parking", body="Can I claim?", token=token)

    results = at_the_same_moment(ask, ask)

    assert Conversation.objects.count() == 1 and TeamMessage.objects.count() == 1
    assert results[0].pk == results[1].pk
