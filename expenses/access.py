"""Who may see which claim and receipt: every lookup of a claim or a receipt goes through here.

* A member sees only their own claims, items and receipts: the queries are built from the
  logged-in person's member record, so another member's claim is simply not found (404).
* Receipts are also open to **finance staff**: finance approvers and coordinators.
* Commissioners see no claim and no receipt, whatever else they are – even a commissioner who
  is also a coordinator or finance approver is refused a receipt (the commissioner rule wins);
  neither does anyone whose member record was erased.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from members.access import member_for
from members.roles import is_commissioner, is_coordinator, is_finance_approver

from .models import ExpenseClaim, ExpenseItem


def claims_for_member(user) -> QuerySet[ExpenseClaim]:
    """The person's own claims, newest activity first (none for anyone without a member record)."""
    member = member_for(user)
    if member is None:
        return ExpenseClaim.objects.none()
    return (
        ExpenseClaim.objects.filter(member=member)
        .select_related("meeting", "member")
        .order_by("-meeting__starts_at", "-pk")
    )


def get_claim_for_member(user, pk: int) -> ExpenseClaim:
    """The person's own claim with this id, or 404 (also for someone else's claim)."""
    return get_object_or_404(claims_for_member(user), pk=pk)


def get_item_for_member(user, pk: int) -> ExpenseItem:
    """An item on one of the person's own claims, or 404."""
    member = member_for(user)
    if member is None:
        raise Http404("No such item.")
    return get_object_or_404(ExpenseItem.objects.select_related("claim", "claim__meeting"), pk=pk, claim__member=member)


def is_finance_staff(user) -> bool:
    """Finance approvers and coordinators: the people who check receipts. Never a commissioner:
    if someone is given both roles, the commissioner rule wins (they must never see personal
    data), so they are not finance staff here; see docs/decisions/0007."""
    if is_commissioner(user):
        return False
    return is_finance_approver(user) or is_coordinator(user)


def get_receipt_for_user(user, item_pk: int) -> ExpenseItem:
    """An item with a receipt that this person may download: their own, or any for finance staff.

    Anyone else gets 404, so a receipt's existence is not given away.
    """
    items = ExpenseItem.objects.select_related("claim", "claim__member").exclude(receipt="")
    if is_finance_staff(user):
        return get_object_or_404(items, pk=item_pk)
    member = member_for(user)  # None for the anonymous and for commissioners
    if member is None:
        raise Http404("No such receipt.")
    return get_object_or_404(items, pk=item_pk, claim__member=member)
