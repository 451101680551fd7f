"""The "Leave this page quickly" control: the first thing after the skip link for keyboard
users, it goes to the group's neutral website in place of the current page, so Back does not
return to the page it was pressed on. Pressing Shift three times does the same. It cannot remove
portal pages opened earlier from the history; the last tests show exactly that limit."""

from __future__ import annotations

import pytest

from .conftest import QUICK_EXIT_URL, START_URL

pytestmark = pytest.mark.browser

PAGES = [pytest.param("/", id="home"), pytest.param("/accounts/login/", id="log-in")]


def open_after_neutral_page(page, url: str) -> None:
    """Build a history like a real visitor's: some other site first, then the portal."""
    page.goto(START_URL)
    page.goto(url)
    assert page.locator("[data-quick-exit]").count() == 1, f"no quick-exit control on {url}"


def assert_left_without_trace(page, portal: str) -> None:
    page.wait_for_url(QUICK_EXIT_URL)
    assert page.title() == "Weather"
    page.go_back()
    assert page.url == START_URL, f"Back returned to {page.url}, not to the page before the portal"
    assert not page.url.startswith(portal)


@pytest.mark.parametrize("path", PAGES)
def test_quick_exit_is_the_first_tab_stop_after_the_skip_link(page, portal, path):
    page.goto(f"{portal}{path}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-skip-link')"), (
        "first Tab should reach the skip link, reached: " + page.evaluate("document.activeElement.outerHTML")
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-quick-exit')"), (
        "second Tab should reach 'Leave this page quickly', reached: "
        + page.evaluate("document.activeElement.outerHTML")
    )
    assert page.evaluate("document.activeElement.textContent.trim()") == "Leave this page quickly"


@pytest.mark.parametrize("path", PAGES)
def test_pressing_enter_on_quick_exit_leaves_and_back_does_not_return(page, portal, path):
    open_after_neutral_page(page, f"{portal}{path}")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-quick-exit')")
    page.keyboard.press("Enter")
    assert_left_without_trace(page, portal)


def test_pressing_shift_three_times_leaves_and_back_does_not_return(page, portal):
    open_after_neutral_page(page, f"{portal}/")
    for _ in range(3):
        page.keyboard.press("Shift")
    assert_left_without_trace(page, portal)


def test_quick_exit_goes_to_the_website_set_in_the_group_profile(page, portal, group_profile):
    page.goto(f"{portal}/")
    assert page.locator("[data-quick-exit]").get_attribute("href") == group_profile.quick_exit_url == QUICK_EXIT_URL


def test_typing_capital_letters_in_a_form_does_not_leave(page, portal):
    page.goto(f"{portal}/accounts/signup/")
    page.locator("input[name=name]").focus()
    for letter in "AMY":
        page.keyboard.press(f"Shift+{letter}")
    assert page.url == f"{portal}/accounts/signup/", "typing capital letters triggered the quick exit"
    assert not page.evaluate("document.body.classList.contains('portal-quick-exit--leaving')")
    assert page.locator("input[name=name]").input_value() == "AMY"


def test_quick_exit_replaces_the_page_it_was_pressed_on_but_not_earlier_portal_pages(page, portal):
    """The limit of what a web page can do: it can replace its own history entry, no other.

    History before: start site, portal home, portal log-in page. Leaving from the log-in page
    replaces that entry, so Back never shows the page the person was on; the home page,
    opened earlier, is still in the history, which is why the footer advises private browsing.
    """
    page.goto(START_URL)
    page.goto(f"{portal}/")
    page.goto(f"{portal}/accounts/login/")
    entries_before = page.evaluate("history.length")

    page.locator("[data-quick-exit]").click()
    page.wait_for_url(QUICK_EXIT_URL)

    assert page.evaluate("history.length") == entries_before, "leaving added a history entry instead of replacing one"
    page.go_back()
    assert page.url == f"{portal}/", f"Back went to {page.url}"
    assert "/accounts/login/" not in page.url
    page.go_back()
    assert page.url == START_URL


def test_the_footer_tells_people_what_quick_exit_cannot_hide(page, portal):
    page.goto(f"{portal}/")
    hint = page.locator("footer .portal-private-browsing")
    assert "private browsing" in hint.inner_text()
    assert "stay in your browser’s history" in hint.inner_text()
