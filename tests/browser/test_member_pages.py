"""A member's own pages in a real Chromium: axe-core finds nothing to fix (WCAG 2.2 A and AA)
at 320px and 1280px on every page of joining, the profile, consents, review, breaks, leaving
and the data page; nothing scrolls sideways on a phone; and the whole of joining can be done
with the keyboard alone (Tab, Space and Enter), from the dashboard to the end.

Kept quick: one test per width walks every page in one tab, logged in by a session cookie.
"""

from __future__ import annotations

import importlib

import pytest
from django.utils import timezone

from .conftest import WIDTHS, log_in
from .test_accessibility import check_page

pytestmark = pytest.mark.browser

ALL_CONSENTS = {
    "keep_details": True,
    "contact": True,
    "anonymised_words": True,
    "photos": False,
    "respect_agreement": True,
}


def ensure_first_consent_texts() -> None:
    """The consent texts a migration creates, put back if a browser test before this one
    emptied the tables. (Serialized rollback does not restore them here: once Playwright's
    event loop runs in this thread, Django's connection is a fresh object without the
    serialized copy of the database, so migration data is gone after the first live-server test.)
    """
    from django.apps import apps

    from members.models import ConsentText

    if not ConsentText.objects.exists():
        migration = importlib.import_module("members.migrations.0004_first_consent_texts_and_courses")
        migration.create(apps, None)


@pytest.fixture
def new_member(group_profile):
    """Someone who has just created an account and confirmed their email: nothing filled in."""
    from members.services import get_or_create_member
    from members.tests.factories import UserFactory

    ensure_first_consent_texts()
    # A long name with no spaces must still wrap at 320px.
    user = UserFactory(email="amira.khan-perinatal-group@example.org", name="Amira Khan-Abdullahi-Richardson")
    return get_or_create_member(user)


def visit(page, portal: str, path: str, viewport) -> None:
    response = page.goto(f"{portal}{path}")
    assert response.status == 200, f"{path} answered {response.status}"
    assert page.url == f"{portal}{path}", f"{path} went to {page.url}"
    check_page(page, viewport)


@pytest.mark.parametrize("viewport", WIDTHS)
def test_member_pages_have_no_accessibility_violations(page, context, portal, new_member, viewport):
    from members.models import Member
    from members.services import (
        new_consent_version,
        publish_consent_text,
        record_consents,
        save_equality_answers,
    )

    visit(page, portal, "/join/", viewport)
    visit(page, portal, "/data-erased/", viewport)
    log_in(context, portal, new_member.user)
    visit(page, portal, "/my/", viewport)

    # The contact step, and again showing errors by its fields.
    visit(page, portal, "/my/join/contact/", viewport)
    page.locator("input[name=channels][value=sms]").check()
    page.locator("input[name=channels][value=post]").check()
    page.locator("input[name=phone]").fill("12345")
    with page.expect_navigation():
        page.locator("main button[type=submit]").first.click()
    assert page.locator(".nhsuk-error-summary").count() == 1
    check_page(page, viewport)

    # Every step can be opened once the member has reached the last one.
    Member.objects.filter(pk=new_member.pk).update(
        onboarding_step=5, contact_by_email=True, contact_frequency="monthly"
    )
    # Every consent question (they share a template, but each text is its own).
    for purpose in ("keep_details", "contact", "anonymised_words", "photos"):
        visit(page, portal, f"/my/join/consent/{purpose}/", viewport)
    visit(page, portal, "/my/consents/keeping-your-details/", viewport)
    for step in ("respect", "access", "about", "equality"):
        visit(page, portal, f"/my/join/{step}/", viewport)
    # Conditional questions, once revealed, are checked too.
    page.goto(f"{portal}/my/join/about/")
    page.locator("input[name=relationship][value=other]").check()
    page.locator("input[name=topics][value=other]").check()
    page.locator("input[name=heard_about][value=other]").check()
    assert page.locator("#id_relationship_other").is_visible()
    check_page(page, viewport)

    # A member who has finished joining.
    Member.objects.filter(pk=new_member.pk).update(
        onboarding_step=6,
        onboarding_completed_at=timezone.now(),
        status=Member.Status.ACTIVE,
        phone="07700900982",
        contact_by_sms=True,
        needs_interpreter=True,
        interpreter_language="Polish",
        relationship="birthing_person",
        topics=["birth_trauma", "anxiety"],
    )
    record_consents(member=new_member, decisions=ALL_CONSENTS)
    save_equality_answers(member=new_member, answers={"age_band": "30_34", "religion": "prefer_not"})
    for path in (
        "/my/join/done/",
        "/my/profile/",
        "/my/profile/change/name/",
        "/my/profile/change/contact/",
        "/my/profile/change/access/",
        "/my/profile/change/about/",
        "/my/profile/change/equality/",
        "/expenses/preference/?next=/my/profile/",
        "/my/consents/",
        "/my/break/",
        "/my/leave/",
        "/my/leave/erase/",
        "/my/data/",
    ):
        visit(page, portal, path, viewport)

    # The consents page after withdrawing one, with its "taken effect" message.
    page.goto(f"{portal}/my/consents/")
    with page.expect_navigation():
        page.locator("form[action$='/my/consents/anonymised_words/'] button[type=submit]").click()
    assert page.url == f"{portal}/my/consents/"
    assert page.get_by_text("This has taken effect straight away").count() == 1
    check_page(page, viewport)
    # The data page with the withdrawal in its history, and a meeting registration in it.
    from meetings.tests.factories import MeetingFactory, RegistrationFactory

    RegistrationFactory(member=new_member, meeting=MeetingFactory(past=True), attended=True, with_needs=True)
    visit(page, portal, "/my/data/", viewport)
    assert page.get_by_role("heading", name="Meetings you signed up for").count() == 1

    # The account pages allauth draws in the portal layout: email addresses (its own radios),
    # changing the password, two-step security, and entering the password again before a change.
    for path in ("/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/accounts/reauthenticate/"):
        visit(page, portal, path, viewport)

    # On a break, and the review asked for after a new version is published.
    Member.objects.filter(pk=new_member.pk).update(status=Member.Status.PAUSED)
    visit(page, portal, "/my/", viewport)
    visit(page, portal, "/my/break/", viewport)
    for purpose in ("photos", "contact"):
        publish_consent_text(
            text=new_consent_version(
                purpose=purpose,
                title=f"New wording about {purpose}",
                summary="We have changed a few words.",
                body="What is new.\n\nWhat stays the same.",
            )
        )
    page.goto(f"{portal}/my/profile/")
    assert page.url.startswith(f"{portal}/my/consents/review/"), page.url
    check_page(page, viewport)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert page.locator(".nhsuk-error-summary").count() == 1
    check_page(page, viewport)


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Presses Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    focused = page.evaluate("document.activeElement && document.activeElement.outerHTML")
    pytest.fail(f"Tab never reached {selector} on {page.url} (stopped at {focused})")


def press_and_wait(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


SUBMIT = "main form button[type=submit]:not([name])"


def test_joining_can_be_done_with_the_keyboard_alone(page, context, portal, new_member):
    from members.consent import current_consents
    from members.models import Member

    log_in(context, portal, new_member.user)
    page.goto(f"{portal}/my/")

    tab_to(page, "main a.nhsuk-button")
    press_and_wait(page, "Enter")
    assert page.url == f"{portal}/my/join/contact/"

    # 1. How we contact you: email, about once a month.
    tab_to(page, "input[name=channels][value=email]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=contact_frequency]")
    page.keyboard.press("Space")
    tab_to(page, SUBMIT)
    press_and_wait(page, "Enter")

    # 2. Consent, one purpose at a time ("Yes" is the first choice).
    for purpose in ("keep_details", "contact", "anonymised_words", "photos"):
        assert page.url == f"{portal}/my/join/consent/{purpose}/"
        tab_to(page, "input[name=given]")
        page.keyboard.press("Space")
        tab_to(page, SUBMIT)
        press_and_wait(page, "Enter")

    # 3. The respect agreement.
    assert page.url == f"{portal}/my/join/respect/"
    tab_to(page, SUBMIT)
    press_and_wait(page, "Enter")

    # 4. Help to take part: large print.
    assert page.url == f"{portal}/my/join/access/"
    tab_to(page, "input[name=needs][value=needs_large_print]")
    page.keyboard.press("Space")
    tab_to(page, SUBMIT)
    press_and_wait(page, "Enter")

    # 5. About you: skipped.
    assert page.url == f"{portal}/my/join/about/"
    tab_to(page, "main button[name=skip]")
    press_and_wait(page, "Enter")

    # 6. Equality monitoring: the first age band.
    assert page.url == f"{portal}/my/join/equality/"
    tab_to(page, "input[name=age_band]")
    page.keyboard.press("Space")
    tab_to(page, SUBMIT)
    press_and_wait(page, "Enter")

    assert page.url == f"{portal}/my/join/done/"
    assert page.locator("h1").inner_text() == "You have joined the group"
    member = Member.objects.get(pk=new_member.pk)
    assert member.onboarding_done and member.status == Member.Status.ACTIVE
    assert member.channels == ["email"] and member.contact_frequency == "as_needed"
    assert member.needs_large_print and member.relationship == ""
    assert all(c.given for c in current_consents(member))
    assert member.equality_answers.age_band == "under_20"
    assert not page.console_errors or all("assets.nhs.uk/fonts/" in e for e in page.console_errors)
