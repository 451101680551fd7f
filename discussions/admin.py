"""The feed in the admin: settings (hold period, safeguarding phrases), topics, posts with the
moderation actions, reports, the record of moderators' actions, and conversations with the team.

Moderation never happens as a plain save here: approving and pinning go through
``discussions.services`` (which records each action); hiding needs a note to the writer and
contacting them needs a message, so both link to the in-page moderation page, which uses the same
services. Posts' words are read-only: a moderator hides, they never rewrite a member's words.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from common.admin_labels import AccessibleAdminMixin

from . import services
from .models import Conversation, DiscussionSettings, ModerationAction, Post, Report, Topic


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    fields = ["hold_new_members_days", "safeguarding_phrases", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        return not DiscussionSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


class NeedsModeratorFilter(admin.SimpleListFilter):
    title = "needs a moderator"
    parameter_name = "needs"

    def lookups(self, request, model_admin):
        return [("held", "Waiting for a moderator"), ("reported", "Reported"), ("safeguarding", "Safeguarding")]

    def queryset(self, request, queryset):
        if self.value() == "held":
            return queryset.filter(status=Post.Status.HELD)
        if self.value() == "reported":
            return queryset.filter(open_reports__gt=0, status=Post.Status.PUBLISHED)
        if self.value() == "safeguarding":
            return queryset.filter(status=Post.Status.HELD, held_because=Post.HeldBecause.SAFEGUARDING)
        return queryset


class ModerationActionInline(AccessibleAdminMixin, admin.TabularInline):
    model = ModerationAction
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "author", "status", "held_because", "open_reports", "pinned", "created_at"]
    list_filter = [NeedsModeratorFilter, "status", "kind", "pinned", "topic"]
    list_select_related = ["author", "thread"]
    search_fields = ["title", "body"]
    date_hierarchy = "created_at"
    actions = ["approve", "pin", "unpin"]
    inlines = [ModerationActionInline]
    fields = [
        "moderate_link", "thread", "kind", "topic", "author", "by_staff", "title", "body", "content_note",
        "status", "held_because", "matched_phrases", "pinned", "open_reports", "created_at", "edited_at",
        "published_at", "reply_count",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # posts are written on the feed, where the rules and alerts apply

    def has_delete_permission(self, request, obj=None):
        return False  # hide instead: the record of what was said and done stays

    @admin.display(description="Moderate")
    def moderate_link(self, obj: Post):
        url = reverse("discussions_staff:moderate", args=[obj.pk])
        return format_html('<a href="{}">Approve, hide or contact the writer</a>', url)

    def _each(self, request, queryset, action, done: str):
        count = 0
        for post in queryset:
            try:
                action(post)
                count += 1
            except services.DiscussionError as error:
                self.message_user(request, f"{post}: {error}", messages.WARNING)
        if count:
            self.message_user(request, done.format(count=count), messages.SUCCESS)

    @admin.action(description="Approve (or keep after reports) the selected posts")
    def approve(self, request, queryset):
        self._each(request, queryset, lambda p: services.approve_post(post=p, by=request.user), "{count} approved.")

    @admin.action(description="Pin the selected posts to the top of the feed")
    def pin(self, request, queryset):
        pin = lambda p: services.set_pinned(post=p, by=request.user, pinned=True)  # noqa: E731
        self._each(request, queryset, pin, "{count} pinned.")

    @admin.action(description="Unpin the selected posts")
    def unpin(self, request, queryset):
        unpin = lambda p: services.set_pinned(post=p, by=request.user, pinned=False)  # noqa: E731
        self._each(request, queryset, unpin, "{count} unpinned.")


@admin.register(Report)
class ReportAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ["post", "reason", "created_at", "resolved_at", "resolved_by"]
    list_filter = ["reason", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["post", "resolved_by"]
    fields = ["post", "reporter", "reason", "details", "created_at", "resolved_at", "resolved_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "action", "post", "by"]
    list_filter = ["action"]
    list_select_related = ["post", "by"]
    fields = ["created_at", "action", "post", "by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ["subject", "member_user", "waiting_for_team", "last_answered_by", "last_message_at"]
    list_filter = ["waiting_for_team"]
    list_select_related = ["member_user", "last_answered_by"]
    fields = ["open_link", "subject", "member_user", "waiting_for_team", "last_answered_by", "last_message_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Read and answer")
    def open_link(self, obj: Conversation):
        url = reverse("discussions_staff:conversation", args=[obj.pk])
        return format_html('<a href="{}">Open in the shared inbox</a>', url)
