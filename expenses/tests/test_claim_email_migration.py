"""Migrations 0005 and 0006: each claim email's record (ClaimEmail) becomes an outbox message, with
what had happened to it kept, and ClaimEmail goes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

BEFORE = [("expenses", "0004_delivery_and_form_tokens")]
AFTER = [("expenses", "0006_remove_claimemail")]




@pytest.fixture
def old_apps(migrator):
    return migrator.to(BEFORE)


def test_each_claim_email_becomes_an_outbox_message_and_keeps_what_happened(old_apps, migrator):
    User = old_apps.get_model("members", "User")
    Member = old_apps.get_model("members", "Member")
    Meeting = old_apps.get_model("meetings", "Meeting")
    ExpenseClaim = old_apps.get_model("expenses", "ExpenseClaim")
    ClaimEvent = old_apps.get_model("expenses", "ClaimEvent")
    ClaimEmail = old_apps.get_model("expenses", "ClaimEmail")
    user = User.objects.create(email="amira@example.org", name="Amira")
    member = Member.objects.create(user=user)
    starts = timezone.now() - dt.timedelta(days=30)
    meeting = Meeting.objects.create(title="Group meeting", starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    claim = ExpenseClaim.objects.create(member=member, meeting=meeting, status="paid")
    at = timezone.now() - dt.timedelta(days=10)
    events = {}
    for day, (from_status, to_status) in enumerate(
        [("draft", "submitted"), ("submitted", "queried"), ("queried", "submitted"), ("submitted", "approved")]
    ):
        events[(from_status, to_status)] = ClaimEvent.objects.create(
            claim=claim, from_status=from_status, to_status=to_status, at=at + dt.timedelta(days=day)
        )
    paid = ClaimEvent.objects.create(
        claim=claim, from_status="approved", to_status="paid", at=at + dt.timedelta(days=5)
    )
    started = at + dt.timedelta(days=5, minutes=1)
    ClaimEmail.objects.create(
        event=events[("draft", "submitted")], state="sent", started_at=at, finished_at=at + dt.timedelta(seconds=2)
    )
    ClaimEmail.objects.create(event=events[("submitted", "queried")], state="not_sent", finished_at=at)
    ClaimEmail.objects.create(event=events[("queried", "submitted")], state="pending")
    ClaimEmail.objects.create(event=paid, state="sending", started_at=started)

    new_apps = migrator.to(AFTER)

    Message = new_apps.get_model("outbox", "Message")
    ContentType = new_apps.get_model("contenttypes", "ContentType")
    event_type = ContentType.objects.get(app_label="expenses", model="claimevent")
    messages = {message.about_id: message for message in Message.objects.filter(about_type=event_type)}
    assert len(messages) == 4
    assert {(m.recipient_id, m.channel, m.purpose, m.key) for m in messages.values()} == {
        (user.pk, "email", "claims", "")
    }

    sent = messages[events[("draft", "submitted")].pk]
    assert (sent.kind, sent.status, sent.sent_at) == ("expenses.claim_submitted", "sent", at + dt.timedelta(seconds=2))
    not_sent = messages[events[("submitted", "queried")].pk]
    assert (not_sent.kind, not_sent.status) == ("expenses.claim_queried", "skipped")
    assert not_sent.reason == "Not sent: the member could not be contacted by email."
    pending = messages[events[("queried", "submitted")].pk]
    assert (pending.status, pending.attempts, pending.taken_at) == ("pending", 0, None)
    held = messages[paid.pk]
    assert (held.kind, held.status, held.taken_at) == ("expenses.claim_paid", "sending", started), (
        "held for a coordinator to check: it may have gone"
    )
    assert events[("submitted", "approved")].pk not in messages, "no ClaimEmail, no message"
    with pytest.raises(LookupError):
        new_apps.get_model("expenses", "ClaimEmail")
