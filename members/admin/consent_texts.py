"""Versioned consent texts and the respect agreement: drafting, publishing, and asking
members who decided on an older version to review."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import services
from ..models import Consent, ConsentText, Member


def members_to_review(text: ConsentText):
    """Members still in the group whose newest decision on this text's purpose was on an older version."""
    newest = Consent.objects.filter(member=OuterRef("pk"), purpose=text.purpose).order_by("-recorded_at", "-id")
    return (
        Member.objects.exclude(status=Member.Status.LEFT)
        .filter(erased_at__isnull=True)
        .annotate(decided_version=Subquery(newest.values("text__version")[:1]))
        .filter(decided_version__lt=text.version)
    )


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """Versioned consent texts and the respect agreement. A draft can be edited; once published
    a version is fixed, and publishing asks members who decided on an older one to review."""

    change_form_template = "admin/members/consenttext/change_form.html"
    list_display = ["purpose", "version", "title", "state", "published_at"]
    list_display_links = ["purpose", "version"]
    list_filter = ["purpose", ("published_at", admin.EmptyFieldListFilter)]
    ordering = ["purpose", "-version"]
    actions = ["publish_drafts"]

    @admin.display(description="state")
    def state(self, obj):
        return "Published" if obj.is_published else "Draft"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["purpose", "title", "summary", "body"]
        return ["purpose", "version", "title", "summary", "body", "published_at", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.is_published:
            return self.get_fields(request, obj)
        return ["purpose", "version", "published_at", "created_at"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk delete would reach published versions that consent records point at.
        actions.pop("delete_selected", None)
        return actions

    def get_changeform_initial_data(self, request):
        """ "Draft a new version" opens the add form filled in from the version it starts from."""
        initial = super().get_changeform_initial_data(request)
        source = request.GET.get("from", "")
        if source.isdigit():
            text = ConsentText.objects.filter(pk=source).first()
            if text is not None:
                initial.update(purpose=text.purpose, title=text.title, summary=text.summary, body=text.body)
        return initial

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # New versions are numbered by the service; the admin then carries on with the saved row.
        draft = services.new_consent_version(purpose=obj.purpose, title=obj.title, summary=obj.summary, body=obj.body)
        obj.pk, obj.version, obj.created_at, obj._state = draft.pk, draft.version, draft.created_at, draft._state

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        text = ConsentText.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        extra_context = extra_context or {}
        if text is not None:
            newest = ConsentText.objects.filter(purpose=text.purpose).order_by("-version").first()
            extra_context.update(
                can_publish=not text.is_published and self.has_change_permission(request),
                can_draft_new_version=text.is_published and newest == text and self.has_add_permission(request),
                newer_draft=newest if newest != text and not newest.is_published else None,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _published_message(self, text: ConsentText) -> str:
        count = members_to_review(text).count()
        return (
            f"{text} is published. {count} member{'' if count == 1 else 's'} will be asked to review "
            "their choice the next time they log in."
        )

    def publish_view(self, request, object_id):
        """Asks "are you sure?", showing how many members will be asked to review, then publishes."""
        text = get_object_or_404(ConsentText, pk=unquote(object_id))
        if not self.has_change_permission(request):
            raise PermissionDenied
        change_url = reverse("admin:members_consenttext_change", args=[text.pk])
        if text.is_published:
            self.message_user(request, f"{text} is already published.", messages.WARNING)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            services.publish_consent_text(text=text)
            self.log_change(request, text, [{"changed": {"fields": ["published_at"]}}])
            self.message_user(request, self._published_message(text), messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        previous = (
            ConsentText.objects.filter(purpose=text.purpose, published_at__isnull=False, version__lt=text.version)
            .order_by("-version")
            .first()
        )
        return TemplateResponse(
            request,
            "admin/members/consenttext/publish_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"Publish {text}?",
                "original": text,
                "previous": previous,
                "review_count": members_to_review(text).count() if previous else 0,
                "change_url": change_url,
            },
        )

    @admin.action(description="Publish the selected drafts", permissions=["change"])
    def publish_drafts(self, request, queryset):
        for text in queryset.order_by("purpose", "version"):
            if text.is_published:
                self.message_user(request, f"{text} was already published.", messages.WARNING)
                continue
            services.publish_consent_text(text=text)
            self.log_change(request, text, [{"changed": {"fields": ["published_at"]}}])
            self.message_user(request, self._published_message(text), messages.SUCCESS)
