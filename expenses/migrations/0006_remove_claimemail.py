"""Claim messages are the outbox's now (see 0005, which copied every ClaimEmail into it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("expenses", "0005_claim_emails_to_outbox"),
    ]

    operations = [
        migrations.DeleteModel(name="ClaimEmail"),
    ]
