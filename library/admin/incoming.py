"""What comes in from outside the workflow: suggestions (turned into ideas here), reader feedback
and reach (views and downloads), for staff to read; nobody edits these by hand."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from .. import services
from ..models import ReaderFeedback, ResourceReach, Suggestion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "suggested_at", "status", "idea_link"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "details"]
    fields = ["kind", "title", "details", "suggested_at", "status", "idea_link"]
    readonly_fields = ["kind", "title", "details", "suggested_at", "idea_link"]
    actions = ["turn_into_ideas", "decline"]
    list_select_related = ["resource"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="idea")
    def idea_link(self, obj):
        if not obj.resource_id:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:library_resource_change", args=[obj.resource_id]), obj.resource
        )

    @admin.action(description="Turn into ideas in the library")
    def turn_into_ideas(self, request, queryset):
        for suggestion in queryset:
            services.turn_suggestion_into_idea(suggestion=suggestion)
        self.message_user(request, "Added to the library as ideas.", messages.SUCCESS)

    @admin.action(description="Mark as not taken forward")
    def decline(self, request, queryset):
        queryset.filter(status=Suggestion.Status.NEW).update(status=Suggestion.Status.DECLINED)


@admin.register(ReaderFeedback)
class ReaderFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["resource", "useful", "missing", "given_on", "version_number"]
    list_filter = ["useful", "given_on", "resource"]
    search_fields = ["missing", "resource__title"]
    list_select_related = ["resource"]


@admin.register(ResourceReach)
class ResourceReachAdmin(ReadOnlyAdmin):
    list_display = ["resource", "month_shown", "views", "downloads"]
    list_filter = ["month"]
    search_fields = ["resource__title"]
    list_select_related = ["resource"]

    @admin.display(description="month", ordering="month")
    def month_shown(self, obj):
        return f"{obj.month:%B %Y}"
