"""The feed, a thread, the team pages and the staff queue cost the same few queries however many
posts, replies and conversations there are (measured at two sizes)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussions import services

from .factories import (
    ConversationFactory,
    PostFactory,
    ReplyFactory,
    TeamMessageFactory,
    TopicFactory,
    UserFactory,
    feed_member,
    new_member,
)

pytestmark = pytest.mark.django_db

MOST = 14


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm the cached person and group profile, as on any later page
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _grow_feed(count: int) -> None:
    topic = TopicFactory()
    for index in range(count):
        post = PostFactory(author=UserFactory(), topic=topic if index % 2 else None, pinned=index == 0)
        ReplyFactory.create_batch(2, thread=post, author=UserFactory())


def test_the_feed_costs_the_same_with_few_or_many_posts(member, django_assert_max_num_queries):
    writer = new_member(member)
    services.start_post(user=member, member=writer, kind="discussion", title="Mine", body="Waiting")
    client = Client()
    client.force_login(member)
    _grow_feed(2)
    few = _queries(client, reverse("discussions:feed"))
    _grow_feed(30)
    many = _queries(client, reverse("discussions:feed"))
    assert few == many
    with django_assert_max_num_queries(MOST):
        client.get(reverse("discussions:feed") + "?page=2")


def test_a_thread_costs_the_same_with_few_or_many_replies(member, django_assert_max_num_queries):
    feed_member(member)
    thread = PostFactory()
    client = Client()
    client.force_login(member)
    ReplyFactory.create_batch(2, thread=thread, author=UserFactory())
    few = _queries(client, reverse("discussions:thread", args=[thread.pk]))
    for _ in range(45):
        ReplyFactory(thread=thread, author=UserFactory())
    many = _queries(client, reverse("discussions:thread", args=[thread.pk]))
    assert few == many
    with django_assert_max_num_queries(MOST):
        client.get(reverse("discussions:thread", args=[thread.pk]) + "?page=2")


def test_team_pages_and_the_staff_pages_cost_the_same_at_two_sizes(member, coordinator_client):
    feed_member(member)
    client = Client()
    client.force_login(member)
    conversation = ConversationFactory(member_user=member)

    def grow(count):
        for _ in range(count):
            TeamMessageFactory(conversation=conversation)
            ConversationFactory(member_user=member)
            ConversationFactory()
            PostFactory(open_reports=1)

    grow(2)
    urls = [
        (client, reverse("discussions:team")),
        (client, reverse("discussions:conversation", args=[conversation.pk])),
        (coordinator_client, reverse("discussions_staff:inbox") + "?show=all"),
        (coordinator_client, reverse("discussions_staff:queue")),
        (coordinator_client, reverse("discussions_staff:conversation", args=[conversation.pk])),
    ]
    few = [_queries(c, url) for c, url in urls]
    grow(25)
    many = [_queries(c, url) for c, url in urls]
    assert few == many
    assert max(many) <= MOST
