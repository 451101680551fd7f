"""Welcome emails are the outbox's now (see 0008, which recorded every one already sent)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_welcome_emails_to_outbox"),
    ]

    operations = [
        migrations.RemoveField(model_name="historicalmember", name="welcome_email_sent_at"),
        migrations.RemoveField(model_name="member", name="welcome_email_sent_at"),
    ]
