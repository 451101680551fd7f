"""Records each welcome email already sent (``Member.welcome_email_sent_at``) as a sent message in
the outbox, which sends welcome emails from now on; the field goes in the next migration.

The outbox's key for a welcome email is (kind, the member, the account, email), so a member
recorded here is never sent a second one.
"""

from django.db import migrations

WELCOME = "members.welcome"  # as members.messages registers it
BATCH = 500


def to_outbox(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Member = apps.get_model("members", "Member")
    Message = apps.get_model("outbox", "Message")

    member_type, _ = ContentType.objects.get_or_create(app_label="members", model="member")
    welcomed = Member.objects.filter(welcome_email_sent_at__isnull=False).order_by("pk")
    rows = [
        Message(
            kind=WELCOME,
            about_type=member_type,
            about_id=member.pk,
            key="",
            recipient_id=member.user_id,
            channel="email",
            purpose="account",
            status="sent",
            attempts=1,
            created_at=member.welcome_email_sent_at,
            taken_at=member.welcome_email_sent_at,
            sent_at=member.welcome_email_sent_at,
        )
        for member in welcomed.only("pk", "user_id", "welcome_email_sent_at").iterator(chunk_size=BATCH)
    ]
    Message.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def from_outbox(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Member = apps.get_model("members", "Member")
    Message = apps.get_model("outbox", "Message")

    member_type = ContentType.objects.filter(app_label="members", model="member").first()
    if member_type is None:
        return
    sent = Message.objects.filter(kind=WELCOME, about_type=member_type, status="sent", sent_at__isnull=False)
    for about_id, sent_at in sent.values_list("about_id", "sent_at").iterator(chunk_size=BATCH):
        Member.objects.filter(pk=about_id, welcome_email_sent_at__isnull=True).update(welcome_email_sent_at=sent_at)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0007_equality_answers_without_member_link"),
        ("outbox", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_outbox, from_outbox)]
