"""Factories and helpers for discussions tests.

``feed_member()`` is an active member who joined months ago and has agreed to everything
(the respect agreement included), so their posts go straight into the feed; ``new_member()``
joined days ago, so theirs wait for a moderator. ``PostFactory``/``ReplyFactory`` make rows
directly for tests that need many (query counts); flows go through ``discussions.services``.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from discussions.models import Conversation, DiscussionSettings, Post, TeamMessage, Topic
from members.models import Member
from members.tests.factories import CoordinatorFactory, MemberFactory, UserFactory, give_consents

__all__ = [
    "ConversationFactory",
    "CoordinatorFactory",
    "PostFactory",
    "ReplyFactory",
    "TopicFactory",
    "UserFactory",
    "feed_member",
    "new_member",
    "safeguarding_phrases",
]


def feed_member(user=None, *, joined_days_ago: int = 120, **kwargs) -> Member:
    """An active member who may post straight into the feed and be emailed."""
    joined = timezone.now() - dt.timedelta(days=joined_days_ago)
    fields = {"active": True, "joined_at": joined, "onboarding_completed_at": joined, **kwargs}
    member = MemberFactory(user=user, **fields) if user is not None else MemberFactory(**fields)
    give_consents(member)
    return member


def new_member(user=None, **kwargs) -> Member:
    """An active member who joined 3 days ago: their posts wait for a moderator."""
    return feed_member(user, joined_days_ago=3, **kwargs)


def safeguarding_phrases(*phrases: str, hold_days: int | None = None) -> DiscussionSettings:
    settings = DiscussionSettings.load()
    settings.safeguarding_phrases = "\n".join(phrases)
    if hold_days is not None:
        settings.hold_new_members_days = hold_days
    settings.save()
    return settings


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class PostFactory(factory.django.DjangoModelFactory):
    """A published post that starts a thread."""

    class Meta:
        model = Post

    kind = Post.Kind.DISCUSSION
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Post number {n}")
    body = "Something to talk about."
    body_html = "<p>Something to talk about.</p>"
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ReplyFactory(PostFactory):
    thread = factory.SubFactory(PostFactory)
    kind = Post.Kind.REPLY
    title = ""


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    member_user = factory.SubFactory(UserFactory)
    subject = "A question"


class TeamMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMessage

    conversation = factory.SubFactory(ConversationFactory)
    author = factory.SelfAttribute("conversation.member_user")
    body = "Hello"
    body_html = "<p>Hello</p>"
