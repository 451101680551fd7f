"""Migration 0004: every MessageDelivery row becomes an outbox Message, keeping the history and
what was still to happen (pending stays pending, a failure with tries left is retried)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.utils import timezone

migration = importlib.import_module("meetings.migrations.0004_messages_to_outbox")
outbox_fields = migration.outbox_fields

BEFORE = [("meetings", "0003_action_owner")]
AFTER = [("meetings", "0004_messages_to_outbox")]
CLAIMED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def delivery(**fields) -> dict:
    return {
        "registration_id": 12,
        "kind": "reminder",
        "key": 7,
        "status": "sent",
        "attempts": 1,
        "claimed_at": CLAIMED,
        "sent_at": CLAIMED + dt.timedelta(seconds=2),
        "last_error": "",
        **fields,
    }


def test_a_sent_delivery_keeps_what_and_when():
    fields = outbox_fields(delivery())

    assert fields == {
        "kind": "meetings.reminder",
        "about_id": 12,
        "key": "7",
        "channel": "email",
        "purpose": "meetings",
        "status": "sent",
        "attempts": 1,
        "created_at": CLAIMED,
        "taken_at": CLAIMED,
        "next_attempt_at": None,
        "sent_at": CLAIMED + dt.timedelta(seconds=2),
        "reason": "",
    }


@pytest.mark.parametrize("status", ["sending", "sent", "skipped"])
def test_statuses_that_mean_the_same_are_kept(status):
    assert outbox_fields(delivery(status=status))["status"] == status


def test_a_pending_delivery_stays_pending_and_was_never_taken():
    fields = outbox_fields(delivery(status="pending", attempts=0, sent_at=None, kind="promoted", key=2))

    assert (fields["status"], fields["taken_at"], fields["kind"], fields["key"]) == (
        "pending",
        None,
        "meetings.promoted",
        "2",
    )


@pytest.mark.parametrize(("attempts", "pause_minutes"), [(1, 5), (2, 10), (3, 20), (4, 40)])
def test_a_failure_with_tries_left_is_retried_when_meetings_would_have_retried_it(attempts, pause_minutes):
    fields = outbox_fields(delivery(status="failed", attempts=attempts, sent_at=None, last_error="SMTP timed out"))

    assert fields["status"] == "retrying"
    assert fields["next_attempt_at"] == CLAIMED + dt.timedelta(minutes=pause_minutes)
    assert fields["reason"] == "SMTP timed out"
    assert fields["attempts"] == attempts


def test_a_failure_with_no_tries_left_stays_failed_with_its_reason():
    fields = outbox_fields(delivery(status="failed", attempts=5, sent_at=None, last_error="550 No such user"))

    assert (fields["status"], fields["next_attempt_at"]) == ("failed", None)
    assert fields["reason"] == "Gave up after 5 tries. 550 No such user"


def test_a_skip_for_want_of_consent_says_so():
    assert outbox_fields(delivery(status="skipped", sent_at=None))["reason"].startswith("Not sent: no consent")
    no_longer = "Not sent: no longer needed by the time it was due."
    assert outbox_fields(delivery(status="skipped", sent_at=None, last_error=no_longer))["reason"] == no_longer


@pytest.mark.parametrize("kind", ["debrief", "cancelled"])
def test_a_message_with_one_per_registration_gets_the_blank_key_meetings_queue_it_under(kind):
    # Under "0" the periodic job would not see a debrief already sent, and would send it again.
    assert outbox_fields(delivery(kind=kind, key=0))["key"] == ""


def test_a_debrief_sent_before_the_move_is_not_due_again(db):
    from meetings import messages
    from meetings.due import due_debriefs
    from meetings.tests.factories import RegistrationFactory
    from outbox.models import Message

    ended = timezone.now() - dt.timedelta(hours=3)
    registration = RegistrationFactory(
        meeting__starts_at=ended - dt.timedelta(hours=2), meeting__ends_at=ended, status="registered"
    )
    assert list(due_debriefs()) == [registration]
    fields = outbox_fields(delivery(kind="debrief", key=0, claimed_at=ended, sent_at=ended))
    Message.objects.create(about=registration, recipient=registration.member.user, **fields)

    assert list(due_debriefs()) == []
    assert messages.queue_debriefs([registration], send_after_commit=False) == []


# --- The whole migration, against the database ----------------------------------------------




@pytest.fixture
def old_apps(migrator):
    return migrator.to(BEFORE)


def _registration(apps, email: str):
    User = apps.get_model("members", "User")
    Member = apps.get_model("members", "Member")
    Meeting = apps.get_model("meetings", "Meeting")
    Registration = apps.get_model("meetings", "Registration")
    user = User.objects.create(email=email, name=email.split("@")[0])
    member = Member.objects.create(user=user)
    starts = timezone.now() + dt.timedelta(days=7)
    meeting = Meeting.objects.create(title="Group meeting", starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    return Registration.objects.create(meeting=meeting, member=member, status="registered"), user


def test_every_delivery_becomes_an_outbox_message_about_its_registration(old_apps, migrator):
    MessageDelivery = old_apps.get_model("meetings", "MessageDelivery")
    registration, user = _registration(old_apps, "ada@example.org")
    other, other_user = _registration(old_apps, "bo@example.org")
    claimed = timezone.now() - dt.timedelta(hours=1)
    MessageDelivery.objects.create(
        registration=registration, kind="reminder", key=7, status="sent", claimed_at=claimed, sent_at=claimed
    )
    MessageDelivery.objects.create(
        registration=registration,
        kind="reminder",
        key=1,
        status="failed",
        attempts=2,
        claimed_at=claimed,
        last_error="SMTP timed out",
    )
    MessageDelivery.objects.create(registration=other, kind="changed", key=3, status="sending", claimed_at=claimed)
    MessageDelivery.objects.create(
        registration=other, kind="promoted", key=1, status="pending", attempts=0, claimed_at=claimed
    )

    new_apps = migrator.to(AFTER)

    ContentType = new_apps.get_model("contenttypes", "ContentType")
    Message = new_apps.get_model("outbox", "Message")
    registration_type = ContentType.objects.get(app_label="meetings", model="registration")
    rows = Message.objects.order_by("about_id", "kind", "key").values_list(
        "about_type_id", "about_id", "recipient_id", "kind", "key", "channel", "purpose", "status"
    )
    assert list(rows) == [
        (registration_type.pk, registration.pk, user.pk, "meetings.reminder", "1", "email", "meetings", "retrying"),
        (registration_type.pk, registration.pk, user.pk, "meetings.reminder", "7", "email", "meetings", "sent"),
        (registration_type.pk, other.pk, other_user.pk, "meetings.changed", "3", "email", "meetings", "sending"),
        (registration_type.pk, other.pk, other_user.pk, "meetings.promoted", "1", "email", "meetings", "pending"),
    ]
    retrying = Message.objects.get(key="1", kind="meetings.reminder")
    assert retrying.next_attempt_at == claimed + dt.timedelta(minutes=10)
    assert retrying.reason == "SMTP timed out"
    assert Message.objects.get(kind="meetings.reminder", key="7").sent_at == claimed
    assert Message.objects.get(kind="meetings.changed").taken_at == claimed  # shows under "Needs checking"


def test_going_back_returns_the_email_messages_to_meetings(old_apps, migrator):
    MessageDelivery = old_apps.get_model("meetings", "MessageDelivery")
    registration, _ = _registration(old_apps, "ada@example.org")
    claimed = timezone.now() - dt.timedelta(hours=1)
    MessageDelivery.objects.create(
        registration=registration,
        kind="debrief",
        key=0,
        status="failed",
        attempts=1,
        claimed_at=claimed,
        last_error="SMTP timed out",
    )
    migrator.to(AFTER)

    back = migrator.to(BEFORE)

    rows = back.get_model("meetings", "MessageDelivery").objects.values_list("kind", "key", "status", "last_error")
    assert list(rows) == [("debrief", 0, "failed", "SMTP timed out")]
    assert not back.get_model("outbox", "Message").objects.exists()
