from django.contrib import admin

from .models import GroupProfile, Signpost


@admin.register(GroupProfile)
class GroupProfileAdmin(admin.ModelAdmin):
    fieldsets = [
        ("Names", {"fields": ["name", "short_name", "service_name"]}),
        ("About the group", {"fields": ["about", "meeting_pattern", "what_to_expect"]}),
        ("Contact details", {"fields": ["contact_email", "contact_phone", "contact_hours", "postal_address"]}),
        ("Meeting messages", {"fields": ["reminder_offset_days", "debrief_delay_minutes"]}),
        ("Safety", {"fields": ["quick_exit_url"]}),
    ]

    def has_add_permission(self, request):
        return not GroupProfile.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Signpost)
class SignpostAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "phone", "text_message", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "description"]
