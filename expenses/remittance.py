"""Remittance summaries: what was paid to a member, as a PDF (made by ``common.pdf.render_pdf``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from common.group import group_profile
from common.pdf import render_pdf
from members.models import Member

from .finance import Remittance, remittance_for


def remittance_pdf(remittance: Remittance) -> bytes:
    """The remittance summary: what was paid to the member, claim by claim and line by line."""
    return render_pdf(
        "pdf/expenses/remittance.html",
        {"remittance": remittance, "generated_on": timezone.localdate(), "group_name": group_profile().name},
    )


def member_remittance_pdf(
    *, member: Member, start: dt.date | None = None, end: dt.date | None = None, claim_ids=None
) -> bytes:
    return remittance_pdf(remittance_for(member=member, start=start, end=end, claim_ids=claim_ids))


def remittance_filename(member: Member) -> str:
    return f"remittance-member-{member.pk}-{timezone.localdate().isoformat()}.pdf"

