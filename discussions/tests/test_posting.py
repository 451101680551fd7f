"""Members and staff post to the feed and reply: published at once for members who have been in
the group a while, sanitised, one post per form however often it is sent, never without the
current respect agreement, and bad input is explained next to the field with nothing lost."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from discussions import services
from discussions.models import Post
from members.models import ConsentText
from members.services import record_consent
from members.tests.factories import MemberFactory, give_consents
from nhsuk_forms.tests.html import Page

from .factories import CoordinatorFactory, PostFactory, TopicFactory, feed_member

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post_data(**overrides) -> dict:
    return {
        "kind": "discussion",
        "title": "Ideas for the next meeting",
        "body": "What should we talk about?",
        "content_note": "",
        "topic": "",
        "token": str(uuid.uuid4()),
        **overrides,
    }


def test_a_member_posts_to_the_feed_and_everyone_taking_part_sees_it(member, other_member):
    feed_member(member)
    feed_member(other_member)

    response = _client(member).post(reverse("discussions:compose"), _post_data())

    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("discussions:thread", args=[post.pk])
    assert post.is_published and post.author == member and not post.by_staff
    feed = _client(other_member).get(reverse("discussions:feed"))
    assert "Ideas for the next meeting" in feed.content.decode()


def test_the_same_form_sent_twice_makes_one_post(member):
    feed_member(member)
    client = _client(member)
    data = _post_data()

    first = client.post(reverse("discussions:compose"), data)
    second = client.post(reverse("discussions:compose"), data)

    assert Post.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_same_reply_sent_twice_makes_one_reply(member):
    feed_member(member)
    thread = PostFactory()
    data = {"body": "Me too.", "token": str(uuid.uuid4())}
    client = _client(member)

    client.post(reverse("discussions:thread", args=[thread.pk]), data)
    client.post(reverse("discussions:thread", args=[thread.pk]), data)

    assert thread.replies.count() == 1
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_text_is_sanitised_links_kept_scripts_and_images_removed(member):
    feed_member(member)
    body = (
        "See [the leaflet](https://example.org/leaflet) <script>alert('x')</script>"
        '<img src="https://tracker.example/pixel.png"> <a href="javascript:alert(1)">click</a>'
    )

    _client(member).post(reverse("discussions:compose"), _post_data(body=body))

    html = Post.objects.get().body_html
    assert 'href="https://example.org/leaflet"' in html
    assert "<script" not in html and "alert('x')" not in html
    assert "<img" not in html and "tracker.example" not in html
    assert "javascript:" not in html


def test_a_post_with_a_content_note_shows_folded_away_until_opened(member, other_member):
    feed_member(member)
    feed_member(other_member)
    _client(member).post(
        reverse("discussions:compose"), _post_data(content_note="birth trauma", body="What happened to me.")
    )
    post = Post.objects.get()

    thread = Page(_client(other_member).get(reverse("discussions:thread", args=[post.pk])).content.decode())
    (details,) = thread.all("details")
    assert "birth trauma" in thread.all("summary")[0]["text"]
    assert "open" not in details["attrs"]
    assert any("What happened to me." in e["text"] for e in thread.all("div", cls="nhsuk-details__text"))
    feed = _client(other_member).get(reverse("discussions:feed")).content.decode()
    assert "What happened to me." not in feed  # the feed never shows the words behind the note


def test_a_member_who_has_not_agreed_to_the_respect_agreement_cannot_post(member):
    m = MemberFactory(user=member, active=True)
    give_consents(m, keep_details=True, contact=True)
    client = _client(member)

    page = client.get(reverse("discussions:compose"))
    assert page.status_code == 403
    assert reverse("members:consents") in page.content.decode()
    response = client.post(reverse("discussions:compose"), _post_data())
    assert response.status_code == 403
    assert not Post.objects.exists()

    thread = PostFactory()
    reply = client.post(reverse("discussions:thread", args=[thread.pk]), {"body": "Hi", "token": str(uuid.uuid4())})
    assert reply.status_code == 200
    assert not thread.replies.exists()


def test_agreeing_to_an_older_version_is_not_enough_once_a_new_one_is_published(member):
    m = feed_member(member)
    assert services.may_post(member, m)
    ConsentText.objects.create(
        purpose=ConsentText.Purpose.RESPECT_AGREEMENT, version=99, title="Respect", summary="s", body="b",
        published_at=timezone.now(),
    )  # fmt: skip

    assert not services.may_post(member, m)
    with pytest.raises(services.DiscussionError):
        services.start_post(user=member, member=m, kind="discussion", title="t", body="b")


def test_a_member_who_withdrew_from_the_respect_agreement_cannot_post(member):
    m = feed_member(member)
    record_consent(member=m, purpose=ConsentText.Purpose.RESPECT_AGREEMENT, given=False)
    assert not services.may_post(member, m)


def test_the_compose_box_links_the_respect_agreement(member):
    feed_member(member)
    page = _client(member).get(reverse("discussions:compose")).content.decode()
    assert f'href="{reverse("members:consents")}"' in page
    assert "respect agreement" in page


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"title": ""}, "title", "Give your post a title."),
        ({"body": "   "}, "body", "Write your message."),
        ({"body": "x" * 5001}, "body", "Your message must be 5000 characters or fewer. You have typed 5001."),
        ({"kind": "news"}, "kind", "Choose what kind of post this is."),
        ({"topic": "999999"}, "topic", "Choose a topic from the list."),
    ],
)
def test_bad_input_is_explained_by_the_field_and_nothing_typed_is_lost(member, overrides, field, message):
    feed_member(member)
    data = _post_data(**overrides)

    response = _client(member).post(reverse("discussions:compose"), data)

    assert response.status_code == 200
    page = Page(response.content.decode())
    assert message in response.content.decode()
    assert page.all(id=f"id_{field}") or page.all(id=f"id_{field}_0")
    if field != "title":
        assert page.all("input", id="id_title")[0]["attrs"]["value"] == data["title"]
    assert not Post.objects.exists()


def test_members_cannot_post_news_but_staff_can_and_pin_it(member):
    feed_member(member)
    coordinator = CoordinatorFactory()
    with pytest.raises(services.DiscussionError):
        services.start_post(user=member, member=member.member, kind="news", title="t", body="b")

    post = services.start_post(user=coordinator, member=None, kind="news", title="News", body="b", pinned=True)

    assert post.is_published and post.by_staff and post.pinned
    assert post.author_label.endswith("(team)")


def test_pinned_posts_come_first_then_newest_first(member):
    feed_member(member)
    older = PostFactory(title="Older")
    pinned = PostFactory(title="Pinned news", pinned=True)
    Post.objects.filter(pk=pinned.pk).update(published_at=older.published_at.replace(year=2020))
    newest = PostFactory(title="Newest")

    page = _client(member).get(reverse("discussions:feed"))

    assert [post.pk for post in page.context["page"].object_list] == [pinned.pk, newest.pk, older.pk]


def test_the_feed_filters_by_topic(member):
    feed_member(member)
    meetings = TopicFactory(name="Meetings", slug="meetings")
    PostFactory(title="About meetings", topic=meetings)
    PostFactory(title="About leaflets")

    page = _client(member).get(reverse("discussions:feed") + "?topic=meetings").content.decode()

    assert "About meetings" in page and "About leaflets" not in page


def test_the_feed_is_paginated(member):
    feed_member(member)
    PostFactory.create_batch(12)

    first = _client(member).get(reverse("discussions:feed"))
    second = _client(member).get(reverse("discussions:feed") + "?page=2")

    assert len(first.context["page"].object_list) == 10
    assert len(second.context["page"].object_list) == 2
    assert first.context["pagination"] is not None


def test_a_reply_counts_and_shows_in_the_thread(member, other_member):
    feed_member(member)
    feed_member(other_member)
    thread = services.start_post(user=member, member=member.member, kind="question", title="Q?", body="Anyone?")

    response = _client(other_member).post(
        reverse("discussions:thread", args=[thread.pk]), {"body": "Yes, me.", "token": str(uuid.uuid4())}
    )

    reply = thread.replies.get()
    assert response["Location"].endswith(f"#reply-{reply.pk}")
    thread.refresh_from_db()
    assert thread.reply_count == 1
    page = _client(member).get(reverse("discussions:thread", args=[thread.pk])).content.decode()
    assert "Yes, me." in page


def test_a_bad_reply_is_explained_and_keeps_the_thread(member):
    feed_member(member)
    thread = PostFactory(title="The thread")

    response = _client(member).post(reverse("discussions:thread", args=[thread.pk]), {"body": ""})

    assert response.status_code == 200
    assert "Write your message." in response.content.decode()
    assert "The thread" in response.content.decode()


def test_a_reply_on_a_long_thread_takes_the_writer_to_the_last_page(member):
    from discussions.views import REPLIES_PER_PAGE

    from .factories import ReplyFactory

    feed_member(member)
    thread = PostFactory()
    ReplyFactory.create_batch(REPLIES_PER_PAGE, thread=thread)

    response = _client(member).post(
        reverse("discussions:thread", args=[thread.pk]), {"body": "Late to this", "token": str(uuid.uuid4())}
    )

    reply = thread.replies.get(body="Late to this")
    assert response["Location"] == f"{reverse('discussions:thread', args=[thread.pk])}?page=2#reply-{reply.pk}"
    assert "Late to this" in _client(member).get(response["Location"].split("#")[0]).content.decode()


def test_someone_elses_form_token_does_not_lead_to_their_post(member, other_member):
    writer = feed_member(member)
    other = feed_member(other_member)
    token = uuid.uuid4()
    services.start_post(user=member, member=writer, kind="discussion", title="Mine", body="b", token=token)

    with pytest.raises(services.DiscussionError):
        services.start_post(user=other_member, member=other, kind="discussion", title="T", body="b", token=token)
