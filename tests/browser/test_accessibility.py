"""Accessibility in a real browser: axe-core finds nothing to fix (WCAG 2.2 A and AA) on the
public pages and on a form showing errors, at desktop width and on a 320px-wide phone, and
nothing scrolls sideways at 320px."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import NARROW, WIDTHS, open_signup_with_errors

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


_axe = Axe()


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}    {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("        " + node["failureSummary"].replace("\n", "\n        "))
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    page.wait_for_load_state("load")
    violations = _axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, (
        f"axe-core found {len(violations)} accessibility problem(s) on {page.url}:\n" + describe_violations(violations)
    )


def assert_no_sideways_scrolling(page, viewport) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > viewport["width"]:
        too_wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > limit + 0.5)
                .slice(0, 10)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                     + (typeof el.className === 'string' && el.className.trim()
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                     + ' right=' + Math.round(el.getBoundingClientRect().right))""",
            viewport["width"],
        )
        pytest.fail(
            f"{page.url} scrolls sideways at {viewport['width']}px (scrollWidth {width}px). "
            f"Elements past the edge: {too_wide}"
        )


def assert_portal_styles_loaded(page) -> None:
    """The page uses the portal layout and its stylesheets really applied (a 404 or a CSP block
    would leave the page unstyled, and axe would be checking the wrong colours)."""
    colours = page.evaluate(
        """() => Object.fromEntries(['.nhsuk-header', '[data-quick-exit]'].map(selector => {
            const element = document.querySelector(selector)
            return [selector, element && getComputedStyle(element).backgroundColor]
        }))"""
    )
    assert colours[".nhsuk-header"] == "rgb(0, 94, 184)", (
        f"{page.url}: NHS.UK header missing or nhsuk-frontend CSS not applied ({colours})"
    )
    assert colours["[data-quick-exit]"] == "rgb(213, 40, 27)", (
        f"{page.url}: quick-exit control missing or portal.css not applied ({colours})"
    )


def check_page(page, viewport) -> None:
    # The NHS.UK Frutiger font is licensed and served only from assets.nhs.uk, so nhsuk-frontend's
    # CSS asks for it there; whether the CSP allows that is a settings decision, and the page
    # falls back to Arial either way. Every other console error (a blocked script, a 404) counts.
    assert_portal_styles_loaded(page)
    assert_no_axe_violations(page)
    if viewport["width"] <= NARROW["width"]:
        assert_no_sideways_scrolling(page, viewport)
    errors = [error for error in page.console_errors if "assets.nhs.uk/fonts/" not in error]
    assert not errors, f"browser console errors on {page.url}: {errors}"


@pytest.mark.parametrize("viewport", WIDTHS)
def test_home_page_has_no_accessibility_violations(page, portal, viewport):
    page.goto(f"{portal}/")
    check_page(page, viewport)


@pytest.mark.parametrize("viewport", WIDTHS)
def test_login_page_has_no_accessibility_violations(page, portal, viewport):
    page.goto(f"{portal}/accounts/login/")
    check_page(page, viewport)


@pytest.mark.parametrize("viewport", WIDTHS)
def test_signup_page_has_no_accessibility_violations(page, portal, viewport):
    page.goto(f"{portal}/accounts/signup/")
    check_page(page, viewport)


# The account pages allauth answers that anyone can reach (in the portal's words: see
# members/tests/test_allauth_wording.py), including a confirmation link and a password link
# that no longer work.
ACCOUNT_PAGES = [
    "/accounts/confirm-email/",
    "/accounts/confirm-email/not-a-key/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/zz-not-a-token/",
    "/accounts/password/reset/key/done/",
    "/accounts/inactive/",
]


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_account_pages_anyone_can_reach_have_no_accessibility_violations(page, portal, viewport):
    for path in ACCOUNT_PAGES:
        page.goto(f"{portal}{path}")
        check_page(page, viewport)


@pytest.mark.parametrize("viewport", WIDTHS)
def test_form_with_errors_has_no_accessibility_violations(page, portal, viewport):
    open_signup_with_errors(page, portal)
    assert page.locator(".nhsuk-error-summary").count() == 1, "the sign-up form did not come back with an error summary"
    check_page(page, viewport)
