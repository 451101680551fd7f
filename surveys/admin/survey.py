"""Surveys in the admin: the survey's details, audience and status, its sections in order with
their conditions, member review comments beside each question, and links to results and
invitations.

Once anyone has answered, the structure is locked (`surveys.rules.LOCKED_MESSAGE`): sections
cannot be added, removed, reordered or given other conditions, and the audience cannot change;
only their words may change.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from common.admin_labels import AccessibleAdminMixin

from .. import services
from ..models import Choice, ReviewComment, Section, Survey
from ..rules import LOCKED_MESSAGE, condition_problem, has_answers, status_problem


class ConditionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, choice: Choice) -> str:
        return f"{choice.question.text} → {choice.label}"


class SectionFormSet(forms.BaseInlineFormSet):
    """Checks every section's condition against the sections as they will be saved: answers to
    one question, in an earlier section. Loops and later questions are refused by the field."""

    def clean(self):
        super().clean()
        kept = []
        for index, form in enumerate(self.forms):
            if not getattr(form, "cleaned_data", None):
                continue  # an empty extra row, or a row with errors of its own
            if self.can_delete and self._should_delete_form(form):
                continue
            kept.append(((form.cleaned_data.get("order") or 0, form.instance.pk or 10**9, index), form))
        kept.sort(key=lambda item: item[0])
        positions = {form.instance.pk: place for place, (_, form) in enumerate(kept) if form.instance.pk}
        for place, (_, form) in enumerate(kept):
            problem = condition_problem(
                survey_id=self.instance.pk,
                own_position=place,
                choices=form.cleaned_data.get("show_when") or [],
                positions=positions,
            )
            if problem:
                form.add_error("show_when", problem)


class SectionInline(AccessibleAdminMixin, admin.StackedInline):
    model = Section
    formset = SectionFormSet
    extra = 0
    fields = ["order", "title", "intro", "show_when"]
    show_change_link = True
    verbose_name = "section (a page of questions)"
    verbose_name_plural = "Sections, in order (open a section to add and edit its questions)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The form class is made for this request, so this survey's answers are set on it alone.
        field = formset.form.base_fields.get("show_when")
        if field is not None:
            choices = Choice.objects.filter(question__section__survey=obj) if obj else Choice.objects.none()
            field.queryset = choices.select_related("question__section").order_by(
                "question__section__order", "question__order", "order"
            )
        return formset

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "show_when":
            return ConditionChoices(
                queryset=Choice.objects.none(),
                required=False,
                label="Show only when the answer is",
                help_text=Section._meta.get_field("show_when").help_text,
                widget=forms.SelectMultiple(attrs={"size": 6}),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _locked(self, obj) -> bool:
        return obj is not None and has_answers(obj)

    def get_readonly_fields(self, request, obj=None):
        return ["order", "show_when"] if self._locked(obj) else []

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = [
            "title",
            "intro",
            "audience",
            "status",
            "opens_at",
            "closes_at",
            "minutes_to_complete",
            "who_sees_answers",
            "reviewers",
        ]

    def clean(self):
        data = super().clean()
        new = data.get("status")
        old = self.instance.status if self.instance.pk else Survey.Status.DRAFT
        if new:
            count = self.instance.sections.aggregate(n=Count("questions"))["n"] or 0 if self.instance.pk else 0
            problem = status_problem(self.instance, new, old_status=old, question_count=count)
            if problem:
                self.add_error("status", problem)
        return data


@admin.register(Survey)
class SurveyAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    form = SurveyForm
    list_display = ["title", "audience", "status", "opens_at", "closes_at", "responses_sent"]
    list_filter = ["status", "audience"]
    search_fields = ["title"]
    inlines = [SectionInline]
    autocomplete_fields = ["reviewers"]
    actions = ["send_reminders", "copy_surveys"]
    readonly_fields = ["pages", "member_review"]
    fieldsets = [
        (None, {"fields": ["title", "intro", "audience", "status", "opens_at", "closes_at"]}),
        ("What people are told at the start", {"fields": ["minutes_to_complete", "who_sees_answers"]}),
        ("Member review", {"fields": ["reviewers", "member_review"]}),
        ("Results, invitations and links", {"fields": ["pages"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(sent=Count("responses", filter=Q(responses__submitted_on__isnull=False)))
        )

    def get_readonly_fields(self, request, obj=None):
        # Once anyone has answered, the audience is what they were promised (named or
        # anonymous): changing it would put names beside anonymous answers, or the reverse.
        locked = ["audience"] if obj is not None and has_answers(obj) else []
        return [*locked, *self.readonly_fields]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "reviewers":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                status__in=["active", "paused"], erased_at__isnull=True
            ).select_related("user")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="responses sent", ordering="sent")
    def responses_sent(self, survey: Survey) -> int:
        return survey.sent

    @admin.display(description="pages")
    def pages(self, survey: Survey):
        if not survey.pk:
            return "Save the survey first."
        links = []
        if survey.status in (Survey.Status.OPEN, Survey.Status.CLOSED):
            links += [
                (reverse("surveys_staff:results", args=[survey.pk]), "Results, with free text and the CSV export"),
                (reverse("surveys_staff:summary", args=[survey.pk]), "Summary as commissioners see it"),
            ]
        if survey.is_for_members:
            links.append((reverse("surveys_staff:invite", args=[survey.pk]), "Invite members and send the reminder"))
        if survey.is_public:
            links.append((reverse("surveys:public_start", args=[survey.public_key]), "The public link to share"))
        if not links:
            return "Results appear here once the survey is open."
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', links))

    @admin.display(description="comments from members")
    def member_review(self, survey: Survey):
        if not survey.pk:
            return "–"
        comments = (
            ReviewComment.objects.filter(question__section__survey=survey)
            .select_related("question", "member__user")
            .order_by("question__section__order", "question__order", "created_at")
        )
        if not comments:
            return "No comments yet. Members chosen above see the draft while it is in member review."
        rows = [
            (
                comment.question.text,
                ", ".join(comment.concern_labels) or "–",
                comment.comment or "–",
                str(comment.member) if comment.member else "A former member",
            )
            for comment in comments
        ]
        return format_html(
            '<table><thead><tr><th scope="col">Question</th><th scope="col">Concerns</th>'
            '<th scope="col">Comment</th><th scope="col">From</th></tr></thead><tbody>{}</tbody></table>',
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Reviewers are saved with the other related rows, so they are all known only now.
        services.invite_reviewers(survey=form.instance)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        survey = self.get_object(request, object_id)
        if survey is not None and request.method == "GET" and has_answers(survey):
            messages.warning(request, LOCKED_MESSAGE)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Send the reminder to invited members who have not answered")
    def send_reminders(self, request, queryset):
        for survey in queryset:
            try:
                count = services.send_reminders(survey=survey)
            except services.SurveyError as problem:
                self.message_user(request, f"{survey}: {problem}", messages.ERROR)
            else:
                self.message_user(request, f"{survey}: reminder queued for {count} member(s).")

    @admin.action(description="Copy as a new draft (to change questions that are locked)")
    def copy_surveys(self, request, queryset):
        for survey in queryset:
            services.copy_survey(survey=survey)
        self.message_user(request, f"{queryset.count()} survey(s) copied as drafts.")
