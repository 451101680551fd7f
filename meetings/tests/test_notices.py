"""Messages when something changes: a place comes up, a meeting is cancelled or moved.

They are recorded in the outbox with the change and sent after commit (here by the task run
eagerly, or by the outbox's sweep); texts are in test_text_messages.py."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import time_machine
from django.core import mail

from meetings import messages
from meetings.models import Meeting, Registration
from meetings.services import cancel_meeting, cancel_registration, change_meeting
from meetings.tests.factories import (
    MeetingFactory,
    contactable_member,
    group_profile,
    london,
    register,
)
from members.services import record_consent
from outbox import sending
from outbox.models import Message
from outbox.tasks import sweep_outbox

pytestmark = pytest.mark.django_db

STARTS = london(2027, 3, 9, 10)


@pytest.fixture(autouse=True)
def a_month_before():
    """Today is a month before the meeting, whenever the tests run."""
    with time_machine.travel(STARTS - dt.timedelta(days=30), tick=False):
        yield


@pytest.fixture(autouse=True)
def riverside(a_month_before):
    return group_profile(short_name="Riverside group")


def ics_of(message) -> tuple[icalendar.Calendar, icalendar.Event]:
    (attachment,) = message.attachments
    assert attachment.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.content.encode())
    return calendar, calendar.events[0]


def to(registration) -> list:
    return [message for message in mail.outbox if message.to == [registration.member.user.email]]


def recorded(registration):
    """What the outbox holds about this registration."""
    return Message.objects.filter(sending.about(registration))


def sweep() -> dict:
    return sweep_outbox.apply().get()


# --- A place comes up ---------------------------------------------------------------------------


def test_the_first_person_waiting_is_told_by_email_when_a_place_frees_up(
    celery_eager, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(starts_at=STARTS, capacity=1, hybrid=True)
    leaving = register(meeting)
    first_waiting = register(meeting)
    second_waiting = register(meeting)
    assert first_waiting.status == second_waiting.status == Registration.Status.WAITING

    with django_capture_on_commit_callbacks(execute=True):
        promoted = cancel_registration(registration=leaving)

    assert promoted == first_waiting
    (message,) = mail.outbox
    assert message.to == [first_waiting.member.user.email]
    assert message.subject == "A place for you: group meeting on Tuesday 9 March – Riverside group"
    assert "a place has come up at the group meeting on Tuesday 9 March 2027, and it is yours" in message.body
    assert "When: Tuesday 9 March 2027, 10am to midday" in message.body
    assert meeting.online_link in message.body  # they have a place now
    assert f"/meetings/{meeting.pk}/" in message.body
    _, event = ics_of(message)
    assert event["UID"] == f"meeting-{meeting.pk}@localhost"
    assert event["STATUS"] == "CONFIRMED"
    assert meeting.online_link in event["DESCRIPTION"]
    recorded_message = recorded(first_waiting).get()
    assert (recorded_message.kind, recorded_message.key) == (messages.PROMOTED, "1")
    assert recorded_message.status == Message.Status.SENT

    # The sweep running after it (or a second worker) sends nothing more.
    assert sweep() == {}
    assert len(mail.outbox) == 1
    assert to(second_waiting) == []


def test_no_promotion_email_if_they_cancelled_before_it_went():
    meeting = MeetingFactory(starts_at=STARTS, capacity=1)
    leaving, waiting = register(meeting), register(meeting)
    cancel_registration(registration=leaving)  # on-commit task not run here
    cancel_registration(registration=Registration.objects.get(pk=waiting.pk))

    assert sweep() == {"skipped": 1}
    assert mail.outbox == []
    assert recorded(waiting).get().reason == "Not sent: they no longer have a place at the meeting."


def test_no_promotion_email_to_someone_who_withdrew_consent():
    meeting = MeetingFactory(starts_at=STARTS, capacity=1)
    leaving, waiting = register(meeting), register(meeting)
    record_consent(member=waiting.member, purpose="contact", given=False)
    cancel_registration(registration=leaving)

    assert sweep() == {"skipped": 1}
    assert mail.outbox == []
    assert Registration.objects.get(pk=waiting.pk).status == Registration.Status.REGISTERED


# --- Cancelled -----------------------------------------------------------------------------------


def test_everyone_with_a_place_or_waiting_is_told_when_a_meeting_is_cancelled(
    celery_eager, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(starts_at=STARTS, capacity=1, online_link="https://meet.example.org/x")
    with_place, waiting = register(meeting), register(meeting)
    gave_apologies = register(meeting)
    gave_apologies.status = Registration.Status.APOLOGIES
    gave_apologies.save()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_meeting(meeting=meeting, reason="The room has flooded.")

    assert len(mail.outbox) == 2
    (message,) = to(with_place)
    assert message.subject == "Cancelled: group meeting on Tuesday 9 March – Riverside group"
    assert "the group meeting on Tuesday 9 March 2027 (10am to midday) has been cancelled" in message.body
    assert "The room has flooded." in message.body
    assert "You had a place at this meeting." in message.body
    calendar, event = ics_of(message)
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert event["UID"] == f"meeting-{meeting.pk}@localhost"

    (notice,) = to(waiting)
    assert "You were on the waiting list" in notice.body
    assert notice.attachments == []
    assert to(gave_apologies) == []

    # Exactly once, however often the outbox is swept.
    sweep()
    assert len(mail.outbox) == 2
    assert Message.objects.filter(kind=messages.CANCELLED).count() == 2
    assert not recorded(gave_apologies).exists()


def test_a_cancellation_notice_respects_consent():
    meeting = MeetingFactory(starts_at=STARTS)
    withdrew, happy = register(meeting), register(meeting)
    record_consent(member=withdrew.member, purpose="contact", given=False)
    cancel_meeting(meeting=meeting)

    assert sweep() == {"sent": 1, "skipped": 1}
    assert [message.to for message in mail.outbox] == [[happy.member.user.email]]


# --- Changed -------------------------------------------------------------------------------------


def test_registrants_are_told_of_a_new_time_with_an_updated_calendar_entry(
    celery_eager, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(starts_at=STARTS, capacity=1, hybrid=True)
    with_place, waiting = register(meeting), register(meeting)
    new_start = london(2027, 3, 16, 14)

    with django_capture_on_commit_callbacks(execute=True):
        change_meeting(meeting=meeting, starts_at=new_start, ends_at=new_start + dt.timedelta(hours=2))

    (message,) = to(with_place)
    assert message.subject == "Changed: group meeting on Tuesday 16 March – Riverside group"
    assert "it was on Tuesday 9 March 2027, 10am, and is now on Tuesday 16 March 2027" in message.body
    assert "When: Tuesday 16 March 2027, 2pm to 4pm" in message.body
    assert meeting.online_link in message.body
    _, event = ics_of(message)
    assert event["SEQUENCE"] == 1
    assert event.start == new_start
    assert event["UID"] == f"meeting-{meeting.pk}@localhost"

    (notice,) = to(waiting)
    assert "You are still on the waiting list" in notice.body
    assert meeting.online_link not in notice.body
    assert notice.attachments == []

    # A second change is a second notice, with the next SEQUENCE.
    with django_capture_on_commit_callbacks(execute=True):
        change_meeting(meeting=Meeting.objects.get(pk=meeting.pk), what_to_bring="Photos of your favourite leaflet.")
    latest = to(with_place)[-1]
    assert len(to(with_place)) == 2
    assert ics_of(latest)[1]["SEQUENCE"] == 2
    assert "it was on" not in latest.body  # the time did not change this time

    # Each version is announced once, however often the outbox is swept.
    sweep()
    assert len(mail.outbox) == 4
    assert sorted(recorded(with_place).values_list("kind", "key")) == [(messages.CHANGED, "1"), (messages.CHANGED, "2")]


def test_no_change_notice_for_a_meeting_that_has_since_been_cancelled():
    meeting = MeetingFactory(starts_at=STARTS)
    registration = register(meeting)
    change_meeting(meeting=meeting, starts_at=STARTS + dt.timedelta(hours=1), ends_at=STARTS + dt.timedelta(hours=3))
    cancel_meeting(meeting=Meeting.objects.get(pk=meeting.pk))

    assert sweep() == {"sent": 1, "skipped": 1}

    (message,) = mail.outbox  # the cancellation says all there is to say
    assert message.subject.startswith("Cancelled:")
    change = recorded(registration).get(kind=messages.CHANGED)
    assert (change.status, change.reason) == (Message.Status.SKIPPED, "Not sent: the meeting has been cancelled.")


def test_a_change_notice_respects_consent():
    meeting = MeetingFactory(starts_at=STARTS)
    member = contactable_member()
    registration = register(meeting, member)
    record_consent(member=member, purpose="contact", given=False)
    change_meeting(meeting=meeting, starts_at=STARTS + dt.timedelta(hours=1), ends_at=STARTS + dt.timedelta(hours=3))

    sweep()

    assert mail.outbox == []
    assert recorded(registration).get().status == Message.Status.SKIPPED


def test_a_notice_for_a_meeting_whose_time_has_passed_is_not_sent():
    meeting = MeetingFactory(starts_at=STARTS)
    registration = register(meeting)
    cancel_meeting(meeting=meeting)  # the notice is recorded, then the worker is down for weeks

    with time_machine.travel(STARTS + dt.timedelta(days=1), tick=False):
        assert sweep() == {"skipped": 1}

    assert mail.outbox == []
    assert recorded(registration).get().reason == "Not sent: the meeting's time has passed."
