"""Meeting messages by text: reminders, "a place has come up", cancellations and changes go by
text to members who chose it, through GOV.UK Notify when it is set up (only its HTTP API is
mocked here), and are listed for coordinators to phone when it is not. Texts are short and
discreet: they show on lock screens."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import responses
import time_machine
from django.core import mail
from django.urls import reverse

from meetings import messages
from meetings.services import cancel_meeting, cancel_registration, change_meeting
from meetings.tasks import send_due_reminders
from meetings.tests.factories import MeetingFactory, contactable_member, group_profile, london, register
from outbox import sending
from outbox.models import Channel, Message
from outbox.tasks import sweep_outbox

pytestmark = pytest.mark.django_db

NOTIFY_URL = "https://api.notifications.service.gov.uk/v2/notifications/sms"
TEMPLATE_ID = str(uuid.uuid4())
MOBILE = "07700900123"
STARTS = london(2027, 3, 9, 10)
WEEK_BEFORE = STARTS - dt.timedelta(days=7)
# Words that would tell someone glancing at a lock screen what the group is about.
GIVEAWAYS = ("mental", "health", "perinatal", "trauma", "birth", "anxiety", "depression", "postnatal", "crisis")


@pytest.fixture(autouse=True)
def a_month_before():
    with time_machine.travel(STARTS - dt.timedelta(days=30), tick=False):
        group_profile(short_name="Riverside group", reminder_offset_days="7,1")
        yield


@pytest.fixture
def notify(settings):
    # A key in Notify's own shape: name, service id, secret.
    settings.NOTIFY_API_KEY = f"portal_test-{uuid.uuid4()}-{uuid.uuid4()}"
    settings.NOTIFY_SMS_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        api.post(NOTIFY_URL, json={"id": "notify-1", "reference": "x"}, status=201)
        yield api


@pytest.fixture
def no_notify(settings):
    settings.NOTIFY_API_KEY = ""
    with responses.RequestsMock() as api:  # nothing may be requested
        yield api
    assert len(api.calls) == 0


def texting_member(**kwargs):
    """A member who chose email and text, with a mobile number."""
    kwargs.setdefault("phone", MOBILE)
    return contactable_member(contact_by_sms=True, **kwargs)


def texts_sent(api) -> list[dict]:
    return [json.loads(call.request.body) for call in api.calls]


def recorded(registration):
    return Message.objects.filter(sending.about(registration))


def assert_discreet_and_short(text: str, meeting) -> None:
    assert len(text) < 300, (len(text), text)
    assert meeting.title.lower() not in text.lower()
    for word in GIVEAWAYS:
        assert word not in text.lower(), (word, text)


def sweep() -> dict:
    return sweep_outbox.apply().get()


# --- Through GOV.UK Notify -----------------------------------------------------------------------


def test_a_reminder_goes_by_text_through_notify_and_by_email_to_a_member_who_chose_both(notify):
    meeting = MeetingFactory(starts_at=STARTS, sensitive=True, title="Birth trauma and mental health")
    registration = register(meeting, texting_member())

    with time_machine.travel(WEEK_BEFORE, tick=False):
        assert send_due_reminders.apply().get() == {"sent": 2}
        assert send_due_reminders.apply().get() == {}

    (text,) = texts_sent(notify)
    assert text["phone_number"] == MOBILE
    assert text["template_id"] == TEMPLATE_ID
    words = text["personalisation"]["message"]
    assert words == (
        "Riverside group: a reminder that you have a place at the focus group on Tuesday 9 March, 10am to midday.\n"
        f"Details, or to cancel if you cannot come: http://127.0.0.1:8000/meetings/{meeting.pk}/"
    )
    assert_discreet_and_short(words, meeting)
    (email,) = mail.outbox
    assert email.to == [registration.member.user.email]
    sms = recorded(registration).get(channel=Channel.SMS)
    assert (sms.kind, sms.key, sms.status) == (messages.REMINDER, "7", Message.Status.SENT)
    assert (sms.to, sms.provider_reference, sms.body_text) == (MOBILE, "notify-1", words)


def test_a_place_coming_up_goes_by_text_through_notify(notify, celery_eager, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(starts_at=STARTS, capacity=1)
    leaving, waiting = register(meeting), register(meeting, texting_member())

    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=leaving)

    (text,) = texts_sent(notify)
    assert text["phone_number"] == MOBILE
    words = text["personalisation"]["message"]
    assert words.startswith(
        "Riverside group: a place has come up at the group meeting on Tuesday 9 March, 10am to midday, and it is yours."
    )
    assert f"/meetings/{meeting.pk}/" in words
    assert_discreet_and_short(words, meeting)
    assert sorted(recorded(waiting).values_list("channel", "status")) == [("email", "sent"), ("sms", "sent")]
    assert [email.to for email in mail.outbox] == [[waiting.member.user.email]]


def test_a_cancellation_goes_by_email_and_by_text(notify, celery_eager, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(starts_at=STARTS)
    texter, emailer = register(meeting, texting_member()), register(meeting)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_meeting(meeting=meeting, reason="The room has flooded.")

    (text,) = texts_sent(notify)
    assert text["phone_number"] == MOBILE
    words = text["personalisation"]["message"]
    assert "Riverside group: sorry, the group meeting on Tuesday 9 March, 10am to midday, has been cancelled." in words
    assert "flooded" not in words  # what staff typed stays in the email
    assert_discreet_and_short(words, meeting)
    assert sorted(email.to[0] for email in mail.outbox) == sorted([texter.member.user.email, emailer.member.user.email])
    assert all(email.subject.startswith("Cancelled:") for email in mail.outbox)
    assert sorted(recorded(texter).values_list("channel", flat=True)) == ["email", "sms"]
    assert list(recorded(emailer).values_list("channel", flat=True)) == ["email"]


def test_a_change_goes_by_text_with_the_old_and_new_times(notify, celery_eager, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(starts_at=STARTS)
    register(meeting, texting_member())
    new_start = london(2027, 3, 16, 14)

    with django_capture_on_commit_callbacks(execute=True):
        change_meeting(meeting=meeting, starts_at=new_start, ends_at=new_start + dt.timedelta(hours=2))

    (text,) = texts_sent(notify)
    words = text["personalisation"]["message"]
    assert words.startswith(
        "Riverside group: the group meeting that was on Tuesday 9 March 2027, 10am is now on Tuesday 16 March, "
        "2pm to 4pm. You still have a place."
    )
    assert_discreet_and_short(words, meeting)


def test_only_members_who_chose_text_are_sent_one(notify, celery_eager, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(starts_at=STARTS)
    email_only = register(meeting)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_meeting(meeting=meeting)

    assert texts_sent(notify) == []
    assert list(recorded(email_only).values_list("channel", flat=True)) == ["email"]


# --- No text message service: phone them instead -------------------------------------------------


def test_without_notify_texts_are_recorded_and_listed_for_a_phone_call(no_notify, coordinator_client):
    meeting = MeetingFactory(starts_at=STARTS, capacity=1)
    holder = register(meeting, texting_member(user__name="Tia Texter"))
    waiting = register(meeting, texting_member(user__name="Wren Waiting", phone="07700900456"))
    register(meeting)  # chose email only: nothing to phone about

    with time_machine.travel(WEEK_BEFORE, tick=False):
        assert send_due_reminders.apply().get() == {"sent": 1, "no_service": 1}
        cancel_registration(registration=holder)  # a place comes up for the next person waiting
        assert sweep() == {"sent": 1, "no_service": 1}

    response = coordinator_client.get(reverse("meetings_staff:attendance", args=[meeting.pk]))

    for registration in (holder, waiting):
        sms = recorded(registration).get(channel=Channel.SMS)
        assert (sms.status, sms.reason) == (Message.Status.NO_SERVICE, "Not sent: no text message service set up.")
    assert len(mail.outbox) == 2  # their emails still went
    assert [person.name for person in messages.phone_instead(meeting)] == ["Tia Texter", "Wren Waiting"]
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phone these people" in html
    list_html = html[html.index('id="phone-instead"') :]
    assert "Tia Texter" in list_html and 'href="tel:07700900123"' in list_html
    assert ">07700 900123</a>" in list_html, "shown in the groups people read a number in"
    assert "Wren Waiting" in list_html and 'href="tel:07700900456"' in list_html
    assert "meeting reminder" in list_html
    assert "a place has come up" in list_html


def test_the_phone_list_costs_the_same_queries_however_many_people_are_on_it(
    no_notify, django_assert_max_num_queries
):
    meeting = MeetingFactory(starts_at=STARTS, capacity=40)
    register(meeting, texting_member())
    with time_machine.travel(WEEK_BEFORE, tick=False):
        send_due_reminders.apply()
    with django_assert_max_num_queries(10) as few:
        assert len(messages.phone_instead(meeting)) == 1

    for _ in range(6):
        register(meeting, texting_member())
    with time_machine.travel(WEEK_BEFORE, tick=False):
        send_due_reminders.apply()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(messages.phone_instead(meeting)) == 7


def test_the_phone_list_shows_only_this_meetings_people(no_notify, coordinator_client):
    meeting, other = MeetingFactory(starts_at=STARTS), MeetingFactory(starts_at=STARTS)
    register(other, texting_member(user__name="Oona Other"))
    register(meeting)

    with time_machine.travel(WEEK_BEFORE, tick=False):
        send_due_reminders.apply()
    page = coordinator_client.get(reverse("meetings_staff:attendance", args=[meeting.pk]))
    other_page = coordinator_client.get(reverse("meetings_staff:attendance", args=[other.pk]))

    assert (page.status_code, other_page.status_code) == (200, 200)
    html, other_html = page.content.decode(), other_page.content.decode()
    assert "Phone these people" not in html
    assert "Oona Other" not in html
    assert "Phone these people" in other_html
    assert messages.phone_instead(meeting) == []


def test_a_text_no_longer_needed_is_not_listed_for_a_phone_call(no_notify):
    meeting = MeetingFactory(starts_at=STARTS)
    registration = register(meeting, texting_member())
    with time_machine.travel(WEEK_BEFORE, tick=False):
        messages.queue_reminders([registration], days_before=7, send_after_commit=False)
        cancel_registration(registration=registration)

        sweep()

    assert set(recorded(registration).values_list("status", flat=True)) == {Message.Status.SKIPPED}
    assert messages.phone_instead(meeting) == []


def test_someone_who_withdrew_consent_since_is_not_listed_for_a_phone_call(no_notify):
    from members.services import record_consent

    meeting = MeetingFactory(starts_at=STARTS)
    registration = register(meeting, texting_member())
    with time_machine.travel(WEEK_BEFORE, tick=False):
        send_due_reminders.apply()
    assert len(messages.phone_instead(meeting)) == 1

    record_consent(member=registration.member, purpose="contact", given=False)

    assert messages.phone_instead(meeting) == []
