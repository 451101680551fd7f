"""Fixtures for the tests that drive the portal in a real Chromium.

One browser for the whole session, a fresh context (cookies, storage, history) per
test, and Django's live server with the group profile filled in so the footer and
home page show real content. Outside addresses (the quick-exit destination, a
neutral start page) are answered by Playwright's routing, since there is no network.
"""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse database access from the test body ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}

QUICK_EXIT_URL = "https://neutral.example/weather"
START_URL = "https://start.example/"


def neutral_page(title: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body><h1>{title}</h1></body></html>'


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def viewport():
    """Overridden by tests parametrized on width."""
    return DESKTOP


@pytest.fixture
def context(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(5_000)
    # Nothing may leave the machine: outside hosts get a small local page, the rest is refused.
    context.route("https://neutral.example/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=neutral_page("Weather")))
    context.route("https://start.example/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=neutral_page("Start")))
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.console_errors = problems
    return page


@pytest.fixture
def group_profile(transactional_db):
    from involvement.models import GroupProfile, Signpost

    profile = GroupProfile.load()
    profile.name = "Riverside Perinatal Involvement Group"
    profile.service_name = "Perinatal involvement"
    profile.about = "We are parents who have used perinatal mental health services.\n\nWe help the service improve."
    profile.meeting_pattern = "Every other month, on the second Tuesday, 10am to 12 noon."
    profile.contact_email = "involvement.riverside-perinatal@example.nhs.uk"
    profile.contact_phone = "0300 123 4567"
    profile.contact_hours = "Monday to Friday, 9am to 5pm"
    profile.postal_address = "Riverside House\n1 River Street\nExampletown EX1 2AB"
    profile.quick_exit_url = QUICK_EXIT_URL
    profile.save()
    Signpost.objects.create(
        kind=Signpost.Kind.CRISIS,
        name="NHS 111",
        phone="111",
        description="Choose the mental health option, any time of day or night.",
        order=1,
    )
    Signpost.objects.create(
        kind=Signpost.Kind.CRISIS,
        name="Shout",
        text_message="Text SHOUT to 85258",
        order=2,
    )
    return profile


@pytest.fixture
def portal(live_server, group_profile):
    """The live server's base URL, with the group profile set up."""
    return live_server.url


def open_signup_with_errors(page, portal: str) -> None:
    """Submit the sign-up form so it comes back from the server with several errors.

    The values pass the browser's own checks (``type=email``, ``required``) whether or not
    the form has ``novalidate``, and fail Django's: a name with no letters, an email
    address with no dot in its domain, passwords that do not match.
    """
    page.goto(f"{portal}/accounts/signup/")
    page.locator("input[name=name]").fill("123")
    page.locator("input[name=email]").fill("someone@example")
    page.locator("input[name=password1]").fill("short")
    page.locator("input[name=password2]").fill("different")
    with page.expect_navigation():
        page.locator("form:has(input[name=password2]) [type=submit]").first.click()
    page.wait_for_load_state("load")
