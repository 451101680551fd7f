"""One row per message: what it is about, who it is to, on which channel, and what happened.

The row is the message's single source of truth. It is made in the same transaction as the
change that causes it (so a rolled-back change sends nothing and a committed one is never
forgotten), and its unique key (kind, what it is about, recipient, channel) means the same
message can never be made twice. See outbox/sending.py and docs/decisions/0010-one-outbox.md.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class Message(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Could not send yet, will try again"
        FAILED = "failed", "Could not be sent"
        SKIPPED = "skipped", "Not sent on purpose"
        NO_SERVICE = "no_service", "Not sent: no text message service set up"

    # A stable name such as "meetings.reminder"; the app that owns it registers how to build it.
    kind = models.CharField(max_length=60)
    # Blank only for account emails allauth asks for about an address with no account.
    about_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    # Tells apart messages of one kind about the same thing: days before a meeting for a
    # reminder, a version number for a change notice, and so on. Blank when there is one.
    key = models.CharField(max_length=40, blank=True, default="")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="outbox_messages"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    # Why it is sent, as the consent hook understands it (for example "meetings" or "claims").
    purpose = models.CharField(max_length=20)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # When a message that could not be sent yet may be tried again.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a worker last took the message to send it.
    taken_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The reason a message was not sent, or the last error.
    reason = models.CharField(max_length=500, blank=True)

    # What was sent, kept for coordinators until the retention job removes it.
    to = models.CharField("sent to", max_length=254, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    body_removed_at = models.DateTimeField(null=True, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    sent_again_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "about_type", "about_id", "key", "recipient", "channel"],
                name="outbox_one_message_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next"),
            models.Index(fields=["about_type", "about_id"], name="outbox_about"),
            models.Index(fields=["created_at"], name="outbox_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} ({self.get_channel_display().lower()}): {self.get_status_display()}"

    @property
    def kind_label(self) -> str:
        from .kinds import label_for

        return label_for(self.kind)
