"""allauth's pages in the portal's layout, with forms drawn by the NHS.UK template pack: the
same error summary, inline errors and "Error: " page title as every other form, and nothing
a person typed is lost when the form comes back (except passwords)."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from members.tests.factories import DEFAULT_PASSWORD
from members.tests.totp import activate_totp
from nhsuk_forms.tests.html import Page, classes, text

pytestmark = pytest.mark.django_db


def page_of(response) -> Page:
    assert response.status_code == 200, response.status_code
    return Page(response.content.decode())


def summary_links(page: Page) -> list[tuple[str, str]]:
    summary = page.one("div", "nhsuk-error-summary")
    assert summary["attrs"]["data-module"] == "nhsuk-error-summary"
    assert text(page.one("h2", "nhsuk-error-summary__heading")) == "There is a problem"
    return [(a["attrs"]["href"], text(a)) for a in page.all("a") if summary in a["parents"]]


def assert_links_reach_their_fields(page: Page) -> None:
    for href, message in summary_links(page):
        target = page.by_id(href.removeprefix("#"))
        assert target["tag"] in {"input", "select", "textarea"}, f"{message!r} links to a {target['tag']}"


def assert_clean_markup(page: Page) -> None:
    """No inline styles (the CSP forbids them), no repeated ids, a label for every input."""
    assert not re.search(r"\sstyle=", page.html)
    assert "<style" not in page.html
    ids = [e["attrs"]["id"] for e in page.all() if "id" in e["attrs"]]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    labelled = {e["attrs"].get("for") for e in page.all("label")}
    for control in page.all():
        if control["tag"] in {"input", "select", "textarea"} and control["attrs"].get("type") != "hidden":
            assert control["attrs"].get("id") in labelled, f"{control['tag']}#{control['attrs'].get('id')} has no label"


def logged_in_with_password(user) -> Client:
    """A logged-in client that has just confirmed its password, as allauth asks before MFA changes."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def in_main(page: Page, tag: str, **attrs) -> dict:
    main = page.one("main")
    found = [e for e in page.all(tag, **attrs) if main in e["parents"]]
    assert len(found) == 1, f"expected one {tag} {attrs} in <main>, found {len(found)}"
    return found[0]


def test_login_page_is_in_the_portal_layout_with_nhsuk_form_markup(anonymous):
    page = page_of(anonymous.get(reverse("account_login")))

    assert page.title.startswith("Log in – ")
    assert text(page.one("h1")) == "Log in"
    assert page.one("main")
    assert page.one("header", "nhsuk-header")
    assert page.all("div", "nhsuk-error-summary") == []
    form = page.one("form", action=reverse("account_login"))
    assert "novalidate" in form["attrs"]
    email = page.by_id("id_login")
    assert classes(email) == ["nhsuk-input"]
    assert email["attrs"]["type"] == "email"
    assert email["attrs"]["autocomplete"] == "email"
    assert text(page.one("label", **{"for": "id_login"})) == "Email address"
    password = page.by_id("id_password")
    assert password["attrs"]["autocomplete"] == "current-password"
    assert page.one("a", href=reverse("account_reset_password"))
    button = [b for b in page.all("button", "nhsuk-button") if form in b["parents"] and b["attrs"]["type"] == "submit"]
    assert [text(b) for b in button] == ["Log in"]
    assert in_main(page, "a", href=reverse("account_signup"))
    assert_clean_markup(page)


def test_login_with_a_wrong_password_shows_the_error_summary_and_keeps_the_email(anonymous, member):
    response = anonymous.post(reverse("account_login"), {"login": member.email, "password": "not-the-password"})
    page = page_of(response)

    assert page.title.startswith("Error: Log in")
    links = summary_links(page)
    assert len(links) == 1
    assert links[0][0] == "#id_login"
    assert "not correct" in links[0][1]
    assert page.by_id("id_login")["attrs"]["value"] == member.email
    assert "value" not in page.by_id("id_password")["attrs"]
    assert "not-the-password" not in page.html
    assert_links_reach_their_fields(page)
    assert_clean_markup(page)


def test_login_with_nothing_typed_marks_both_fields(anonymous):
    page = page_of(anonymous.post(reverse("account_login"), {"login": "", "password": ""}))

    assert page.title.startswith("Error: ")
    assert [href for href, _ in summary_links(page)] == ["#id_login", "#id_password"]
    for name in ("login", "password"):
        control = page.by_id(f"id_{name}")
        assert f"id_{name}-error" in control["attrs"]["aria-describedby"].split()
        assert "nhsuk-input--error" in classes(control)
        message = page.by_id(f"id_{name}-error")
        assert classes(message) == ["nhsuk-error-message"]
        assert text(message).startswith("Error: ")
    assert_links_reach_their_fields(page)


def test_signup_page_asks_for_name_email_and_password_in_nhsuk_markup(anonymous):
    page = page_of(anonymous.get(reverse("account_signup")))

    assert page.title.startswith("Create an account – ")
    assert text(page.one("h1")) == "Create an account"
    controls = [e["attrs"]["name"] for e in page.all("input") if e["attrs"].get("type") != "hidden"]
    assert controls == ["name", "email", "password1", "password2"]
    name = page.by_id("id_name")
    assert name["attrs"]["autocomplete"] == "name"
    assert name["attrs"]["aria-describedby"] == "id_name-hint"
    assert "It does not have to be your full or legal name" in text(page.by_id("id_name-hint"))
    assert page.by_id("id_password1")["attrs"]["autocomplete"] == "new-password"
    assert "id_password1-hint" in page.by_id("id_password1")["attrs"]["aria-describedby"]
    assert [text(b) for b in page.all("button", type="submit")][-1] == "Create account"
    assert in_main(page, "a", href=reverse("account_login"))
    assert_clean_markup(page)


def test_signup_with_bad_input_keeps_what_was_typed_except_passwords(anonymous):
    response = anonymous.post(
        reverse("account_signup"),
        {"name": "123", "email": "someone@example", "password1": "short", "password2": "different"},
    )
    page = page_of(response)

    assert page.title.startswith("Error: Create an account")
    links = summary_links(page)
    hrefs = [href for href, _ in links]
    assert "#id_name" in hrefs and "#id_email" in hrefs and "#id_password1" in hrefs
    assert ("#id_name", "Enter your name using letters.") in links
    assert page.by_id("id_name")["attrs"]["value"] == "123"
    assert page.by_id("id_email")["attrs"]["value"] == "someone@example"
    assert "value" not in page.by_id("id_password1")["attrs"]
    assert "value" not in page.by_id("id_password2")["attrs"]
    assert "different" not in page.html
    assert text(page.by_id("id_name-error")) == "Error: Enter your name using letters."
    assert page.by_id("id_name")["attrs"]["aria-describedby"] == "id_name-hint id_name-error"
    assert_links_reach_their_fields(page)
    assert_clean_markup(page)


def test_signup_with_passwords_that_differ_points_at_the_second_password(anonymous):
    response = anonymous.post(
        reverse("account_signup"),
        {
            "name": "Nia Brown",
            "email": "nia@example.org",
            "password1": "a-long-enough-password",
            "password2": "a-different-password",
        },
    )
    page = page_of(response)
    assert page.title.startswith("Error: ")
    assert [href for href, _ in summary_links(page)] == ["#id_password2"]
    assert page.by_id("id_name")["attrs"]["value"] == "Nia Brown"
    assert page.by_id("id_email")["attrs"]["value"] == "nia@example.org"


def test_password_reset_page_uses_the_same_form_rendering(anonymous):
    page = page_of(anonymous.post(reverse("account_reset_password"), {"email": "not-an-email"}))
    assert page.title.startswith("Error: ")
    assert [href for href, _ in summary_links(page)] == ["#id_email"]
    assert page.by_id("id_email")["attrs"]["value"] == "not-an-email"
    form = page.one("form", action=reverse("account_reset_password"))
    assert "novalidate" in form["attrs"]
    assert form in page.one("div", "nhsuk-error-summary")["parents"]
    assert [classes(b) for b in page.all("button") if form in b["parents"]] == [["nhsuk-button"]]
    assert_clean_markup(page)


def test_account_pages_have_a_sub_navigation_that_marks_the_current_page(member_client):
    page = page_of(member_client.get(reverse("account_email")))

    assert page.title.startswith("Email addresses – ")
    nav = page.one("nav", "nhsuk-contents-list")
    assert nav["attrs"]["aria-label"] == "Your account"
    assert nav in page.one("main")["parents"] or page.one("main") in nav["parents"]
    items = [e for e in page.all("li") if nav in e["parents"]]
    assert [text(i) for i in items] == ["Email addresses", "Change your password", "Two-step security"]
    assert items[0]["attrs"].get("aria-current") == "page"
    assert [a["attrs"]["href"] for a in page.all("a") if nav in a["parents"]] == [
        reverse("account_change_password"),
        reverse("mfa_index"),
    ]


def test_email_addresses_are_radios_in_a_fieldset(member_client, member):
    page = page_of(member_client.get(reverse("account_email")))

    radio = page.one("input", type="radio")
    assert radio["attrs"]["value"] == member.email
    fieldset = [p for p in radio["parents"] if p["tag"] == "fieldset"][-1]
    legend = [e for e in page.all("legend") if fieldset in e["parents"]]
    assert text(legend[0]) == "Your email addresses"
    label = page.one("label", **{"for": radio["attrs"]["id"]})
    assert member.email in text(label) and "Confirmed" in text(label) and "Primary" in text(label)
    assert page.one("strong", "nhsuk-tag--green")
    assert_clean_markup(page)


def test_adding_a_bad_email_address_shows_the_error_summary(member_client):
    response = member_client.post(reverse("account_email"), {"action_add": "", "email": "nope"})
    page = page_of(response)
    assert page.title.startswith("Error: ")
    assert [href for href, _ in summary_links(page)] == ["#id_email"]
    assert page.by_id("id_email")["attrs"]["value"] == "nope"
    assert_links_reach_their_fields(page)


def test_change_password_page_keeps_no_passwords_and_marks_the_wrong_one(member):
    client = logged_in_with_password(member)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong-old-password", "password1": "a-new-long-password", "password2": "a-new-long-password"},
    )
    page = page_of(response)
    assert page.title.startswith("Error: ")
    assert [href for href, _ in summary_links(page)] == ["#id_oldpassword"]
    assert "a-new-long-password" not in page.html
    assert "wrong-old-password" not in page.html
    assert_clean_markup(page)


def test_logout_page_says_log_out(member_client):
    page = page_of(member_client.get(reverse("account_logout")))
    assert page.title.startswith("Log out – ")
    assert text(page.one("h1")) == "Log out"
    assert [text(b) for b in page.all("button", "nhsuk-button") if b["attrs"].get("type") == "submit"][-1] == "Log out"


def test_two_step_security_page_shows_cards_with_nhsuk_buttons(member_client):
    page = page_of(member_client.get(reverse("mfa_index")))
    assert page.title.startswith("Two-step security – ")
    cards = page.all("div", "nhsuk-card")
    assert [text(page.all("h2", "nhsuk-card__heading")[i]) for i in range(len(cards))] == [
        "Authenticator app",
        "Recovery codes",
    ]
    setup = page.one("a", href=reverse("mfa_activate_totp"))
    assert classes(setup)[:1] == ["nhsuk-button"] and setup["attrs"]["role"] == "button"
    assert_clean_markup(page)


def test_authenticator_set_up_page_shows_the_qr_code_and_the_key(member):
    client = logged_in_with_password(member)
    page = page_of(client.get(reverse("mfa_activate_totp")))

    assert page.title.startswith("Set up two-step security – ")
    image = page.one("img")
    assert image["attrs"]["src"].startswith("data:image/svg+xml;base64,")
    assert image["attrs"]["alt"] == "QR code for setting up your authenticator app"
    assert page.one("details", "nhsuk-details")
    key = page.one("code")
    assert len(text(key).replace(" ", "")) >= 16
    code = page.by_id("id_code")
    assert code["attrs"]["autocomplete"] == "one-time-code"
    assert text(page.one("label", **{"for": "id_code"})) == "Authenticator code"
    assert_clean_markup(page)


def test_a_wrong_authenticator_code_shows_the_error_summary(member):
    client = logged_in_with_password(member)
    client.get(reverse("mfa_activate_totp"))
    page = page_of(client.post(reverse("mfa_activate_totp"), {"code": "000000"}))
    assert page.title.startswith("Error: ")
    assert [href for href, _ in summary_links(page)] == ["#id_code"]
    assert page.by_id("id_code-error")
    assert "nhsuk-input--error" in classes(page.by_id("id_code"))


def test_the_code_step_of_logging_in_uses_the_same_form_rendering(member):
    activate_totp(member)
    client = Client()
    response = client.post(reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")

    page = page_of(client.get(reverse("mfa_authenticate")))
    assert page.title.startswith("Enter your security code – ")
    assert page.all("div", "nhsuk-error-summary") == []

    page = page_of(client.post(reverse("mfa_authenticate"), {"code": "123"}))
    assert page.title.startswith("Error: Enter your security code")
    assert [href for href, _ in summary_links(page)] == ["#id_code"]
    assert page.by_id("id_code")["attrs"]["value"] == "123"
    cancel = page.one("button", form="logout-from-stage")
    assert "nhsuk-button--secondary" in classes(cancel)
    assert page.by_id("logout-from-stage")["tag"] == "form"
    assert_clean_markup(page)


def test_recovery_codes_are_listed_in_a_labelled_box(member):
    activate_totp(member)
    RecoveryCodes.activate(member)
    client = logged_in_with_password(member)
    page = page_of(client.get(reverse("mfa_view_recovery_codes")))

    assert page.title.startswith("Recovery codes – ")
    box = page.by_id("recovery_codes")
    assert box["tag"] == "textarea" and "readonly" in box["attrs"]
    assert text(page.one("label", **{"for": "recovery_codes"})) == "Your unused recovery codes"
    codes = box["text"].split()
    assert len(codes) == 10 and all(c.isdigit() for c in codes)
    assert page.one("a", href=reverse("mfa_download_recovery_codes"))
    assert_clean_markup(page)


def test_login_page_has_no_remember_me_box_so_shared_phones_forget_the_session(anonymous):
    html = anonymous.get(reverse("account_login")).content.decode()
    assert 'name="remember"' not in html
    assert "Remember" not in html
