"""The message after a meeting: who gets it, when, exactly once, and what it says."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from meetings import messages
from meetings.services import record_attendance
from meetings.tasks import send_due_debriefs
from meetings.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    contactable_member,
    group_profile,
    london,
    signpost,
)
from members.models import Member
from members.services import pause_membership, record_consent
from outbox import sending
from outbox.models import Message

pytestmark = pytest.mark.django_db

STARTS = london(2027, 3, 9, 10).astimezone(dt.UTC)
ENDS = STARTS + dt.timedelta(hours=2)


@pytest.fixture(autouse=True)
def riverside():
    return group_profile(
        short_name="Riverside group",
        debrief_delay_minutes=60,
        contact_phone="01632 960000",
        contact_email="involvement@riverside.example.nhs.uk",
    )


@pytest.fixture
def peer_support():
    return signpost(
        kind="support",
        name="Riverside Parents Peer Support",
        description="A weekly drop-in, run by parents.",
        phone="01632 960777",
    )


@pytest.fixture
def local_crisis_line():
    return signpost(
        kind="crisis",
        name="Riverside Crisis Line",
        description="The local mental health crisis team, day and night.",
        phone="0800 123 4567",
        order=0,
    )


def travel(moment):
    return time_machine.travel(moment, tick=False)


def registered(meeting, **kwargs):
    with travel(meeting.starts_at - dt.timedelta(days=10)):
        return RegistrationFactory(meeting=meeting, member=contactable_member(), **kwargs)


def run_debriefs(at=ENDS + dt.timedelta(minutes=61)) -> dict:
    with travel(at):
        return send_due_debriefs.apply().get()


def meeting(**kwargs):
    return MeetingFactory(starts_at=STARTS, ends_at=ENDS, **kwargs)


def recorded(registration):
    """What the outbox holds about this registration."""
    return Message.objects.filter(sending.about(registration))


# --- When and to whom -----------------------------------------------------------------------


def test_the_debrief_goes_once_after_the_delay_in_the_group_profile():
    registration = registered(meeting())

    assert run_debriefs(at=ENDS + dt.timedelta(minutes=30)) == {}
    assert run_debriefs(at=ENDS + dt.timedelta(minutes=61)) == {"sent": 1}
    assert run_debriefs(at=ENDS + dt.timedelta(minutes=66)) == {}
    assert run_debriefs(at=ENDS + dt.timedelta(hours=5)) == {}

    (message,) = mail.outbox
    assert message.to == [registration.member.user.email]
    recorded_message = recorded(registration).get()
    assert (recorded_message.kind, recorded_message.key, recorded_message.status) == ("meetings.debrief", "", "sent")
    assert recorded_message.channel == "email"


def test_the_delay_is_configurable():
    group_profile(debrief_delay_minutes=180)
    registered(meeting())

    assert run_debriefs(at=ENDS + dt.timedelta(minutes=90)) == {}
    assert run_debriefs(at=ENDS + dt.timedelta(minutes=181)) == {"sent": 1}


def test_no_debrief_for_a_meeting_that_ended_days_ago():
    registered(meeting())

    assert run_debriefs(at=ENDS + dt.timedelta(days=4)) == {}
    assert mail.outbox == []


def test_no_debrief_for_a_cancelled_meeting():
    registered(meeting(cancelled=True))

    assert run_debriefs() == {}


def test_before_attendance_is_taken_everyone_with_a_place_gets_it():
    the_meeting = meeting()
    with_place = registered(the_meeting)
    for status in ("waiting", "apologies", "cancelled"):
        registered(the_meeting, **{status: True})

    run_debriefs()

    assert [message.to for message in mail.outbox] == [[with_place.member.user.email]]


def test_once_attendance_is_taken_only_those_who_came_get_it():
    the_meeting = meeting()
    came, did_not_come = registered(the_meeting), registered(the_meeting)
    with travel(ENDS + dt.timedelta(minutes=5)):
        record_attendance(meeting=the_meeting, attended=[came.pk])

    run_debriefs()

    assert [message.to for message in mail.outbox] == [[came.member.user.email]]
    assert not recorded(did_not_come).exists()


def test_attendance_taken_after_the_debrief_went_sends_nothing_more():
    the_meeting = meeting()
    came = registered(the_meeting)
    registered(the_meeting)  # did not come, but was sent the debrief before attendance was taken
    run_debriefs()
    record_attendance(meeting=the_meeting, attended=[came.pk])

    run_debriefs(at=ENDS + dt.timedelta(hours=3))

    assert len(mail.outbox) == 2


def test_no_debrief_to_a_member_who_withdrew_consent_or_is_taking_a_break():
    the_meeting = meeting()
    withdrew, paused, happy = registered(the_meeting), registered(the_meeting), registered(the_meeting)
    with travel(ENDS):
        record_consent(member=withdrew.member, purpose="contact", given=False)
        pause_membership(member=paused.member)

    assert run_debriefs() == {"sent": 1, "skipped": 2}

    assert [message.to for message in mail.outbox] == [[happy.member.user.email]]
    assert recorded(withdrew).get().status == Message.Status.SKIPPED
    assert recorded(paused).get().status == Message.Status.SKIPPED


def test_the_debrief_goes_by_email_only_even_to_someone_who_chose_text():
    registration = registered(meeting())
    Member.objects.filter(pk=registration.member.pk).update(contact_by_sms=True, phone="07700900123")

    assert run_debriefs() == {"sent": 1}

    assert list(recorded(registration).values_list("channel", flat=True)) == ["email"]


def test_a_debrief_not_sent_in_time_is_not_sent_days_later():
    registration = registered(meeting())
    with travel(ENDS + dt.timedelta(minutes=61)):
        (message_id,) = messages.queue_debriefs([registration], send_after_commit=False)  # the worker stops here

    with travel(ENDS + dt.timedelta(days=4)):
        assert sending.sweep() == {"skipped": 1}

    message = Message.objects.get(pk=message_id)
    assert (message.status, message.reason) == (
        Message.Status.SKIPPED,
        "Not sent: the meeting ended more than three days ago.",
    )
    assert mail.outbox == []


# --- What it says ----------------------------------------------------------------------------


def test_an_ordinary_debrief_thanks_them_and_says_who_to_talk_to(peer_support, local_crisis_line):
    registered(meeting(debrief_lead_name="Priya Shah", debrief_lead_contact="01632 960123"))

    run_debriefs()

    (message,) = mail.outbox
    assert message.subject == "After the group meeting on Tuesday 9 March – Riverside group"
    body = message.body
    assert "Thank you for taking part in the group meeting on Tuesday 9 March 2027." in body
    assert "contact Priya Shah: 01632 960123" in body
    # The group's standing support signposts and crisis lines, as edited in the admin.
    assert "Riverside Parents Peer Support: call 01632 960777" in body
    assert "A weekly drop-in, run by parents." in body
    assert "Riverside Crisis Line: call 0800 123 4567" in body
    assert "Samaritans: call 116 123" in body
    assert "Text SHOUT to 85258" in body
    assert "If you need help urgently" in body
    # The gentler wording is for sensitive meetings only.
    assert "brought things up" not in body
    assert "normal" not in body
    html = message.alternatives[0][0]
    assert "<strong>Priya Shah</strong>: 01632 960123" in html
    assert "Riverside Parents Peer Support" in html
    assert 'href="tel:08001234567"' in html
    assert message.attachments == []


def test_a_sensitive_debrief_is_gentler_fuller_and_puts_crisis_lines_first(peer_support, local_crisis_line):
    registered(
        meeting(
            sensitive=True,
            title="Experiences of birth trauma",
            debrief_lead_name="Dr Morgan Ellis",
            debrief_lead_contact="01632 960456",
        )
    )

    run_debriefs()

    (message,) = mail.outbox
    # Discreet on the lock screen, as for every meeting.
    assert message.subject == "After the focus group on Tuesday 9 March – Riverside group"
    assert "trauma" not in message.subject.lower()
    body = message.body
    assert "We know it can take a lot to talk about painful experiences." in body
    assert "may have brought things up for you" in body
    assert "is normal" in body
    assert "You do not have to manage it on your own." in body
    assert "Talk to someone today" in body
    assert "contact Dr Morgan Ellis: 01632 960456" in body
    assert "Riverside Parents Peer Support" in body
    # Crisis lines come before everything else that follows the opening.
    crisis = body.index("If you need help now")
    assert crisis < body.index("Riverside Crisis Line") < body.index("Talk to someone today")
    assert body.index("Samaritans") < body.index("Dr Morgan Ellis")
    assert body.index("Dr Morgan Ellis") < body.index("Riverside Parents Peer Support")
    html = message.alternatives[0][0]
    assert "If you need help now" in html
    assert html.index("Riverside Crisis Line") < html.index("Dr Morgan Ellis")


def test_the_two_debriefs_differ():
    ordinary, sensitive = meeting(), meeting(sensitive=True)
    registered(ordinary)
    registered(sensitive)

    run_debriefs()

    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert len(bodies) == 2
    gentle = [body for body in bodies.values() if "brought things up" in body]
    plain = [body for body in bodies.values() if "We send this after every meeting." in body]
    assert len(gentle) == len(plain) == 1
    assert gentle != plain


def test_an_inactive_signpost_is_left_out(peer_support):
    peer_support.is_active = False
    peer_support.save()
    registered(meeting())

    run_debriefs()

    assert "Riverside Parents Peer Support" not in mail.outbox[0].body
    assert "Other support" not in mail.outbox[0].body


def test_without_a_debrief_lead_the_group_contacts_are_given():
    registered(meeting(debrief_lead_name="", debrief_lead_contact=""))

    run_debriefs()

    body = mail.outbox[0].body
    assert "contact the group on 01632 960000 or at involvement@riverside.example.nhs.uk" in body
