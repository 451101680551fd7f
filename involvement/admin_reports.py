"""Report runs in the admin: the list of every report made, read-only (runs are made, not
edited), with a download link, a "Make a report" link to the Reports page, and "Try again" for
runs that failed or are stuck. Reports themselves are asked for on the Reports page, where
coordinators also make a member's certificate (``/reports/?kind=certificate&member=<id>``)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from members.roles import is_commissioner

from . import report_runs
from .models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "what_of", "requested_by", "requested_at", "status", "download"]
    list_filter = ["kind", "status"]
    list_select_related = ["requested_by", "project", "survey", "member__user"]
    date_hierarchy = "requested_at"
    actions = ["try_again"]
    fields = [
        "kind",
        "start",
        "end",
        "project",
        "survey",
        "member",
        "requested_by",
        "requested_at",
        "status",
        "progress",
        "started_at",
        "finished_at",
        "file_size",
        "error",
        "download",
    ]
    readonly_fields = fields

    def has_module_permission(self, request):
        return not is_commissioner(request.user) and super().has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="of")
    def what_of(self, run: ReportRun) -> str:
        return report_runs.describe(run, show_member=True)

    @admin.display(description="progress")
    def progress(self, run: ReportRun) -> str:
        if run.sections_total:
            return f"Section {run.section} of {run.sections_total}: {run.section_title}"
        return ""

    @admin.display(description="file")
    def download(self, run: ReportRun) -> str:
        if run.status != ReportRun.Status.READY:
            return ""
        return format_html('<a href="{}">Download</a>', reverse("reports:download", args=[run.pk]))

    @admin.action(description="Try again (runs that could not be made, or did not finish)")
    def try_again(self, request, queryset):
        again, skipped = 0, 0
        for run in queryset.select_related("project", "survey", "member"):
            if not report_runs.can_retry(run):
                skipped += 1
                continue
            try:
                made = report_runs.retry_report(run, by=request.user)
            except report_runs.ReportCannotBeMade as exc:
                self.message_user(request, f"{run}: cannot be made again. {exc}", messages.WARNING)
                continue
            again += made is not None
            skipped += made is None
        if again:
            self.message_user(request, f"Asked again for {again} report{'s' if again != 1 else ''}.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"Left {skipped} as {'they were' if skipped != 1 else 'it was'}: ready, or still being made.",
                messages.INFO,
            )
