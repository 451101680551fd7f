"""What every report PDF shares: the cover, the contents page and the footer's period.

A report's builder makes a `Document` and calls `render_document`, which renders its template
(extending ``templates/pdf/reports/base.html``) through ``common.pdf.render_pdf``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from common.formatting import day_month_year
from common.group import group_profile
from common.pdf import render_pdf


@dataclass(frozen=True)
class Document:
    """The cover and contents of one report.

    ``sections`` are (id, title) pairs in order: the template has a section with each id, and
    the contents page numbers them. ``period_label`` goes on the cover and in every page's footer.
    """

    title: str
    sections: Sequence[tuple[str, str]]
    subtitle: str = ""
    period_label: str = ""
    description: str = ""
    group_name: str = field(default_factory=lambda: group_profile().name)
    made_on: dt.date = field(default_factory=timezone.localdate)


def period_label(start: dt.date | None, end: dt.date | None) -> str:
    """ "1 April 2025 to 31 March 2026"; one-sided and open periods say so in words."""
    if start and end:
        return f"{day_month_year(start)} to {day_month_year(end)}"
    if start:
        return f"From {day_month_year(start)}"
    if end:
        return f"Up to {day_month_year(end)}"
    return "All dates"


def render_document(template: str, document: Document, context: dict[str, Any] | None = None) -> bytes:
    """The PDF of ``template`` with ``document`` (cover and contents) and the report's own context."""
    return render_pdf(template, {"document": document, **(context or {})})
