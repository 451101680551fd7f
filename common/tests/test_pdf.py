"""Every PDF comes from one function: WeasyPrint, tagged, PDF/UA-1."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from common.pdf import render_pdf

TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def test_templates(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [TEMPLATES, *settings.TEMPLATES[0]["DIRS"]]}]


def test_render_pdf_renders_a_template_with_its_context(test_templates):
    content = render_pdf("pdf/common_test.html", {"title": "Summary of payments", "amount": "£3.20"})
    assert content.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Summary of payments" in text
    assert "£3.20" in text


def test_the_pdf_is_tagged_and_claims_pdf_ua(test_templates):
    content = render_pdf("pdf/common_test.html", {"title": "Summary", "amount": "£1.00"})
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    metadata = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in metadata  # PDF/UA's identification, in the XMP metadata
