"""Bar charts drawn on the server as SVG, for web pages and for WeasyPrint PDFs alike.

`bar_chart` turns labelled counts into a `BarChart`: horizontal bars (long labels sit on their
own lines above each bar, so nothing is squeezed on a phone), each with its count and
percentage, and the same figures as rows for the data table beside it
(``templates/includes/bar_chart.html``). The SVG has ``role="img"``, a ``<title>`` and a
``<desc>`` that says every figure in words, and ``aria-labelledby`` naming both.

What keeps it safe everywhere: no script, no external font or image, only presentation
attributes (no ``<style>`` element and no ``style`` attribute, which the site's Content Security
Policy would block; no classes a PDF would not know), every text escaped, and
colours from the NHS.UK palette that pass WCAG contrast on white (NHS blue bars, NHS black
text). With ``suppress_small=True`` counts under 5 are shown as "fewer than 5", with the
secondary suppression of `common.suppression`, and their bars are not drawn.

Pure Python, no app imports: the reports reuse it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .suppression import suppress

# NHS.UK colour palette: blue bars (6.7:1 on white), black text (15:1).
BAR_COLOUR = "#005eb8"
TEXT_COLOUR = "#212b32"
RULE_COLOUR = "#768692"  # NHS mid grey for the baseline (3.5:1, a non-text element)
FONT = "Arial, Helvetica, sans-serif"
FONT_SIZE = 18  # about 14px at 320px wide

# Drawing units (the SVG scales to its container; 400 wide keeps text readable at 320px).
WIDTH = 400
LEFT = 4
BAR_MAX = 250
BAR_HEIGHT = 22
LINE = 22
GAP = 14
LABEL_CHARACTERS = 40


@dataclass(frozen=True)
class Bar:
    label: str
    count: int | None  # None when suppressed
    shown: str  # "12" or "fewer than 5"
    percent: float | None
    percent_shown: str  # "40%" or "" (not shown when suppressed or with no total)

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    bars: list[Bar]
    total_shown: str
    svg: SafeString
    label_heading: str = "Answer"
    count_heading: str = "Number"


def _percent(count: int, total: int) -> float | None:
    return round(100 * count / total, 1) if total else None


def _percent_text(percent: float | None) -> str:
    """Whole numbers from 10% up, one decimal place below (so 0.4% is not shown as 0%); halves
    round up, as people expect (62.5% is 63%)."""
    if percent is None:
        return ""
    places = Decimal("1") if percent == int(percent) or percent >= 10 else Decimal("0.1")
    return f"{Decimal(str(percent)).quantize(places, rounding=ROUND_HALF_UP)}%"


def _bars(rows, total: int, suppress_small: bool, cells_add_up: bool) -> tuple[list[Bar], str]:
    counts = [int(count) for _, count in rows]
    if suppress_small:
        result = suppress(counts, total=total, cells_add_up=cells_add_up)
        bars = []
        for (label, _), cell in zip(rows, result.cells, strict=True):
            percent = None if cell.suppressed or result.total.suppressed else _percent(cell.value, total)
            bars.append(Bar(str(label), cell.value, cell.shown, percent, _percent_text(percent)))
        return bars, result.total.shown
    bars = []
    for label, count in rows:
        percent = _percent(int(count), total)
        bars.append(Bar(str(label), int(count), str(int(count)), percent, _percent_text(percent)))
    return bars, str(total)


def _value_text(bar: Bar) -> str:
    return f"{bar.shown} ({bar.percent_shown})" if bar.percent_shown else bar.shown


def describe(title: str, bars: Sequence[Bar], total_shown: str, unit: str) -> str:
    """The chart in words: every bar's figure, for the SVG's ``<desc>`` and screen readers.
    With no ``total_shown`` (counts that are not parts of a whole) it says no "out of"."""
    parts = [f"{bar.label}: {_value_text(bar)}" for bar in bars]
    out_of = f"Out of {total_shown} {unit}. " if total_shown else ""
    return f"{title}. {out_of}" + ". ".join(parts) + "."


def _svg(chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> SafeString:
    largest = max((bar.count or 0 for bar in bars), default=0)
    y = GAP
    parts: list[str] = []
    for bar in bars:
        lines = textwrap.wrap(bar.label, LABEL_CHARACTERS) or [""]
        for line in lines:
            y += LINE
            parts.append(
                f'<text x="{LEFT}" y="{y - 4}" font-family="{FONT}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">'
                f"{escape(line)}</text>"
            )
        length = 0 if not bar.count or not largest else max(2, round(BAR_MAX * bar.count / largest))
        if length:
            parts.append(f'<rect x="{LEFT}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"></rect>')
        parts.append(
            f'<text x="{LEFT + length + 6}" y="{y + BAR_HEIGHT - 6}" font-family="{FONT}" font-size="{FONT_SIZE}" '
            f'font-weight="bold" fill="{TEXT_COLOUR}">{escape(_value_text(bar))}</text>'
        )
        y += BAR_HEIGHT + GAP
    height = y
    parts.append(
        f'<line x1="{LEFT}" y1="{GAP}" x2="{LEFT}" y2="{height - GAP}" stroke="{RULE_COLOUR}" stroke-width="1"></line>'
    )
    return mark_safe(  # noqa: S308 - every text above is escaped; the rest is numbers we made
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )


def bar_chart(
    *,
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, int]],
    total: int | None = None,
    suppress_small: bool = False,
    cells_add_up: bool = True,
    unit: str = "people",
    label_heading: str = "Answer",
    count_heading: str = "Number",
    percentages: bool = True,
) -> BarChart:
    """A horizontal bar chart of ``rows`` (label, count), with percentages of ``total`` (the
    sum of the counts unless given: give it when people may be in several rows).

    ``chart_id`` must be unique on the page (it names the title and description). With
    ``suppress_small`` small counts are hidden as `common.suppression` says. With
    ``percentages=False`` (counts that are not parts of one whole, such as members at the end
    of each month) there is no total and no percentages, and nothing is suppressed.
    """
    if suppress_small and not percentages:
        raise ValueError("Suppression works on parts of a whole: it needs percentages=True.")
    rows = [(str(label), int(count)) for label, count in rows]
    if not percentages:
        bars, total_shown = [Bar(label, count, str(count), None, "") for label, count in rows], ""
    else:
        if total is None:
            total = sum(count for _, count in rows)
        bars, total_shown = _bars(rows, total, suppress_small, cells_add_up)
    description = describe(title, bars, total_shown, unit)
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        bars=bars,
        total_shown=total_shown,
        svg=_svg(chart_id, title, description, bars),
        label_heading=label_heading,
        count_heading=count_heading,
    )
