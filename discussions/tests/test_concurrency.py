"""Double posting and replies at the same moment, against PostgreSQL with one connection per
thread (SQLite takes one writer at a time, so it cannot show the race; these skip without it)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from discussions import services
from discussions.models import Conversation, Post, TeamMessage

from .factories import PostFactory, feed_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def at_the_same_moment(*actions):
    """Runs each action in its own thread (so its own database connection), released together."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)
    errors: list[BaseException] = []

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            results[index] = action()
        except BaseException as exc:  # reported in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a lock never released?)"
    assert errors == []
    return results


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
