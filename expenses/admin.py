"""The staff side of expenses: the approval queue, rates, rules, the finance export and remittances.

A claim is never edited as a plain form here. Every decision – approve (one or many), query
with a message, reject with a reason, mark paid with a date and reference – goes through
``expenses.services``, which records who did it and applies separation of duties; the admin
only collects what the service needs and reports what it refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import F, Sum
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from meetings.models import Registration
from members.models import Member
from members.roles import is_coordinator, is_finance_approver

from . import admin_prepare, finance, services
from .models import Category, ExpenseClaim, ExpenseRules, Rate
from .remittance import member_remittance_pdf, remittance_filename
from .rules import MAX_MESSAGE_LENGTH, decision_refusal

Status = ExpenseClaim.Status


# Forms for the decisions ----------------------------------------------------------------------


class QueryForm(forms.Form):
    message = forms.CharField(
        label="Your question for the member",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        max_length=MAX_MESSAGE_LENGTH,
        help_text="The member reads this in an email and on their claim, then edits and sends it back.",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why the claim is not approved",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        max_length=MAX_MESSAGE_LENGTH,
        help_text="The member reads this. Say what they can do next, if anything.",
    )


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(
        label="Date paid", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    reference = forms.CharField(label="Payment reference", max_length=60, help_text="For example the BACS run number.")


class FinanceExportForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))
    basis = forms.ChoiceField(
        label="Include claims", choices=finance.Basis.CHOICES, initial=finance.Basis.APPROVED, widget=forms.RadioSelect
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        return data


class RemittanceForm(forms.Form):
    start = forms.DateField(label="Paid from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Paid to", required=False, widget=forms.DateInput(attrs={"type": "date"}))


# The queue --------------------------------------------------------------------------------------


class ActivityFilter(admin.RelatedOnlyFieldListFilter):
    title = "activity"


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on submitted claims (the ones waiting for a decision); "All" shows every status.

    The default applies to viewing the list only: an action posted without a filter acts on
    exactly the claims ticked, whatever their status (the services decide what may happen)."""

    title = "status"
    parameter_name = "status__exact"  # the same address as Django's own status filter
    ALL = "all"

    def lookups(self, request, model_admin):
        return Status.choices

    def _chosen(self, request) -> str:
        value = self.value()
        if value == self.ALL or value in Status.values:
            return value
        return Status.SUBMITTED if request.method == "GET" else self.ALL

    def queryset(self, request, queryset):
        chosen = self._chosen(request)
        return queryset if chosen == self.ALL else queryset.filter(status=chosen)

    def choices(self, changelist):
        chosen = self.value() or Status.SUBMITTED
        yield {
            "selected": chosen == self.ALL,
            "query_string": changelist.get_query_string({self.parameter_name: self.ALL}),
            "display": "All",
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": chosen == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


@admin.register(ExpenseClaim)
class ExpenseClaimAdmin(admin.ModelAdmin):
    list_display = (
        "claim_number",
        "payee",
        "activity",
        "status",
        "submitted_at",
        "total_amount",
        "is_late",
        "is_over_cap",
    )
    list_display_links = ("claim_number", "payee")
    list_filter = (StatusFilter, ("meeting", ActivityFilter), "is_late", "is_over_cap")
    list_select_related = ("member__user", "meeting")
    search_fields = ("member__user__name", "member__user__email", "meeting__title", "payment_reference")
    # Newest submissions first; drafts (not submitted yet) last, on PostgreSQL as on SQLite.
    ordering = (F("submitted_at").desc(nulls_last=True), "-pk")
    date_hierarchy = "submitted_at"
    list_per_page = 50
    actions = ["approve_claims", "query_claims", "reject_claims", "mark_claims_paid", "remittance_summary"]
    fieldsets = (
        ("Claim", {"fields": ("member", "meeting", "status", "claim_total", "payment_preference")}),
        ("Lines", {"fields": ("items_table", "rates_used")}),
        ("Attendance", {"fields": ("attendance_record",)}),
        (
            "Checks",
            {"fields": ("declaration_accepted_at", "submitted_at", "is_late", "is_over_cap", "prepared_by")},
        ),
        (
            "Decision and payment",
            {"fields": ("approved_by", "approved_at", "rejection_reason", "paid_on", "payment_reference", "paid_by")},
        ),
        ("History", {"fields": ("history",)}),
    )
    readonly_fields = (
        "member",
        "meeting",
        "status",
        "claim_total",
        "payment_preference",
        "items_table",
        "rates_used",
        "attendance_record",
        "declaration_accepted_at",
        "submitted_at",
        "is_late",
        "is_over_cap",
        "prepared_by",
        "approved_by",
        "approved_at",
        "rejection_reason",
        "paid_on",
        "payment_reference",
        "paid_by",
        "history",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(total_amount=Sum("items__amount"))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request) -> bool:
        return False  # claims start from an activity the member took part in (services.start_or_get_claim)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a finance record: rejected, never deleted

    # Columns ------------------------------------------------------------------------------

    @admin.display(description="Claim", ordering="pk")
    def claim_number(self, claim: ExpenseClaim) -> str:
        return f"#{claim.pk}"

    @admin.display(description="Payee", ordering="member__user__name")
    def payee(self, claim: ExpenseClaim) -> str:
        return finance.payee_name(claim.member)

    @admin.display(description="Activity", ordering="meeting__starts_at")
    def activity(self, claim: ExpenseClaim) -> str:
        return f"{claim.meeting.title} ({timezone.localtime(claim.meeting.starts_at):%d %b %Y})"

    @admin.display(description="Total", ordering="total_amount")
    def total_amount(self, claim: ExpenseClaim) -> str:
        return f"£{claim.total_amount or 0:.2f}"

    # The claim page ---------------------------------------------------------------------

    @admin.display(description="Total")
    def claim_total(self, claim: ExpenseClaim) -> str:
        return f"£{claim.total:.2f}"

    @admin.display(description="Items and receipts")
    def items_table(self, claim: ExpenseClaim) -> str:
        rows = []
        needs_receipt = set(ExpenseRules.load().receipt_required_for or [])
        for item in claim.items.all():
            details = item.description
            if item.miles is not None:
                details = f"{details} ({item.miles} miles)".strip()
            if item.taxi_reason:
                details = f"{details} – taxi because: {item.taxi_reason}".strip(" –")
            if item.receipt:
                receipt = format_html(
                    '<a href="{}" download>Download {}</a>',
                    reverse("receipts:download", args=[item.pk]),
                    item.receipt_name or "receipt",
                )
            elif item.category in needs_receipt:
                receipt = format_html("<strong>{}</strong>", "Missing")
            else:
                receipt = "Not needed"
            rows.append((item.get_category_display(), details, f"£{item.amount:.2f}", receipt))
        if not rows:
            return "No items."
        return format_html(
            "<table><thead><tr><th scope='col'>What for</th><th scope='col'>Details</th>"
            "<th scope='col'>Amount</th><th scope='col'>Receipt</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description="Rates used")
    def rates_used(self, claim: ExpenseClaim) -> str:
        used = {item.rate for item in claim.items.select_related("rate") if item.rate}
        if not used:
            return "No rate-based lines."
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}{}</li>", ((str(rate), _cap(rate)) for rate in used))
        )

    @admin.display(description="Attendance record")
    def attendance_record(self, claim: ExpenseClaim) -> str:
        registration = Registration.objects.filter(member=claim.member, meeting=claim.meeting).first()
        status = registration.get_status_display() if registration else "No registration"
        meeting = claim.meeting
        if meeting.attendance_taken_at:
            taken = f"attendance taken {timezone.localtime(meeting.attendance_taken_at):%d %b %Y %H:%M}"
        else:
            taken = "attendance not taken yet"
        when = timezone.localtime(meeting.starts_at)
        return format_html(
            "{} ({}). Activity: {}, {} {}–{}.",
            status,
            taken,
            meeting.get_kind_display(),
            f"{when:%d %b %Y}",
            f"{when:%H:%M}",
            f"{timezone.localtime(meeting.ends_at):%H:%M}",
        )

    @admin.display(description="What happened")
    def history(self, claim: ExpenseClaim) -> str:
        events = claim.events.select_related("by")
        rows = [
            (
                f"{timezone.localtime(event.at):%d %b %Y %H:%M}",
                str(event),
                event.by.name if event.by else "",
                event.message,
            )
            for event in events
        ]
        return format_html(
            "<table><thead><tr><th scope='col'>When</th><th scope='col'>Change</th><th scope='col'>By</th>"
            "<th scope='col'>Message</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "claim_statuses": Status,
        }
        claim = self.get_object(request, object_id)
        if claim is not None:
            extra_context["decision_refusal"] = decision_refusal(user=request.user, claim=claim)
            extra_context["remittance_url"] = reverse("admin:expenses_remittance", args=[claim.member_id])
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "finance_export_url": reverse("admin:expenses_finance_export"),
            "prepare_url": reverse("admin:expenses_prepare") if self._may_prepare(request) else "",
        }
        return super().changelist_view(request, extra_context)

    def _may_prepare(self, request) -> bool:
        return (is_coordinator(request.user) or is_finance_approver(request.user)) and self.has_change_permission(
            request
        )

    # Actions ----------------------------------------------------------------------------------

    def _report(self, request, done: list[ExpenseClaim], refused: list[tuple[ExpenseClaim, str]], verb: str) -> None:
        if done:
            numbers = ", ".join(f"#{claim.pk}" for claim in done)
            messages.success(
                request, f"{verb.capitalize()} {len(done)} claim{'s' if len(done) != 1 else ''}: {numbers}."
            )
        for claim, why in refused:
            messages.warning(request, f"Claim #{claim.pk} was not {verb}: {why}")

    def _each(self, claims, apply: Callable[[ExpenseClaim], ExpenseClaim]):
        done, refused = [], []
        for claim in claims.order_by("pk"):
            try:
                done.append(apply(claim))
            except services.ClaimError as error:
                refused.append((claim, error.message))
        return done, refused

    def _back(self, request, queryset):
        """After a decision made from a claim's own page, go back to it."""
        if request.POST.get("_from_claim") and queryset.count() == 1:
            return HttpResponseRedirect(reverse("admin:expenses_expenseclaim_change", args=[queryset.get().pk]))
        return None

    def _decision_page(self, request, queryset, *, form, action: str, title: str, intro: str, button: str):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "intro": intro,
            "button": button,
            "claims": list(
                queryset.select_related("member__user", "meeting").annotate(total_amount=Sum("items__amount"))
            ),
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "from_claim": request.POST.get("_from_claim", ""),
        }
        return TemplateResponse(request, "admin/expenses/expenseclaim/decision.html", context)

    @admin.action(description="Approve selected claims", permissions=["change"])
    def approve_claims(self, request, queryset):
        approved, refused = services.approve_claims(claims=list(queryset.order_by("pk")), by=request.user)
        self._report(request, approved, refused, "approved")
        return self._back(request, queryset)

    @admin.action(description="Query selected claims (ask the member a question)", permissions=["change"])
    def query_claims(self, request, queryset):
        form = QueryForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            message = form.cleaned_data["message"]
            done, refused = self._each(
                queryset, lambda c: services.query_claim(claim=c, by=request.user, message=message)
            )
            self._report(request, done, refused, "queried")
            return self._back(request, queryset)
        return self._decision_page(
            request,
            queryset,
            form=form,
            action="query_claims",
            title="Ask the member a question",
            intro=(
                "Each claim goes back to its member, who is emailed your question "
                "and can edit the claim and send it again."
            ),
            button="Send the question",
        )

    @admin.action(description="Reject selected claims", permissions=["change"])
    def reject_claims(self, request, queryset):
        form = RejectForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            done, refused = self._each(
                queryset, lambda c: services.reject_claim(claim=c, by=request.user, reason=reason)
            )
            self._report(request, done, refused, "rejected")
            return self._back(request, queryset)
        return self._decision_page(
            request,
            queryset,
            form=form,
            action="reject_claims",
            title="Reject claims",
            intro="The member is emailed the reason. A rejected claim cannot be sent again.",
            button="Reject and tell the member",
        )

    @admin.action(description="Mark selected claims paid", permissions=["change"])
    def mark_claims_paid(self, request, queryset):
        form = MarkPaidForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            paid_on, reference = form.cleaned_data["paid_on"], form.cleaned_data["reference"]
            done, refused = self._each(
                queryset, lambda c: services.mark_paid(claim=c, by=request.user, paid_on=paid_on, reference=reference)
            )
            self._report(request, done, refused, "marked paid")
            return self._back(request, queryset)
        return self._decision_page(
            request,
            queryset,
            form=form,
            action="mark_claims_paid",
            title="Mark claims paid",
            intro="Only approved claims can be marked paid. Each member is emailed the date and reference.",
            button="Mark paid",
        )

    @admin.action(description="Remittance summary (PDF) for the member", permissions=["view"])
    def remittance_summary(self, request, queryset):
        members = set(queryset.values_list("member_id", flat=True))
        if len(members) != 1:
            messages.warning(request, "Choose claims of one member to make their remittance summary.")
            return None
        member = Member.objects.select_related("user").get(pk=members.pop())
        claim_ids = list(queryset.filter(status=Status.PAID).values_list("pk", flat=True))
        if not claim_ids:
            messages.warning(
                request, "None of the chosen claims is paid yet, so there is nothing to put in a remittance."
            )
            return None
        return _pdf_response(member_remittance_pdf(member=member, claim_ids=claim_ids), remittance_filename(member))

    # Extra pages ------------------------------------------------------------------------------

    def get_urls(self):
        extra = [
            path("prepare/", self.admin_site.admin_view(self.prepare_view), name="expenses_prepare"),
            path(
                "prepare/<int:claim_pk>/",
                self.admin_site.admin_view(self.prepare_claim_view),
                name="expenses_prepare_claim",
            ),
            path(
                "finance-export/",
                self.admin_site.admin_view(self.finance_export_view),
                name="expenses_finance_export",
            ),
            path(
                "remittance/<int:member_pk>/",
                self.admin_site.admin_view(self.remittance_view),
                name="expenses_remittance",
            ),
        ]
        return extra + super().get_urls()

    def prepare_view(self, request):
        """Enter a claim for a member: choose the member and the activity (expenses.admin_prepare)."""
        return admin_prepare.prepare_view(self, request)

    def prepare_claim_view(self, request, claim_pk: int):
        """Add costs to a claim being entered for a member, and send it (expenses.admin_prepare)."""
        return admin_prepare.prepare_claim_view(self, request, claim_pk)

    def finance_export_view(self, request):
        """The finance export for a period. Who: staff who can view claims (finance approvers, coordinators)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = FinanceExportForm(request.GET if "start" in request.GET else None)
        if form.is_valid():
            data = form.cleaned_data
            content = finance.export_csv(start=data["start"], end=data["end"], basis=data["basis"])
            response = HttpResponse(content, content_type="text/csv; charset=utf-8")
            name = finance.export_filename(start=data["start"], end=data["end"], basis=data["basis"])
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            response["Cache-Control"] = "private, no-store"
            return response
        if not form.is_bound:
            today = timezone.localdate()
            last_month_end = today.replace(day=1) - dt.timedelta(days=1)
            form = FinanceExportForm(initial={"start": last_month_end.replace(day=1), "end": last_month_end})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Finance export",
            "form": form,
        }
        return TemplateResponse(request, "admin/expenses/expenseclaim/finance_export.html", context)

    def remittance_view(self, request, member_pk: int):
        """A member's remittance summary (PDF), optionally for a period. Who: staff who can view claims."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        member = get_object_or_404(Member.objects.select_related("user"), pk=member_pk)
        form = RemittanceForm(request.GET or None)
        if form.is_bound and form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            return _pdf_response(
                member_remittance_pdf(member=member, start=start, end=end), remittance_filename(member)
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Remittance summary for {finance.payee_name(member)}",
            "form": form,
            "member": member,
            "paid_claims": member.expense_claims.filter(status=Status.PAID).count(),
        }
        return TemplateResponse(request, "admin/expenses/expenseclaim/remittance.html", context)


def _cap(rate: Rate) -> str:
    return f" (cap £{rate.cap} a claim)" if rate.cap is not None else ""


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# Rates and rules --------------------------------------------------------------------------------


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "activity_kind", "unit", "amount", "cap", "valid_from")
    list_filter = ("kind", "activity_kind", "unit")
    ordering = ("kind", "activity_kind", "unit", "-valid_from")
    # The cap too: changing it would change what claims already made under the rate were paid.
    USED_FIELDS = ("kind", "activity_kind", "unit", "amount", "cap", "valid_from")

    def get_readonly_fields(self, request, obj=None):
        # Claims point at the rates they used: change a rate by adding a new one from a date.
        if obj is not None and obj.items.exists():
            return self.USED_FIELDS
        return ()

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.items.exists():
            return False
        return super().has_delete_permission(request, obj)


class ExpenseRulesForm(forms.ModelForm):
    receipt_required_for = forms.MultipleChoiceField(
        label="Items that need a receipt",
        choices=[(c.value, c.label) for c in Category if c != Category.INVOLVEMENT_PAYMENT],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    benefits_advice_url = forms.URLField(
        label="Benefits advice link", required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = ExpenseRules
        fields = (
            "receipt_required_for",
            "claim_deadline_months",
            "tax_and_benefits_text",
            "benefits_advice_name",
            "benefits_advice_url",
        )


@admin.register(ExpenseRules)
class ExpenseRulesAdmin(admin.ModelAdmin):
    form = ExpenseRulesForm

    def has_add_permission(self, request) -> bool:
        return not ExpenseRules.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        # There is one set of rules: go straight to it.
        rules = ExpenseRules.load()
        return HttpResponseRedirect(reverse("admin:expenses_expenserules_change", args=[rules.pk]))
