"""The reading age of a resource's words, and the group's target for it.

**How it is worked out.** The UK reading age is the Flesch-Kincaid grade level plus 5 (US school
grade 1 is the year children turn 6 and 7). The grade comes from ``textstat`` 0.7.8, which counts
syllables with the CMU pronouncing dictionary that ships inside the package, so it works on a
server with no internet (later versions download their dictionary through nltk at run time). The
text is the body as readers see it: the Markdown rendered and sanitised, then stripped of tags
(``common.sanitise.plain_text``), with the summary in front. Under 30 words there is not enough
text for a fair figure, so there is none. See docs/decisions/0011-library-versions-and-credits.md.

**Targets** come from the group profile: ``reading_age_target`` (default 9, the NHS's aim), and
``easy_read_reading_age_target`` (default 7) for Easy Read resources.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from common.group import group_profile
from common.sanitise import markdown_to_html, plain_text

from .models import Format

# Fewer words than this give a figure that swings wildly with one long word.
MIN_WORDS = 30
UK_OFFSET = 5


def reading_age_of_text(text: str) -> Decimal | None:
    """The UK reading age (Flesch-Kincaid grade + 5, to one decimal place) of plain text, or None
    when there are too few words to judge. Never below 5."""
    import textstat

    if len(text.split()) < MIN_WORDS:
        return None
    grade = Decimal(str(textstat.flesch_kincaid_grade(text)))
    age = max(grade + UK_OFFSET, Decimal(UK_OFFSET))
    return age.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def reading_age_of_resource(*, summary: str, body: str) -> Decimal | None:
    """The reading age of what a reader reads: the summary, then the body as rendered."""
    text = "\n\n".join(part for part in (plain_text(summary), plain_text(markdown_to_html(body))) if part)
    return reading_age_of_text(text)


def target_for(format_: str) -> int:
    """The group's reading-age target for a resource in this format."""
    profile = group_profile()
    if format_ == Format.EASY_READ:
        return int(profile.easy_read_reading_age_target)
    return int(profile.reading_age_target)


def is_above_target(age: Decimal | None, format_: str) -> bool:
    return age is not None and age > target_for(format_)
