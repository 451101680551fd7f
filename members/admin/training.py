"""Kinds of training. Completions are recorded on the member page."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from ..models import TrainingCourse


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    """Kinds of training; coordinators add their own. Completions are recorded on the member page."""

    list_display = ["name", "completed"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(completed_count=Count("records"))

    @admin.display(description="times completed", ordering="completed_count")
    def completed(self, obj):
        return obj.completed_count
