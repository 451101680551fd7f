"""Sections with their questions, and questions with their choices, in the admin.

Both pages are reached from the survey (they are not listed on the admin's front page). Member
review comments sit beside each question. Once anyone has answered, only wording may change
(`surveys.rules.LOCKED_MESSAGE`): a question's kind, whether it is required, its order, "Other",
number limits and its choices' order are locked, and nothing can be added or removed; the
question's words, hint and choices' labels stay editable, and every change is kept in the
history (simple-history) so what people were asked can always be seen.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from common.admin_labels import AccessibleAdminMixin

from .. import services
from ..models import Choice, Question, Section
from ..rules import LOCKED_MESSAGE, has_answers

QUESTION_LOCKED = ["order", "kind", "required", "allow_other", "number_min", "number_max"]


def _comments(question: Question):
    comments = list(question.review_comments.all())
    if not comments:
        return "–"
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li><strong>{}</strong> {}</li>",
            ((", ".join(c.concern_labels) or "Comment:", c.comment) for c in comments),
        ),
    )


class _Locking:
    """Locks structure once the survey has answers (the survey is found from the parent object)."""

    def _survey_of(self, obj):
        if obj is None:
            return None
        if isinstance(obj, Section):
            return obj.survey
        if isinstance(obj, Question):
            return obj.section.survey
        return None

    def _locked(self, obj) -> bool:
        survey = self._survey_of(obj)
        return survey is not None and has_answers(survey)


class QuestionInline(_Locking, AccessibleAdminMixin, admin.TabularInline):
    model = Question
    extra = 1
    fields = ["order", "text", "hint", "kind", "required", "allow_other", "member_comments"]
    readonly_fields = ["member_comments"]
    show_change_link = True
    verbose_name_plural = "Questions, in order (open a question to edit its choices)"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("review_comments")

    @admin.display(description="comments from members")
    def member_comments(self, question: Question):
        return _comments(question) if question.pk else "–"

    def get_readonly_fields(self, request, obj=None):
        locked = ["order", "kind", "required", "allow_other"] if self._locked(obj) else []
        return [*locked, "member_comments"]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)


class ChoiceInline(_Locking, AccessibleAdminMixin, admin.TabularInline):
    model = Choice
    extra = 2
    fields = ["order", "label"]
    verbose_name_plural = "Choices, in order (scales and “Other – please say” are added for you)"

    def get_readonly_fields(self, request, obj=None):
        return ["order"] if self._locked(obj) else []

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)


class _HiddenFromIndex:
    def get_model_perms(self, request):
        return {}  # reached from the survey, not listed on the admin's front page


def _warn_if_locked(admin_view, request, obj) -> None:
    if request.method == "GET" and obj is not None and admin_view._locked(obj):
        messages.warning(request, LOCKED_MESSAGE)


@admin.register(Section)
class SectionAdmin(_HiddenFromIndex, _Locking, AccessibleAdminMixin, admin.ModelAdmin):
    fields = ["survey_link", "title", "intro"]
    readonly_fields = ["survey_link"]
    inlines = [QuestionInline]

    @admin.display(description="survey")
    def survey_link(self, section: Section):
        url = reverse("admin:surveys_survey_change", args=[section.survey_id])
        return format_html('<a href="{}">{}</a>', url, section.survey)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        _warn_if_locked(self, request, self.get_object(request, object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False  # sections are added on the survey's page

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for question in formset.model.objects.filter(section=form.instance):
            services.sync_choices(question=question)


@admin.register(Question)
class QuestionAdmin(_HiddenFromIndex, _Locking, AccessibleAdminMixin, admin.ModelAdmin):
    fields = ["section_link", "text", "hint", *QUESTION_LOCKED, "member_comments"]
    inlines = [ChoiceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section__survey").prefetch_related("review_comments")

    def get_readonly_fields(self, request, obj=None):
        locked = QUESTION_LOCKED if self._locked(obj) else []
        return ["section_link", *locked, "member_comments"]

    @admin.display(description="section")
    def section_link(self, question: Question):
        url = reverse("admin:surveys_section_change", args=[question.section_id])
        return format_html('<a href="{}">{} – {}</a>', url, question.section.survey, question.section)

    @admin.display(description="comments from members")
    def member_comments(self, question: Question):
        return _comments(question)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        _warn_if_locked(self, request, self.get_object(request, object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False  # questions are added on their section's page

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.sync_choices(question=form.instance)
