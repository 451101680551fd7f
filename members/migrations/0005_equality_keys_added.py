"""Equality answers move from a foreign key on the member to a random key (step 1 of 3).

See docs/decisions/0009-equality-answers-by-random-key.md. The fields are added empty here,
filled in 0006 and made required (and the old link removed) in 0007: each step is its own
transaction, so PostgreSQL never alters a table that has row changes waiting in the same one.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_first_consent_texts_and_courses"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="equality_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="equalitymonitoring",
            name="key",
            field=models.UUIDField(null=True, editable=False),
        ),
    ]
