"""A member's own expense claims: the list, starting a claim from an activity, adding and changing
costs with receipts, sending the claim, answering a question from the team, and their payment choice.

Who may use each view: members only (``member_required``: logged out goes to log in;
commissioners and accounts without a member record get 403). Every claim and item is found
through ``expenses.access`` from the logged-in person, so another member's claim is simply not
found (404). Every write goes through ``expenses.services``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.db.models import Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.pagination import paginate
from meetings.models import Meeting, Registration
from members.access import member_required
from members.forms import PaymentForm
from members.models import Member

from . import services
from .access import claims_for_member, get_claim_for_member
from .emails import PAYMENT_TIMESCALE
from .forms import ADD_HEADINGS, ADD_LINKS, ItemForm, SubmitForm, item_initial, pence_or_pounds
from .models import Category, ClaimEvent, ExpenseClaim, ExpenseItem, ExpenseRules
from .rates import activity_date, involvement_payment, mileage_rate_for

Status = ExpenseClaim.Status

STATUS_TAGS = {
    Status.DRAFT: "nhsuk-tag--grey",
    Status.SUBMITTED: "nhsuk-tag--blue",
    Status.QUERIED: "nhsuk-tag--orange",
    Status.APPROVED: "nhsuk-tag--aqua-green",
    Status.REJECTED: "nhsuk-tag--red",
    Status.PAID: "nhsuk-tag--green",
}


# --- Display helpers ----------------------------------------------------------------------


def _clock(moment: dt.datetime) -> str:
    """10am, 2:30pm, midday: the NHS.UK way of writing times."""
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def long_date(day: dt.date) -> str:
    return dateformat.format(day, "j F Y")


def date_and_time(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{long_date(local.date())} at {_clock(local)}"


def meeting_when(meeting: Meeting) -> str:
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return f"{dateformat.format(starts, 'l j F Y')}, {_clock(starts)} to {_clock(ends)}"


def money(amount: Decimal | None) -> str:
    return f"£{(amount or Decimal('0')):,.2f}"


@dataclass(frozen=True)
class HistoryEntry:
    when: str
    what: str
    message: str
    message_label: str


def _history_entry(event: ClaimEvent, member: Member) -> HistoryEntry:
    by_member = event.by_id == member.user_id
    to = event.to_status
    if to == Status.DRAFT:
        what = "You started this claim." if by_member else "The team started this claim for you."
    elif to == Status.SUBMITTED:
        sent_back = event.from_status == Status.QUERIED
        who = "You" if by_member else "The team"
        what = f"{who} sent the claim back to the team." if sent_back else f"{who} sent the claim to the team."
    elif to == Status.QUERIED:
        what = "The team asked you a question."
    elif to == Status.APPROVED:
        what = "The claim was approved for payment."
    elif to == Status.REJECTED:
        what = "The claim was not approved."
    elif to == Status.PAID:
        what = "The claim was paid."
    else:
        what = event.get_to_status_display()
    labels = {
        Status.SUBMITTED: "Your message" if by_member else "Message",
        Status.QUERIED: "The question",
        Status.REJECTED: "The reason",
        Status.PAID: "Payment",
    }
    return HistoryEntry(date_and_time(event.at), what, event.message, labels.get(to, "Message"))


@dataclass(frozen=True)
class ItemRow:
    item: ExpenseItem
    what: str
    details: list[str]
    amount: str
    needs_receipt: bool
    is_involvement_payment: bool


def _item_row(item: ExpenseItem, receipt_categories: set[str]) -> ItemRow:
    details = []
    if item.category == Category.MILEAGE and item.miles is not None and item.rate:
        details.append(f"{item.miles.normalize():f} miles at {pence_or_pounds(item.rate.amount)} a mile")
    if item.description:
        details.append(item.description)
    if item.taxi_reason:
        details.append(f"Why a taxi: {item.taxi_reason}")
    is_payment = item.category == Category.INVOLVEMENT_PAYMENT
    if is_payment:
        details.append("Added for you, from your payment choice and the activity's length.")
    return ItemRow(
        item=item,
        what=item.get_category_display(),
        details=details,
        amount=money(item.amount),
        needs_receipt=item.category in receipt_categories and not item.receipt,
        is_involvement_payment=is_payment,
    )


def _error_items(form, *, non_field_href: str) -> list[dict]:
    """The error summary's links: each field's error to its input, the rest to ``non_field_href``."""
    if not form.is_bound:
        return []
    items = [{"href": non_field_href, "text": str(error)} for error in form.non_field_errors()]
    for field in form:
        if not field.errors:
            continue
        many = isinstance(field.field.widget, (forms.CheckboxSelectMultiple, forms.RadioSelect))
        target = f"{field.auto_id}_0" if many else field.auto_id
        items.extend({"href": f"#{target}", "text": str(error)} for error in field.errors)
    return items


# --- Which activities a member can claim for ---------------------------------------------


def claimable_registrations(member: Member):
    """The member's past activities with no claim yet that ``services.can_claim`` would accept:
    attended (once attendance is taken) or registered (while it is not), ended, not cancelled."""
    return (
        Registration.objects.filter(member=member, meeting__ends_at__lte=timezone.now())
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .filter(
            Q(meeting__attendance_taken_at__isnull=False, status=Registration.Status.ATTENDED)
            | Q(
                meeting__attendance_taken_at__isnull=True,
                status__in=[Registration.Status.REGISTERED, Registration.Status.ATTENDED],
            )
        )
        .exclude(meeting__expense_claims__member=member)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "-pk")
    )


# --- The claims list and the payment choice -----------------------------------------------


@require_GET
@member_required
def claim_list(request):
    """The member's claims with their status and totals, and the activities they can claim for."""
    member = request.member
    claims = claims_for_member(request.user).annotate(items_total=Sum("items__amount"))
    claims_page, claims_pagination = paginate(request, claims, "page")
    claimable_page, claimable_pagination = paginate(request, claimable_registrations(member), "activities")
    rules = ExpenseRules.load()
    return render(
        request,
        "expenses/claim_list.html",
        {
            "member": member,
            "claims": [
                {
                    "claim": claim,
                    "when": long_date(activity_date(claim.meeting)),
                    "total": money(claim.items_total),
                    "tag": STATUS_TAGS.get(claim.status, ""),
                    "paid_on": long_date(claim.paid_on) if claim.paid_on else "",
                }
                for claim in claims_page
            ],
            "claims_pagination": claims_pagination,
            "claimable": [
                {"meeting": registration.meeting, "when": meeting_when(registration.meeting)}
                for registration in claimable_page
            ],
            "claimable_pagination": claimable_pagination,
            "rules": rules,
        },
    )


def _safe_return(request, fallback: str) -> str:
    """Where to go back to: a page of the member's expenses, or their profile (which links here
    for the same choice), never another site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = target.startswith("/expenses/") or target == reverse("members:profile")
    if allowed and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_http_methods(["GET", "POST"])
@member_required
def payment_preference(request):
    """The member's choice of expenses and involvement payments, expenses only or no payments,
    with the group's note about tax and benefits beside it. The one page for this choice: the
    profile links here too. Saving also updates the member's open claims (a POST, never a GET)."""
    member = request.member
    back_url = _safe_return(request, reverse("expenses:claims"))
    form = PaymentForm(request.POST if request.method == "POST" else None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_payment_preference(
                member=member, preference=form.cleaned_data["payment_preference"], by=request.user
            )
        except services.ClaimError as error:
            form.add_error("payment_preference", error.message)
        else:
            messages.success(request, f"Your payment choice is saved: {member.get_payment_preference_display()}.")
            return redirect(back_url)
    return render(
        request,
        "expenses/payment_preference.html",
        {"form": form, "rules": ExpenseRules.load(), "back_url": back_url},
    )


# --- Starting a claim -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required
def start_claim(request, meeting_pk: int):
    """Claim for an activity: the existing claim if there is one (one per member per activity),
    otherwise a page about the activity and a button that starts a draft."""
    member = request.member
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=meeting_pk)
    existing = ExpenseClaim.objects.filter(member=member, meeting=meeting).only("pk").first()
    if existing is not None:
        return redirect("expenses:claim", existing.pk)
    refusal = services.attendance_refusal(member=member, meeting=meeting)
    if request.method == "POST" and refusal is None:
        try:
            claim = services.start_or_get_claim(member=member, meeting=meeting, by=request.user)
        except services.ClaimError as error:
            refusal = error.message
        else:
            return redirect("expenses:claim", claim.pk)
    payment = involvement_payment(meeting)
    return render(
        request,
        "expenses/start_claim.html",
        {
            "member": member,
            "meeting": meeting,
            "when": meeting_when(meeting),
            "refusal": refusal,
            "payment": payment,
            "payment_amount": money(payment.amount) if payment else "",
            "wants_payment": services.wants_involvement_payment(member.payment_preference),
            "deadline": long_date(services.claim_deadline(meeting)),
        },
    )


# --- A claim ----------------------------------------------------------------------------------


def _claim_context(request, claim: ExpenseClaim, submit_form: SubmitForm | None = None) -> dict:
    member = request.member
    receipt_categories = set(ExpenseRules.load().receipt_required_for or [])
    items = list(claim.items.select_related("rate").order_by("created_at", "pk"))
    rows = [_item_row(item, receipt_categories) for item in items]
    # The involvement payment first: it is the one line the member did not add.
    rows.sort(key=lambda row: not row.is_involvement_payment)
    events = list(claim.events.all())
    question = next((e for e in reversed(events) if e.to_status == Status.QUERIED), None)
    editable = claim.can_be_edited_by_member
    if editable and submit_form is None:
        submit_form = SubmitForm(answering_query=claim.status == Status.QUERIED)
    total = sum((item.amount for item in items), Decimal("0.00"))
    context = {
        "member": member,
        "claim": claim,
        "meeting": claim.meeting,
        "when": meeting_when(claim.meeting),
        "status_tag": STATUS_TAGS.get(claim.status, ""),
        "rows": rows,
        "total": money(total),
        "has_costs": bool(items),
        "missing_receipts": [row for row in rows if row.needs_receipt],
        "history": [_history_entry(event, member) for event in events],
        "question": question,
        "question_when": date_and_time(question.at) if question else "",
        "editable": editable,
        "add_links": ADD_LINKS if editable else [],
        "form": submit_form,
        "error_items": _error_items(submit_form, non_field_href="#your-costs") if submit_form else [],
        "payment_timescale": PAYMENT_TIMESCALE,
        "paid_on": long_date(claim.paid_on) if claim.paid_on else "",
        "approved_on": long_date(timezone.localdate(claim.approved_at)) if claim.approved_at else "",
        "submitted_on": date_and_time(claim.submitted_at) if claim.submitted_at else "",
        "wants_payment": services.wants_involvement_payment(claim.payment_preference),
        "payment_choice": Member.PaymentPreference(claim.payment_preference).label
        if claim.payment_preference in Member.PaymentPreference.values
        else "Not chosen yet",
        "deadline": long_date(services.claim_deadline(claim.meeting)),
        "choice_changed": editable and claim.payment_preference != (member.payment_preference or ""),
        "current_choice": member.get_payment_preference_display() or "Not chosen yet",
    }
    return context


@require_GET
@member_required
def claim_detail(request, pk: int):
    """One claim: the activity, the costs and receipts, sending it, and what has happened to it.

    Only reads. Saving a new payment choice updates open claims (services.set_payment_preference);
    if the choice was changed some other way, the page says so and the claim catches up on the
    member's next change or when it is sent (services.submit_claim refreshes it first)."""
    claim = get_claim_for_member(request.user, pk)
    return render(request, "expenses/claim_detail.html", _claim_context(request, claim))


@require_POST
@member_required
def submit_claim(request, pk: int):
    """Sends the claim (or sends it back after a question) with the declaration, or keeps it as a draft."""
    claim = get_claim_for_member(request.user, pk)
    if request.POST.get("action") == "draft":
        if claim.can_be_edited_by_member:
            messages.success(request, "Your claim is saved. You can come back and send it at any time.")
        return redirect("expenses:claims")
    if claim.status == Status.SUBMITTED:
        # Sent already (a second click, or another tab): nothing more to do.
        return redirect("expenses:claim", claim.pk)
    if not claim.can_be_edited_by_member:
        messages.info(request, f"This claim is {claim.get_status_display().lower()}, so it cannot be sent again.")
        return redirect("expenses:claim", claim.pk)
    answering = claim.status == Status.QUERIED
    form = SubmitForm(request.POST, answering_query=answering)
    if form.is_valid():
        try:
            services.submit_claim(
                claim=claim,
                declaration=form.cleaned_data["declaration"],
                by=request.user,
                message=form.cleaned_data.get("message", ""),
            )
        except services.ClaimError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if answering:
                messages.success(request, "Your claim has gone back to the team. We have emailed you to confirm.")
            else:
                messages.success(request, "Your claim has been sent. We have emailed you to confirm.")
            return redirect("expenses:claim", claim.pk)
    claim = get_claim_for_member(request.user, pk)
    return render(request, "expenses/claim_detail.html", _claim_context(request, claim, form))


# --- Costs on a claim -------------------------------------------------------------------------


def _not_editable(request, claim: ExpenseClaim):
    """A redirect back to the claim, with a word why, if it can no longer be changed; else None."""
    if claim.can_be_edited_by_member:
        return None
    messages.info(
        request,
        f"This claim is {claim.get_status_display().lower()}, so it cannot be changed. "
        "If something needs correcting, please contact the team.",
    )
    return redirect("expenses:claim", claim.pk)


def _service_error(form, error: services.ClaimError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _item_page(request, claim, form, *, heading: str, item=None):
    rate = mileage_rate_for(claim.meeting) if form.category == Category.MILEAGE else None
    if form.errors and request.FILES and "receipt" in form.fields:
        # Browsers never keep a chosen file when a page comes back, so say so by the field.
        form["receipt"].help_text = f"{form['receipt'].help_text} Please choose your file again."
    return render(
        request,
        "expenses/item_form.html",
        {
            "claim": claim,
            "meeting": claim.meeting,
            "form": form,
            "heading": heading,
            "item": item,
            "category": form.category.value,
            "mileage_rate": pence_or_pounds(rate.amount) if rate else "",
            "receipt_needed": form.category in set(ExpenseRules.load().receipt_required_for or []),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def add_item(request, pk: int, category: str):
    """Adds one cost of a kind to a draft or queried claim. The form's one-off token is stored
    with the cost (expenses.services.add_item), so sending the same form twice adds it once."""
    if category not in services.MEMBER_CATEGORIES:
        raise Http404("No such kind of cost.")
    claim = get_claim_for_member(request.user, pk)
    if leave := _not_editable(request, claim):
        return leave
    if request.method == "POST":
        form = ItemForm(request.POST, request.FILES, category=category)
        if form.is_valid():
            try:
                item = services.add_item(
                    claim=claim,
                    category=category,
                    by=request.user,
                    form_token=form.cleaned_data["token"] or None,
                    **form.service_fields(),
                )
            except services.AlreadyAdded:
                return redirect(f"{reverse('expenses:claim', args=[claim.pk])}#your-costs")
            except services.ClaimError as error:
                _service_error(form, error)
            else:
                messages.success(request, _added_message(item))
                return redirect(f"{reverse('expenses:claim', args=[claim.pk])}#your-costs")
    else:
        form = ItemForm(category=category)
    return _item_page(request, claim, form, heading=ADD_HEADINGS[Category(category)])


def _added_message(item: ExpenseItem, verb: str = "added") -> str:
    what = item.get_category_display()
    if item.category == Category.MILEAGE and item.rate:
        return (
            f"Mileage {verb}: {item.miles.normalize():f} miles at {pence_or_pounds(item.rate.amount)} a mile "
            f"comes to {money(item.amount)}."
        )
    return f"{what} {verb}: {money(item.amount)}."


def _item_on_claim(request, pk: int, item_pk: int) -> tuple[ExpenseClaim, ExpenseItem | None]:
    claim = get_claim_for_member(request.user, pk)
    item = claim.items.filter(pk=item_pk).exclude(category=Category.INVOLVEMENT_PAYMENT).first()
    return claim, item


@require_http_methods(["GET", "POST"])
@member_required
def change_item(request, pk: int, item_pk: int):
    """Changes a cost: the amount or miles, the details, or its receipt (add, replace or remove)."""
    claim, item = _item_on_claim(request, pk, item_pk)
    if item is None:
        raise Http404("No such cost on this claim.")
    if leave := _not_editable(request, claim):
        return leave
    item.claim = claim
    if request.method == "POST":
        form = ItemForm(request.POST, request.FILES, category=item.category, item=item)
        if form.is_valid():
            fields = form.service_fields()
            try:
                item = services.update_item(item=item, by=request.user, **fields)
            except services.ClaimError as error:
                _service_error(form, error)
            else:
                messages.success(request, _added_message(item, "saved"))
                return redirect(f"{reverse('expenses:claim', args=[claim.pk])}#your-costs")
    else:
        form = ItemForm(category=item.category, item=item, initial=item_initial(item))
    heading = f"Change {item.get_category_display().lower()}"
    return _item_page(request, claim, form, heading=heading, item=item)


@require_http_methods(["GET", "POST"])
@member_required
def remove_item(request, pk: int, item_pk: int):
    """Asks, then removes a cost (and its receipt). Sending it twice removes it once."""
    claim, item = _item_on_claim(request, pk, item_pk)
    if item is None:
        if request.method == "POST":
            messages.info(request, "That cost has been removed.")
            return redirect(f"{reverse('expenses:claim', args=[claim.pk])}#your-costs")
        raise Http404("No such cost on this claim.")
    if leave := _not_editable(request, claim):
        return leave
    item.claim = claim
    if request.method == "POST":
        try:
            services.remove_item(item=item, by=request.user)
        except services.ClaimError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, f"{item.get_category_display()} ({money(item.amount)}) removed.")
        return redirect(f"{reverse('expenses:claim', args=[claim.pk])}#your-costs")
    return render(
        request,
        "expenses/remove_item.html",
        {"claim": claim, "item": item, "row": _item_row(item, set()), "when": meeting_when(claim.meeting)},
    )
