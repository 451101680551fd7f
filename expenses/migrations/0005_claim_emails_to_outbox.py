"""Copies each claim email's record (ClaimEmail) into the outbox, which sends claim messages from now on.

One outbox message per ClaimEmail, about the same change (the ClaimEvent), to the claim's member,
by email. What had happened is kept: "pending" stays pending (the outbox's sweep sends it, or
records that the claim has moved on since); "sending" stays sending, held for a coordinator to
check under "Needs checking", because it may already have arrived; "sent" stays sent with its
time; "not sent" becomes "not sent on purpose" with the reason. ClaimEmail itself goes in the
next migration.
"""

from django.db import migrations

# The outbox's kinds, as expenses.messages registers them (not imported: migrations keep their own copy).
KINDS = {
    "submitted": "expenses.claim_submitted",
    "queried": "expenses.claim_queried",
    "approved": "expenses.claim_approved",
    "rejected": "expenses.claim_rejected",
    "paid": "expenses.claim_paid",
}
STATES = {"pending": "pending", "sending": "sending", "sent": "sent", "not_sent": "skipped"}
NOT_SENT = "Not sent: the member could not be contacted by email."
BATCH = 500


def to_outbox(apps, schema_editor):
    ClaimEmail = apps.get_model("expenses", "ClaimEmail")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Message = apps.get_model("outbox", "Message")

    event_type, _ = ContentType.objects.get_or_create(app_label="expenses", model="claimevent")
    rows = []
    emails = ClaimEmail.objects.select_related("event__claim__member").order_by("pk")
    for email in emails.iterator(chunk_size=BATCH):
        event = email.event
        kind = KINDS.get(event.to_status)
        if kind is None:
            continue
        status = STATES[email.state]
        taken_at = email.started_at or (event.at if status in ("sending", "sent", "skipped") else None)
        rows.append(
            Message(
                kind=kind,
                about_type=event_type,
                about_id=event.pk,
                key="",
                recipient_id=event.claim.member.user_id,
                channel="email",
                purpose="claims",
                status=status,
                attempts=0 if status == "pending" else 1,
                created_at=event.at,
                taken_at=taken_at,
                sent_at=(email.finished_at or taken_at) if status == "sent" else None,
                reason=NOT_SENT if status == "skipped" else "",
            )
        )
        if len(rows) >= BATCH:
            Message.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Message.objects.bulk_create(rows, ignore_conflicts=True)


def from_outbox(apps, schema_editor):
    """Back to one ClaimEmail per claim email the outbox holds (texts had no ClaimEmail)."""
    ClaimEmail = apps.get_model("expenses", "ClaimEmail")
    ClaimEvent = apps.get_model("expenses", "ClaimEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Message = apps.get_model("outbox", "Message")

    event_type = ContentType.objects.filter(app_label="expenses", model="claimevent").first()
    if event_type is None:
        return
    states = {"pending": "pending", "retrying": "pending", "sending": "sending", "sent": "sent"}
    messages = Message.objects.filter(kind__in=KINDS.values(), channel="email", about_type=event_type)
    events = set(ClaimEvent.objects.values_list("pk", flat=True))
    for message in messages.order_by("pk").iterator(chunk_size=BATCH):
        if message.about_id in events:
            ClaimEmail.objects.get_or_create(
                event_id=message.about_id,
                defaults={
                    "state": states.get(message.status, "not_sent"),
                    "started_at": message.taken_at,
                    "finished_at": message.sent_at,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("expenses", "0004_delivery_and_form_tokens"),
        ("outbox", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_outbox, from_outbox)]
