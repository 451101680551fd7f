"""A member's own expense claims: the list, starting a claim from an activity, adding and changing
costs with receipts, sending the claim, answering a question from the team, and their payment choice.

Who may use each view: members only (``member_required``: logged out goes to log in;
commissioners and accounts without a member record get 403). Every claim and item is found
through ``expenses.access`` from the logged-in person, so another member's claim is simply not
found (404). Every write goes through ``expenses.services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.formatting import date_and_time, date_and_time_range, day_month_year, pence_or_pounds, pounds
from common.pagination import paginate
from meetings.models import Meeting, Registration
from members.access import member_required
from members.forms import PaymentForm
from members.models import Member

from . import services
from .access import claims_for_member, get_claim_for_member
from .forms import ADD_HEADINGS, ADD_LINKS, ItemForm, SubmitForm, item_initial
from .messages import PAYMENT_TIMESCALE
from .models import Category, ClaimEvent, ExpenseClaim, ExpenseItem, ExpenseRules
from .rates import activity_date, involvement_payment, mileage_rate_for
from .rules import MEMBER_CATEGORIES, attendance_refusal, claim_deadline, wants_involvement_payment

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


def _meeting_when(meeting: Meeting) -> str:
    return date_and_time_range(meeting.starts_at, meeting.ends_at)


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
        amount=pounds(item.amount),
        needs_receipt=item.category in receipt_categories and not item.receipt,
        is_involvement_payment=is_payment,
    )


# --- Which activities a member can claim for ---------------------------------------------


def claimable_registrations(member: Member):
    """The member's past activities with no claim yet that ``expenses.rules.can_claim`` would accept:
    attended (once attendance is taken) or registered (while it is not), ended, not cancelled."""
    return (
        Registration.objects.took_part()
        .filter(member=member)
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
                    "when": day_month_year(activity_date(claim.meeting)),
                    "total": pounds(claim.items_total),
                    "tag": STATUS_TAGS.get(claim.status, ""),
                    "paid_on": day_month_year(claim.paid_on) if claim.paid_on else "",
                }
                for claim in claims_page
            ],
            "claims_pagination": claims_pagination,
            "claimable": [
                {"meeting": registration.meeting, "when": _meeting_when(registration.meeting)}
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
    refusal = attendance_refusal(member=member, meeting=meeting)
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
            "when": _meeting_when(meeting),
            "refusal": refusal,
            "payment": payment,
            "payment_amount": pounds(payment.amount) if payment else "",
            "wants_payment": wants_involvement_payment(member.payment_preference),
            "deadline": day_month_year(claim_deadline(meeting)),
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
        "when": _meeting_when(claim.meeting),
        "status_tag": STATUS_TAGS.get(claim.status, ""),
        "rows": rows,
        "total": pounds(total),
        "has_costs": bool(items),
        "missing_receipts": [row for row in rows if row.needs_receipt],
        "history": [_history_entry(event, member) for event in events],
        "question": question,
        "question_when": date_and_time(question.at) if question else "",
        "editable": editable,
        "add_links": ADD_LINKS if editable else [],
        "form": submit_form,
        "payment_timescale": PAYMENT_TIMESCALE,
        "paid_on": day_month_year(claim.paid_on) if claim.paid_on else "",
        "approved_on": day_month_year(claim.approved_at) if claim.approved_at else "",
        "submitted_on": date_and_time(claim.submitted_at) if claim.submitted_at else "",
        "wants_payment": wants_involvement_payment(claim.payment_preference),
        "payment_choice": Member.PaymentPreference(claim.payment_preference).label
        if claim.payment_preference in Member.PaymentPreference.values
        else "Not chosen yet",
        "deadline": day_month_year(claim_deadline(claim.meeting)),
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


@require_http_methods(["GET", "POST"])
@member_required
def delete_claim(request, pk: int):
    """Asks, then deletes a draft claim the member no longer wants (one opened by mistake, say),
    with its costs and receipts. Only the claim's own member (anyone else's claim is not found),
    and only while it is a draft: a claim the team has seen stays."""
    claim = get_claim_for_member(request.user, pk)
    if claim.status != Status.DRAFT:
        messages.info(
            request,
            f"This claim is {claim.get_status_display().lower()}, so it cannot be deleted. "
            "If you no longer want it, please contact the team.",
        )
        return redirect("expenses:claim", claim.pk)
    if request.method == "POST":
        try:
            services.delete_draft_claim(claim=claim, by=request.user)
        except services.ClaimError as error:
            messages.info(request, error.message)
            return redirect("expenses:claim", claim.pk)
        messages.success(request, f"Your draft claim for {claim.meeting.title} has been deleted.")
        return redirect("expenses:claims")
    items = list(claim.items.all())
    return render(
        request,
        "expenses/delete_claim.html",
        {
            "claim": claim,
            "meeting": claim.meeting,
            "when": _meeting_when(claim.meeting),
            "total": pounds(sum((item.amount for item in items), Decimal("0.00"))),
            "has_receipts": any(item.receipt for item in items),
        },
    )


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
    if category not in MEMBER_CATEGORIES:
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
            f"comes to {pounds(item.amount)}."
        )
    return f"{what} {verb}: {pounds(item.amount)}."


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


def _nothing_to_remove(request, claim: ExpenseClaim, item_pk: int):
    """The answer when the cost to remove is not one the member can remove from this claim.

    Said as it is: the involvement payment is not removed by hand; a cost that no longer exists
    was removed already (a second click, another tab, the back button); a cost that exists on
    any other claim is not found, so another member's costs are never given away."""
    claim_url = f"{reverse('expenses:claim', args=[claim.pk])}#your-costs"
    if ExpenseItem.objects.filter(pk=item_pk).exclude(claim=claim).exists():
        raise Http404("No such cost on this claim.")
    if request.method != "POST":
        raise Http404("No such cost on this claim.")
    if claim.items.filter(pk=item_pk, category=Category.INVOLVEMENT_PAYMENT).exists():
        messages.info(
            request,
            "The involvement payment was not removed: it follows your payment choice. "
            "To stop it, change your payment choice.",
        )
    else:
        messages.info(request, "That cost was already removed from your claim.")
    return redirect(claim_url)


@require_http_methods(["GET", "POST"])
@member_required
def remove_item(request, pk: int, item_pk: int):
    """Asks, then removes a cost (and its receipt). Sending it twice removes it once."""
    claim, item = _item_on_claim(request, pk, item_pk)
    if item is None:
        return _nothing_to_remove(request, claim, item_pk)
    if leave := _not_editable(request, claim):
        return leave
    item.claim = claim
    if request.method == "POST":
        try:
            removed = services.remove_item(item=item, by=request.user)
        except services.ClaimError as error:
            messages.info(request, error.message)
        else:
            if removed:
                messages.success(request, f"{item.get_category_display()} ({pounds(item.amount)}) removed.")
            else:
                messages.info(request, "That cost was already removed from your claim.")
        return redirect(f"{reverse('expenses:claim', args=[claim.pk])}#your-costs")
    return render(
        request,
        "expenses/remove_item.html",
        {"claim": claim, "item": item, "row": _item_row(item, set()), "when": _meeting_when(claim.meeting)},
    )
