"""Notices caused by a change (a place comes up, a meeting is cancelled or moved) are recorded in
the outbox with the change and sent exactly once, even when the broker is down or a member is
moved off the waiting list more than once. See docs/decisions/0010-one-outbox.md."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from meetings import messages
from meetings.models import Meeting, Registration
from meetings.services import (
    cancel_meeting,
    cancel_registration,
    change_meeting,
    mark_attendance,
    register_for_meeting,
    send_apologies,
)
from meetings.tests.factories import MeetingFactory, group_profile, london, register
from outbox import sending
from outbox import tasks as outbox_tasks
from outbox.models import Message

pytestmark = pytest.mark.django_db

STARTS = london(2027, 3, 9, 10)


@pytest.fixture(autouse=True)
def a_month_before():
    with time_machine.travel(STARTS - dt.timedelta(days=30), tick=False):
        group_profile(short_name="Riverside group")
        yield


@pytest.fixture
def broker_down(monkeypatch):
    """Queueing the outbox's task fails, as it does when Redis is unreachable."""

    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(outbox_tasks.send_messages, "delay", refuse)


def recorded(registration):
    """What the outbox holds about this registration."""
    return Message.objects.filter(sending.about(registration))


def sweep() -> dict:
    return outbox_tasks.sweep_outbox.apply().get()


def to(registration) -> list:
    return [message for message in mail.outbox if message.to == [registration.member.user.email]]


def _client_for(registration) -> Client:
    client = Client()
    client.force_login(registration.member.user)
    return client


# --- A second promotion is told too ---------------------------------------------------------------


def test_someone_moved_off_the_waiting_list_twice_is_told_both_times(celery_eager, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(starts_at=STARTS, capacity=1)
    first_holder, waiting = register(meeting), register(meeting)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=first_holder)
    assert len(to(waiting)) == 1

    # She gives the place up, joins the waiting list again behind someone who took it...
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=Registration.objects.get(pk=waiting.pk))
        second_holder = register(meeting)
        again = register_for_meeting(member=waiting.member, meeting=meeting)
    assert again.status == Registration.Status.WAITING

    # ...and a place comes up once more.
    with django_capture_on_commit_callbacks(execute=True):
        promoted = cancel_registration(registration=second_holder)

    assert promoted.pk == waiting.pk
    emails = to(waiting)
    assert len(emails) == 2
    assert all(m.subject.startswith("A place for you: group meeting on Tuesday 9 March") for m in emails)
    assert sorted(recorded(waiting).values_list("kind", "key", "status")) == [
        (messages.PROMOTED, "1", "sent"),
        (messages.PROMOTED, "2", "sent"),
    ]
    # Running the task or the periodic sweep again sends nothing more.
    outbox_tasks.send_messages.apply(args=[list(recorded(waiting).values_list("pk", flat=True))])
    sweep()
    assert len(to(waiting)) == 2


def test_an_earlier_promotion_given_up_before_it_went_is_not_sent_as_well():
    meeting = MeetingFactory(starts_at=STARTS, capacity=1)
    holder, waiting, other = register(meeting), register(meeting), register(meeting)
    cancel_registration(registration=holder)  # waiting is promoted (key 1); task never ran
    cancel_registration(registration=Registration.objects.get(pk=waiting.pk))  # other promoted
    register_for_meeting(member=waiting.member, meeting=meeting)  # waiting again
    cancel_registration(registration=Registration.objects.get(pk=other.pk))  # waiting promoted (key 2)

    sweep()

    assert len(to(waiting)) == 1
    statuses = dict(recorded(waiting).values_list("key", "status"))
    assert statuses == {"1": Message.Status.SKIPPED, "2": Message.Status.SENT}
    assert recorded(waiting).get(key="1").reason == (
        "Not sent: an earlier move off the waiting list; only the latest is news."
    )


# --- The broker is down -----------------------------------------------------------------------------


def test_a_member_can_cancel_while_the_broker_is_down_and_the_promotion_goes_later(
    broker_down, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(starts_at=STARTS, capacity=1)
    leaving, waiting = register(meeting), register(meeting)

    with django_capture_on_commit_callbacks(execute=True):
        response = _client_for(leaving).post(reverse("meetings:cancel", args=[meeting.pk]))

    assert response.status_code == 302
    assert Registration.objects.get(pk=leaving.pk).status == Registration.Status.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == Registration.Status.REGISTERED
    assert mail.outbox == []
    pending = recorded(waiting).get()
    assert (pending.kind, pending.status) == (messages.PROMOTED, Message.Status.PENDING)

    # The periodic sweep (every minute) finds it and sends it, once.
    sweep()
    sweep()

    (message,) = mail.outbox
    assert message.to == [waiting.member.user.email]
    assert "a place has come up" in message.body
    pending.refresh_from_db()
    assert (pending.status, pending.attempts) == (Message.Status.SENT, 1)


def test_a_meeting_cancelled_while_the_broker_is_down_is_still_announced_once(
    broker_down, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(starts_at=STARTS)
    one, two = register(meeting), register(meeting)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_meeting(meeting=meeting, reason="The room has flooded.")

    assert Meeting.objects.get(pk=meeting.pk).is_cancelled
    assert mail.outbox == []

    ids = list(Message.objects.filter(kind=messages.CANCELLED).values_list("pk", flat=True))
    sweep()
    outbox_tasks.send_messages.apply(args=[ids])  # a late queued task

    assert sorted(m.to[0] for m in mail.outbox) == sorted([one.member.user.email, two.member.user.email])
    assert all(m.subject.startswith("Cancelled:") for m in mail.outbox)


def test_two_changes_before_the_notices_go_make_one_email_with_the_latest_details():
    meeting = MeetingFactory(starts_at=STARTS)
    registration = register(meeting)
    change_meeting(meeting=meeting, starts_at=STARTS + dt.timedelta(hours=1), ends_at=STARTS + dt.timedelta(hours=3))
    change_meeting(
        meeting=Meeting.objects.get(pk=meeting.pk),
        starts_at=STARTS + dt.timedelta(hours=4),
        ends_at=STARTS + dt.timedelta(hours=6),
    )

    sweep()

    (message,) = to(registration)
    assert "2pm to 4pm" in message.body
    statuses = dict(recorded(registration).values_list("key", "status"))
    assert statuses == {"1": Message.Status.SKIPPED, "2": Message.Status.SENT}


# --- A place held by someone ticked early is still a place ------------------------------------------


@pytest.mark.parametrize("give_up", ["apologies", "cancel"])
def test_someone_ticked_as_arrived_early_who_then_leaves_frees_their_place(give_up):
    meeting = MeetingFactory(starts_at=STARTS, capacity=1)
    holder, waiting = register(meeting), register(meeting)
    mark_attendance(registration=holder, attended=True)  # ticked before the start

    if give_up == "apologies":
        send_apologies(member=holder.member, meeting=meeting)
    else:
        cancel_registration(registration=Registration.objects.get(pk=holder.pk))

    assert Registration.objects.get(pk=waiting.pk).status == Registration.Status.REGISTERED
    meeting.refresh_from_db()
    assert (meeting.registered_count, meeting.waiting_count) == (1, 0)
    assert recorded(waiting).get().kind == messages.PROMOTED


def test_a_change_rolled_back_leaves_no_message():
    meeting = MeetingFactory(starts_at=STARTS, capacity=1)
    leaving, waiting = register(meeting), register(meeting)

    with pytest.raises(RuntimeError), transaction.atomic():
        cancel_registration(registration=leaving)
        assert recorded(waiting).exists()
        raise RuntimeError("the request failed after the change")

    assert not Message.objects.exists()
    assert Registration.objects.get(pk=waiting.pk).status == Registration.Status.WAITING


def test_registering_again_while_holding_a_place_never_moves_you_to_the_waiting_list():
    meeting = MeetingFactory(starts_at=STARTS, capacity=1)
    holder = register(meeting)
    mark_attendance(registration=holder, attended=True)
    register(meeting)  # the meeting is full: the next person waits

    again = register_for_meeting(member=holder.member, meeting=meeting)

    assert again.status == Registration.Status.ATTENDED
    assert Meeting.objects.get(pk=meeting.pk).registered_count == 1
