"""A member's own pages: who may open them, the profile and its forms, breaks, leaving and
erasure, and the member's data. Every /my/ page is the logged-in member's own: anonymous
visitors are sent to log in, and commissioners and staff without a member record are refused
without seeing anything personal."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.consent import can_contact
from members.models import ConsentText, EqualityMonitoring, Member, User
from members.services import get_or_create_member, record_consents, save_equality_answers
from members.tests.factories import DEFAULT_PASSWORD, UserFactory
from members.tests.totp import activate_totp
from nhsuk_forms.tests.html import Page, text

pytestmark = pytest.mark.django_db

ALL_CONSENTS = {p.value: True for p in ConsentText.CONSENT_PURPOSES} | {"respect_agreement": True}

# Every member page a GET can open, with what must be on it.
MEMBER_PAGES = [
    reverse("members:dashboard"),
    reverse("members:onboarding_step", args=["contact"]),
    reverse("members:profile"),
    reverse("members:profile_change", args=["name"]),
    reverse("members:profile_change", args=["contact"]),
    reverse("members:profile_change", args=["access"]),
    reverse("members:profile_change", args=["about"]),
    reverse("members:profile_change", args=["equality"]),
    reverse("expenses:preference"),  # the profile's payment choice: one page, in expenses
    reverse("members:consents"),
    reverse("members:consent_review"),
    reverse("members:keep_details_declined"),
    reverse("members:break"),
    reverse("members:leave"),
    reverse("members:erase"),
    reverse("members:data"),
    reverse("members:data_json"),
]


def page_of(response) -> Page:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return Page(response.content.decode())


def error_for(page: Page, field_id: str) -> str:
    return text(page.by_id(f"{field_id}-error")).removeprefix("Error: ")


def joined(user, **fields) -> Member:
    """A member who has finished joining, with every consent given."""
    member = get_or_create_member(user)
    Member.objects.filter(pk=member.pk).update(
        status=Member.Status.ACTIVE,
        onboarding_step=len(Member.ONBOARDING_STEPS),
        onboarding_completed_at=timezone.now(),
        **fields,
    )
    record_consents(member=member, decisions=ALL_CONSENTS)
    return Member.objects.select_related("user").get(pk=member.pk)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def active_member(member):
    return joined(
        member,
        phone="07700900982",
        pronouns="she/her",
        contact_by_email=True,
        contact_by_sms=True,
        contact_frequency="monthly",
        needs_step_free=True,
        relationship="birthing_person",
        topics=["birth_trauma"],
    )


# --- Who may open the pages -------------------------------------------------------------------


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_commissioners_are_refused_and_see_nothing_personal(commissioner, active_member, url):
    activate_totp(commissioner)
    # Even a commissioner who was once a member never gets member pages.
    get_or_create_member(commissioner)
    response = logged_in(commissioner).get(url)
    assert response.status_code == 403
    html = response.content.decode()
    for personal in ("Amira", "member@example.org", "07700", "Dev Commissioner", "she/her"):
        assert personal not in html.split("<main")[1], personal


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_coordinators_without_a_member_record_are_refused(coordinator, active_member, url):
    activate_totp(coordinator)
    response = logged_in(coordinator).get(url)
    assert response.status_code == 403
    assert "Amira" not in response.content.decode()


# What an active member opening each page gets: the onboarding step leads to its profile form,
# and the review and keeping-details pages have nothing to show when nothing needs deciding.
REDIRECTS_FOR_ACTIVE_MEMBER = {
    reverse("members:onboarding_step", args=["contact"]): reverse("members:profile_change", args=["contact"]),
    reverse("members:consent_review"): reverse("members:dashboard"),
    reverse("members:keep_details_declined"): reverse("members:dashboard"),
}


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_a_member_can_open_every_page_of_their_own(member_client, active_member, url):
    response = member_client.get(url)
    if url in REDIRECTS_FOR_ACTIVE_MEMBER:
        assert response.status_code == 302
        assert response["Location"] == REDIRECTS_FOR_ACTIVE_MEMBER[url]
    else:
        assert response.status_code == 200, url


def test_posts_change_only_the_logged_in_members_own_records(member_client, active_member, other_member):
    other = joined(other_member, phone="07700900111", contact_by_sms=True, contact_frequency="as_needed")

    # Whatever ids are sent, the pages know only the logged-in member.
    member_client.post(
        reverse("members:profile_change", args=["contact"]),
        {
            "channels": ["post"],
            "postal_address": "1 New Road",
            "postcode": "ex1 2ab",
            "contact_frequency": "monthly",
            "member": other.pk,
            "user": other.user.pk,
            "id": other.pk,
        },
    )
    member_client.post(reverse("members:profile_change", args=["name"]), {"name": "Changed", "user": other.user.pk})
    member_client.post(reverse("members:consent_change", args=["contact"]), {"given": "no", "member": other.pk})
    member_client.post(reverse("members:break"), {"action": "pause", "member": other.pk})

    other.refresh_from_db()
    other.user.refresh_from_db()
    assert (other.phone, other.postal_address, other.channels) == ("07700900111", "", ["sms"])
    assert other.user.name == "Beth Jones"
    assert other.status == Member.Status.ACTIVE
    assert can_contact(other, "meetings", "sms")
    mine = Member.objects.select_related("user").get(pk=active_member.pk)
    assert (mine.postal_address, mine.postcode, mine.user.name) == ("1 New Road", "EX1 2AB", "Changed")
    assert mine.status == Member.Status.PAUSED


def test_a_member_never_sees_another_members_details(member_client, active_member, other_member):
    joined(other_member, phone="07700900111", pronouns="ze/zir")
    for url in MEMBER_PAGES:
        html = member_client.get(url, follow=True).content.decode()
        for theirs in ("Beth Jones", "other.member@example.org", "07700900111", "07700 900111", "ze/zir"):
            assert theirs not in html, (url, theirs)


# --- Join page, navigation and logging in -----------------------------------------------------


def test_join_page_explains_the_group_and_how_data_is_used_from_the_consent_texts(anonymous):
    ConsentText.objects.filter(purpose="photos").update(summary="A summary typed by a coordinator.")
    page = page_of(anonymous.get(reverse("members:join")))

    assert text(page.one("h1")) == "Join the group"
    assert "Everything about your own experience is optional" in page.html
    assert "A summary typed by a coordinator." in page.html
    for consent_text in ConsentText.objects.filter(published_at__isnull=False):
        assert consent_text.title in page.html
    assert len(page.all("details", "nhsuk-details")) == 5
    signup = next(a for a in page.all("a", "nhsuk-button"))
    assert (text(signup), signup["attrs"]["href"]) == ("Create an account", reverse("account_signup"))
    assert "mental health" not in page.title.lower()


def test_join_page_says_what_members_do_once(anonymous):
    """The group's own words (its profile's "about", as the demo group writes it) say what members
    do; the page adds no second version of them. With none written, the page's own words stand in."""
    from django.apps import apps

    # The group profile belongs to `involvement`, which members must not import.
    profile, _ = apps.get_model("involvement", "GroupProfile").objects.get_or_create(pk=1)
    profile.about = (
        "We are women, birthing people, partners and families who have used the service.\n\n"
        "Members help write leaflets, design surveys, sit on interview panels and tell "
        "commissioners what matters. You choose what you take part in, and how often."
    )
    profile.save()
    words = " ".join(page_of(anonymous.get(reverse("members:join"))).main()["text"].split())
    for sentence in ["Members help write leaflets", "You choose what you take part in, and how often."]:
        assert words.count(sentence) == 1, (sentence, words)
    assert "look at leaflets and surveys" not in words

    profile.about = ""
    profile.save()
    words = " ".join(page_of(anonymous.get(reverse("members:join"))).main()["text"].split())
    assert words.count("look at leaflets and surveys before they are used") == 1
    assert words.count("You choose what you take part in, and how often.") == 1


def test_header_join_link_goes_to_the_join_page_and_members_get_your_involvement(anonymous, member_client, member):
    nav = {text(a): a["attrs"]["href"] for a in page_of(anonymous.get("/")).all("a", "nhsuk-header__navigation-link")}
    assert nav["Join the group"] == reverse("members:join")

    get_or_create_member(member)
    nav = {
        text(a): a["attrs"]["href"] for a in page_of(member_client.get("/")).all("a", "nhsuk-header__navigation-link")
    }
    assert nav["Your involvement"] == reverse("members:dashboard")


def test_members_land_on_their_dashboard_after_logging_in(anonymous, member):
    get_or_create_member(member)
    response = anonymous.post(reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:dashboard")


def test_commissioners_do_not_land_on_a_member_dashboard(anonymous, commissioner):
    response = anonymous.post(reverse("account_login"), {"login": commissioner.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert reverse("members:dashboard") not in response["Location"]


def test_signing_up_with_an_email_already_in_use_does_not_say_so_on_the_page(
    anonymous, member, celery_eager, django_capture_on_commit_callbacks
):
    """Being a member of this group is sensitive, so the page never confirms an address is
    registered (allauth's enumeration prevention). The owner of the address gets an email
    saying so, with a link to reset their password; no second account is made."""
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(
            reverse("account_signup"),
            {
                "name": "Someone",
                "email": "Member@Example.org",
                "password1": "a-long-pass-phrase",
                "password2": "a-long-pass-phrase",
            },
        )
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="member@example.org").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["member@example.org"]
    assert "already an account" in mail.outbox[0].body


# --- Bad input gets a clear message and loses nothing -----------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("A" * 5000, "Your name must be 150 characters or fewer"),
        ("🌸🌸🌸", "Enter your name using letters."),
        ("", "Enter your name"),
    ],
)
def test_a_bad_name_gets_a_message_by_the_field_and_keeps_what_was_typed(member_client, active_member, name, message):
    url = reverse("members:profile_change", args=["name"])
    page = page_of(member_client.post(url, {"name": name, "pronouns": "she/her"}))

    assert page.title.startswith("Error: ")
    assert error_for(page, "id_name") == message
    assert page.by_id("id_name")["attrs"].get("value", "") == name
    assert page.by_id("id_pronouns")["attrs"]["value"] == "she/her"
    assert User.objects.get(pk=active_member.user_id).name == "Amira Khan"


@pytest.mark.parametrize("name", ["A" * 5000, "🌸🌸"])
def test_sign_up_with_a_bad_name_keeps_everything_typed_but_the_passwords(anonymous, name):
    page = page_of(
        anonymous.post(
            reverse("account_signup"),
            {"name": name, "email": "new@example.org", "password1": "a-long-pass-phrase", "password2": "x"},
        )
    )
    assert page.by_id("id_name-error")
    assert page.by_id("id_name")["attrs"]["value"] == name
    assert page.by_id("id_email")["attrs"]["value"] == "new@example.org"


@pytest.mark.parametrize("phone", ["12345", "07700 90098", "+1 202 555 0101", "0800 123 4567", "phone me", "0" * 31])
def test_an_invalid_phone_number_gets_a_message_by_the_field_and_keeps_what_was_typed(
    member_client, active_member, phone
):
    url = reverse("members:profile_change", args=["contact"])
    data = {"channels": ["sms", "email"], "phone": phone, "contact_frequency": "as_needed"}
    page = page_of(member_client.post(url, data))

    assert error_for(page, "id_phone") == "Enter a UK phone number, like 07700 900982 or 0300 123 4567"
    assert page.by_id("id_phone")["attrs"]["value"] == phone
    assert "checked" in page.one("input", name="channels", value="sms")["attrs"]
    assert "checked" in page.one("input", name="contact_frequency", value="as_needed")["attrs"]
    assert Member.objects.get(pk=active_member.pk).phone == "07700900982"


@pytest.mark.parametrize(
    ("channels", "message"),
    [
        (["sms"], "Enter a mobile phone number so we can send you text messages"),
        (["phone"], "Enter a phone number so we can call you"),
        (["sms", "phone"], "Enter a phone number so we can text and call you"),
    ],
)
def test_text_or_phone_without_a_number_says_so_by_the_phone_field(member_client, active_member, channels, message):
    page = page_of(
        member_client.post(
            reverse("members:profile_change", args=["contact"]),
            {"channels": channels, "phone": "", "contact_frequency": "monthly"},
        )
    )
    assert error_for(page, "id_phone") == message


def test_post_needs_an_address_and_postcode(member_client, active_member):
    page = page_of(
        member_client.post(
            reverse("members:profile_change", args=["contact"]),
            {"channels": ["post"], "postcode": "nonsense", "contact_frequency": "monthly"},
        )
    )
    assert error_for(page, "id_postal_address") == "Enter your postal address so we can send you letters"
    assert error_for(page, "id_postcode") == "Enter a real postcode, like EX1 2AB"
    assert page.by_id("id_postcode")["attrs"]["value"] == "nonsense"


def test_text_messages_need_a_mobile_number(member_client, active_member):
    page = page_of(
        member_client.post(
            reverse("members:profile_change", args=["contact"]),
            {"channels": ["sms"], "phone": "0300 123 4567", "contact_frequency": "monthly"},
        )
    )
    assert "mobile number" in error_for(page, "id_phone")


def test_choosing_no_way_to_be_contacted_is_explained(member_client, active_member):
    page = page_of(member_client.post(reverse("members:profile_change", args=["contact"]), {}))
    assert error_for(page, "id_channels") == "Choose at least one way we can contact you"
    assert error_for(page, "id_contact_frequency") == "Choose how often you would like to hear from us"


def test_made_up_choices_are_refused_with_a_message_not_a_crash(member_client, active_member):
    for section, data in [
        ("contact", {"channels": ["pigeon"], "contact_frequency": "hourly"}),
        ("about", {"relationship": "x", "topics": ["y"], "heard_about": "z"}),
        ("access", {"needs": ["needs_jetpack"]}),
        ("equality", {"age_band": "150"}),
    ]:
        response = member_client.post(reverse("members:profile_change", args=[section]), data)
        assert response.status_code == 200, section
        assert "nhsuk-error-summary" in response.content.decode()
    response = member_client.post(reverse("members:consent_change", args=["contact"]), {"given": "maybe"})
    assert response.status_code == 302
    assert member_client.post(reverse("members:consent_change", args=["nonsense"]), {"given": "yes"}).status_code == 404
    assert member_client.get(reverse("members:onboarding_step", args=["nonsense"])).status_code == 404
    assert member_client.get(reverse("members:profile_change", args=["nonsense"])).status_code == 404


# --- Profile ----------------------------------------------------------------------------------


def test_profile_shows_everything_with_change_links_to_the_step_forms(member_client, active_member):
    save_equality_answers(member=active_member, answers={"age_band": "30_34"})
    page = page_of(member_client.get(reverse("members:profile")))

    rows = {
        text(row_key): text(value)
        for row_key, value in zip(
            page.all("dt", "nhsuk-summary-list__key"), page.all("dd", "nhsuk-summary-list__value"), strict=True
        )
    }
    assert rows["Name"] == "Amira Khan"
    assert rows["Pronouns"] == "she/her"
    assert rows["Email address"] == "member@example.org"
    assert rows["Ways we can contact you"] == "Email, Text message"
    assert rows["Phone number"] == "07700 900982"
    assert rows["How often"] == "About once a month"
    assert rows["What would help"] == "step-free access"
    assert rows["How you are connected to the service"] == "Woman or birthing person"
    assert rows["Experiences you would like to help with"] == "Birth trauma"
    assert rows["What is your age?"] == "30 to 34"
    assert rows["What is your ethnic group?"] == "Not given"
    change_links = {a["attrs"]["href"] for a in page.all("a") if text(a).startswith("Change")}
    for section in ("name", "contact", "access", "about", "equality"):
        assert reverse("members:profile_change", args=[section]) in change_links
    assert f"{reverse('expenses:preference')}?next={reverse('members:profile')}" in change_links


def test_changing_a_section_from_the_profile_saves_and_returns_to_the_profile(member_client, active_member):
    url = reverse("members:profile_change", args=["about"])
    page = page_of(member_client.get(url))
    assert page.one("a", "nhsuk-back-link")["attrs"]["href"] == reverse("members:profile")
    assert "checked" in page.one("input", name="topics", value="birth_trauma")["attrs"]
    assert not page.all("button", name="skip")

    response = member_client.post(
        url, {"relationship": "partner", "topics": ["anxiety", "other"], "topics_other": "OCD"}
    )

    assert response["Location"] == reverse("members:profile")
    member = Member.objects.get(pk=active_member.pk)
    assert (member.relationship, member.topics, member.topics_other) == ("partner", ["anxiety", "other"], "OCD")
    page = page_of(member_client.get(reverse("members:profile")))
    assert "Your changes are saved." in page.html


def test_name_and_pronouns_can_be_changed(member_client, active_member):
    response = member_client.post(
        reverse("members:profile_change", args=["name"]), {"name": "  Amira   K  ", "pronouns": "she/they"}
    )
    assert response["Location"] == reverse("members:profile")
    member = Member.objects.select_related("user").get(pk=active_member.pk)
    assert (member.user.name, member.pronouns) == ("Amira K", "she/they")


def test_phone_numbers_are_stored_one_way_whatever_was_typed(member_client, active_member):
    url = reverse("members:profile_change", args=["contact"])
    for typed in ("+44 7700 900123", "+44 (0)7700-900123", "0044 7700 900123", "07700900123"):
        member_client.post(url, {"channels": ["sms"], "phone": typed, "contact_frequency": "monthly"})
        assert Member.objects.get(pk=active_member.pk).phone == "07700900123", typed


def test_editing_the_contact_form_saves_only_its_own_fields(member_client, active_member):
    Member.objects.filter(pk=active_member.pk).update(status=Member.Status.PAUSED)  # e.g. in another tab
    member_client.post(
        reverse("members:profile_change", args=["contact"]),
        {"channels": ["email"], "phone": "07700900982", "contact_frequency": "monthly"},
    )
    assert Member.objects.get(pk=active_member.pk).status == Member.Status.PAUSED


# --- Take a break and leave -------------------------------------------------------------------


def test_taking_a_break_and_coming_back(member_client, active_member):
    page = page_of(member_client.get(reverse("members:break")))
    assert text(page.one("h1")) == "Take a break"

    member_client.post(reverse("members:break"), {"action": "pause"})
    member = Member.objects.get(pk=active_member.pk)
    assert member.status == Member.Status.PAUSED
    assert not can_contact(member, "meetings", "email")
    assert can_contact(member, "claims", "email")
    page = page_of(member_client.get(reverse("members:dashboard")))
    assert "You are taking a break" in page.html

    member_client.post(reverse("members:break"), {"action": "resume"})
    assert Member.objects.get(pk=active_member.pk).status == Member.Status.ACTIVE
    assert can_contact(active_member, "meetings", "email")


def test_leaving_but_keeping_the_account(member_client, active_member):
    page = page_of(member_client.post(reverse("members:leave"), {}))
    assert error_for(page, "id_choice") == "Choose whether to keep your account or erase your details"

    response = member_client.post(reverse("members:leave"), {"choice": "keep"})

    assert response["Location"] == reverse("members:dashboard")
    member = Member.objects.select_related("user").get(pk=active_member.pk)
    assert member.status == Member.Status.LEFT
    assert member.user.name == "Amira Khan"
    assert not can_contact(member, "meetings", "email")
    page = page_of(member_client.get(reverse("members:dashboard")))
    assert "You have left the group" in page.html
    # Rejoining is one button.
    member_client.post(reverse("members:break"), {"action": "resume"})
    assert Member.objects.get(pk=active_member.pk).status == Member.Status.ACTIVE


def test_erasing_asks_for_a_clear_confirmation_first(member_client, active_member):
    response = member_client.post(reverse("members:leave"), {"choice": "erase"})
    assert response["Location"] == reverse("members:erase")
    page = page_of(member_client.get(response["Location"]))
    assert text(page.one("h2", "nhsuk-card__heading")) == "This cannot be undone"
    assert text(page.one("button", "nhsuk-button--warning")) == "Erase my details"
    # Nothing is erased until the button is pressed.
    assert Member.objects.get(pk=active_member.pk).erased_at is None


def test_erasing_removes_the_details_logs_out_and_says_goodbye_calmly(member_client, active_member):
    answers = save_equality_answers(member=active_member, answers={"age_band": "30_34"})

    response = member_client.post(reverse("members:erase"))

    assert response["Location"] == reverse("members:data_erased")
    assert SESSION_KEY not in member_client.session
    page = page_of(member_client.get(response["Location"]))
    assert text(page.one("h1")) == "Your details have been erased"
    member = Member.objects.select_related("user").get(pk=active_member.pk)
    assert member.erased_at is not None
    assert (member.user.name, member.user.email, member.phone, member.pronouns) == ("", None, "", "")
    # The answers stay in the totals, but the member's key no longer leads to them.
    assert EqualityMonitoring.objects.filter(pk=answers.pk, age_band="30_34").exists()
    assert member.equality_answers is None
    assert not member.user.is_active
    # The old session no longer opens anything.
    assert member_client.get(reverse("members:dashboard")).status_code == 302


# --- Your data --------------------------------------------------------------------------------


def test_data_page_shows_every_section_readably(member_client, active_member):
    save_equality_answers(member=active_member, answers={"age_band": "30_34", "religion": "prefer_not"})
    page = page_of(member_client.get(reverse("members:data")))

    headings = [text(h) for h in page.all("h2")]
    for title in (
        "Your account",
        "Your profile, preferences and access needs",
        "Your consents now",
        "Every consent decision",
        "Equality monitoring answers",
        "Training you have completed",
    ):
        assert title in headings
    values = [text(dd) for dd in page.all("dd", "nhsuk-summary-list__value")]
    assert "member@example.org" in values and "07700900982" in values and "30 to 34" in values
    assert "Step-free access" in [text(dt_) for dt_ in page.all("dt")]
    history = page.all("table")[1]
    assert "Keeping my details" in text(history)
    assert "We hold nothing here." in page.html  # no training yet


def test_data_download_is_a_dated_json_attachment_with_every_field(member_client, active_member):
    save_equality_answers(member=active_member, answers={"age_band": "30_34"})
    response = member_client.get(reverse("members:data_json"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="my-involvement-data-{today:%Y-%m-%d}.json"'
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "member@example.org"
    for field in Member._meta.concrete_fields:
        # The id and the equality key are internal links, not details about the member.
        if not field.is_relation and field.name not in ("id", "equality_key"):
            assert field.name in data["profile"], field.name
    assert data["profile"]["phone"] == "07700900982"
    assert data["equality"]["age_band"] == "30 to 34"
    assert len(data["consent_history"]) == 5


def test_times_are_shown_in_london_time(member_client, active_member):
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (summer time).
    from members.models import Consent

    Consent.objects.filter(member=active_member).update(recorded_at=dt.datetime(2025, 7, 1, 23, 30, tzinfo=dt.UTC))
    page = page_of(member_client.get(reverse("members:consents")))
    assert "2 July 2025 at 12:30am" in page.html


# --- Query counts stay flat as the group grows ------------------------------------------------


def _other_members(count: int) -> None:
    for _ in range(count):
        other = get_or_create_member(UserFactory())
        record_consents(member=other, decisions=ALL_CONSENTS)
        save_equality_answers(member=other, answers={"age_band": "30_34"})


PAGES_TO_COUNT = [
    reverse("members:dashboard"),
    reverse("members:profile"),
    reverse("members:consents"),
    reverse("members:data"),
    reverse("members:profile_change", args=["about"]),
    reverse("members:break"),
]


@pytest.mark.parametrize("url", PAGES_TO_COUNT)
def test_member_pages_use_a_few_queries_however_many_members_there_are(
    member_client, active_member, url, django_assert_max_num_queries
):
    _other_members(2)
    # Includes the group profile and signposts, read once and then cached for the layout. The
    # data page also reads each app's section of the data download (a few queries per app).
    limit = 40 if url == reverse("members:data") else 20
    with django_assert_max_num_queries(limit) as small:
        assert member_client.get(url).status_code == 200
    _other_members(38)
    record_consents(member=active_member, decisions=ALL_CONSENTS)  # their own history grows too
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert member_client.get(url).status_code == 200


def test_no_500_for_a_member_whose_texts_are_all_unpublished(member_client, member_record):
    ConsentText.objects.update(published_at=None)
    for url in MEMBER_PAGES + [reverse("members:join")]:
        assert member_client.get(url).status_code in (200, 302), url
    # With nothing to ask, the consent and respect steps simply move on.
    member_client.post(
        reverse("members:onboarding_step", args=["contact"]), {"channels": ["email"], "contact_frequency": "monthly"}
    )
    assert member_client.get(reverse("members:onboarding_step", args=["consent"]))["Location"] == reverse(
        "members:onboarding_step", args=["respect"]
    )


def test_json_download_filename_has_no_personal_details(member_client, active_member):
    disposition = member_client.get(reverse("members:data_json"))["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="my-involvement-data-\d{4}-\d{2}-\d{2}\.json"', disposition)


def assert_clean_markup(page: Page, url: str) -> None:
    """No inline styles or scripts beyond the layout's two (the CSP forbids them), no repeated
    ids, a label for every control, and one h1."""
    assert not re.search(r"\sstyle=", page.html), url
    assert "<style" not in page.html, url
    assert len(re.findall(r"<script(?![^>]*\bsrc=)", page.html)) == 2, url
    ids = [e["attrs"]["id"] for e in page.all() if "id" in e["attrs"]]
    assert len(ids) == len(set(ids)), (url, sorted({i for i in ids if ids.count(i) > 1}))
    labelled = {e["attrs"].get("for") for e in page.all("label")}
    for control in page.all():
        if control["tag"] in {"input", "select", "textarea"} and control["attrs"].get("type") != "hidden":
            assert control["attrs"].get("id") in labelled, (url, control["attrs"])
    assert len(page.all("h1")) == 1, url


def test_every_member_page_has_clean_accessible_markup(member_client, member_record):
    member_client.post(
        reverse("members:onboarding_step", args=["contact"]), {"channels": ["email"], "contact_frequency": "monthly"}
    )
    Member.objects.filter(pk=member_record.pk).update(onboarding_step=5)
    onboarding = [
        reverse("members:onboarding_step", args=[step])
        for step in ("contact", "respect", "access", "about", "equality")
    ]
    onboarding += [reverse("members:onboarding_consent", args=[p.value]) for p in ConsentText.CONSENT_PURPOSES]
    onboarding += [reverse("members:keep_details_declined"), reverse("members:join")]
    for url in onboarding:
        assert_clean_markup(page_of(member_client.get(url)), url)
    # The same forms showing errors.
    for url, data in [
        (reverse("members:onboarding_step", args=["contact"]), {"channels": ["sms", "post"]}),
        (reverse("members:onboarding_step", args=["access"]), {"needs": ["needs_interpreter"]}),
        (reverse("members:onboarding_step", args=["about"]), {"topics": ["other", "prefer_not"]}),
        (reverse("members:onboarding_consent", args=["photos"]), {}),
    ]:
        page = page_of(member_client.post(url, data))
        assert page.one("div", "nhsuk-error-summary")
        assert_clean_markup(page, url)

    joined(member_record.user)
    for url in MEMBER_PAGES:
        if url not in REDIRECTS_FOR_ACTIVE_MEMBER and url != reverse("members:data_json"):
            assert_clean_markup(page_of(member_client.get(url)), url)
    assert_clean_markup(page_of(member_client.get(reverse("members:onboarding_done"))), "done")
