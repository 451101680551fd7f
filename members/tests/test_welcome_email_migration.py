"""Migrations 0008 and 0009: each welcome email already sent (``welcome_email_sent_at``) is recorded
as a sent outbox message, so nobody is welcomed twice, and the field goes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

BEFORE = [("members", "0007_equality_answers_without_member_link")]
AFTER = [("members", "0009_remove_member_welcome_email_sent_at")]


@pytest.fixture
def old_apps(migrator):
    return migrator.to(BEFORE)


def test_each_welcome_email_sent_is_recorded_in_the_outbox(old_apps, migrator):
    User = old_apps.get_model("members", "User")
    Member = old_apps.get_model("members", "Member")
    sent_at = timezone.now() - dt.timedelta(days=40)
    welcomed = Member.objects.create(
        user=User.objects.create(email="joan@example.org", name="Joan Bright"), welcome_email_sent_at=sent_at
    )
    Member.objects.create(user=User.objects.create(email="nia@example.org", name="Nia Brown"))  # joined online

    new_apps = migrator.to(AFTER)

    Message = new_apps.get_model("outbox", "Message")
    (message,) = Message.objects.all()
    assert (message.kind, message.about_id, message.recipient_id) == ("members.welcome", welcomed.pk, welcomed.user_id)
    assert (message.about_type.app_label, message.about_type.model) == ("members", "member")
    assert (message.channel, message.purpose, message.key) == ("email", "account", "")
    assert (message.status, message.sent_at, message.created_at) == ("sent", sent_at, sent_at)
    assert "welcome_email_sent_at" not in {field.name for field in new_apps.get_model("members", "Member")._meta.fields}


def test_someone_welcomed_before_the_move_is_not_welcomed_again(old_apps, migrator):
    User = old_apps.get_model("members", "User")
    Member = old_apps.get_model("members", "Member")
    welcomed = Member.objects.create(
        user=User.objects.create(email="joan@example.org", name="Joan Bright"),
        welcome_email_sent_at=timezone.now() - dt.timedelta(days=40),
    )

    migrator.to(AFTER)

    from django.core import mail

    from members.messages import welcome
    from members.models import Member as CurrentMember
    from outbox.models import Message
    from outbox.sending import send_pending

    assert welcome(member=CurrentMember.objects.get(pk=welcomed.pk)) == [], "no new message is made"
    send_pending()
    assert Message.objects.count() == 1
    assert mail.outbox == []
