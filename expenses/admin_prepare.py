"""Entering a claim for a member in the admin ("Enter a claim for a member", from the claim queue).

For a member who sent a paper form, phoned, or asked for help: a coordinator (or a finance
approver) chooses the member, then an activity the member attended (or was registered for, while
attendance is not taken), and adds the costs. Every write goes through ``expenses.services`` with
``by=request.user``, so the person entering it is recorded as the claim's *preparer*, and with
separation of duties on they cannot approve, reject or mark paid that claim (see
docs/decisions/0007). The member sees the claim in their own list and can finish it themselves.

Who: coordinators and finance approvers who may change claims in the admin.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from common.formatting import pence_or_pounds
from meetings.models import Meeting, Registration
from members.models import Member
from members.roles import is_coordinator, is_finance_approver

from . import services
from .models import Category, ExpenseClaim
from .rules import MEMBER_CATEGORIES, missing_receipts
from .uploads import ReceiptField

Status = ExpenseClaim.Status


def claimable_meetings(member: Member):
    """Activities the member may claim for (the same rule as ``expenses.rules.attendance_refusal``):
    ended, not cancelled, attended once attendance is taken, registered while it is not. Newest first."""
    registrations = Registration.objects.took_part().filter(member=member)
    return Meeting.objects.filter(pk__in=registrations.values("meeting_id")).order_by("-starts_at", "-pk")


def _member_label(member: Member) -> str:
    return f"{member.user.name or 'No name'} ({member.user.email})"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member: Member) -> str:
        return _member_label(member)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return f"{meeting.title} – {timezone.localtime(meeting.starts_at):%d %b %Y %H:%M}"


class ChooseMemberForm(forms.Form):
    member = MemberChoiceField(
        label="Member",
        queryset=Member.objects.none(),
        help_text="The member the claim is for. Only members who have not been erased are listed.",
        error_messages={"required": "Choose the member.", "invalid_choice": "Choose one of the members listed."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Member.objects.filter(erased_at__isnull=True).select_related("user").order_by("user__name", "pk")
        )


class ChooseActivityForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    meeting = MeetingChoiceField(
        label="Activity",
        queryset=Meeting.objects.none(),
        widget=forms.RadioSelect,
        help_text="Activities the member attended, or was registered for while attendance is not taken yet.",
        error_messages={"required": "Choose the activity.", "invalid_choice": "Choose one of the activities listed."},
    )

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = claimable_meetings(member)
        self.initial.setdefault("member", member.pk)


class StaffItemForm(forms.Form):
    """One cost, entered by staff. The amounts, miles and taxi reason are checked by the
    services (the same rules as on the member's pages), and their messages shown by the field."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    category = forms.ChoiceField(
        label="Kind of cost",
        choices=[("", "Choose…")] + [(c.value, c.label) for c in MEMBER_CATEGORIES],
        error_messages={"required": "Choose what kind of cost this is.", "invalid_choice": "Choose a kind of cost."},
    )
    miles = forms.CharField(
        label="Miles (mileage only)", required=False, help_text="The whole journey, there and back."
    )
    amount = forms.CharField(label="Amount in pounds (not for mileage)", required=False, help_text="For example 4.50.")
    description = forms.CharField(label="What it was for", required=False, max_length=200)
    taxi_reason = forms.CharField(
        label="Why a taxi was needed (taxi only)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    receipt = ReceiptField(label="Receipt", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)

    def clean_token(self) -> str:
        try:
            return uuid.UUID(self.cleaned_data.get("token", "")).hex
        except ValueError:
            return ""


class SendForm(forms.Form):
    declaration = forms.BooleanField(
        label="The member has signed or agreed the declaration (on paper, by email or by phone)",
        help_text=(
            "That they took part, that these are costs they really had because they took part, "
            "and that they have not claimed them anywhere else."
        ),
        error_messages={"required": "Confirm the member has agreed the declaration."},
    )


def _check_staff(model_admin, request) -> None:
    if not (is_coordinator(request.user) or is_finance_approver(request.user)):
        raise PermissionDenied
    if not model_admin.has_change_permission(request):
        raise PermissionDenied


def _context(model_admin, request, title: str, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        **extra,
    }


def prepare_view(model_admin, request):
    """Step 1: choose the member; step 2: choose the activity, which starts (or finds) the claim."""
    _check_staff(model_admin, request)
    member = None
    member_id = request.POST.get("member") or request.GET.get("member")
    if member_id:
        member_form = ChooseMemberForm({"member": member_id})
        if member_form.is_valid():
            member = member_form.cleaned_data["member"]
    else:
        member_form = ChooseMemberForm()
    activity_form = None
    if member is not None:
        activity_form = ChooseActivityForm(request.POST if request.method == "POST" else None, member=member)
        if request.method == "POST" and activity_form.is_valid():
            meeting = activity_form.cleaned_data["meeting"]
            try:
                claim = services.start_or_get_claim(member=member, meeting=meeting, by=request.user)
            except services.ClaimError as error:
                activity_form.add_error("meeting", error.message)
            else:
                return HttpResponseRedirect(reverse("admin:expenses_prepare_claim", args=[claim.pk]))
    return TemplateResponse(
        request,
        "admin/expenses/expenseclaim/prepare.html",
        _context(
            model_admin,
            request,
            "Enter a claim for a member",
            member_form=member_form,
            member=member,
            member_label=_member_label(member) if member else "",
            activity_form=activity_form,
        ),
    )


def prepare_claim_view(model_admin, request, claim_pk: int):
    """A claim being entered: its lines, a form to add a cost, removing one, and sending it."""
    _check_staff(model_admin, request)
    claim = get_object_or_404(ExpenseClaim.objects.select_related("member__user", "meeting"), pk=claim_pk)
    here = reverse("admin:expenses_prepare_claim", args=[claim.pk])
    item_form, send_form = StaffItemForm(), SendForm()
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not claim.can_be_edited_by_member:
        messages.warning(request, f"This claim is {claim.get_status_display().lower()} and can no longer be changed.")
        return HttpResponseRedirect(here)
    if action == "add":
        item_form = StaffItemForm(request.POST, request.FILES)
        if item_form.is_valid():
            data = item_form.cleaned_data
            try:
                item = services.add_item(
                    claim=claim,
                    category=data["category"],
                    amount=data["amount"] if data["category"] != Category.MILEAGE else None,
                    miles=data["miles"] if data["category"] == Category.MILEAGE else None,
                    description=data["description"],
                    taxi_reason=data["taxi_reason"],
                    receipt=data["receipt"],
                    by=request.user,
                    form_token=data["token"] or None,
                )
            except services.AlreadyAdded:
                return HttpResponseRedirect(here)
            except services.ClaimError as error:
                item_form.add_error(error.field if error.field in item_form.fields else None, error.message)
            else:
                messages.success(request, f"Added {item.get_category_display().lower()}: £{item.amount:.2f}.")
                return HttpResponseRedirect(here)
    elif action == "remove":
        item_id = request.POST.get("item", "")
        removable = claim.items.exclude(category=Category.INVOLVEMENT_PAYMENT)
        item = removable.filter(pk=int(item_id)).first() if item_id.isdigit() else None
        if item is not None:
            try:
                services.remove_item(item=item, by=request.user)
            except services.ClaimError as error:
                messages.warning(request, error.message)
            else:
                messages.success(request, f"Removed {item.get_category_display().lower()}: £{item.amount:.2f}.")
        return HttpResponseRedirect(here)
    elif action == "send":
        send_form = SendForm(request.POST)
        if send_form.is_valid():
            try:
                services.submit_claim(claim=claim, declaration=True, by=request.user)
            except services.ClaimError as error:
                send_form.add_error(None, error.message)
            else:
                messages.success(request, f"Claim #{claim.pk} is sent for approval. The member is emailed to confirm.")
                return HttpResponseRedirect(reverse("admin:expenses_expenseclaim_change", args=[claim.pk]))
    claim.refresh_from_db()
    items = list(claim.items.select_related("rate").order_by("created_at", "pk"))
    return TemplateResponse(
        request,
        "admin/expenses/expenseclaim/prepare_claim.html",
        _context(
            model_admin,
            request,
            f"Claim #{claim.pk} for {_member_label(claim.member)}",
            claim=claim,
            items=[
                {
                    "item": item,
                    "details": " – ".join(
                        part
                        for part in (
                            f"{item.miles.normalize():f} miles at {pence_or_pounds(item.rate.amount)} a mile"
                            if item.miles is not None and item.rate
                            else "",
                            item.description,
                            f"Taxi because: {item.taxi_reason}" if item.taxi_reason else "",
                        )
                        if part
                    ),
                    "removable": item.category != Category.INVOLVEMENT_PAYMENT,
                }
                for item in items
            ],
            total=f"£{claim.total:.2f}",
            missing=missing_receipts(claim),
            editable=claim.can_be_edited_by_member,
            item_form=item_form,
            send_form=send_form,
            when=f"{timezone.localtime(claim.meeting.starts_at):%d %b %Y %H:%M}",
        ),
    )
