"""Alerts straight away, as each member chose per kind (new posts, replies to my posts, messages
from the team), by email only, through the outbox: never to a member who chose otherwise, muted
the thread, is taking a break, left, or withdrew consent to be contacted."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from discussions import messages, services
from discussions.models import Frequency
from members.models import Member
from members.services import record_consent
from outbox.models import Message
from outbox.sending import send_pending

from .factories import CoordinatorFactory, feed_member

pytestmark = pytest.mark.django_db


def _wants(user, **choices):
    defaults = {"new_posts": Frequency.NEVER, "replies": Frequency.NEVER, "team": Frequency.NEVER}
    services.save_alerts(user=user, **{**defaults, **choices})


def _post(member, **fields):
    fields = {"kind": "discussion", "title": "Evening meetings?", "body": "Would evenings suit you?", **fields}
    return services.start_post(user=member.user, member=member, **fields)


def test_a_new_post_goes_straight_away_to_those_who_chose_it_and_no_one_else(member, other_member):
    writer = feed_member(member)
    reader = feed_member(other_member)
    _wants(other_member, new_posts=Frequency.IMMEDIATELY)
    quiet = feed_member()
    _wants(quiet.user, new_posts=Frequency.DAILY)

    post = _post(writer)
    send_pending()

    (email,) = mail.outbox
    assert email.to == [reader.user.email]
    assert email.subject.startswith("A new post in the group")
    assert "Evening meetings?" in email.body and "Would evenings suit you?" in email.body
    assert reverse("discussions:thread", args=[post.pk]) in email.body


def test_a_post_with_a_content_note_is_not_quoted_in_the_email(member, other_member):
    writer = feed_member(member)
    feed_member(other_member)
    _wants(other_member, new_posts=Frequency.IMMEDIATELY)

    _post(writer, content_note="baby loss", body="The words behind the note.")
    send_pending()

    assert "The words behind the note." not in mail.outbox[0].body
    assert "baby loss" in mail.outbox[0].body


def test_a_reply_goes_to_the_writer_of_the_post(member, other_member):
    writer = feed_member(member)
    replier = feed_member(other_member)
    thread = _post(writer)

    services.reply_to(thread=thread, user=other_member, member=replier, body="Evenings are great for me.")
    services.reply_to(thread=thread, user=member, member=writer, body="My own reply")  # not told about my own
    send_pending()

    (email,) = mail.outbox
    assert email.to == [member.email]
    assert email.subject.startswith("Someone replied to your post")
    assert "Evenings are great for me." in email.body


def test_no_reply_alert_for_a_muted_thread_even_if_queued_before_muting(member, other_member):
    writer = feed_member(member)
    replier = feed_member(other_member)
    thread = _post(writer)
    services.mute_thread(thread=thread, user=member)
    services.reply_to(thread=thread, user=other_member, member=replier, body="One")
    services.unmute_thread(thread=thread, user=member)
    services.reply_to(thread=thread, user=other_member, member=replier, body="Two")
    services.mute_thread(thread=thread, user=member)

    send_pending()

    assert mail.outbox == []
    assert Message.objects.filter(kind=messages.REPLY, status=Message.Status.SKIPPED).count() == 1


def test_muting_and_unmuting_from_the_thread_page(member):
    feed_member(member)
    thread = _post(feed_member())
    client = Client()
    client.force_login(member)

    client.post(reverse("discussions:mute", args=[thread.pk]), {"mute": "yes"})
    assert thread.mutes.filter(user=member).exists()
    assert "Unmute this post" in client.get(reverse("discussions:thread", args=[thread.pk])).content.decode()
    client.post(reverse("discussions:mute", args=[thread.pk]), {"mute": "no"})
    assert not thread.mutes.exists()


def test_a_reply_is_not_sent_to_a_writer_who_chose_never(member, other_member):
    writer = feed_member(member)
    _wants(member, replies=Frequency.NEVER)
    thread = _post(writer)
    services.reply_to(thread=thread, user=other_member, member=feed_member(other_member), body="Hi")
    send_pending()
    assert mail.outbox == []


def test_a_message_from_the_team_is_told_but_not_quoted(member, coordinator):
    feed_member(member)
    conversation = services.ask_the_team(user=member, subject="Expenses", body="Can I claim parking?")
    mail.outbox.clear()
    Message.objects.all().delete()

    services.write_message(conversation=conversation, user=coordinator, body="Yes, keep the ticket.")
    send_pending()

    (email,) = mail.outbox
    assert email.to == [member.email]
    assert email.subject.startswith("A message from the team")
    assert "keep the ticket" not in email.body
    assert reverse("discussions:conversation", args=[conversation.pk]) in email.body


@pytest.mark.parametrize("change", ["paused", "left", "withdrew consent"])
def test_nothing_goes_to_a_member_taking_a_break_who_left_or_withdrew_consent(change, member, other_member):
    writer = feed_member(member)
    reader = feed_member(other_member)
    _wants(other_member, new_posts=Frequency.IMMEDIATELY, replies=Frequency.IMMEDIATELY)
    thread = _post(reader)  # the reader's own post, so a reply to it is for them
    services.reply_to(thread=thread, user=member, member=writer, body="A reply for the reader")
    _post(writer)
    assert Message.objects.filter(recipient=other_member).count() == 2

    if change == "withdrew consent":
        record_consent(member=reader, purpose="contact", given=False)
    else:
        Member.objects.filter(pk=reader.pk).update(
            status=Member.Status.PAUSED if change == "paused" else Member.Status.LEFT
        )
    send_pending()

    assert [m for m in mail.outbox if other_member.email in m.to] == []
    assert set(Message.objects.filter(recipient=other_member).values_list("status", flat=True)) == {"skipped"}


def test_alerts_go_by_email_only_even_to_members_who_chose_texts(member, other_member):
    writer = feed_member(member)
    feed_member(other_member, reachable=True)
    _wants(other_member, new_posts=Frequency.IMMEDIATELY)
    _post(writer)
    assert set(Message.objects.values_list("channel", flat=True)) == {"email"}


def test_a_member_changes_their_alert_choices(member):
    feed_member(member)
    client = Client()
    client.force_login(member)

    page = client.get(reverse("discussions:alerts"))
    assert page.status_code == 200
    response = client.post(
        reverse("discussions:alerts"), {"new_posts": "daily", "replies": "weekly", "team": "immediately"}
    )

    assert response.status_code == 302
    alerts = member.discussion_alerts
    assert (alerts.new_posts, alerts.replies, alerts.team) == ("daily", "weekly", "immediately")


def test_a_bad_alert_choice_is_explained(member):
    feed_member(member)
    client = Client()
    client.force_login(member)

    response = client.post(reverse("discussions:alerts"), {"new_posts": "hourly", "replies": "weekly"})

    assert response.status_code == 200
    assert "Choose how often you want to hear about this." in response.content.decode()


def test_staff_hear_about_a_new_message_to_the_team(member, coordinator):
    CoordinatorFactory(email="two@example.org", is_active=False)
    feed_member(member)

    services.ask_the_team(user=member, subject="A private question", body="Hello")
    send_pending()

    (email,) = mail.outbox
    assert email.to == [coordinator.email]
    assert email.subject.startswith("A new message for the team")
