"""Fixtures for the tests that drive the portal in a real Chromium.

One browser for all the browser tests, a fresh context (cookies, storage, history) per
test, and Django's live server with the group profile filled in so the footer and
home page show real content. Outside addresses (the quick-exit destination, a
neutral start page) are answered by Playwright's routing, since there is no network.
"""

from __future__ import annotations

import os
import re

import pytest
from django.conf import settings
from django.test import Client

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

# Any address that is not the live server.
OUTSIDE = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/])")
QUICK_EXIT_URL = "https://neutral.example/weather"
START_URL = "https://start.example/"


# Every page is checked at both widths.
WIDTHS = [pytest.param(DESKTOP, id="desktop-1280px"), pytest.param(NARROW, id="phone-320px")]


def log_in(context, portal: str, user) -> None:
    """Logs the browser in as `user`, with a session made by Django's test client."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": portal}])


def neutral_page(title: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body><h1>{title}</h1></body></html>'


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the browser tests.

    While Playwright's sync API is running there is an event loop running in this thread, and
    Django refuses database access from the test body ("You cannot call this from an async
    context") unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set only while the browser is up:
    package scope stops Playwright after the last browser test, so later tests keep Django's
    guard and subprocesses (``check --deploy``) do not inherit the variable.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def viewport():
    """Overridden by tests parametrized on width."""
    return DESKTOP


@pytest.fixture
def context(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(5_000)
    # Nothing may leave the machine: the two outside sites the tests visit get a small local
    # page, and any other outside request is refused. (Later routes take precedence.)
    context.route(OUTSIDE, lambda route: route.abort())
    context.route(
        "https://neutral.example/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=neutral_page("Weather")),
    )
    context.route(
        "https://start.example/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=neutral_page("Start")),
    )
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A fresh page; ``page.console_errors`` collects console errors and uncaught exceptions."""
    page = context.new_page()
    problems: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            problems.append(f"{message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.console_errors = problems
    return page


@pytest.fixture
def group_profile(transactional_db, django_db_serialized_rollback):
    """The group profile with every field the layout shows filled in.

    Serialized rollback puts back what the migrations created (the profile row, the default
    crisis signposts, the role groups) before each test, since the live server needs a
    transactional database, whose tables are emptied after each test.
    """
    from conftest import restore_migration_data
    from involvement.models import GroupProfile, Signpost

    # Serialized rollback cannot always restore these once Playwright's event loop runs in this
    # thread, so the rows migrations create are put back explicitly.
    restore_migration_data()
    profile = GroupProfile.load()
    profile.name = "Riverside Perinatal Involvement Group"
    profile.service_name = "Perinatal involvement"
    profile.about = "We are parents who have used perinatal mental health services.\n\nWe help the service improve."
    profile.meeting_pattern = "Every other month, on the second Tuesday, 10am to midday."
    profile.what_to_expect = "Children are welcome. We pay travel expenses."
    # A long address with no spaces: it must still wrap at 320px.
    profile.contact_email = "involvement.riverside-perinatal@example.nhs.uk"
    profile.contact_phone = "0300 123 4567"
    profile.contact_hours = "Monday to Friday, 9am to 5pm"
    profile.postal_address = "Riverside House\n1 River Street\nExampletown EX1 2AB"
    profile.quick_exit_url = QUICK_EXIT_URL
    profile.save()
    if not Signpost.objects.filter(kind=Signpost.Kind.CRISIS, is_active=True).exists():
        Signpost.objects.create(
            kind=Signpost.Kind.CRISIS,
            name="NHS 111",
            phone="111",
            description="Choose the mental health option, any time of day or night.",
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
    address with no dot in its domain, a password that is too short.
    """
    page.goto(f"{portal}/accounts/signup/")
    page.locator("input[name=name]").fill("123")
    page.locator("input[name=email]").fill("someone@example")
    page.locator("input[name=password1]").fill("short")
    page.locator("input[name=password2]").fill("different")
    with page.expect_navigation():
        page.locator("form:has(input[name=password2]) [type=submit]").first.click()
    page.wait_for_load_state("load")
