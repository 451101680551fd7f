from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.db import models

# Projects, "you said, we did" and members' words, and report runs, are registered in modules of their own.
from . import admin_projects, admin_reports  # noqa: F401
from .models import GroupProfile, Signpost

# Django 5.2 warns that URL fields will assume https:// in Django 6; say so now.
HTTPS_URL_FIELDS = {
    models.URLField: {"form_class": forms.URLField, "assume_scheme": "https", "widget": AdminURLFieldWidget}
}


@admin.register(GroupProfile)
class GroupProfileAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    fieldsets = [
        ("Names", {"fields": ["name", "short_name", "service_name"]}),
        ("About the group", {"fields": ["about", "meeting_pattern", "uk_nation", "what_to_expect"]}),
        ("Contact details", {"fields": ["contact_email", "contact_phone", "contact_hours", "postal_address"]}),
        ("Meeting messages", {"fields": ["reminder_offset_days", "debrief_delay_minutes"]}),
        (
            "Resource library",
            {"fields": ["resource_review_months", "reading_age_target", "easy_read_reading_age_target"]},
        ),
        ("Safety", {"fields": ["quick_exit_url"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "uk_nation":
            # A form sent without it (an older page left open) keeps the nation already saved;
            # an empty choice is still refused by the model, next to the field.
            field.required = False
        return field

    def has_add_permission(self, request):
        return not GroupProfile.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Signpost)
class SignpostAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "kind", "phone", "text_message", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "description"]
