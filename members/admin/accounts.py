"""Accounts (the login: email, name, roles), with their change history."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Member, MemberAccessLog, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    """Accounts. Every change made here is kept in the record's history (who, what, when)."""

    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal details", {"fields": ["name"]}),
        ("Roles and access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]

    def _log_member_access(self, request, object_id, response, action: str) -> None:
        # A member's account pages show their name and email: those are views of their record too.
        object_id = unquote(str(object_id))
        if object_id.isdigit() and response.status_code in (200, 302):
            member = Member.objects.filter(user_id=object_id).only("pk").first()
            if member is not None:
                MemberAccessLog.objects.create(staff=request.user, member=member, action=action)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        action = "viewed account" if request.method == "GET" else "changed account"
        self._log_member_access(request, object_id, response, action)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._log_member_access(request, object_id, response, "viewed account history")
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._log_member_access(request, object_id, response, "viewed account history")
        return response
