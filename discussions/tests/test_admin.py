"""Moderating from the admin: the held and reported lists, approving and pinning as actions
(through the services, so each is recorded), the settings coordinators change, and no way to
rewrite or delete a member's words."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from discussions import services
from discussions.models import DiscussionSettings, ModerationAction, Post

from .factories import PostFactory, new_member

pytestmark = pytest.mark.django_db


def test_the_admin_lists_held_and_reported_posts(member, coordinator_client):
    writer = new_member(member)
    services.start_post(user=member, member=writer, kind="discussion", title="Waiting one", body="Hi")
    PostFactory(title="Reported one", open_reports=2)
    PostFactory(title="Fine one")
    url = reverse("admin:discussions_post_changelist")

    held = coordinator_client.get(url + "?needs=held").content.decode()
    reported = coordinator_client.get(url + "?needs=reported").content.decode()

    assert "Waiting one" in held and "Fine one" not in held
    assert "Reported one" in reported and "Waiting one" not in reported


def test_approving_from_the_admin_publishes_and_records(member, coordinator, coordinator_client):
    post = services.start_post(user=member, member=new_member(member), kind="discussion", title="T", body="B")

    coordinator_client.post(
        reverse("admin:discussions_post_changelist"), {"action": "approve", ACTION_CHECKBOX_NAME: [post.pk]}
    )

    post.refresh_from_db()
    assert post.is_published
    assert ModerationAction.objects.get(post=post).by == coordinator


def test_pinning_from_the_admin_and_a_reply_cannot_be_pinned(coordinator_client):
    post = PostFactory()
    reply = PostFactory(thread=post, kind=Post.Kind.REPLY)

    response = coordinator_client.post(
        reverse("admin:discussions_post_changelist"),
        {"action": "pin", ACTION_CHECKBOX_NAME: [post.pk, reply.pk]},
        follow=True,
    )

    post.refresh_from_db()
    reply.refresh_from_db()
    assert post.pinned and not reply.pinned
    assert "Only a post in the feed can be pinned." in response.content.decode()


def test_a_members_words_cannot_be_changed_or_deleted_in_the_admin(coordinator_client):
    post = PostFactory(body="Their own words")
    change = coordinator_client.get(reverse("admin:discussions_post_change", args=[post.pk])).content.decode()
    assert 'name="body"' not in change and "Their own words" in change
    assert reverse("discussions_staff:moderate", args=[post.pk]) in change
    assert coordinator_client.get(reverse("admin:discussions_post_delete", args=[post.pk])).status_code == 403


def test_coordinators_change_the_hold_period_and_the_phrases(coordinator_client):
    DiscussionSettings.load()
    url = reverse("admin:discussions_discussionsettings_change", args=[1])

    response = coordinator_client.post(url, {"hold_new_members_days": "14", "safeguarding_phrases": "hopeless\n"})

    assert response.status_code == 302
    settings = DiscussionSettings.load()
    assert settings.hold_new_members_days == 14 and settings.phrases == ["hopeless"]


def test_the_settings_start_with_phrases_and_topics_from_the_migration():
    from discussions.models import Topic

    assert "want to die" in DiscussionSettings.load().phrases
    assert Topic.objects.filter(slug="your-stories").exists()
