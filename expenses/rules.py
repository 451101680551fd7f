"""The claim rules: who may claim for what, who may decide on a claim, the limits on a cost,
and when a claim is late. Reads only; ``expenses.services`` enforces them when it writes, and
pages use them to say in advance what is allowed.

Decisions worth knowing:

* **Who may claim**: a member may claim for an activity that has ended and was not cancelled,
  if attendance was taken and they were marked attended, or – while attendance has not been
  taken yet – if they were registered. The same check runs again on submit.
* **Limits**: mileage from more than 0 up to 500 miles a line; any other amount from 1p up to
  £1,000 a line; a taxi needs a reason; receipts for the categories the rules name, checked on
  submit (so a member can save a draft and add the photo later).
* **Late claims** (submitted more than the rules' deadline after the activity) are accepted and
  flagged, judged at the first submission.
* **Separation of duties** (``settings.EXPENSES_SEPARATION_OF_DUTIES``, on by default): only a
  finance approver approves, rejects or marks paid, and never a claim they prepared. Switched
  off, a coordinator may too. Nobody ever decides on their own claim.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from meetings.models import Meeting, Registration
from members.models import Member, User
from members.roles import is_coordinator, is_finance_approver

from . import rates
from .models import Category, ExpenseClaim, ExpenseItem, ExpenseRules

Status = ExpenseClaim.Status

MAX_MILES = Decimal("500")
MAX_ITEM_AMOUNT = Decimal("1000.00")
MIN_ITEM_AMOUNT = Decimal("0.01")
MAX_MESSAGE_LENGTH = 2000
MEMBER_CATEGORIES = [c for c in Category if c != Category.INVOLVEMENT_PAYMENT]
EDITABLE = (Status.DRAFT, Status.QUERIED)


class ClaimError(Exception):
    """A claim rule was broken. ``message`` is for the person; ``field`` names the form field, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# Who may claim ---------------------------------------------------------------------------


def attendance_refusal(*, member: Member, meeting: Meeting) -> str | None:
    """Why the member may not claim for this activity, or None if they may."""
    if meeting.status == Meeting.Status.CANCELLED:
        return "This activity was cancelled, so there is nothing to claim for it."
    if meeting.ends_at > timezone.now():
        return "You can claim once the activity has finished."
    registration = Registration.objects.filter(member=member, meeting=meeting).only("status").first()
    status = registration.status if registration else None
    if meeting.attendance_taken_at:
        if status == Registration.Status.ATTENDED:
            return None
        return (
            "Our attendance record does not show you at this activity, so you cannot claim for it. "
            "If you were there, please contact the team and we will correct the record."
        )
    if status in (Registration.Status.REGISTERED, Registration.Status.ATTENDED):
        return None
    return "You can only claim for an activity you were registered for and took part in."


def can_claim(*, member: Member, meeting: Meeting) -> bool:
    return attendance_refusal(member=member, meeting=meeting) is None


# Who may decide ---------------------------------------------------------------------------


def separation_of_duties() -> bool:
    return settings.EXPENSES_SEPARATION_OF_DUTIES


def decision_refusal(*, user: User, claim: ExpenseClaim) -> str | None:
    """Why the user may not approve, reject or mark paid this claim, or None if they may."""
    if claim.member.user_id == user.pk:
        return "You cannot decide on your own claim."
    if separation_of_duties():
        if not is_finance_approver(user):
            return "Only a finance approver can approve, reject or mark paid a claim."
        if claim.prepared_by_id == user.pk:
            return "You prepared this claim, so another finance approver must decide on it."
        return None
    if is_finance_approver(user) or is_coordinator(user):
        return None
    return "Only a finance approver or a coordinator can approve, reject or mark paid a claim."


def can_decide(*, user: User, claim: ExpenseClaim) -> bool:
    return decision_refusal(user=user, claim=claim) is None


# Deadlines, payments and receipts -----------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def claim_deadline(meeting: Meeting) -> dt.date:
    """The last day a claim for this activity is on time."""
    return add_months(rates.activity_date(meeting), ExpenseRules.load().claim_deadline_months)


def wants_involvement_payment(preference: str) -> bool:
    return preference == Member.PaymentPreference.INVOLVEMENT_PAYMENTS


def missing_receipts(claim: ExpenseClaim) -> list[ExpenseItem]:
    """Items whose category needs a receipt under the rules and that have none."""
    needed = set(ExpenseRules.load().receipt_required_for or [])
    return [item for item in claim.items.all() if item.category in needed and not item.receipt]
