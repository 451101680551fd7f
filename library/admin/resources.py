"""Resources in the admin: the words (Markdown, sanitised when shown), topics, audience, format,
language and the link to other formats and translations; files (checked by content), sources,
links and credits; the reading age with a warning above the group's target; the versions kept;
reach and reader feedback beside the resource; and the workflow as actions and a Publish button.

The status is never typed: it moves through `services.move_resource` and `services.publish_resource`,
so the workflow's rules and the review-due date hold.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from common.admin_labels import AccessibleAdminMixin
from common.uploads import check_upload

from .. import services
from ..messages import DUE_SOON_DAYS
from ..models import (
    PUBLIC_STATUSES,
    Credit,
    ReaderFeedback,
    Resource,
    ResourceFile,
    ResourceLink,
    ResourceReach,
    ResourceVersion,
    Source,
    Topic,
)
from ..reading_age import is_above_target, target_for
from .uploads import ACCEPT, library_file_rules

Status = Resource.Status

# Django 5.2 warns that URL fields will assume https:// in Django 6; say so now.
HTTPS_URL_FIELDS = {
    models.URLField: {"form_class": forms.URLField, "assume_scheme": "https", "widget": AdminURLFieldWidget}
}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "member_topic", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ReviewDueFilter(admin.SimpleListFilter):
    """Published resources overdue for review, or due within four weeks."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Due within 4 weeks or overdue"), ("overdue", "Overdue"), ("not_due", "Not due yet")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        published = queryset.filter(status__in=PUBLIC_STATUSES)
        if self.value() == "due":
            return published.filter(review_due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        if self.value() == "overdue":
            return published.filter(review_due_on__lt=today)
        if self.value() == "not_due":
            return published.filter(review_due_on__gt=today + dt.timedelta(days=DUE_SOON_DAYS))
        return queryset


class ResourceFileForm(forms.ModelForm):
    upload = forms.FileField(
        label="File",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    class Meta:
        model = ResourceFile
        fields = ["description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is a setting (LIBRARY_FILE_MAX_BYTES), so the hint reads it rather than repeat it.
        limit = filesizeformat(library_file_rules().max_bytes).replace("\xa0", " ")
        kinds = "PDF, Word (.docx), JPEG or PNG photo, or audio (MP3, M4A, WAV, Ogg)."
        self.fields["upload"].help_text = f"{kinds} Up to {limit}."

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            if self.instance.pk is None and self.has_changed():
                raise ValidationError("Choose the file to attach.")
            return None
        return check_upload(upload, library_file_rules())


class ResourceFileInline(AccessibleAdminMixin, admin.TabularInline):
    model = ResourceFile
    form = ResourceFileForm
    extra = 0
    fields = ["description", "upload", "file_link", "size_shown", "published"]
    readonly_fields = ["file_link", "size_shown", "published"]
    verbose_name_plural = "files (public once the resource is published)"

    @admin.display(description="download")
    def file_link(self, obj):
        if not obj.pk:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("library:file", args=[obj.pk]), obj.name)

    @admin.display(description="size")
    def size_shown(self, obj):
        return filesizeformat(obj.size) if obj.pk else "–"

    @admin.display(description="public", boolean=True)
    def published(self, obj):
        return bool(obj.published_at)


class SourceInline(AccessibleAdminMixin, admin.TabularInline):
    model = Source
    formfield_overrides = HTTPS_URL_FIELDS
    extra = 0
    fields = ["title", "publisher", "url", "order"]
    verbose_name_plural = "sources (the evidence it is based on)"


class ResourceLinkInline(AccessibleAdminMixin, admin.TabularInline):
    model = ResourceLink
    formfield_overrides = HTTPS_URL_FIELDS
    extra = 0
    fields = ["label", "url", "order"]


class CreditForm(forms.ModelForm):
    """Says what is wrong instead of quietly saving something else."""

    class Meta:
        model = Credit
        fields = ["member", "role", "named", "credited_as"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "member" in self.changed_data:
            self.add_error("member", "To credit someone else, add a new row (and delete this one if it is wrong).")
        if cleaned.get("named") and not (cleaned.get("credited_as") or "").strip():
            self.add_error("credited_as", "Write the name to show, or untick “agreed to be named”.")
        return cleaned


class CreditInline(AccessibleAdminMixin, admin.TabularInline):
    model = Credit
    form = CreditForm
    extra = 0
    fields = ["member", "role", "named", "credited_as", "named_decided_at"]
    readonly_fields = ["named_decided_at"]
    raw_id_fields = ["member"]
    verbose_name_plural = "credits (who took part, and whether each agreed to be named)"


class VersionInline(admin.TabularInline):
    model = ResourceVersion
    extra = 0
    can_delete = False
    fields = ["number", "published_at", "review_due_on", "credit_count", "reading_age", "change_note", "view"]
    readonly_fields = fields
    verbose_name_plural = "published versions (kept for good)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("resource")

    @admin.display(description="view")
    def view(self, obj):
        if not obj.pk:
            return "–"
        return format_html(
            '<a href="{}">Version {}</a>', reverse("library:version", args=[obj.resource_id, obj.number]), obj.number
        )


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = [
            "title", "summary", "body", "format", "language", "audience",
            "topics", "original", "produced_by", "why_needed",
        ]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "topics": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Other formats and translations point at the main resource, never at another version.
        originals = Resource.objects.filter(original__isnull=True).order_by("title")
        if self.instance.pk:
            originals = originals.exclude(pk=self.instance.pk)
        self.fields["original"].queryset = originals

    def clean_original(self):
        original = self.cleaned_data.get("original")
        if original and self.instance.pk and self.instance.other_versions.exists():
            # One level only: the other formats of a resource all point at it (see search.family_of).
            raise ValidationError(
                "This resource has its own other formats or translations, so it cannot be a version of another. "
                "Link those to the main resource first."
            )
        return original


@admin.register(Resource)
class ResourceAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    form = ResourceForm
    change_form_template = "admin/library/resource/change_form.html"
    list_display = ["title", "status", "format", "language", "reading_age_shown", "review_due_on", "views_this_month"]
    list_filter = [ReviewDueFilter, "status", "format", "language", "audience", "topics"]
    search_fields = ["title", "summary"]
    readonly_fields = [
        "status",
        "reading_age_figure",
        "public_page",
        "first_published_at",
        "last_reviewed_on",
        "review_due_on",
        "reach_summary",
        "reader_feedback_summary",
        "review_rounds",
    ]
    fieldsets = [
        (None, {"fields": ["title", "status", "public_page", "summary", "body", "reading_age_figure"]}),
        ("Who it is for", {"fields": ["format", "language", "audience", "topics", "original"]}),
        ("Where it comes from", {"fields": ["produced_by", "why_needed"]}),
        ("Review dates", {"fields": ["first_published_at", "last_reviewed_on", "review_due_on"]}),
        ("Member review", {"fields": ["review_rounds"]}),
        ("Reach and what readers said", {"fields": ["reach_summary", "reader_feedback_summary"]}),
    ]
    inlines = [ResourceFileInline, SourceInline, ResourceLinkInline, CreditInline, VersionInline]
    actions = ["move_to_draft", "mark_approved", "publish", "archive"]

    def get_queryset(self, request):
        month = timezone.localdate().replace(day=1)
        this_month = ResourceReach.objects.filter(month=month)
        return (
            super().get_queryset(request).prefetch_related(Prefetch("reach", queryset=this_month, to_attr="reach_now"))
        )

    @admin.display(description="reading age", ordering="reading_age")
    def reading_age_shown(self, obj):
        if obj.reading_age is None:
            return "–"
        if is_above_target(obj.reading_age, obj.format):
            return format_html(
                '<strong class="library-warning">{} (above {})</strong>', obj.reading_age, target_for(obj.format)
            )
        return str(obj.reading_age)

    @admin.display(description="views this month")
    def views_this_month(self, obj):
        return sum(row.views for row in getattr(obj, "reach_now", []))

    @admin.display(description="reading age")
    def reading_age_figure(self, obj):
        if obj is None or obj.pk is None:
            return "Worked out when you save."
        target = target_for(obj.format)
        if obj.reading_age is None:
            return "Not enough words yet to work out a reading age (it needs at least 30)."
        if is_above_target(obj.reading_age, obj.format):
            return format_html(
                '<p class="library-warning"><strong>Reading age {}: above the group\'s target of {}.</strong> '
                "Try shorter sentences and everyday words.</p>",
                obj.reading_age,
                target,
            )
        return format_html("<p>Reading age {}: within the group's target of {}.</p>", obj.reading_age, target)

    @admin.display(description="public page")
    def public_page(self, obj):
        if obj is None or not obj.is_public:
            return "Not published"
        url = reverse("library:resource", args=[obj.pk])
        return format_html('<a href="{}">{}</a> (version {})', url, url, obj.current_version.number)

    @admin.display(description="review rounds")
    def review_rounds(self, obj):
        if obj is None or obj.pk is None:
            return "Save the resource first."
        rounds = obj.review_rounds.annotate(points=Count("feedback")).order_by("-created_at")
        items = format_html_join(
            "",
            '<li><a href="{}">Closes {}</a>: {} point{} from reviewers</li>',
            (
                (
                    reverse("admin:library_reviewround_change", args=[round_.pk]),
                    f"{timezone.localtime(round_.deadline):%d %B %Y}",
                    round_.points,
                    "" if round_.points == 1 else "s",
                )
                for round_ in rounds
            ),
        )
        start = reverse("admin:library_reviewround_add") + f"?resource={obj.pk}"
        return format_html('<ul>{}</ul><p><a href="{}">Start a review round for this resource</a></p>', items, start)

    @admin.display(description="views and downloads by month")
    def reach_summary(self, obj):
        rows = list(ResourceReach.objects.filter(resource=obj).order_by("-month")[:12]) if obj and obj.pk else []
        if not rows:
            return "No views counted yet."
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((f"{row.month:%B %Y}", row.views, row.downloads) for row in rows),
        )
        return format_html(
            '<table><caption>Last 12 months</caption><thead><tr><th scope="col">Month</th><th scope="col">Views</th>'
            '<th scope="col">Downloads</th></tr></thead><tbody>{}</tbody></table>',
            body,
        )

    @admin.display(description="reader feedback")
    def reader_feedback_summary(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        counts = dict(
            ReaderFeedback.objects.filter(resource=obj)
            .values_list("useful")
            .annotate(n=Count("pk"))
            .values_list("useful", "n")
        )
        if not counts:
            return "No reader feedback yet."
        totals = ", ".join(f"{label}: {counts.get(value, 0)}" for value, label in ReaderFeedback.Useful.choices)
        comments = ReaderFeedback.objects.filter(resource=obj).exclude(missing="")[:10]
        items = format_html_join(
            "",
            "<li>{} ({}): {}</li>",
            ((f.get_useful_display(), f"{f.given_on:%d %b %Y}", f.missing) for f in comments),
        )
        url = reverse("admin:library_readerfeedback_changelist") + f"?resource__id__exact={obj.pk}"
        return format_html(
            '<p>Was this useful? {}</p><ul>{}</ul><p><a href="{}">All reader feedback for this resource</a></p>',
            totals,
            items,
            url,
        )

    def save_model(self, request, obj, form, change):
        services.save_resource(resource=obj)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these; the services below do the saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is ResourceFile:
            self._save_files(form.instance, formset)
        elif formset.model is Credit:
            self._save_credits(form.instance, formset)
        else:
            super().save_formset(request, form, formset, change)

    def _save_files(self, resource, formset):
        for file_form in formset.forms:
            if not file_form.has_changed() and not formset._should_delete_form(file_form):
                continue
            item = file_form.instance
            if formset._should_delete_form(file_form):
                if item.pk:
                    formset.deleted_objects.append(item)
                    services.delete_file(item=item)
                continue
            upload = file_form.cleaned_data.get("upload")
            description = file_form.cleaned_data.get("description", "")
            if item.pk is None:
                if upload:
                    formset.new_objects.append(
                        services.add_file(resource=resource, upload=upload, description=description)
                    )
                continue
            if upload:
                services.delete_file(item=item)
                services.add_file(resource=resource, upload=upload, description=description)
            else:
                item.description = description
                item.save(update_fields=["description"])

    def _save_credits(self, resource, formset):
        for credit_form in formset.forms:
            if formset._should_delete_form(credit_form):
                if credit_form.instance.pk:
                    formset.deleted_objects.append(credit_form.instance)
                    credit_form.instance.delete()
                continue
            if not credit_form.has_changed():
                continue
            data = credit_form.cleaned_data
            credit = services.add_credit(resource=resource, member=data["member"], role=data["role"])
            formset.changed_objects.append((credit, credit_form.changed_data))
            if credit.role != data["role"]:
                credit.role = data["role"]
                credit.save(update_fields=["role"])
            if {"named", "credited_as"} & set(credit_form.changed_data) or credit_form.instance.pk is None:
                # CreditForm has checked a name is given for anyone named.
                services.set_credit_preference(credit=credit, named=data["named"], credited_as=data["credited_as"])

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            self._publish_one(request, obj)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def _publish_one(self, request, resource) -> bool:
        try:
            version = services.publish_resource(resource=resource, by=request.user)
        except services.LibraryError as error:
            self.message_user(request, f"{resource}: {error}", messages.ERROR)
            return False
        self.message_user(
            request,
            f"Published “{resource}” as version {version.number}. Next review due {version.review_due_on:%d %B %Y}.",
            messages.SUCCESS,
        )
        return True

    def _move(self, request, queryset, to: str) -> None:
        moved = 0
        for resource in queryset:
            try:
                services.move_resource(resource=resource, to=to)
                moved += 1
            except services.LibraryError as error:
                self.message_user(request, f"{resource}: {error}", messages.WARNING)
        if moved:
            self.message_user(request, f"{moved} resource{'s' if moved != 1 else ''} now “{Status(to).label}”.")

    @admin.action(description="Move to draft (to write or revise)")
    def move_to_draft(self, request, queryset):
        self._move(request, queryset, Status.DRAFT)

    @admin.action(description="Mark as approved (ready to publish)")
    def mark_approved(self, request, queryset):
        self._move(request, queryset, Status.APPROVED)

    @admin.action(description="Publish (keeps a version and sets the review date)")
    def publish(self, request, queryset):
        for resource in queryset:
            self._publish_one(request, resource)

    @admin.action(description="Archive (take off the public library)")
    def archive(self, request, queryset):
        self._move(request, queryset, Status.ARCHIVED)
