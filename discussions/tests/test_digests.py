"""Daily and weekly digests: everything from one period in one calm email, exactly once per
period however often the job runs, only what each member chose for that frequency, without
their own posts or muted threads, and nothing at all when there is nothing to tell."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from common.formatting import LONDON
from discussions import messages, services, tasks
from discussions.alerts import last_finished_periods, period_window
from discussions.models import Frequency, Post
from outbox.models import Message
from outbox.sending import send_pending

from .factories import PostFactory, ReplyFactory, feed_member

pytestmark = pytest.mark.django_db

# A Wednesday in London; the job runs the next morning.
DAY = dt.date(2026, 11, 18)
NEXT_MORNING = dt.datetime(2026, 11, 19, 7, 20, tzinfo=LONDON)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def _wants(user, **choices):
    defaults = {"new_posts": Frequency.NEVER, "replies": Frequency.NEVER, "team": Frequency.NEVER}
    services.save_alerts(user=user, **{**defaults, **choices})


def _published(title: str, when: dt.datetime, **fields) -> Post:
    return PostFactory(title=title, published_at=when, created_at=when, **fields)


def test_the_periods_are_the_last_finished_london_day_and_week():
    with time_machine.travel(NEXT_MORNING):
        assert last_finished_periods() == [("daily", DAY), ("weekly", dt.date(2026, 11, 9))]
    start, end = period_window("weekly", dt.date(2026, 11, 9))
    assert (start, end) == (_at(dt.date(2026, 11, 9), 0), _at(dt.date(2026, 11, 16), 0))


def test_many_posts_go_in_one_daily_email_exactly_once(member):
    reader = feed_member(member)
    _wants(member, new_posts=Frequency.DAILY)
    for hour in (9, 12, 15, 18, 21):
        _published(f"Post at {hour}", _at(DAY, hour))
    _published("The day before", _at(DAY - dt.timedelta(days=1), 22))
    _published("The next day", _at(DAY + dt.timedelta(days=1), 1))

    with time_machine.travel(NEXT_MORNING):
        tasks.send_digests()
        tasks.send_digests()
    with time_machine.travel(NEXT_MORNING + dt.timedelta(hours=5)):
        tasks.send_digests()

    (email,) = mail.outbox
    assert email.to == [reader.user.email]
    assert email.subject.startswith("Your daily round-up")
    for hour in (9, 12, 15, 18, 21):
        assert f"Post at {hour}" in email.body
    assert "The day before" not in email.body and "The next day" not in email.body
    assert Message.objects.filter(kind=messages.DIGEST).count() == 1


def test_the_next_day_gets_its_own_digest(member):
    feed_member(member)
    _wants(member, new_posts=Frequency.DAILY)
    _published("Wednesday", _at(DAY, 10))
    _published("Thursday", _at(DAY + dt.timedelta(days=1), 10))

    with time_machine.travel(NEXT_MORNING):
        tasks.send_digests()
    with time_machine.travel(NEXT_MORNING + dt.timedelta(days=1)):
        tasks.send_digests()

    assert [("Wednesday" in m.body, "Thursday" in m.body) for m in mail.outbox] == [(True, False), (False, True)]


def test_a_weekly_digest_groups_posts_replies_and_team_messages(member, other_member, coordinator):
    reader = feed_member(member)
    _wants(member, new_posts=Frequency.WEEKLY, replies=Frequency.WEEKLY, team=Frequency.WEEKLY)
    monday = dt.date(2026, 11, 9)
    mine = _published("My question", _at(monday, 9), author=member)
    _published("Tuesday news", _at(monday + dt.timedelta(days=1), 9))
    _published("Sunday story", _at(monday + dt.timedelta(days=6), 20))
    ReplyFactory(thread=mine, author=other_member, published_at=_at(monday + dt.timedelta(days=2), 9))
    with time_machine.travel(_at(monday + dt.timedelta(days=3), 9)):
        conversation = services.ask_the_team(user=member, subject="Parking", body="Can I claim?")
        services.write_message(conversation=conversation, user=coordinator, body="Yes")
    Message.objects.all().delete()

    with time_machine.travel(_at(monday + dt.timedelta(days=7), 7)):
        tasks.send_digests()

    (email,) = [m for m in mail.outbox if reader.user.email in m.to]
    assert email.subject.startswith("Your weekly round-up")
    assert "Tuesday news" in email.body and "Sunday story" in email.body
    assert 'replied to "My question"' in email.body
    assert "The team wrote to you once" in email.body
    assert "Yes" not in email.body.split("The team wrote")[1].split("\n")[0]  # not quoted


def test_only_what_the_member_chose_for_that_frequency_and_never_their_own_or_muted(member, other_member):
    feed_member(member)
    _wants(member, new_posts=Frequency.DAILY, replies=Frequency.WEEKLY)
    _published("My own post", _at(DAY, 9), author=member)
    muted = _published("A muted thread", _at(DAY, 10))
    services.mute_thread(thread=muted, user=member)
    _published("Worth reading", _at(DAY, 11))
    mine = _published("Older post of mine", _at(DAY - dt.timedelta(days=30), 9), author=member)
    ReplyFactory(thread=mine, author=other_member, published_at=_at(DAY, 12))

    with time_machine.travel(NEXT_MORNING):
        tasks.send_digests()

    (email,) = mail.outbox
    assert "Worth reading" in email.body
    assert "My own post" not in email.body and "A muted thread" not in email.body
    assert "Older post of mine" not in email.body  # replies go weekly for this member


def test_no_digest_when_there_is_nothing_new(member):
    feed_member(member)
    _wants(member, new_posts=Frequency.DAILY)

    with time_machine.travel(NEXT_MORNING):
        tasks.send_digests()

    assert mail.outbox == []
    assert not Message.objects.filter(kind=messages.DIGEST).exists()


def test_a_digest_whose_posts_were_hidden_meanwhile_is_not_sent(member, coordinator):
    feed_member(member)
    _wants(member, new_posts=Frequency.DAILY)
    post = _published("Soon hidden", _at(DAY, 10))
    with time_machine.travel(NEXT_MORNING):
        messages.queue_digests(frequency="daily", start=DAY, send_after_commit=False)
        services.hide_post(post=post, by=coordinator, note="Removed.")
        send_pending()

    assert mail.outbox == []
    assert Message.objects.get(kind=messages.DIGEST).status == Message.Status.SKIPPED


def test_a_long_day_lists_ten_posts_and_says_how_many_more(member):
    feed_member(member)
    _wants(member, new_posts=Frequency.DAILY)
    for minute in range(13):
        _published(f"Busy post {minute}", _at(DAY, 10) + dt.timedelta(minutes=minute))

    with time_machine.travel(NEXT_MORNING):
        tasks.send_digests()

    (email,) = mail.outbox
    assert (
        sum(f"Busy post {minute}\n" in email.body or f"Busy post {minute} (" in email.body for minute in range(13))
        == 10
    )
    assert "And 3 more" in email.body


@pytest.mark.parametrize("status", ["paused", "left"])
def test_no_digest_for_members_taking_a_break_or_who_left(member, status):
    from members.models import Member

    reader = feed_member(member)
    _wants(member, new_posts=Frequency.DAILY)
    _published("News", _at(DAY, 10))
    Member.objects.filter(pk=reader.pk).update(status=status)

    with time_machine.travel(NEXT_MORNING):
        tasks.send_digests()

    assert mail.outbox == []


def test_the_default_is_a_weekly_digest_of_new_posts(member):
    feed_member(member)  # never changed their choices
    monday = dt.date(2026, 11, 9)
    _published("Something new", _at(monday, 10))

    with time_machine.travel(_at(monday + dt.timedelta(days=7), 7)):
        tasks.send_digests()

    (email,) = mail.outbox
    assert "Something new" in email.body and email.subject.startswith("Your weekly round-up")
