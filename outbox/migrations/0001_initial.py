import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Message",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=60)),
                ("about_id", models.PositiveBigIntegerField(blank=True, null=True)),
                ("key", models.CharField(blank=True, default="", max_length=40)),
                (
                    "channel",
                    models.CharField(
                        choices=[("email", "Email"), ("sms", "Text message")], default="email", max_length=8
                    ),
                ),
                ("purpose", models.CharField(max_length=20)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting to be sent"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("retrying", "Could not send yet, will try again"),
                            ("failed", "Could not be sent"),
                            ("skipped", "Not sent on purpose"),
                            ("no_service", "Not sent: no text message service set up"),
                        ],
                        default="pending",
                        max_length=12,
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                ("taken_at", models.DateTimeField(blank=True, null=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("reason", models.CharField(blank=True, max_length=500)),
                ("to", models.CharField(blank=True, max_length=254, verbose_name="sent to")),
                ("subject", models.CharField(blank=True, max_length=200)),
                ("body_text", models.TextField(blank=True)),
                ("body_html", models.TextField(blank=True)),
                ("body_removed_at", models.DateTimeField(blank=True, null=True)),
                ("provider_reference", models.CharField(blank=True, max_length=100)),
                (
                    "about_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="outbox_messages",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "sent_again_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next"),
                    models.Index(fields=["about_type", "about_id"], name="outbox_about"),
                    models.Index(fields=["created_at"], name="outbox_created"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "about_type", "about_id", "key", "recipient", "channel"),
                        name="outbox_one_message_per_key",
                    )
                ],
            },
        ),
    ]
