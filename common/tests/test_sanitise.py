"""The one sanitiser keeps links and plain formatting and removes anything that could run code."""

import pytest

from common.sanitise import clean_html, markdown_to_html, plain_text

HOSTILE = [
    ("<script>alert(1)</script><p>Hello</p>", "<script", "alert(1)"),
    ('<p onclick="steal()">Hello</p>', "onclick", "steal"),
    ('<a href="javascript:alert(1)">Click</a>', "javascript:", None),
    ('<a href="JaVaScRiPt:alert(1)">Click</a>', "avascript", None),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">Click</a>', "data:", None),
    ('<img src="https://tracker.example/pixel.png" alt="">', "<img", "tracker.example"),
    ('<svg onload="x()"><circle/></svg>', "<svg", "onload"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe", "evil.example"),
    ('<p style="background:url(https://evil.example)">Hi</p>', "style", "evil.example"),
    ('<form action="https://evil.example"><input name=x></form>', "<form", "<input"),
]


@pytest.mark.parametrize(("hostile", "gone", "also_gone"), HOSTILE)
def test_hostile_html_is_cleaned(hostile, gone, also_gone):
    cleaned = clean_html(hostile)

    assert gone not in cleaned.lower()
    if also_gone:
        assert also_gone not in cleaned


@pytest.mark.parametrize(("hostile", "gone", "also_gone"), HOSTILE)
def test_hostile_html_inside_markdown_is_cleaned(hostile, gone, also_gone):
    cleaned = markdown_to_html(f"Some words.\n\n{hostile}\n\n[a link](javascript:alert(1))")

    assert gone not in cleaned.lower()
    assert "javascript:" not in cleaned.lower()


def test_links_and_formatting_are_kept_and_links_do_not_pass_on_the_page():
    cleaned = markdown_to_html("**Call** [the team](https://www.nhs.uk/mental-health/) or [email](mailto:a@b.example)")

    assert "<strong>Call</strong>" in cleaned
    assert '<a href="https://www.nhs.uk/mental-health/" rel="noopener noreferrer nofollow">the team</a>' in cleaned
    assert 'href="mailto:a@b.example"' in cleaned


def test_markdown_headings_start_below_the_page_title():
    cleaned = markdown_to_html("# What this is\n\n## Where to get help")

    assert "<h1>" not in cleaned
    assert "<h2>What this is</h2>" in cleaned
    assert "<h3>Where to get help</h3>" in cleaned


def test_plain_text_drops_tags_and_reads_entities():
    assert plain_text("<p>Tea &amp; cake</p><script>x()</script>") == "Tea & cake"


def test_text_under_a_heading_of_the_page_starts_its_headings_lower_and_none_deeper_than_h4():
    cleaned = markdown_to_html("# One\n\n## Two\n\n### Three", first_heading=3)

    assert "<h3>One</h3>" in cleaned
    assert "<h4>Two</h4>" in cleaned
    assert "<h4>Three</h4>" in cleaned
    assert "<h2>" not in cleaned
