"""Figures for the finance team: the export of payable lines for a period, and remittance summaries.

Every figure is worked out here, in the database, and tested against hand-computed fixtures;
the CSV writer and the PDF template only lay them out.

The export has one row per payable line (each item of an approved or paid claim) in the
period, then totals by category and a grand total. It is written for a spreadsheet: UTF-8 with
a byte-order mark (so Excel reads "£" and names with accents correctly), ISO dates, amounts as
plain decimals ("12.50"), and any text cell that a spreadsheet would run as a formula
(starting ``=``, ``+``, ``-``, ``@``, tab or carriage return) prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from common.spreadsheets import spreadsheet_safe
from members.models import Member

from .models import Category, ExpenseClaim, ExpenseItem

PAYABLE = (ExpenseClaim.Status.APPROVED, ExpenseClaim.Status.PAID)
ZERO = Decimal("0.00")
ERASED = "Erased member"


class Basis:
    """Which date puts a line in the period."""

    APPROVED = "approved"
    PAID = "paid"
    CHOICES = [(APPROVED, "Approved in the period"), (PAID, "Paid in the period")]


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day), timezone.get_current_timezone())


def payable_lines(*, start: dt.date, end: dt.date, basis: str = Basis.APPROVED) -> QuerySet[ExpenseItem]:
    """Items of approved and paid claims approved (or paid) from ``start`` to ``end`` inclusive, in local dates."""
    items = ExpenseItem.objects.filter(claim__status__in=PAYABLE)
    if basis == Basis.PAID:
        items = items.filter(claim__status=ExpenseClaim.Status.PAID, claim__paid_on__range=(start, end))
    else:
        items = items.filter(
            claim__approved_at__gte=_local_midnight(start),
            claim__approved_at__lt=_local_midnight(end + dt.timedelta(days=1)),
        )
    return items.select_related("claim", "claim__member__user", "claim__meeting", "claim__approved_by").order_by(
        "claim__approved_at", "claim_id", "created_at", "pk"
    )


@dataclass(frozen=True)
class Totals:
    by_category: list[tuple[str, Decimal]]
    grand_total: Decimal
    lines: int


def totals(items: QuerySet[ExpenseItem]) -> Totals:
    """Totals by category (in the order categories are listed) and the grand total, summed in the database."""
    sums = {row["category"]: row["total"] for row in items.order_by().values("category").annotate(total=Sum("amount"))}
    by_category = [(label, sums[value]) for value, label in Category.choices if value in sums]
    overall = items.order_by().aggregate(total=Sum("amount"), lines=Count("pk"))
    return Totals(by_category=by_category, grand_total=overall["total"] or ZERO, lines=overall["lines"])


def payee_name(member: Member) -> str:
    return member.user.name if member.erased_at is None and member.user.name else ERASED


def _date(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return value.isoformat()


HEADER = [
    "Claim",
    "Payee",
    "Payee member ID",
    "Activity",
    "Activity date",
    "Category",
    "Description",
    "Amount (GBP)",
    "Status",
    "Approved by",
    "Approval date",
    "Payment reference",
    "Paid on",
]


def export_rows(*, start: dt.date, end: dt.date, basis: str = Basis.APPROVED) -> list[list[str]]:
    """The export as rows of cells: the header, one row per line, then the totals."""
    items = payable_lines(start=start, end=end, basis=basis)
    rows = [HEADER]
    for item in items.iterator(chunk_size=500):
        claim = item.claim
        rows.append(
            [
                str(claim.pk),
                spreadsheet_safe(payee_name(claim.member)),
                str(claim.member_id),
                spreadsheet_safe(claim.meeting.title),
                _date(claim.meeting.starts_at),
                item.get_category_display(),
                spreadsheet_safe(item.description),
                f"{item.amount:.2f}",
                claim.get_status_display(),
                spreadsheet_safe(claim.approved_by.name if claim.approved_by else ""),
                _date(claim.approved_at),
                spreadsheet_safe(claim.payment_reference),
                _date(claim.paid_on),
            ]
        )
    summary = totals(items)
    rows.append([])
    rows.append(["Totals by category", "Total (GBP)"])
    rows.extend([label, f"{amount:.2f}"] for label, amount in summary.by_category)
    rows.append(["Grand total", f"{summary.grand_total:.2f}"])
    return rows


def export_csv(*, start: dt.date, end: dt.date, basis: str = Basis.APPROVED) -> bytes:
    """The export as a CSV file for a spreadsheet (UTF-8 with a byte-order mark, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(export_rows(start=start, end=end, basis=basis))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_filename(*, start: dt.date, end: dt.date, basis: str) -> str:
    return f"expenses-{basis}-{start.isoformat()}-to-{end.isoformat()}.csv"


# Remittance summaries ----------------------------------------------------------------------


@dataclass
class RemittanceClaim:
    claim: ExpenseClaim
    lines: list[ExpenseItem]
    total: Decimal


@dataclass
class Remittance:
    member: Member
    payee: str
    start: dt.date | None
    end: dt.date | None
    claims: list[RemittanceClaim] = field(default_factory=list)
    total: Decimal = ZERO


def remittance_for(
    *, member: Member, start: dt.date | None = None, end: dt.date | None = None, claim_ids=None
) -> Remittance:
    """The member's paid claims (paid from ``start`` to ``end``, or the chosen ones), line by line, with totals."""
    claims = (
        ExpenseClaim.objects.filter(member=member, status=ExpenseClaim.Status.PAID)
        .select_related("meeting", "member__user")
        .prefetch_related("items")
        .order_by("paid_on", "pk")
    )
    if start:
        claims = claims.filter(paid_on__gte=start)
    if end:
        claims = claims.filter(paid_on__lte=end)
    if claim_ids is not None:
        claims = claims.filter(pk__in=claim_ids)
    remittance = Remittance(member=member, payee=payee_name(member), start=start, end=end)
    for claim in claims:
        lines = list(claim.items.all())
        total = sum((line.amount for line in lines), ZERO)
        remittance.claims.append(RemittanceClaim(claim=claim, lines=lines, total=total))
        remittance.total += total
    return remittance
