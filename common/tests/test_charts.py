"""The bar chart module: horizontal bars in SVG with a title, a description that says every
figure, role="img" named by both, percentages, escaped text, nothing a PDF or a page would run or
fetch, NHS colours, and suppression when asked."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from common.charts import BAR_COLOUR, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _chart(**kwargs):
    defaults = {"chart_id": "chart-1", "title": "How was your experience?", "rows": [("Good", 6), ("Poor", 2)]}
    return bar_chart(**{**defaults, **kwargs})


def test_the_svg_is_an_image_named_by_its_title_and_description():
    chart = _chart()
    root = ET.fromstring(str(chart.svg))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-1-title chart-1-desc"
    assert root.find(f"{SVG}title").get("id") == "chart-1-title"
    assert root.find(f"{SVG}title").text == "How was your experience?"
    description = root.find(f"{SVG}desc")
    assert description.get("id") == "chart-1-desc"
    assert "Good: 6 (75%)" in description.text and "Poor: 2 (25%)" in description.text


def test_bars_are_horizontal_and_as_long_as_their_share_of_the_largest():
    root = ET.fromstring(str(_chart(rows=[("A", 10), ("B", 5), ("C", 0)]).svg))
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 2  # no bar for zero
    widths = [float(bar.get("width")) for bar in bars]
    assert widths[0] == 2 * widths[1]
    assert all(float(bar.get("height")) < widths[0] for bar in bars)
    assert {bar.get("fill") for bar in bars} == {BAR_COLOUR}


def test_percentages_are_of_the_total_given():
    chart = _chart(rows=[("Home visits", 3), ("Groups", 2)], total=4)
    assert [(bar.shown, bar.percent_shown) for bar in chart.bars] == [("3", "75%"), ("2", "50%")]
    assert chart.total_shown == "4"


def test_text_is_escaped_and_nothing_runs_or_loads():
    chart = _chart(title="<script>alert(1)</script>", rows=[('"><img src=x onerror=alert(1)>', 5)])
    svg = str(chart.svg)
    assert "<script" not in svg and "<img" not in svg
    for element in ET.fromstring(svg).iter():
        assert not [name for name in element.attrib if name.lower().startswith("on")]
    assert "href" not in svg and "url(" not in svg and "@import" not in svg and "<style" not in svg
    assert "style=" not in svg  # the Content Security Policy blocks inline styles on pages
    ET.fromstring(svg)  # still well-formed XML


def test_long_labels_wrap_onto_lines_above_their_bar():
    label = "Neither agree nor disagree with the way the team explained what would happen next"
    root = ET.fromstring(str(_chart(rows=[(label, 4)]).svg))
    texts = [t.text for t in root.findall(f"{SVG}text")]
    assert len([t for t in texts if t and t in label]) >= 2


def test_small_counts_are_suppressed_when_asked():
    chart = _chart(rows=[("Good", 20), ("Poor", 3), ("Very poor", 9)], suppress_small=True)
    assert [(bar.shown, bar.percent_shown) for bar in chart.bars] == [
        ("20", "63%"),
        ("fewer than 5", ""),
        ("fewer than 5", ""),
    ]
    assert "Poor: fewer than 5. Very poor: fewer than 5." in chart.description
    root = ET.fromstring(str(chart.svg))
    assert len(root.findall(f"{SVG}rect")) == 1


def test_counts_that_are_not_parts_of_a_whole_have_no_total_or_percentages():
    chart = _chart(rows=[("31 May 2025", 18), ("30 June 2025", 15)], percentages=False)
    assert [(bar.shown, bar.percent_shown) for bar in chart.bars] == [("18", ""), ("15", "")]
    assert chart.total_shown == ""
    assert "Out of" not in chart.description
    assert "31 May 2025: 18. 30 June 2025: 15." in chart.description
    texts = [t.text for t in ET.fromstring(str(chart.svg)).findall(f"{SVG}text")]
    assert "18" in texts and not any("%" in (text or "") for text in texts)


def test_suppression_is_refused_for_counts_that_are_not_parts_of_a_whole():
    with pytest.raises(ValueError, match="parts of a whole"):
        _chart(rows=[("31 May 2025", 3)], percentages=False, suppress_small=True)


def test_the_include_draws_the_chart_and_its_table(rf):
    from django.template.loader import render_to_string

    html = render_to_string("includes/bar_chart.html", {"chart": _chart()})
    assert 'role="img"' in html
    assert '<th scope="col"' in html
    assert re.search(r"<td[^>]*>Good</td>\s*<td[^>]*>6</td>\s*<td[^>]*>75%</td>", html)


def test_the_chart_and_its_table_render_in_a_pdf(settings):
    """WeasyPrint draws the SVG and the table (the reports put charts in PDFs)."""
    import io
    from pathlib import Path

    from pypdf import PdfReader

    from common.pdf import render_pdf

    templates = Path(__file__).parent / "templates"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}]
    content = render_pdf("pdf/chart_test.html", {"chart": _chart(rows=[("Very good", 12), ("Poor", 3)])})
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Very good" in text and "12 (80%)" in text  # drawn in the SVG
    assert "Percent" in text and "80%" in text  # and in the table
