"""Expenses' part of the demo: made once, and nothing without activities to claim for.

The demo group as a whole (claims in every state over two years) is checked in
involvement/tests/test_demo.py, where the group is seeded once for the module.
"""

from __future__ import annotations

import pytest

from common.uploads import PDF, PNG, sniff
from expenses.demo import receipt_pdf, receipt_png, seed_expenses
from expenses.models import ExpenseClaim

pytestmark = pytest.mark.django_db


def test_with_no_meetings_the_demo_makes_no_claims():
    assert seed_expenses() == 0
    assert not ExpenseClaim.objects.exists()


def test_demo_receipts_are_real_files():
    assert sniff(receipt_png(["Car park", "GBP 4.50"])[:32]) == PNG
    assert sniff(receipt_pdf(["Bus (return)", "GBP 6.40"])[:32]) == PDF
