"""The error summary on a form that came back with errors: it takes focus when the page
loads, the page title says "Error: ", and each of its links takes focus to its field,
whether clicked or followed with the keyboard."""

from __future__ import annotations

import pytest

from .conftest import open_signup_with_errors

pytestmark = pytest.mark.browser

ACTIVE_ID = "document.activeElement && document.activeElement.id"


def error_links(page) -> list[tuple[str, str]]:
    """(link text, target id) for each link in the error summary."""
    links = page.locator(".nhsuk-error-summary a")
    found = []
    for index in range(links.count()):
        link = links.nth(index)
        href = link.get_attribute("href") or ""
        assert href.startswith("#") and len(href) > 1, f"error summary link {link.inner_text()!r} has href {href!r}"
        found.append((link.inner_text().strip(), href[1:]))
    assert len(found) >= 2, f"expected an error summary link for each bad field, found {found}"
    return found


def test_error_summary_is_focused_when_the_page_loads(page, portal):
    open_signup_with_errors(page, portal)
    summary = page.locator(".nhsuk-error-summary")
    assert summary.count() == 1
    # nhsuk-frontend focuses the summary from its module script, which runs before "load".
    page.wait_for_function("document.activeElement === document.querySelector('.nhsuk-error-summary')")
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    assert "There is a problem" in summary.inner_text()


def test_page_title_starts_with_error_when_the_form_has_errors(page, portal):
    open_signup_with_errors(page, portal)
    assert page.title().startswith("Error: "), page.title()


def test_clicking_an_error_summary_link_moves_focus_to_its_field(page, portal):
    open_signup_with_errors(page, portal)
    for text, target_id in error_links(page):
        assert page.locator(f"#{target_id}").count() == 1, f"{text!r} links to #{target_id}, which is not on the page"
        page.locator(f".nhsuk-error-summary a[href='#{target_id}']").first.click()
        assert page.evaluate(ACTIVE_ID) == target_id, f"clicking {text!r} left focus on {page.evaluate(ACTIVE_ID)!r}"


def test_pressing_enter_on_an_error_summary_link_moves_focus_to_its_field(page, portal):
    open_signup_with_errors(page, portal)
    for text, target_id in error_links(page):
        page.locator(f".nhsuk-error-summary a[href='#{target_id}']").first.focus()
        page.keyboard.press("Enter")
        assert page.evaluate(ACTIVE_ID) == target_id, f"Enter on {text!r} left focus on {page.evaluate(ACTIVE_ID)!r}"
