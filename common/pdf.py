"""PDFs for the whole project: WeasyPrint behind one function.

Every PDF is tagged and made to PDF/UA-1, so screen readers can read it (headings, tables and
reading order come from the template's HTML). Templates live under ``templates/pdf/``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Renders a Django template to a tagged, accessible PDF (PDF/UA-1) and returns its bytes."""
    # Imported here: WeasyPrint loads Pango and fonts, which most requests never need.
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
