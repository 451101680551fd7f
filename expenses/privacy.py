"""A member's expense claims in their data download, and what erasure does to them.

Erasure keeps what the finance record needs and nothing the member wrote:

* **Draft claims** (never sent) are deleted with their receipt files: no one relied on them.
* **Every other claim** stays, because public money was (or may be) paid against it and finance
  records must be kept: the activity, categories, amounts, miles, rates, dates, approver, payment
  reference and the receipts as evidence. What the member typed – item descriptions, taxi reasons,
  messages on the claim's history – is blanked, and so are the receipts' original file names.
  Who the claim was for is cut at the member record, which erasure anonymises.
"""

from __future__ import annotations

from typing import Any

from members.models import Member
from members.privacy import iso

from .models import ClaimEvent, ExpenseClaim, ExpenseItem
from .uploads import delete_receipt_file


def export_expense_claims(member: Member) -> list[dict[str, Any]]:
    claims = (
        ExpenseClaim.objects.filter(member=member)
        .select_related("meeting")
        .prefetch_related("items", "events")
        .order_by("meeting__starts_at", "pk")
    )
    return [
        {
            "activity": claim.meeting.title,
            "activity_date": iso(claim.meeting.starts_at),
            "status": claim.get_status_display(),
            "payment_preference": claim.payment_preference,
            "submitted_at": iso(claim.submitted_at),
            "declaration_accepted_at": iso(claim.declaration_accepted_at),
            "late": claim.is_late,
            "approved_at": iso(claim.approved_at),
            "rejection_reason": claim.rejection_reason,
            "paid_on": iso(claim.paid_on),
            "payment_reference": claim.payment_reference,
            "total": str(claim.total),
            "items": [
                {
                    "category": item.get_category_display(),
                    "description": item.description,
                    "miles": str(item.miles) if item.miles is not None else None,
                    "taxi_reason": item.taxi_reason,
                    "amount": str(item.amount),
                    "receipt": item.receipt_name or None,
                }
                for item in claim.items.all()
            ],
            "history": [
                {
                    "from": event.get_from_status_display() or None,
                    "to": event.get_to_status_display(),
                    "at": iso(event.at),
                    "message": event.message,
                }
                for event in claim.events.all()
            ],
        }
        for claim in claims
    ]


def erase_expenses(member: Member) -> None:
    drafts = ExpenseClaim.objects.filter(member=member, status=ExpenseClaim.Status.DRAFT)
    for item in ExpenseItem.objects.filter(claim__in=drafts).exclude(receipt=""):
        delete_receipt_file(item)
    ClaimEvent.objects.filter(claim__in=drafts).delete()
    ExpenseItem.objects.filter(claim__in=drafts).delete()
    drafts.delete()

    kept = ExpenseClaim.objects.filter(member=member)
    ExpenseItem.objects.filter(claim__in=kept).update(description="", taxi_reason="", receipt_name="")
    ClaimEvent.objects.filter(claim__in=kept).update(message="")
