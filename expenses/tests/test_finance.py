"""The finance export and remittance summaries, checked against figures worked out by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from expenses import finance
from expenses.models import Category, ExpenseClaim
from expenses.remittance import member_remittance_pdf
from expenses.tests.factories import (
    ExpenseClaimFactory,
    ExpenseItemFactory,
    FinanceApproverFactory,
    MemberFactory,
    london,
)

pytestmark = pytest.mark.django_db

MARCH = {"start": dt.date(2025, 3, 1), "end": dt.date(2025, 3, 31)}


@pytest.fixture
def approver():
    return FinanceApproverFactory(email="fay@example.org", name="Fay Finance")


@pytest.fixture
def amira():
    return MemberFactory(active=True, user__name="Amira Khan", user__email="amira@example.org")


@pytest.fixture
def book(amira, approver):
    """Five claims. In March 2025 (by approval date, London time) two are payable:

    A  approved 10 March:            mileage 4.50, parking 3.20, involvement 50.00  = 57.70
    B  approved 31 March 23:30 BST,  bus 12.40, childcare 25.00 (paid 2 April)       = 37.40
                                                                       March total  = 95.10
    C  approved 1 April 00:30 BST (still 31 March in UTC): parking 6.00 – April, not March
    D  submitted, E rejected: never payable.
    """
    beth = MemberFactory(active=True, user__name="Beth Jones", user__email="beth@example.org")

    def claim(member, **fields):
        return ExpenseClaimFactory(member=member, approved_by=approver, **fields)

    a = claim(amira, approved=True, approved_at=london(2025, 3, 10, 12))
    ExpenseItemFactory(claim=a, mileage=True, amount=Decimal("4.50"))
    ExpenseItemFactory(claim=a, category=Category.PARKING, amount=Decimal("3.20"))
    ExpenseItemFactory(claim=a, category=Category.INVOLVEMENT_PAYMENT, amount=Decimal("50.00"), description="2 hours")
    b = claim(
        beth,
        paid=True,
        approved_at=london(2025, 3, 31, 23, 30),
        paid_on=dt.date(2025, 4, 2),
        payment_reference="BACS-77",
    )
    ExpenseItemFactory(claim=b, category=Category.PUBLIC_TRANSPORT, amount=Decimal("12.40"))
    ExpenseItemFactory(claim=b, category=Category.CHILDCARE, amount=Decimal("25.00"))
    c = claim(amira, approved=True, approved_at=london(2025, 4, 1, 0, 30))
    ExpenseItemFactory(claim=c, category=Category.PARKING, amount=Decimal("6.00"))
    d = claim(amira, submitted=True)
    ExpenseItemFactory(claim=d, category=Category.PARKING, amount=Decimal("100.00"))
    e = claim(beth, rejected=True)
    ExpenseItemFactory(claim=e, category=Category.TAXI, amount=Decimal("40.00"))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_march_export_lists_each_payable_line_once(book):
    rows = _rows(finance.export_csv(**MARCH))
    header, lines = rows[0], rows[1 : rows.index([])]
    assert header == finance.HEADER
    assert len(lines) == 5
    assert {row[0] for row in lines} == {str(book["a"].pk), str(book["b"].pk)}
    assert sorted(row[7] for row in lines) == ["12.40", "25.00", "3.20", "4.50", "50.00"]


def test_the_march_totals_match_the_hand_computed_figures(book):
    rows = _rows(finance.export_csv(**MARCH))
    totals = rows[rows.index([]) + 1 :]
    assert totals == [
        ["Totals by category", "Total (GBP)"],
        ["Mileage", "4.50"],
        ["Bus, train or tram", "12.40"],
        ["Parking", "3.20"],
        ["Childcare", "25.00"],
        ["Involvement payment", "50.00"],
        ["Grand total", "95.10"],
    ]


def test_a_line_has_payee_activity_approver_and_payment(book, amira):
    rows = _rows(finance.export_csv(**MARCH))
    bus = next(row for row in rows if len(row) > 5 and row[5] == "Bus, train or tram")
    claim = book["b"]
    assert bus == [
        str(claim.pk),
        "Beth Jones",
        str(claim.member_id),
        claim.meeting.title,
        claim.meeting.starts_at.astimezone(london(2025, 1, 1).tzinfo).date().isoformat(),
        "Bus, train or tram",
        "Car park next to the family centre",
        "12.40",
        "Paid",
        "Fay Finance",
        "2025-03-31",
        "BACS-77",
        "2025-04-02",
    ]


def test_the_period_is_in_london_dates(book):
    april = finance.totals(finance.payable_lines(start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30)))
    assert april.grand_total == Decimal("6.00")
    assert april.lines == 1


def test_the_export_by_payment_date_has_only_paid_claims(book):
    april = finance.totals(
        finance.payable_lines(start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30), basis=finance.Basis.PAID)
    )
    assert april.grand_total == Decimal("37.40")
    assert april.by_category == [("Bus, train or tram", Decimal("12.40")), ("Childcare", Decimal("25.00"))]


def test_an_empty_period_has_a_zero_total():
    rows = _rows(finance.export_csv(start=dt.date(2020, 1, 1), end=dt.date(2020, 1, 31)))
    assert rows[-1] == ["Grand total", "0.00"]


def test_cells_that_look_like_formulas_are_made_text(book):
    book["a"].member.user.name = '=HYPERLINK("http://evil.example","Click")'
    book["a"].member.user.save()
    item = book["a"].items.get(category=Category.PARKING)
    item.description = "@SUM(1+1)"
    item.save()
    rows = _rows(finance.export_csv(**MARCH))
    parking = next(row for row in rows if len(row) > 5 and row[5] == "Parking")
    assert parking[1].startswith("'=HYPERLINK")
    assert parking[6] == "'@SUM(1+1)"
    assert parking[7] == "3.20"


def test_an_erased_payee_is_named_as_such(book):
    member = book["a"].member
    member.erased_at = book["a"].created_at
    member.save()
    rows = _rows(finance.export_csv(**MARCH))
    assert any(row[1] == finance.ERASED for row in rows[1:6])


def test_the_export_needs_the_same_queries_for_few_or_many_lines(book, django_assert_max_num_queries, approver):
    with django_assert_max_num_queries(4):
        finance.export_csv(**MARCH)
    for _ in range(10):
        claim = ExpenseClaimFactory(approved=True, approved_by=approver, approved_at=london(2025, 3, 12, 9))
        ExpenseItemFactory.create_batch(3, claim=claim)
    with django_assert_max_num_queries(4):
        finance.export_csv(**MARCH)


# Remittance ---------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_remittance_summary_lists_the_members_paid_claims_and_total(amira, approver):
    first = ExpenseClaimFactory(member=amira, paid=True, paid_on=dt.date(2025, 5, 2), payment_reference="BACS-101")
    ExpenseItemFactory(claim=first, category=Category.PARKING, amount=Decimal("3.20"), description="Mill Lane car park")
    ExpenseItemFactory(
        claim=first, category=Category.INVOLVEMENT_PAYMENT, amount=Decimal("50.00"), description="2 hours"
    )
    second = ExpenseClaimFactory(member=amira, paid=True, paid_on=dt.date(2025, 6, 9), payment_reference="BACS-202")
    ExpenseItemFactory(claim=second, mileage=True, miles=Decimal("10.0"), amount=Decimal("4.50"))
    unpaid = ExpenseClaimFactory(member=amira, approved=True)
    ExpenseItemFactory(claim=unpaid, amount=Decimal("99.00"))

    text = _pdf_text(member_remittance_pdf(member=amira))

    assert "Remittance summary" in text
    assert "Amira Khan" in text
    assert "BACS-101" in text and "BACS-202" in text
    assert "Mill Lane car park" in text
    assert "£3.20" in text and "£50.00" in text and "£4.50" in text
    assert "Total paid: £57.70" in text
    assert "99.00" not in text


def test_the_remittance_summary_can_cover_a_period(amira):
    may = ExpenseClaimFactory(member=amira, paid=True, paid_on=dt.date(2025, 5, 2), payment_reference="BACS-101")
    ExpenseItemFactory(claim=may, amount=Decimal("3.20"))
    june = ExpenseClaimFactory(member=amira, paid=True, paid_on=dt.date(2025, 6, 9), payment_reference="BACS-202")
    ExpenseItemFactory(claim=june, amount=Decimal("4.50"))
    remittance = finance.remittance_for(member=amira, start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30))
    assert [entry.claim for entry in remittance.claims] == [june]
    assert remittance.total == Decimal("4.50")


def test_pdfs_are_tagged_for_accessibility(amira):
    content = member_remittance_pdf(member=amira)
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert "No payments were made" in _pdf_text(content)


@pytest.mark.parametrize("basis", [finance.Basis.APPROVED, finance.Basis.PAID])
def test_claims_in_a_status_that_is_not_payable_are_left_out(book, amira, approver, basis):
    # Claims in every other status, with an approval date and a payment date inside March (as a
    # claim can carry after a correction), and a line of £99.99 each: none may be in the export.
    odd = {}
    for status in set(ExpenseClaim.Status.values) - {ExpenseClaim.Status.APPROVED, ExpenseClaim.Status.PAID}:
        claim = ExpenseClaimFactory(
            member=amira,
            status=status,
            approved_by=approver,
            approved_at=london(2025, 3, 15, 12),
            paid_on=dt.date(2025, 3, 20),
        )
        ExpenseItemFactory(claim=claim, category=Category.PARKING, amount=Decimal("99.99"))
        odd[status] = claim
    rows = _rows(finance.export_csv(**MARCH, basis=basis))
    lines, totals = rows[1 : rows.index([])], rows[rows.index([]) + 1 :]
    assert not {str(claim.pk) for claim in odd.values()} & {row[0] for row in lines}
    assert "99.99" not in {cell for row in rows for cell in row}
    if basis == finance.Basis.APPROVED:
        assert totals[-1] == ["Grand total", "95.10"]
    else:
        assert totals[-1] == ["Grand total", "0.00"]  # B was paid on 2 April; nothing was paid in March
