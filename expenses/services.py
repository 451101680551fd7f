"""Everything that changes an expense claim: member pages, the admin, tasks and tests call these.

Each function takes keyword arguments, runs in one transaction, and records every change of
state as a ClaimEvent (who, when, any message). A rule that is broken raises ``ClaimError``
with a message in plain English and, where it belongs to one field, that field's name, so a
form can show it by the field: ``form.add_error(error.field, error.message)``.

The rules themselves (who may claim, who may decide, limits, deadlines) are in
``expenses.rules``; reading typed amounts and miles is ``expenses.parsing``.

Decisions worth knowing:

* **Payment choice**: the automatic involvement-payment line follows the member's payment
  preference. "Expenses and involvement payments" adds it; "Expenses only", "No payments" and
  no choice yet add none. Expenses stay claimable under "No payments": paying back money
  someone spent is not a payment for their time, and nobody should be out of pocket. The choice
  is copied onto the claim and refreshed whenever the member edits it, until it is submitted.
* Submitting twice (a double click, a retried request) changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import Meeting
from members.models import Member, User
from members.roles import is_coordinator, is_finance_approver

from . import rates
from .messages import claim_status_changed
from .models import Category, ClaimEvent, ExpenseClaim, ExpenseItem, ItemFormToken
from .parsing import clean_amount, clean_miles
from .rules import (
    EDITABLE,
    MAX_MESSAGE_LENGTH,
    MEMBER_CATEGORIES,
    ClaimError,
    attendance_refusal,
    claim_deadline,
    decision_refusal,
    missing_receipts,
    wants_involvement_payment,
)
from .uploads import CleanReceipt, delete_receipt_file, store_receipt

logger = logging.getLogger(__name__)

Status = ExpenseClaim.Status


class AlreadyAdded(Exception):
    """The add-a-cost form with this token was sent before; ``item`` is what it added (None if
    that cost has been removed since). Nothing was added this time."""

    def __init__(self, item: ExpenseItem | None):
        super().__init__("This form was sent already.")
        self.item = item


# Guards ------------------------------------------------------------------------------------


def _require_staff(user: User) -> None:
    if not (is_finance_approver(user) or is_coordinator(user)):
        raise ClaimError("Only the team can do this.")


def _require_decider(user: User, claim: ExpenseClaim) -> None:
    refusal = decision_refusal(user=user, claim=claim)
    if refusal:
        raise ClaimError(refusal)


# Helpers ----------------------------------------------------------------------------------


def _record(claim: ExpenseClaim, *, from_status: str, to_status: str, by: User | None, message: str = "") -> ClaimEvent:
    return ClaimEvent.objects.create(claim=claim, from_status=from_status, to_status=to_status, by=by, message=message)


def _locked(claim: ExpenseClaim) -> ExpenseClaim:
    return ExpenseClaim.objects.select_for_update().select_related("member", "member__user", "meeting").get(pk=claim.pk)


def _require_editable(claim: ExpenseClaim) -> None:
    if claim.status not in EDITABLE:
        raise ClaimError(f"This claim is {claim.get_status_display().lower()} and can no longer be changed.")


def _message(text: str, *, field: str, required: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ClaimError(required, field=field)
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ClaimError(f"Keep this to {MAX_MESSAGE_LENGTH:,} characters or fewer.", field=field)
    return text


def _refresh_involvement_line(claim: ExpenseClaim) -> None:
    """Adds, updates or removes the automatic involvement-payment line to match the preference."""
    lines = list(claim.items.filter(category=Category.INVOLVEMENT_PAYMENT))
    payment = rates.involvement_payment(claim.meeting) if wants_involvement_payment(claim.payment_preference) else None
    if payment is None:
        for line in lines:
            line.delete()
        return
    line = lines[0] if lines else ExpenseItem(claim=claim, category=Category.INVOLVEMENT_PAYMENT)
    for extra in lines[1:]:
        extra.delete()
    line.rate = payment.rate
    line.amount = payment.amount
    line.description = f"{claim.meeting.get_kind_display()}: {payment.description}"
    line.save()


def _recalculate(claim: ExpenseClaim) -> None:
    """Mileage lines from their miles and rate, with the rate's cap over the whole claim; sets is_over_cap."""
    over_cap = False
    used: dict[int, Decimal] = {}
    for item in claim.items.select_related("rate").order_by("created_at", "pk"):
        if item.category == Category.INVOLVEMENT_PAYMENT and item.rate:
            uncapped = rates.involvement_payment(claim.meeting)
            over_cap |= bool(uncapped and uncapped.over_cap)
            continue
        if item.category != Category.MILEAGE or not item.rate or item.miles is None:
            continue
        full = rates.mileage_amount(miles=item.miles, rate=item.rate)
        amount = full
        if item.rate.cap is not None:
            already = used.get(item.rate_id, Decimal("0"))
            amount = max(min(full, item.rate.cap - already), Decimal("0"))
            used[item.rate_id] = already + amount
            over_cap |= amount < full
        if amount != item.amount:
            item.amount = rates.round_to_pence(amount)
            item.save(update_fields=["amount"])
    if claim.is_over_cap != over_cap:
        claim.is_over_cap = over_cap
        claim.save(update_fields=["is_over_cap", "updated_at"])


def _refresh_preference(claim: ExpenseClaim) -> None:
    preference = claim.member.payment_preference or ""
    if claim.payment_preference != preference:
        claim.payment_preference = preference
        claim.save(update_fields=["payment_preference", "updated_at"])
    _refresh_involvement_line(claim)
    _recalculate(claim)


def _mark_prepared(claim: ExpenseClaim, by: User | None) -> None:
    """A claim touched by someone other than the claimant counts as prepared by them (for separation of duties)."""
    if by is not None and by.pk != claim.member.user_id and claim.prepared_by_id is None:
        claim.prepared_by = by
        claim.save(update_fields=["prepared_by", "updated_at"])


# The member's side --------------------------------------------------------------------------


@transaction.atomic
def set_payment_preference(*, member: Member, preference: str, by: User | None = None) -> Member:
    """Saves the member's payment choice and brings their open (draft or queried) claims into
    line with it: the involvement-payment line is added, changed or removed. Claims already
    sent keep the choice they were sent with."""
    if preference not in Member.PaymentPreference.values:
        raise ClaimError("Choose one of the options listed.", field="payment_preference")
    member.payment_preference = preference
    member.save(update_fields=["payment_preference"])
    for claim in ExpenseClaim.objects.filter(member=member, status__in=EDITABLE).order_by("pk"):
        claim = _locked(claim)
        if claim.status in EDITABLE:
            _refresh_preference(claim)
    return member


@transaction.atomic
def start_or_get_claim(*, member: Member, meeting: Meeting, by: User | None = None) -> ExpenseClaim:
    """The member's claim for the activity: the existing one, or a new draft.

    Refused (ClaimError) if the member did not take part. A new claim, or one still being
    edited, gets the automatic involvement-payment line that the member's preference allows.
    ``by`` is whoever is entering it; a coordinator entering it for the member becomes its
    preparer.
    """
    existing = ExpenseClaim.objects.filter(member=member, meeting=meeting).first()
    if existing is None:
        refusal = attendance_refusal(member=member, meeting=meeting)
        if refusal:
            raise ClaimError(refusal)
        try:
            with transaction.atomic():
                claim = ExpenseClaim.objects.create(
                    member=member,
                    meeting=meeting,
                    payment_preference=member.payment_preference or "",
                    prepared_by=by if by is not None and by.pk != member.user_id else None,
                )
        except IntegrityError:
            # Someone (a second tab, a double click) created it a moment ago: use theirs.
            existing = ExpenseClaim.objects.get(member=member, meeting=meeting)
        else:
            _record(claim, from_status="", to_status=Status.DRAFT, by=by or member.user)
            _refresh_involvement_line(claim)
            _recalculate(claim)
            return claim
    claim = _locked(existing)
    if claim.status in EDITABLE:
        _mark_prepared(claim, by)
        _refresh_preference(claim)
    return claim


def _apply_item_fields(
    item: ExpenseItem,
    claim: ExpenseClaim,
    *,
    amount,
    miles,
    description: str,
    taxi_reason: str,
) -> None:
    item.description = (description or "").strip()[:200]
    if item.category == Category.MILEAGE:
        rate = rates.mileage_rate_for(claim.meeting)
        if rate is None:
            raise ClaimError("There is no mileage rate set for the date of this activity. Please contact the team.")
        item.miles = clean_miles(miles)
        item.rate = rate
        item.amount = rates.mileage_amount(miles=item.miles, rate=rate)
        item.taxi_reason = ""
        return
    item.amount = clean_amount(amount)
    item.miles = None
    item.rate = None
    if item.category == Category.TAXI:
        item.taxi_reason = _message(
            taxi_reason, field="taxi_reason", required="Tell us why you needed a taxi, for example no bus at that time."
        )[:300]
    else:
        item.taxi_reason = ""


@transaction.atomic
def add_item(
    *,
    claim: ExpenseClaim,
    category: str,
    amount: Decimal | str | None = None,
    miles: Decimal | str | None = None,
    description: str = "",
    taxi_reason: str = "",
    receipt: CleanReceipt | None = None,
    by: User | None = None,
    form_token: uuid.UUID | str | None = None,
) -> ExpenseItem:
    """Adds a cost to a draft or queried claim. Mileage is worked out from the miles and the rate.

    ``form_token`` is the one-off id of the form that sent it. The first send records it (an
    ItemFormToken, unique in the database) with the item, in one transaction; sending the same
    form again raises ``AlreadyAdded`` and adds nothing. If adding fails the token is not kept,
    so the corrected form can be sent.
    """
    claim = _locked(claim)
    if form_token:
        used = ItemFormToken.objects.filter(token=form_token).select_related("item").first()
        if used is not None:
            raise AlreadyAdded(used.item)
    _require_editable(claim)
    if category not in MEMBER_CATEGORIES:
        raise ClaimError("Choose what kind of cost this is.", field="category")
    token = None
    if form_token:
        try:
            with transaction.atomic():
                token = ItemFormToken.objects.create(token=form_token, claim=claim)
        except IntegrityError:
            # Sent at the same moment from another tab or a retried request: that one adds it.
            used = ItemFormToken.objects.filter(token=form_token).select_related("item").first()
            raise AlreadyAdded(used.item if used else None) from None
    item = ExpenseItem(claim=claim, category=category)
    _apply_item_fields(item, claim, amount=amount, miles=miles, description=description, taxi_reason=taxi_reason)
    if receipt is not None:
        store_receipt(item, receipt)
    item.save()
    if token is not None:
        token.item = item
        token.save(update_fields=["item"])
    _mark_prepared(claim, by)
    _refresh_preference(claim)
    item.refresh_from_db()
    return item


@transaction.atomic
def update_item(
    *,
    item: ExpenseItem,
    amount: Decimal | str | None = None,
    miles: Decimal | str | None = None,
    description: str = "",
    taxi_reason: str = "",
    receipt: CleanReceipt | None = None,
    remove_receipt: bool = False,
    by: User | None = None,
) -> ExpenseItem:
    """Changes a cost on a draft or queried claim (the category stays; remove and add to change it).

    A new ``receipt`` replaces the old file; ``remove_receipt`` deletes it.
    """
    claim = _locked(item.claim)
    _require_editable(claim)
    item = ExpenseItem.objects.select_for_update().get(pk=item.pk, claim=claim)
    if item.category == Category.INVOLVEMENT_PAYMENT:
        raise ClaimError("The involvement payment is set from the rates and your payment choice.")
    _apply_item_fields(item, claim, amount=amount, miles=miles, description=description, taxi_reason=taxi_reason)
    if receipt is not None:
        store_receipt(item, receipt)
    elif remove_receipt and item.receipt:
        delete_receipt_file(item)
        item.receipt = ""
        item.receipt_name = ""
        item.receipt_content_type = ""
    item.save()
    _mark_prepared(claim, by)
    _refresh_preference(claim)
    item.refresh_from_db()
    return item


@transaction.atomic
def remove_item(*, item: ExpenseItem, by: User | None = None) -> bool:
    """Removes a cost (and its receipt file) from a draft or queried claim.

    Returns False, changing nothing, if the cost was removed already (another tab, a second click)."""
    claim = _locked(item.claim)
    _require_editable(claim)
    if item.category == Category.INVOLVEMENT_PAYMENT:
        raise ClaimError(
            "The involvement payment follows your payment choice. To stop it, change your choice in your profile."
        )
    deleted, _ = ExpenseItem.objects.filter(pk=item.pk, claim=claim).delete()
    if not deleted:
        return False
    delete_receipt_file(item)  # only once the removal commits
    _mark_prepared(claim, by)
    _recalculate(claim)
    return True


@transaction.atomic
def delete_draft_claim(*, claim: ExpenseClaim, by: User) -> None:
    """Deletes a draft claim, with its costs and receipt files, for the member who made it.

    For a claim opened by mistake, or no longer wanted. Only the claim's own member may, and only
    while it is a draft: once sent, the team has seen it and its history must stay (a coordinator
    may not delete a draft from here either). Nothing is recorded, as nothing of it was ever sent
    to anyone; its "started" event goes with it. Deleting a claim that is already gone (a second
    click, another tab) does nothing.
    """
    claim = ExpenseClaim.objects.select_for_update().select_related("member").filter(pk=claim.pk).first()
    if claim is None:
        return
    if by is None or by.pk != claim.member.user_id:
        raise ClaimError("Only the member who made a claim can delete it.")
    if claim.status != Status.DRAFT:
        raise ClaimError(
            f"This claim is {claim.get_status_display().lower()}, so it cannot be deleted. "
            "If you no longer want it, please contact the team."
        )
    for item in claim.items.exclude(receipt=""):
        delete_receipt_file(item)
    claim.delete()


@transaction.atomic
def submit_claim(*, claim: ExpenseClaim, declaration: bool, by: User | None = None, message: str = "") -> ExpenseClaim:
    """Sends a draft (or an answered query) to the team, with the member's declaration.

    Safe to call twice: a claim already submitted is returned unchanged. ``message`` is the
    member's answer to a query, recorded on the claim's history.
    """
    claim = _locked(claim)
    if claim.status == Status.SUBMITTED:
        return claim
    _require_editable(claim)
    if not declaration:
        raise ClaimError("Confirm the declaration to send your claim.", field="declaration")
    refusal = attendance_refusal(member=claim.member, meeting=claim.meeting)
    if refusal:
        raise ClaimError(refusal)
    _refresh_preference(claim)
    items = list(claim.items.all())
    if not items:
        raise ClaimError("Add at least one cost before you send the claim.")
    missing = missing_receipts(claim)
    if missing:
        names = ", ".join(f"{item.get_category_display().lower()} (£{item.amount})" for item in missing)
        raise ClaimError(f"Add a receipt for: {names}.", field="receipt")
    text = (message or "").strip()
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ClaimError(f"Keep your message to {MAX_MESSAGE_LENGTH:,} characters or fewer.", field="message")

    now = timezone.now()
    from_status = claim.status
    claim.status = Status.SUBMITTED
    claim.declaration_accepted_at = now
    if claim.submitted_at is None:
        claim.submitted_at = now
        claim.is_late = timezone.localdate(now) > claim_deadline(claim.meeting)
    claim.save()
    event = _record(
        claim, from_status=from_status, to_status=Status.SUBMITTED, by=by or claim.member.user, message=text
    )
    claim_status_changed(claim=claim, event=event)
    return claim


def resubmit_claim(
    *, claim: ExpenseClaim, declaration: bool, by: User | None = None, message: str = ""
) -> ExpenseClaim:
    """Sends a queried claim back to the team after the member has answered (same rules as submit)."""
    return submit_claim(claim=claim, declaration=declaration, by=by, message=message)


# The team's side ----------------------------------------------------------------------------


@transaction.atomic
def query_claim(*, claim: ExpenseClaim, by: User, message: str) -> ExpenseClaim:
    """Asks the member a question; the claim goes back to them to edit and resubmit."""
    _require_staff(by)
    claim = _locked(claim)
    if claim.status != Status.SUBMITTED:
        raise ClaimError(f"Only a submitted claim can be queried; this one is {claim.get_status_display().lower()}.")
    if claim.member.user_id == by.pk:
        raise ClaimError("You cannot query your own claim.")
    text = _message(message, field="message", required="Write the question for the member.")
    claim.status = Status.QUERIED
    claim.save(update_fields=["status", "updated_at"])
    event = _record(claim, from_status=Status.SUBMITTED, to_status=Status.QUERIED, by=by, message=text)
    claim_status_changed(claim=claim, event=event)
    return claim


@transaction.atomic
def approve_claim(*, claim: ExpenseClaim, by: User) -> ExpenseClaim:
    """Approves a submitted claim for payment (separation of duties applies)."""
    claim = _locked(claim)
    if claim.status == Status.APPROVED:
        return claim
    if claim.status != Status.SUBMITTED:
        raise ClaimError(f"Only a submitted claim can be approved; this one is {claim.get_status_display().lower()}.")
    _require_decider(by, claim)
    claim.status = Status.APPROVED
    claim.approved_by = by
    claim.approved_at = timezone.now()
    claim.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    event = _record(claim, from_status=Status.SUBMITTED, to_status=Status.APPROVED, by=by)
    claim_status_changed(claim=claim, event=event)
    return claim


def approve_claims(
    *, claims: Iterable[ExpenseClaim], by: User
) -> tuple[list[ExpenseClaim], list[tuple[ExpenseClaim, str]]]:
    """Approves each claim on its own; returns (approved, [(refused claim, why)])."""
    approved, refused = [], []
    for claim in claims:
        try:
            approved.append(approve_claim(claim=claim, by=by))
        except ClaimError as error:
            refused.append((claim, error.message))
    return approved, refused


@transaction.atomic
def reject_claim(*, claim: ExpenseClaim, by: User, reason: str) -> ExpenseClaim:
    """Turns down a submitted or queried claim, with the reason the member will read."""
    claim = _locked(claim)
    if claim.status not in (Status.SUBMITTED, Status.QUERIED):
        raise ClaimError(
            f"Only a submitted or queried claim can be rejected; this one is {claim.get_status_display().lower()}."
        )
    _require_decider(by, claim)
    text = _message(reason, field="reason", required="Write the reason the member will read.")
    from_status = claim.status
    claim.status = Status.REJECTED
    claim.rejection_reason = text
    claim.save(update_fields=["status", "rejection_reason", "updated_at"])
    event = _record(claim, from_status=from_status, to_status=Status.REJECTED, by=by, message=text)
    claim_status_changed(claim=claim, event=event)
    return claim


@transaction.atomic
def mark_paid(*, claim: ExpenseClaim, by: User, paid_on: dt.date, reference: str) -> ExpenseClaim:
    """Records that an approved claim was paid: the date and the payment reference."""
    claim = _locked(claim)
    if claim.status != Status.APPROVED:
        raise ClaimError(
            f"Only an approved claim can be marked paid; this one is {claim.get_status_display().lower()}."
        )
    _require_decider(by, claim)
    reference = (reference or "").strip()
    if not reference:
        raise ClaimError("Enter the payment reference.", field="reference")
    if len(reference) > 60:
        raise ClaimError("The payment reference must be 60 characters or fewer.", field="reference")
    if paid_on is None:
        raise ClaimError("Enter the date it was paid.", field="paid_on")
    if paid_on > timezone.localdate():
        raise ClaimError("The payment date cannot be in the future.", field="paid_on")
    if claim.approved_at and paid_on < timezone.localdate(claim.approved_at):
        raise ClaimError("The payment date cannot be before the claim was approved.", field="paid_on")
    claim.status = Status.PAID
    claim.paid_on = paid_on
    claim.payment_reference = reference
    claim.paid_by = by
    claim.save(update_fields=["status", "paid_on", "payment_reference", "paid_by", "updated_at"])
    event = _record(claim, from_status=Status.APPROVED, to_status=Status.PAID, by=by, message=f"Reference {reference}")
    claim_status_changed(claim=claim, event=event)
    return claim
