"""Meeting reminders: when they go, to whom, what they say, and that each goes exactly once.

Reminders are recorded in the outbox by the periodic job (`meetings.tasks.send_due_reminders`)
and sent by it at once; the outbox's sweep retries what could not be sent yet.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from unittest import mock

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage

from common.tests.concurrency import at_the_same_moment
from meetings import messages
from meetings.models import Registration
from meetings.tasks import send_due_reminders
from meetings.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    VenueFactory,
    contactable_member,
    group_profile,
    london,
)
from members.models import Member
from members.services import pause_membership, record_consent
from outbox import channels, sending
from outbox.models import Message
from outbox.tasks import sweep_outbox

pytestmark = pytest.mark.django_db

Status = Message.Status

# A Tuesday in winter time (GMT) just after the clocks go back: its week-before reminder falls
# in summer time (BST). And the reverse: a Tuesday in BST whose reminder falls in GMT.
# Kept in UTC so that "7 days before" below is elapsed time, as the job measures it (aware
# London datetimes would do wall-clock arithmetic across the clock change).
WINTER_MEETING = london(2027, 11, 2, 10).astimezone(dt.UTC)
SUMMER_MEETING = london(2027, 3, 30, 10).astimezone(dt.UTC)


@pytest.fixture(autouse=True)
def riverside():
    return group_profile(short_name="Riverside group", reminder_offset_days="7,1")


def travel(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def registered(meeting, *, when=None, **kwargs) -> Registration:
    """A contactable member registered well before any reminder fell due."""
    with travel(when or meeting.starts_at - dt.timedelta(days=30)):
        return RegistrationFactory(meeting=meeting, member=contactable_member(), **kwargs)


def run_reminders() -> dict:
    return send_due_reminders.apply().get()


def reminders_to(registration) -> list:
    return [message for message in mail.outbox if message.to == [registration.member.user.email]]


def recorded(registration):
    """What the outbox holds about this registration."""
    return Message.objects.filter(sending.about(registration))


def recorded_keys(registration) -> list[str]:
    return sorted(recorded(registration).filter(kind=messages.REMINDER).values_list("key", flat=True))


def sweep() -> dict:
    return sweep_outbox.apply().get()


def ics_attachment(message) -> icalendar.Event:
    (attachment,) = message.attachments
    assert attachment.mimetype == "text/calendar"
    content = attachment.content.encode() if isinstance(attachment.content, str) else attachment.content
    return icalendar.Calendar.from_ical(content).events[0]


# --- When ---------------------------------------------------------------------------------------


def test_the_reminder_is_sent_exactly_once_when_the_task_runs_twice():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    first, second = registered(meeting), registered(meeting)

    with travel(WINTER_MEETING - dt.timedelta(days=7) + dt.timedelta(minutes=3)):
        assert run_reminders() == {"sent": 2}
        assert run_reminders() == {}

    assert len(mail.outbox) == 2
    assert len(reminders_to(first)) == len(reminders_to(second)) == 1
    made = Message.objects.filter(kind=messages.REMINDER)
    assert sorted(made.values_list("about_id", "key", "channel", "status")) == [
        (first.pk, "7", "email", "sent"),
        (second.pk, "7", "email", "sent"),
    ]


def test_each_offset_in_the_group_profile_sends_its_own_reminder_once():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting)

    for moment in (
        WINTER_MEETING - dt.timedelta(days=8),  # not yet
        WINTER_MEETING - dt.timedelta(days=7),  # the week-before reminder
        WINTER_MEETING - dt.timedelta(days=3),
        WINTER_MEETING - dt.timedelta(days=1),  # the day-before reminder
        WINTER_MEETING - dt.timedelta(hours=1),
    ):
        with travel(moment):
            run_reminders()

    assert recorded_keys(registration) == ["1", "7"]
    assert len(mail.outbox) == 2


def test_the_offsets_come_from_the_group_profile():
    group_profile(reminder_offset_days="3")
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting)

    with travel(WINTER_MEETING - dt.timedelta(days=7)):
        run_reminders()
    assert mail.outbox == []
    with travel(WINTER_MEETING - dt.timedelta(days=3)):
        run_reminders()

    assert recorded_keys(registration) == ["3"]


def test_a_late_reminder_still_goes_if_the_worker_was_down_but_not_once_the_next_is_due():
    late = registered(MeetingFactory(starts_at=WINTER_MEETING))
    next_week = WINTER_MEETING + dt.timedelta(days=7)
    missed = registered(MeetingFactory(starts_at=next_week))

    with travel(WINTER_MEETING - dt.timedelta(days=5)):  # two days late: the week-before one goes
        send_due_reminders.apply()
    assert recorded_keys(late) == ["7"]

    # For next week's meeting the worker was down until the day-before reminder was due:
    # only that one goes, not two reminders at once.
    with travel(next_week - dt.timedelta(hours=20)):
        send_due_reminders.apply()
    assert recorded_keys(missed) == ["1"]


def test_no_reminder_once_the_meeting_has_started():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting)

    with travel(WINTER_MEETING + dt.timedelta(minutes=1)):
        run_reminders()

    assert mail.outbox == []
    assert not recorded(registration).exists()


def test_no_reminder_for_a_cancelled_meeting():
    meeting = MeetingFactory(starts_at=WINTER_MEETING, cancelled=True)
    registered(meeting)

    with travel(WINTER_MEETING - dt.timedelta(days=1)):
        run_reminders()

    assert mail.outbox == []


@pytest.mark.parametrize("status", ["waiting", "apologies", "cancelled"])
def test_no_reminder_without_a_place(status):
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registered(meeting, **{status: True})

    with travel(WINTER_MEETING - dt.timedelta(days=1)):
        run_reminders()

    assert mail.outbox == []


def test_someone_who_signs_up_after_a_reminder_fell_due_gets_the_next_one_only():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting, when=WINTER_MEETING - dt.timedelta(days=4))

    with travel(WINTER_MEETING - dt.timedelta(days=4)):
        run_reminders()
    assert mail.outbox == []
    with travel(WINTER_MEETING - dt.timedelta(days=1)):
        run_reminders()

    assert recorded_keys(registration) == ["1"]


# --- To whom --------------------------------------------------------------------------------------


def test_no_reminder_to_a_member_who_withdrew_consent_to_contact():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting)
    with travel(WINTER_MEETING - dt.timedelta(days=8)):
        record_consent(member=registration.member, purpose="contact", given=False)

    with travel(WINTER_MEETING - dt.timedelta(days=7)):
        assert run_reminders() == {"skipped": 1}
        assert run_reminders() == {}

    assert mail.outbox == []
    message = recorded(registration).get()
    assert message.status == Status.SKIPPED
    assert "no consent" in message.reason
    assert message.sent_at is None


def test_no_reminder_to_a_member_taking_a_break():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting)
    pause_membership(member=registration.member)

    with travel(WINTER_MEETING - dt.timedelta(days=7)):
        run_reminders()

    assert mail.outbox == []
    assert recorded(registration).get().status == Status.SKIPPED


def test_no_reminder_to_a_member_who_does_not_want_email():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting)
    Member.objects.filter(pk=registration.member.pk).update(contact_by_email=False)

    with travel(WINTER_MEETING - dt.timedelta(days=7)):
        assert run_reminders() == {}
        assert run_reminders() == {}

    assert mail.outbox == []
    assert not recorded(registration).exists()  # no channel they chose: nothing to record


# --- What it says ---------------------------------------------------------------------------------


def test_the_reminder_gives_the_date_with_the_weekday_in_london_time_across_the_clock_change():
    meeting = MeetingFactory(starts_at=WINTER_MEETING, ends_at=WINTER_MEETING + dt.timedelta(hours=2))
    registered(meeting)

    # A week before, London is on summer time; the meeting is on winter time.
    with travel(WINTER_MEETING - dt.timedelta(days=7)):
        run_reminders()

    (message,) = mail.outbox
    assert message.subject == "Reminder: group meeting on Tuesday 2 November – Riverside group"
    assert "When: Tuesday 2 November 2027, 10am to midday" in message.body
    html = message.alternatives[0][0]
    assert "Tuesday 2 November 2027, 10am to midday" in html
    event = ics_attachment(message)
    assert event.start == WINTER_MEETING
    assert event.start.tzinfo.key == "Europe/London"


def test_a_summer_meeting_reminded_in_winter_time_keeps_its_london_time():
    meeting = MeetingFactory(starts_at=SUMMER_MEETING, ends_at=SUMMER_MEETING + dt.timedelta(hours=1, minutes=30))
    registered(meeting)

    with travel(SUMMER_MEETING - dt.timedelta(days=7)):
        run_reminders()

    (message,) = mail.outbox
    assert "When: Tuesday 30 March 2027, 10am to 11:30am" in message.body
    assert ics_attachment(message).start == SUMMER_MEETING


def test_the_reminder_says_where_how_to_get_in_what_to_bring_what_they_need_and_how_to_cancel():
    venue = VenueFactory(
        name="Riverside Family Centre",
        address="12 Mill Lane\nRiverside",
        postcode="RT1 2AB",
        step_free=True,
        parking="Free parking behind the building.",
        baby_changing=True,
        access_notes="Ring the bell at the side door.",
        directions_url="https://maps.example.org/riverside",
    )
    meeting = MeetingFactory(starts_at=WINTER_MEETING, venue=venue, what_to_bring="Your own mug, if you like.")
    registration = registered(meeting, needs_childcare=True, interpreter_language="Polish", dietary="vegan")

    with travel(WINTER_MEETING - dt.timedelta(days=1)):
        run_reminders()

    (message,) = reminders_to(registration)
    body = message.body
    assert "Where: Riverside Family Centre, 12 Mill Lane, Riverside, RT1 2AB" in body
    assert "There is step-free access." in body
    assert "Free parking behind the building." in body
    assert "There are baby-changing facilities." in body
    assert "Children are welcome." in body
    assert "Ring the bell at the side door." in body
    assert "https://maps.example.org/riverside" in body
    assert "What to bring: Your own mug, if you like." in body
    assert "- childcare or bringing a baby" in body
    assert "- Polish interpreter" in body
    assert "- food and drink: vegan" in body
    assert f"http://127.0.0.1:8000/meetings/{meeting.pk}/" in body
    assert "cancel" in body
    html = message.alternatives[0][0]
    assert "<li>Polish interpreter</li>" in html
    assert f'href="http://127.0.0.1:8000/meetings/{meeting.pk}/"' in html
    assert "Hello" in body and registration.member.user.name in body


def test_an_in_person_reminder_has_no_joining_link():
    meeting = MeetingFactory(starts_at=WINTER_MEETING, online_link="https://meet.example.org/not-for-this-one")
    registered(meeting)

    with travel(WINTER_MEETING - dt.timedelta(days=1)):
        run_reminders()

    (message,) = mail.outbox
    assert "meet.example.org" not in message.body
    assert "meet.example.org" not in message.alternatives[0][0]
    assert "meet.example.org" not in ics_attachment(message)["DESCRIPTION"]


def test_an_online_reminder_has_the_joining_link_and_no_venue():
    meeting = MeetingFactory(
        starts_at=WINTER_MEETING, online=True, online_link="https://meet.example.org/riverside-room"
    )
    registered(meeting)

    with travel(WINTER_MEETING - dt.timedelta(days=1)):
        run_reminders()

    (message,) = mail.outbox
    assert "Where: online" in message.body
    assert "https://meet.example.org/riverside-room" in message.body
    assert "Join from 9:50 to test your sound." in message.body
    assert 'href="https://meet.example.org/riverside-room"' in message.alternatives[0][0]
    assert "step-free" not in message.body
    event = ics_attachment(message)
    assert event["LOCATION"] == "Online"
    assert "https://meet.example.org/riverside-room" in event["DESCRIPTION"]


def test_a_reminder_with_no_needs_says_how_to_tell_us():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registered(meeting)

    with travel(WINTER_MEETING - dt.timedelta(days=1)):
        run_reminders()

    assert "If there is anything that would help you take part" in mail.outbox[0].body


def test_the_subject_and_opening_never_name_a_sensitive_meetings_topic():
    meeting = MeetingFactory(starts_at=WINTER_MEETING, sensitive=True, title="Birth trauma and mental health")
    registered(meeting)

    with travel(WINTER_MEETING - dt.timedelta(days=1)):
        run_reminders()

    (message,) = mail.outbox
    assert message.subject == "Reminder: focus group on Tuesday 2 November – Riverside group"
    for text in (message.subject, message.body, message.alternatives[0][0]):
        assert "trauma" not in text.lower()
        assert "mental health" not in text.lower()
    assert ics_attachment(message)["SUMMARY"] == "Riverside group: focus group"


# --- Exactly once -----------------------------------------------------------------------------


def test_two_workers_recording_the_same_reminder_make_one_message_and_send_it_once():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting)

    with travel(WINTER_MEETING - dt.timedelta(days=7)):
        first = messages.queue_reminders([registration], days_before=7, send_after_commit=False)
        second = messages.queue_reminders([registration], days_before=7, send_after_commit=False)
        assert first == second
        assert recorded(registration).count() == 1
        assert mail.outbox == []  # recorded, not sent: sending is the outbox's

        assert sending.send_pending(Message.objects.filter(pk__in=first)) == {"sent": 1}
        assert sending.send_pending(Message.objects.filter(pk__in=second)) == {}

    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_running_the_task_at_the_same_moment_send_each_reminder_once():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registrations = [registered(meeting) for _ in range(5)]

    def worker():
        return send_due_reminders.apply(throw=True).get()

    with travel(WINTER_MEETING - dt.timedelta(days=7)):
        outcomes = at_the_same_moment(worker, worker)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(r.member.user.email for r in registrations)
    assert sum(outcome.get("sent", 0) for outcome in outcomes) == 5
    assert Message.objects.filter(kind=messages.REMINDER).count() == 5
    assert Message.objects.filter(kind=messages.REMINDER, status=Status.SENT).count() == 5


def fail_once(error: Exception):
    """Patches sending so the first email fails (as a refusing mail server would), then works."""
    real_send = EmailMessage.send
    calls = {"count": 0}

    def send(self, fail_silently=False):
        calls["count"] += 1
        if calls["count"] == 1:
            raise error
        return real_send(self, fail_silently)

    return mock.patch.object(EmailMessage, "send", send)


def test_a_send_that_may_work_later_is_recorded_then_retried_by_the_sweep_and_sent_once():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting)
    due = WINTER_MEETING - dt.timedelta(days=7)

    with fail_once(smtplib.SMTPServerDisconnected("Connection unexpectedly closed")):
        with travel(due):
            assert run_reminders() == {"retrying": 1}
            assert run_reminders() == {}  # recorded once: the retry is the outbox's, not a new message
        message = recorded(registration).get()
        assert message.status == Status.RETRYING
        assert "Connection unexpectedly closed" in message.reason
        assert message.next_attempt_at == due + sending.RETRY_BASE_DELAY
        assert mail.outbox == []

        with travel(due + dt.timedelta(minutes=1)):  # too soon: the first retry waits 2 minutes
            assert sweep() == {}
        with travel(due + dt.timedelta(minutes=3)):
            assert sweep() == {"sent": 1}
            assert sweep() == {}
            assert run_reminders() == {}

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 2
    assert message.reason == ""
    assert len(mail.outbox) == 1


def test_a_reminder_that_could_not_go_is_not_retried_once_the_meeting_has_started():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting)

    with fail_once(smtplib.SMTPException("Mailbox unavailable")), travel(WINTER_MEETING - dt.timedelta(minutes=10)):
        assert run_reminders() == {"retrying": 1}
    with travel(WINTER_MEETING + dt.timedelta(minutes=10)):
        assert sweep() == {"skipped": 1}

    message = recorded(registration).get()
    assert (message.status, message.reason) == (Status.SKIPPED, "Not sent: the meeting has already started.")
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("cancel the meeting", "Not sent: the meeting has been cancelled."),
        ("give up the place", "Not sent: they no longer have a place at the meeting."),
    ],
)
def test_a_reminder_no_longer_needed_by_the_time_it_goes_is_recorded_as_not_sent(change, reason):
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting)
    with travel(WINTER_MEETING - dt.timedelta(days=7)):
        ids = messages.queue_reminders([registration], days_before=7, send_after_commit=False)
        if change == "cancel the meeting":
            meeting.status = meeting.Status.CANCELLED
            meeting.save()
        else:
            Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CANCELLED)

        assert sending.send_pending(Message.objects.filter(pk__in=ids)) == {"skipped": 1}

    message = recorded(registration).get()
    assert (message.status, message.reason) == (Status.SKIPPED, reason)
    assert mail.outbox == []


def test_a_reminder_that_keeps_failing_is_retried_with_a_growing_pause_then_recorded_as_failed():
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting)
    due = WINTER_MEETING - dt.timedelta(days=7)
    pauses = []

    with mock.patch.object(EmailMessage, "send", side_effect=smtplib.SMTPException("Refused")):
        with travel(due):
            run_reminders()
        moment = due
        for _ in range(10):
            message = recorded(registration).get()
            if message.next_attempt_at:
                pauses.append(message.next_attempt_at - message.taken_at)
            moment += dt.timedelta(hours=2)
            with travel(moment):
                sweep()

    message = recorded(registration).get()
    assert message.status == Status.FAILED
    assert message.attempts == sending.max_attempts() == 5
    assert message.reason.startswith("Gave up after 5 tries.")
    assert "Refused" in message.reason
    assert pauses == [dt.timedelta(minutes=minutes) for minutes in (2, 6, 18, 54)]
    assert message in sending.needs_checking()
    assert mail.outbox == []


def test_a_reminder_left_sending_by_a_stopped_worker_is_reported_and_never_sent_again_by_itself(caplog):
    meeting = MeetingFactory(starts_at=WINTER_MEETING)
    registration = registered(meeting)
    due = WINTER_MEETING - dt.timedelta(days=7)
    with travel(due):
        (message_id,) = messages.queue_reminders([registration], days_before=7, send_after_commit=False)
        message = Message.objects.get(pk=message_id)
        assert sending._take(message, due, status=Status.PENDING, attempts=0)  # and then the worker dies

    held_for = channels.longest_send() + dt.timedelta(minutes=1)
    with travel(due + held_for), caplog.at_level(logging.ERROR, logger="outbox.sending"):
        sweep()
        run_reminders()
    with travel(due + dt.timedelta(days=1)):
        sweep()
        run_reminders()
        assert list(sending.needs_checking()) == [message]

    assert mail.outbox == []
    assert recorded(registration).get().status == Status.SENDING
    assert "stopped mid-send" in caplog.text
