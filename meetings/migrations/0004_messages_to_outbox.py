"""Meeting messages move to the outbox: every MessageDelivery row becomes an outbox Message.

The history is kept (what was sent to whom, and when), and what was still to happen still
happens: a pending row stays pending for the outbox's sweep, a failed row with tries left is
retried by the outbox at the time meetings' own retry job would have tried it, and a row left
"sending" by a stopped worker shows under "Needs checking". Every delivery was an email.
"""

import datetime as dt

from django.db import migrations

MAX_ATTEMPTS = 5  # meetings' own limit before the outbox
RETRY_BASE_DELAY = dt.timedelta(minutes=5)
# Kinds that have one message per registration: meetings queue them with a blank key, where
# MessageDelivery stored 0. Copying 0 as "0" would make the periodic job think each debrief
# already sent was never sent, and send it again.
KEYLESS = ("debrief", "cancelled")
SKIPPED_BEFORE = "Not sent: no consent to be contacted, taking a break, or has left the group."


def outbox_fields(delivery: dict) -> dict:
    """The outbox Message fields for one MessageDelivery row (its field values as a dict)."""
    status = delivery["status"]
    attempts = delivery["attempts"]
    claimed_at = delivery["claimed_at"]
    reason = delivery["last_error"]
    next_attempt_at = None
    if status == "failed":
        if attempts < MAX_ATTEMPTS:
            status = "retrying"
            next_attempt_at = claimed_at + RETRY_BASE_DELAY * 2 ** max(attempts - 1, 0)
        else:
            reason = f"Gave up after {attempts} tries. {reason}".strip()
    elif status == "skipped" and not reason:
        reason = SKIPPED_BEFORE
    return {
        "kind": f"meetings.{delivery['kind']}",
        "about_id": delivery["registration_id"],
        "key": "" if delivery["kind"] in KEYLESS else str(delivery["key"]),
        "channel": "email",
        "purpose": "meetings",
        "status": status,
        "attempts": attempts,
        "created_at": claimed_at,
        # A pending row was made, never taken.
        "taken_at": None if status == "pending" else claimed_at,
        "next_attempt_at": next_attempt_at,
        "sent_at": delivery["sent_at"],
        "reason": reason[:500],
    }


def _registration_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    registration_type, _ = ContentType.objects.get_or_create(app_label="meetings", model="registration")
    return registration_type


def copy_deliveries_to_outbox(apps, schema_editor):
    MessageDelivery = apps.get_model("meetings", "MessageDelivery")
    Message = apps.get_model("outbox", "Message")
    deliveries = MessageDelivery.objects.values(
        "registration_id",
        "registration__member__user_id",
        "kind",
        "key",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
        "last_error",
    ).order_by("pk")
    if not deliveries.exists():
        return
    registration_type = _registration_type(apps)
    rows = [
        Message(
            about_type=registration_type,
            recipient_id=delivery["registration__member__user_id"],
            **outbox_fields(delivery),
        )
        for delivery in deliveries.iterator(chunk_size=2000)
    ]
    # ignore_conflicts: running it again (after going back and forward) copies nothing twice.
    Message.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


BACK = {"retrying": "failed", "no_service": "skipped"}


def copy_outbox_back_to_deliveries(apps, schema_editor):
    """Going back: the email messages about registrations return to MessageDelivery (texts have
    no place there) and the outbox forgets every meeting message."""
    MessageDelivery = apps.get_model("meetings", "MessageDelivery")
    Message = apps.get_model("outbox", "Message")
    messages = Message.objects.filter(kind__startswith="meetings.")
    if not messages.exists():
        return
    registration_type = _registration_type(apps)
    Registration = apps.get_model("meetings", "Registration")
    existing = set(Registration.objects.values_list("pk", flat=True))
    rows = [
        MessageDelivery(
            registration_id=message.about_id,
            kind=message.kind.removeprefix("meetings."),
            key=int(message.key or 0),
            status=BACK.get(message.status, message.status),
            attempts=message.attempts,
            claimed_at=message.taken_at or message.created_at,
            sent_at=message.sent_at,
            last_error=message.reason[:500],
        )
        for message in messages.filter(about_type=registration_type, channel="email").iterator(chunk_size=2000)
        if message.about_id in existing
    ]
    MessageDelivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    messages.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_action_owner"),
        ("outbox", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_deliveries_to_outbox, copy_outbox_back_to_deliveries),
    ]
