"""Projects and "you said, we did" in the admin (registered by ``involvement/admin.py``).

* A project is laid out in the order of the co-production good-practice template. Its rungs
  are chosen from radios that say what each rung means. Saving goes through
  ``projects.save_project``, so a new project records its starting rung and each move on the
  ladder is recorded (with an optional note), shown read-only at the foot of the page.
* The members involved are counted on members' pages and named only if they agreed, by the
  name they chose: a tick with no name is refused, and the time of the decision is kept.
* Quotes show whether the member's consent to use their anonymised words is given now;
  without it a quote is never used outside the admin.
* A "you said, we did" item follows ``impact.problems`` (a reason for "not possible", a source
  record that fits where it was raised), with each message beside its field.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from common.admin_labels import AccessibleAdminMixin

from . import impact
from .models import RUNG_MEANINGS, ImpactItem, Project, ProjectMember, Quote, Rung, RungChange, rung_label
from .projects import record_naming_decision, save_project, with_consent_state

RUNG_CHOICES = [(rung.value, f"{rung_label(rung)}: {RUNG_MEANINGS[rung]}") for rung in Rung]


class ProjectForm(forms.ModelForm):
    rung_now = forms.TypedChoiceField(
        label="Rung on the ladder now", choices=RUNG_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    rung_target = forms.TypedChoiceField(
        label="Rung aimed for", choices=RUNG_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    rung_note = forms.CharField(
        label="Why it moved (optional)",
        max_length=300,
        required=False,
        help_text="If you change the rung now, say briefly why. It is kept with the move.",
    )

    class Meta:
        model = Project
        fields = [
            "title", "kind", "summary", "shown_to_members", "aims", "scope_and_audience", "started_on",
            "completed_on", "stakeholders_who", "stakeholders_how_identified", "stakeholders_how_involved",
            "equality_and_inclusion", "description", "training", "evaluation_and_impact", "went_well",
            "challenges", "future_plans", "rung_now", "rung_target", "meetings", "resources", "surveys",
        ]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}


class RungChangeInline(admin.TabularInline):
    model = RungChange
    extra = 0
    can_delete = False
    fields = ["changed_on", "rung_from", "rung_to", "note", "recorded_by"]
    readonly_fields = fields
    verbose_name = "move on the ladder"
    verbose_name_plural = "moves on the ladder (recorded when the rung now changes)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class ProjectMemberForm(forms.ModelForm):
    """Says what is wrong instead of quietly saving something else."""

    class Meta:
        model = ProjectMember
        fields = ["member", "role", "joined_on", "named", "credited_as"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "member" in self.changed_data:
            self.add_error("member", "To add someone else, add a new row (and delete this one if it is wrong).")
        if cleaned.get("named") and not (cleaned.get("credited_as") or "").strip():
            self.add_error("credited_as", "Write the name to show, or untick “agreed to be named”.")
        return cleaned


class MemberPickerMixin:
    """For an inline with a ``member`` field: the picker searches when the members app's admin
    offers a search; otherwise it is a raw id."""

    def get_autocomplete_fields(self, request):
        member_admin = self.admin_site._registry.get(self.model._meta.get_field("member").related_model)
        return ["member"] if member_admin is not None and member_admin.search_fields else []

    def get_raw_id_fields(self, request):
        return [] if self.get_autocomplete_fields(request) else ["member"]


class ProjectMemberInline(MemberPickerMixin, AccessibleAdminMixin, admin.TabularInline):
    model = ProjectMember
    form = ProjectMemberForm
    extra = 0
    fields = ["member", "role", "joined_on", "named", "credited_as", "named_decided_at"]
    readonly_fields = ["named_decided_at"]
    verbose_name = "member involved"
    verbose_name_plural = "members involved (counted on members' pages; named only if they agreed)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member__user")


class QuoteInline(MemberPickerMixin, AccessibleAdminMixin, admin.TabularInline):
    model = Quote
    extra = 0
    fields = ["text", "member", "said_on", "can_be_used"]
    readonly_fields = ["can_be_used"]
    verbose_name_plural = "members' words (used only while the member agrees to their anonymised words being used)"
    formfield_overrides = {
        Quote._meta.get_field("text").__class__: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}
    }

    def get_queryset(self, request):
        return with_consent_state(super().get_queryset(request).select_related("member__user"))

    @admin.display(description="can it be used?")
    def can_be_used(self, quote: Quote) -> str:
        if quote is None or quote.pk is None:
            return "Checked when you save."
        return "Can be used" if getattr(quote, "consent_given", None) else "Not used: no consent"


class ProjectQuoteInline(QuoteInline):
    fk_name = "project"


class ImpactItemQuoteInline(QuoteInline):
    fk_name = "impact_item"


@admin.register(Project)
class ProjectAdmin(AccessibleAdminMixin, SimpleHistoryAdmin):
    form = ProjectForm
    list_display = [
        "title",
        "kind",
        "rung_now_shown",
        "rung_target_shown",
        "started_on",
        "completed_on",
        "shown_to_members",
    ]
    list_filter = ["kind", "rung_now", "shown_to_members"]
    search_fields = ["title", "summary", "aims"]
    # Plain multiple-choice boxes: both select2's (autocomplete_fields) and Django's two-list
    # widget (filter_horizontal) draw markup that screen readers cannot use (axe finds both).
    readonly_fields = ["members_page"]
    inlines = [ProjectMemberInline, ProjectQuoteInline, RungChangeInline]
    fieldsets = [
        (
            "The project",
            {
                "fields": ["title", "kind", "summary", "shown_to_members", "members_page"],
                "description": "Laid out as the co-production good-practice template, so the case study "
                "report can be sent as evidence.",
            },
        ),
        ("Aims and objectives", {"fields": ["aims"]}),
        ("Scope and target audience", {"fields": ["scope_and_audience"]}),
        ("Dates", {"fields": ["started_on", "completed_on"]}),
        (
            "Stakeholders",
            {
                "fields": [
                    "stakeholders_who",
                    "stakeholders_how_identified",
                    "stakeholders_how_involved",
                    "equality_and_inclusion",
                ]
            },
        ),
        ("Description", {"fields": ["description"]}),
        ("Training or guidance", {"fields": ["training"]}),
        ("Evaluation and impact", {"fields": ["evaluation_and_impact"]}),
        ("Learning points", {"fields": ["went_well", "challenges"]}),
        ("Future plans", {"fields": ["future_plans"]}),
        (
            "Ladder of co-production",
            {
                "fields": ["rung_now", "rung_note", "rung_target"],
                "description": "Changing the rung now records the move, with today's date and your name.",
            },
        ),
        (
            "What belongs to it",
            {
                "fields": ["meetings", "resources", "surveys"],
                "description": "Members see the meetings, the published resources and the surveys they may open.",
            },
        ),
    ]

    @admin.display(description="rung now", ordering="rung_now")
    def rung_now_shown(self, project: Project) -> str:
        return rung_label(project.rung_now)

    @admin.display(description="aimed for", ordering="rung_target")
    def rung_target_shown(self, project: Project) -> str:
        return rung_label(project.rung_target)

    @admin.display(description="members' page")
    def members_page(self, project: Project | None):
        if project is None or project.pk is None:
            return "Save the project first."
        url = reverse("impact:project", args=[project.pk])
        shown = "Members can see it." if project.shown_to_members else "Only coordinators can see it for now."
        return format_html('<a href="{}">{}</a> ({})', url, url, shown)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        save_project(obj, by=request.user, note=form.cleaned_data.get("rung_note", ""))

    def save_formset(self, request, form, formset, change):
        if formset.model is ProjectMember:
            for row in formset.forms:
                if row in formset.deleted_forms or not row.has_changed():
                    continue
                if not row.instance.pk or {"named", "credited_as"} & set(row.changed_data):
                    record_naming_decision(row.instance, when=timezone.now())
        super().save_formset(request, form, formset, change)


class ImpactItemForm(forms.ModelForm):
    class Meta:
        model = ImpactItem
        fields = [
            "you_said", "we_did", "source", "meeting", "survey", "resource", "project",
            "status", "why_not_possible", "raised_on", "closed_on", "is_public",
        ]  # fmt: skip
        widgets = {
            "you_said": forms.Textarea(attrs={"rows": 3}),
            "we_did": forms.Textarea(attrs={"rows": 3}),
            "why_not_possible": forms.Textarea(attrs={"rows": 2}),
        }

    def _post_clean(self):
        super()._post_clean()
        impact.settle_closing(self.instance)
        for name, message in impact.problems(self.instance).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
            elif name not in self.fields:
                self.add_error(None, message)


class ClosedFilter(admin.SimpleListFilter):
    title = "open or closed"
    parameter_name = "closed"

    def lookups(self, request, model_admin):
        return [("no", "Still open (heard or in progress)"), ("yes", "Closed (done or not possible)")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.exclude(status__in=ImpactItem.CLOSED)
        if self.value() == "yes":
            return queryset.filter(status__in=ImpactItem.CLOSED)
        return queryset


@admin.register(ImpactItem)
class ImpactItemAdmin(AccessibleAdminMixin, SimpleHistoryAdmin):
    form = ImpactItemForm
    list_display = ["__str__", "status", "source", "raised_on", "closed_on", "is_public", "project"]
    list_filter = [ClosedFilter, "status", "source", "is_public", "project"]
    list_select_related = ["project"]
    search_fields = ["you_said", "we_did", "why_not_possible"]
    date_hierarchy = "raised_on"
    autocomplete_fields = ["meeting", "survey", "resource", "project"]
    inlines = [ImpactItemQuoteInline]
    fieldsets = [
        (None, {"fields": ["you_said", "we_did"]}),
        (
            "Where it was raised",
            {
                "fields": ["source", "meeting", "survey", "resource", "project"],
                "description": "Choose the meeting for a meeting, the survey for a survey, and the resource for a "
                "review. Leave the others empty.",
            },
        ),
        (
            "Status and dates",
            {
                "fields": ["status", "why_not_possible", "raised_on", "closed_on"],
                "description": "Done or not possible closes the item: the date closed is today unless you give "
                "another. Moving it back to heard or in progress clears the date.",
            },
        ),
        ("Who sees it", {"fields": ["is_public"]}),
    ]

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        impact.save_impact_item(obj)
