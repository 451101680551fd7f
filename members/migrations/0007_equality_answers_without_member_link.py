"""Makes the random keys required and unique, and removes the answers' link to the member (step 3 of 3).

Also adds the welcome email's send-once marker.
"""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_equality_keys_filled"),
    ]

    operations = [
        migrations.AlterField(
            model_name="member",
            name="equality_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="equalitymonitoring",
            name="key",
            field=models.UUIDField(editable=False, unique=True),
        ),
        migrations.RemoveField(
            model_name="equalitymonitoring",
            name="member",
        ),
        migrations.AddField(
            model_name="member",
            name="welcome_email_sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalmember",
            name="welcome_email_sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
