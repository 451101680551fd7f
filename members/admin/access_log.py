"""The record access log: who opened which member's record, and when."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter

from ..models import MemberAccessLog


@admin.register(MemberAccessLog)
class MemberAccessLogAdmin(admin.ModelAdmin):
    """Who opened which member's record, and when. Read-only: written only by the portal."""

    list_display = ["viewed_at", "staff", "member_name", "action"]
    list_filter = ["action", ("viewed_at", DateFieldListFilter)]
    search_fields = ["staff__name", "staff__email", "member__user__name"]
    list_select_related = ["staff", "member__user"]
    date_hierarchy = "viewed_at"

    @admin.display(description="member", ordering="member__user__name")
    def member_name(self, obj):
        return str(obj.member.user) if obj.member.erased_at is None else f"Erased member {obj.member_id}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
