"""One sanitiser for everything people write that the portal shows back as HTML.

Resource bodies, discussion posts and any other rich text pass through `clean_html` (or
`markdown_to_html`, which renders Markdown and then cleans the result) before they are stored
or shown. Links are kept; scripts, event handlers, styles, frames, forms and images are not, so
no page can run someone else's code or load a picture from another site (which would tell that
site who is reading).
"""

from __future__ import annotations

import html

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "b", "i", "u", "s", "mark", "small", "sub", "sup",
        "ul", "ol", "li", "dl", "dt", "dd",
        "h2", "h3", "h4",
        "blockquote", "q", "cite", "code", "pre", "hr", "abbr",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        "a",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def clean_html(value: str) -> str:
    """The HTML with only the tags, attributes and link schemes listed above.

    Links get ``rel="noopener noreferrer nofollow"``; ``javascript:`` and ``data:`` links lose
    their ``href``; the contents of ``<script>`` and ``<style>`` go with them.
    """
    return nh3.clean(
        value or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def markdown_to_html(text: str, *, first_heading: int = 2) -> str:
    """Markdown rendered to HTML, then cleaned: raw HTML inside the Markdown is cleaned too.

    A top-level ``# heading`` would compete with the page's own title, so headings start at
    ``first_heading`` (``#`` becomes ``<h2>`` by default; ``<h3>`` where the text sits under a
    heading of the page's own), and none goes deeper than ``<h4>``.
    """
    rendered = markdown_lib.markdown(
        text or "",
        extensions=["sane_lists", "tables"],
        output_format="html",
    )
    shift = first_heading - 1
    # Deepest first, so a heading already moved down is not moved again.
    for level in (4, 3, 2, 1):
        moved = min(level + shift, 4)
        rendered = rendered.replace(f"<h{level}>", f"<h{moved}>").replace(f"</h{level}>", f"</h{moved}>")
    return clean_html(rendered)


def plain_text(value: str) -> str:
    """The words of some HTML without any tags, for search, reading-age figures and emails."""
    return html.unescape(nh3.clean(value or "", tags=set(), strip_comments=True)).strip()
