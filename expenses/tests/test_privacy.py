"""A member's claims are in their data download; erasure keeps the finance record and nothing they wrote."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from expenses.models import Category, ClaimEvent, ExpenseClaim, ExpenseItem
from expenses.tests.factories import ClaimEventFactory, ExpenseClaimFactory, ExpenseItemFactory, MemberFactory
from members.privacy import erase_member, member_export_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def amira():
    return MemberFactory(active=True, user__name="Amira Khan", user__email="amira@example.org")


def test_the_data_download_has_the_members_claims_items_and_history(amira):
    claim = ExpenseClaimFactory(member=amira, paid=True, payment_reference="BACS-12")
    ExpenseItemFactory(
        claim=claim, category=Category.TAXI, amount=Decimal("14.00"), taxi_reason="No bus", with_receipt=True
    )
    ClaimEventFactory(claim=claim, message="Here is the ticket")
    ExpenseClaimFactory()  # someone else's

    section = member_export_json(amira)["expense_claims"]

    assert len(section) == 1
    exported = section[0]
    assert (exported["activity"], exported["status"], exported["payment_reference"]) == (
        claim.meeting.title,
        "Paid",
        "BACS-12",
    )
    assert exported["items"] == [
        {
            "category": "Taxi",
            "description": "Car park next to the family centre",
            "miles": None,
            "taxi_reason": "No bus",
            "amount": "14.00",
            "receipt": "receipt.jpg",
        }
    ]
    assert exported["history"][0]["message"] == "Here is the ticket"
    assert exported["total"] == "14.00"


def test_erasure_deletes_drafts_and_their_receipts(amira, django_capture_on_commit_callbacks):
    draft = ExpenseClaimFactory(member=amira)
    item = ExpenseItemFactory(claim=draft, with_receipt=True)
    path = item.receipt.path
    with django_capture_on_commit_callbacks(execute=True):
        erase_member(member=amira)
    assert not ExpenseClaim.objects.filter(pk=draft.pk).exists()
    assert not os.path.exists(path)


def test_erasure_keeps_the_finance_record_but_not_what_the_member_wrote(amira, django_capture_on_commit_callbacks):
    paid = ExpenseClaimFactory(member=amira, paid=True, payment_reference="BACS-12")
    item = ExpenseItemFactory(
        claim=paid, category=Category.TAXI, amount=Decimal("14.00"), taxi_reason="My baby was unwell", with_receipt=True
    )
    ClaimEventFactory(claim=paid, message="I live at 1 Example Street")

    with django_capture_on_commit_callbacks(execute=True):
        erase_member(member=amira)

    paid.refresh_from_db()
    item = ExpenseItem.objects.get(pk=item.pk)
    assert (paid.status, paid.payment_reference, paid.total) == (ExpenseClaim.Status.PAID, "BACS-12", Decimal("14.00"))
    assert (item.description, item.taxi_reason, item.receipt_name) == ("", "", "")
    assert os.path.exists(item.receipt.path), "the receipt stays as evidence for the payment"
    assert set(ClaimEvent.objects.filter(claim=paid).values_list("message", flat=True)) == {""}
