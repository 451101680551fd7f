"""PDFs: one ``render_pdf`` for the project (WeasyPrint, tagged PDF/UA), and remittance summaries.

``render_pdf`` is the only place WeasyPrint is called; when other reports arrive (commissioner
reports in ``involvement``) it can move to a shared module unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from members.models import Member

from .finance import Remittance, remittance_for


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Renders a Django template to a tagged, accessible PDF (PDF/UA-1)."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def remittance_pdf(remittance: Remittance) -> bytes:
    """The remittance summary: what was paid to the member, claim by claim and line by line."""
    return render_pdf(
        "pdf/expenses/remittance.html",
        {"remittance": remittance, "generated_on": timezone.localdate(), "group_name": _group_name()},
    )


def member_remittance_pdf(
    *, member: Member, start: dt.date | None = None, end: dt.date | None = None, claim_ids=None
) -> bytes:
    return remittance_pdf(remittance_for(member=member, start=start, end=end, claim_ids=claim_ids))


def remittance_filename(member: Member) -> str:
    return f"remittance-member-{member.pk}-{timezone.localdate().isoformat()}.pdf"


def _group_name() -> str:
    # The group profile belongs to `involvement`, which apps must not import; ask the app registry.
    from django.apps import apps

    try:
        profile_model = apps.get_model("involvement", "GroupProfile")
    except LookupError:
        return "Perinatal involvement group"
    profile = profile_model.objects.filter(pk=1).first()
    return getattr(profile, "name", "") or "Perinatal involvement group"
