"""Every message the portal has sent or tried to send, for coordinators: what, to whom, on
which channel and what happened; "Needs checking" for messages that could not be sent or were
held by a worker that stopped mid-send, and "Send again" (after saying that a held message may
already have arrived)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone

from . import kinds, sending
from .models import Message

Status = Message.Status


class NeedsCheckingFilter(admin.SimpleListFilter):
    title = "needs checking"
    parameter_name = "needs_checking"

    def lookups(self, request, model_admin):
        return [("yes", "Needs checking"), ("phone", "Text not sent: phone instead")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(sending.needs_checking_filter())
        if self.value() == "phone":
            return sending.not_sent_for_lack_of_service(queryset)
        return queryset


class KindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.name, kind.label) for kind in kinds.registered()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "what", "channel", "recipient_name", "status", "attempts", "sent_at", "reason"]
    list_filter = [NeedsCheckingFilter, "status", "channel", KindFilter, ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["recipient__name", "recipient__email"]
    date_hierarchy = None
    list_per_page = 50
    actions = ["send_again"]
    fields = [
        "what",
        "recipient_name",
        "channel",
        "purpose",
        "status",
        "reason",
        "attempts",
        "created_at",
        "taken_at",
        "next_attempt_at",
        "sent_at",
        "sent_again_by",
        "to",
        "subject",
        "words",
        "body_removed_at",
        "provider_reference",
    ]
    readonly_fields = fields

    @admin.display(description="what it said")
    def words(self, message: Message) -> str:
        if message.purpose == sending.ACCOUNT:
            return "Not shown: account emails carry one-off links to someone's account."
        if message.body_removed_at:
            return "Removed after the time messages are kept."
        return message.body_text

    @admin.display(description="message", ordering="kind")
    def what(self, message: Message) -> str:
        return message.kind_label

    @admin.display(description="to", ordering="recipient__name")
    def recipient_name(self, message: Message) -> str:
        return str(message.recipient) if message.recipient else "(account removed)"

    @admin.action(description="Send again", permissions=["send_again"])
    def send_again(self, request, queryset):
        now = timezone.now()
        chosen = list(queryset.select_related("recipient"))
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/outbox/send_again.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Send these messages again?",
                    "opts": self.model._meta,
                    "chosen": chosen,
                    "held": [m for m in chosen if m.status == Status.SENDING],
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "media": self.media,
                },
            )
        outcomes: dict[str, int] = {}
        left_alone = 0
        for message in chosen:
            outcome = sending.send_again(message, by=request.user, now=now)
            if outcome is None:
                left_alone += 1
            else:
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        self._report(request, outcomes, left_alone)
        return None

    def _report(self, request, outcomes: dict[str, int], left_alone: int) -> None:
        words = {
            Status.SENT: ("Sent {n} message(s).", messages.SUCCESS),
            Status.RETRYING: ("{n} could not be sent yet and will be tried again.", messages.WARNING),
            Status.FAILED: ("{n} could not be sent; the reason is on each message.", messages.ERROR),
            Status.SKIPPED: ("{n} not sent: the person cannot be contacted this way now.", messages.WARNING),
            Status.NO_SERVICE: (
                "{n} not sent: no text message service is set up. Phone them instead.",
                messages.WARNING,
            ),
        }
        for status, (text, level) in words.items():
            if outcomes.get(status):
                self.message_user(request, text.format(n=outcomes[status]), level)
        if left_alone:
            self.message_user(
                request,
                f"{left_alone} left alone: already sent, not sent on purpose, or still being sent.",
                messages.INFO,
            )

    def has_send_again_permission(self, request) -> bool:
        return request.user.has_perm("outbox.change_message")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
