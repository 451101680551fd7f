"""Every account page a person can reach, and every message allauth can flash, is in the portal's
words: plain English, sentence case, British spelling, and a title of its own for each page.

allauth's own wording ("Verify Your Email Address", "Confirm Access", "Successfully signed in
as …", "finalize the signup process") must never come back, whether through an allauth upgrade
adding a page the portal has not rewritten or a template that stops overriding allauth's.
"""

from __future__ import annotations

import re
from pathlib import Path

import allauth
import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.contrib.messages import get_messages
from django.template.loader import get_template, render_to_string
from django.test import Client
from django.urls import reverse

from members.tests.factories import DEFAULT_PASSWORD, UserFactory
from members.tests.totp import activate_totp, current_code
from nhsuk_forms.tests.html import Page

pytestmark = pytest.mark.django_db

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
PORTAL_TEMPLATES = Path(settings.BASE_DIR) / "templates"

# allauth's wording that people tripped over, and American spellings.
BANNED = [
    "Verify Your Email Address",
    "Confirm Email Address",
    "Please confirm that",
    "is an email address for user",
    "Successfully signed in",
    "signed in",
    "sign in",
    "Confirm Access",
    "reauthenticate",
    "Bad Token",
    "E-mail",
]
AMERICAN = re.compile(
    r"\b(\w+i[sz]ation|finaliz\w*|authoriz\w*|organiz\w*|recogniz\w*|realiz\w*|customiz\w*|utiliz\w*|"
    r"minimiz\w*|maximiz\w*|prioritiz\w*|apologiz\w*|center|color\w*|favor\w*|behavior\w*|canceled|"
    r"canceling|enrollment)\b",
    re.IGNORECASE,
)
# Words that are capitalised in the middle of a sentence for a reason.
PROPER = {"I", "NHS", "QR", "Microsoft", "Google", "Error"}

# allauth page templates the portal cannot show with its settings, and why.
NOT_REACHABLE = {
    # Codes by email or text instead of links, passkeys and phone numbers are switched off.
    "account/confirm_email_verification_code.html",
    "account/confirm_login_code.html",
    "account/confirm_password_reset_code.html",
    "account/confirm_phone_verification_code.html",
    "account/request_login_code.html",
    "account/signup_by_passkey.html",
    "account/phone_change.html",
    # ACCOUNT_CHANGE_EMAIL is off: people manage a list of addresses on account/email.html.
    "account/email_change.html",
    # Sign-up is always open (members.adapters.AccountAdapter.is_open_for_signup).
    "account/signup_closed.html",
    # MFA_TRUST_ENABLED is off and MFA_SUPPORTED_TYPES has no WebAuthn.
    "mfa/trust.html",
}
NOT_REACHABLE_MESSAGES = {
    "account/messages/login_code_sent.txt",
    "account/messages/phone_verification_sent.txt",
    "account/messages/phone_verified.txt",
    "mfa/messages/webauthn_added.txt",
    "mfa/messages/webauthn_removed.txt",
}


# --- Checking the words -----------------------------------------------------------------------


def words_problems(text: str) -> list[str]:
    """What is wrong with a piece of wording: allauth's phrases and American spellings."""
    problems = [f"allauth's wording {phrase!r}" for phrase in BANNED if phrase.lower() in text.lower()]
    problems += [f"American spelling {m.group(0)!r}" for m in AMERICAN.finditer(text)]
    return problems


def title_case_problem(heading: str) -> str | None:
    """A heading written In Title Case (more than its first word capitalised) is refused; names,
    abbreviations and the start of a new sentence (after a colon or full stop) are fine."""
    for sentence in re.split(r"(?<=[.:?!])\s+", heading.strip()):
        words = re.findall(r"[A-Za-z][\w'’-]*", sentence)
        capitalised = [w for w in words[1:] if w[0].isupper() and w not in PROPER and not w.isupper()]
        if capitalised:
            return f"title case in {heading!r}: {capitalised}"
    return None


def squash(text: str) -> str:
    return " ".join(text.split())


def heading_text(page: Page, element: dict) -> str:
    """The element's words, without any tags in it ("Confirmed", "Primary" beside an address)."""
    words = element["text"]
    for tag in page.all(cls="nhsuk-tag"):
        if element in tag["parents"]:
            words = words.replace(tag["text"], " ")
    return squash(words)


def page_title(page: Page) -> str:
    """The page's own title: the <title> without the "– service name" the layout adds."""
    return page.title.rsplit(" – ", 1)[0].removeprefix("Error: ")


def check_page(name: str, response) -> tuple[str, list[str]]:
    """The page's title and everything wrong with its wording."""
    assert response.status_code == 200, f"{name}: status {response.status_code}"
    page = Page(response.content.decode())
    main = page.one("main")
    title = page_title(page)
    problems = []
    h1s = [squash(e["text"]) for e in page.all("h1") if main in e["parents"]]
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} h1 headings: {h1s}")
    elif h1s[0] != title:
        problems.append(f"the title {title!r} is not the heading {h1s[0]!r}")
    headings = [title] + [
        heading_text(page, e)
        for e in page.all()
        if e["tag"] in {"h1", "h2", "h3", "legend", "label", "button", "caption"} and main in e["parents"]
    ]
    problems += [p for heading in headings if heading and (p := title_case_problem(heading))]
    problems += words_problems(squash(main["text"]) + " " + page.title)
    return title, [f"{name}: {p}" for p in problems]


# --- Reaching every page ----------------------------------------------------------------------


def logged_in(user, *, reauthenticated: bool = True) -> Client:
    client = Client()
    client.force_login(user)
    if reauthenticated:
        response = client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
        assert response.status_code == 302, response.content.decode()[:500]
    return client


def reachable_pages() -> dict[str, object]:
    """Every allauth page a person can reach, by name, as the portal answers it."""
    pages: dict[str, object] = {}
    anonymous = Client()
    pages["log in"] = anonymous.get(reverse("account_login"))
    pages["create an account"] = anonymous.get(reverse("account_signup"))
    pages["account inactive"] = anonymous.get(reverse("account_inactive"))

    signing_up = Client()
    response = signing_up.post(
        reverse("account_signup"),
        {
            "name": "Nia Brown",
            "email": "nia@example.org",
            "password1": "a-long-enough-password",
            "password2": "a-long-enough-password",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    pages["verification sent"] = signing_up.get(response["Location"])
    address = EmailAddress.objects.get(email="nia@example.org")
    key = EmailConfirmationHMAC(address).key
    pages["confirm email (valid key)"] = anonymous.get(reverse("account_confirm_email", args=[key]))
    pages["confirm email (invalid key)"] = anonymous.get(reverse("account_confirm_email", args=["not-a-key"]))

    pages["password reset"] = anonymous.get(reverse("account_reset_password"))
    pages["password reset sent"] = anonymous.get(reverse("account_reset_password_done"))
    member = UserFactory(email="reset@example.org")
    resetting = Client()
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(member), "key": default_token_generator.make_token(member)},
    )
    pages["choose a new password"] = resetting.get(url, follow=True)
    pages["password reset link not valid"] = anonymous.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "not-a-token"})
    )
    pages["password changed after reset"] = anonymous.get(reverse("account_reset_password_from_key_done"))

    user = UserFactory(email="pages@example.org")
    fresh = logged_in(user, reauthenticated=False)
    pages["log out"] = fresh.get(reverse("account_logout"))
    pages["email addresses"] = fresh.get(reverse("account_email"))
    pages["change password"] = fresh.get(reverse("account_change_password"))
    pages["enter your password again"] = fresh.get(reverse("account_reauthenticate"))
    pages["two-step security"] = fresh.get(reverse("mfa_index"))
    pages["set up two-step security"] = logged_in(user).get(reverse("mfa_activate_totp"))

    no_password = UserFactory(email="no.password@example.org")
    no_password.set_unusable_password()
    no_password.save()
    pages["set a password"] = logged_in(no_password, reauthenticated=False).get(reverse("account_set_password"))

    with_two_step = UserFactory(email="two.step@example.org")
    activate_totp(with_two_step)
    RecoveryCodes.activate(with_two_step)
    logging_in = Client()
    logging_in.post(reverse("account_login"), {"login": with_two_step.email, "password": DEFAULT_PASSWORD})
    pages["enter your security code"] = logging_in.get(reverse("mfa_authenticate"))
    coded = logged_in(with_two_step, reauthenticated=False)
    pages["enter a security code again"] = coded.get(reverse("mfa_reauthenticate"))
    response = coded.post(reverse("mfa_reauthenticate"), {"code": current_code()})
    assert response.status_code == 302, response.content.decode()[:1000]
    pages["recovery codes"] = coded.get(reverse("mfa_view_recovery_codes"))
    pages["get new recovery codes"] = coded.get(reverse("mfa_generate_recovery_codes"))
    pages["turn off the authenticator app"] = coded.get(reverse("mfa_deactivate_totp"))
    return pages


def test_every_account_page_has_plain_sentence_case_british_wording_and_a_title_of_its_own():
    titles: dict[str, str] = {}
    problems: list[str] = []
    for name, response in reachable_pages().items():
        title, page_problems = check_page(name, response)
        problems += page_problems
        if title in titles:
            problems.append(f"{name}: the same title as {titles[title]}: {title!r}")
        titles.setdefault(title, name)
    assert not problems, "\n".join(problems)


def test_the_checks_catch_allauths_own_wording():
    """The checks above fail on what allauth says by itself (so they can fail)."""
    source = (ALLAUTH_TEMPLATES / "account/verification_sent.html").read_text()
    assert words_problems(source)
    assert title_case_problem("Verify Your Email Address")
    assert title_case_problem("Confirm Access")
    assert not title_case_problem("Set up two-step security")
    assert not title_case_problem("Error: Enter your security code")
    assert words_problems("Follow the link provided to finalize the signup process.")
    assert words_problems("Successfully signed in as Amira.")


def test_every_allauth_page_the_portal_can_show_is_in_the_portals_words():
    """A new allauth release that adds a page, or a template that stops overriding allauth's,
    fails here rather than showing allauth's wording."""
    allauth_pages = {
        str(path.relative_to(ALLAUTH_TEMPLATES))
        for folder in ("account", "mfa")
        for path in (ALLAUTH_TEMPLATES / folder).rglob("*.html")
        if "/snippets/" not in str(path)
        and "/webauthn/" not in str(path)
        and not path.name.startswith("base")
        and "/messages/" not in str(path)
    }
    missing = sorted(
        name
        for name in allauth_pages - NOT_REACHABLE
        if not get_template(name).origin.name.startswith(str(PORTAL_TEMPLATES))
    )
    assert not missing, f"allauth pages shown in allauth's own words: {missing}"


def test_every_message_allauth_can_flash_is_in_the_portals_words():
    messages = {
        str(path.relative_to(ALLAUTH_TEMPLATES))
        for folder in ("account/messages", "mfa/messages")
        for path in (ALLAUTH_TEMPLATES / folder).glob("*.txt")
    }
    problems = []
    for name in sorted(messages - NOT_REACHABLE_MESSAGES):
        template = get_template(name)
        if not template.origin.name.startswith(str(PORTAL_TEMPLATES)):
            problems.append(f"{name} is allauth's own")
            continue
        user = UserFactory.build(email="amira@example.org", name="Amira Khan")
        text = squash(render_to_string(name, {"user": user, "email": "amira@example.org"}))
        assert text, name
        problems += [f"{name}: {p}" for p in words_problems(text)]
        if not text.endswith((".", "!")):
            problems.append(f"{name}: {text!r} is not a sentence")
    assert not problems, "\n".join(problems)


def test_logging_in_and_out_says_so_in_the_portals_words():
    member = UserFactory(email="amira@example.org", name="Amira Khan")
    client = Client()
    response = client.post(reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["You are logged in."]
    client.get(response["Location"])  # shows (and so uses up) the message
    response = client.post(reverse("account_logout"))
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["You have logged out."]


def test_allauths_error_messages_are_in_the_portals_words():
    from allauth.account.adapter import DefaultAccountAdapter, get_adapter
    from allauth.mfa.adapter import DefaultMFAAdapter
    from allauth.mfa.adapter import get_adapter as get_mfa_adapter

    problems = []
    for adapter, defaults in [(get_adapter(), DefaultAccountAdapter), (get_mfa_adapter(), DefaultMFAAdapter)]:
        for key, message in adapter.error_messages.items():
            if "username" in key or "phone" in key:
                continue  # the portal has no usernames and no phone log-in
            if str(message) == str(defaults.error_messages[key]):
                problems.append(f"{key}: allauth's own {str(message)!r}")
            problems += [f"{key}: {p}" for p in words_problems(str(message))]
            if "Please" in str(message) or "and/or" in str(message):
                problems.append(f"{key}: {str(message)!r}")
    assert not problems, "\n".join(problems)
