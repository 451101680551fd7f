"""My consents: each purpose with the choice, version and when; one button to withdraw or give,
taking effect at once; the history. A newer version of a text asks the member to review it
on their next visit, before anything else."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from members.consent import can_contact, contactable_members, current_consents
from members.models import Consent, ConsentText, Member
from members.services import get_or_create_member, new_consent_version, publish_consent_text, record_consents
from nhsuk_forms.tests.html import Page, text

pytestmark = pytest.mark.django_db

ALL_CONSENTS = {p.value: True for p in ConsentText.CONSENT_PURPOSES} | {"respect_agreement": True}


@pytest.fixture
def active_member(member):
    member_record = get_or_create_member(member)
    Member.objects.filter(pk=member_record.pk).update(
        status=Member.Status.ACTIVE,
        onboarding_step=6,
        onboarding_completed_at=timezone.now(),
        contact_by_email=True,
    )
    record_consents(member=member_record, decisions=ALL_CONSENTS)
    member_record.refresh_from_db()
    return member_record


def page_of(response) -> Page:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return Page(response.content.decode())


def publish_new_version(purpose: str, summary: str = "What changed, in plain words.") -> ConsentText:
    text_ = new_consent_version(purpose=purpose, title=f"New {purpose}", summary=summary, body="New body.\n\nMore.")
    return publish_consent_text(text=text_)


def test_consents_page_shows_each_purpose_with_the_choice_version_and_when(member_client, active_member):
    page = page_of(member_client.get(reverse("members:consents")))

    for consent_text in ConsentText.objects.filter(purpose__in=[p.value for p in ConsentText.CONSENT_PURPOSES]):
        assert consent_text.title in [text(h) for h in page.all("h2")]
    assert len(page.all("strong", "nhsuk-tag--green")) == 4
    assert page.html.count(", version 1") == 4
    withdraw_buttons = [b for b in page.all("button") if text(b).startswith("Withdraw consent")]
    assert len(withdraw_buttons) == 4
    assert "You agreed to version 1" in page.html  # the respect agreement
    history_rows = page.all("tr")[1:]
    assert len(history_rows) == 5


def test_withdrawing_contact_consent_stops_messages_at_once(member_client, active_member):
    assert can_contact(active_member, "meetings", "email")
    assert active_member in contactable_members("meetings", "email")

    response = member_client.post(reverse("members:consent_change", args=["contact"]), {"given": "no"})

    assert response["Location"] == reverse("members:consents")
    assert not can_contact(active_member, "meetings", "email")
    assert active_member not in contactable_members("meetings", "email")
    page = page_of(member_client.get(reverse("members:consents")))
    assert "This has taken effect straight away" in page.html
    assert "Give consent: Contacting me about the group" in [text(b) for b in page.all("button")]

    member_client.post(reverse("members:consent_change", args=["contact"]), {"given": "yes"})
    assert can_contact(active_member, "meetings", "email")
    records = list(Consent.objects.filter(member=active_member, purpose="contact").order_by("recorded_at", "id"))
    assert [r.given for r in records] == [True, False, True]
    assert {r.method for r in records} == {"online"}


def test_withdrawing_keeping_details_explains_what_it_means(member_client, active_member):
    response = member_client.post(reverse("members:consent_change", args=["keep_details"]), {"given": "no"})

    assert response["Location"] == reverse("members:keep_details_declined")
    page = page_of(member_client.get(response["Location"]))
    links = {text(a): a["attrs"]["href"] for a in page.all("a") if page.main() in a["parents"]}
    assert links["Change your answer"] == reverse("members:consents")
    assert not can_contact(active_member, "meetings", "email")
    assert Member.objects.get(pk=active_member.pk).erased_at is None  # nothing is erased without asking


def test_withdrawing_needs_a_post(member_client, active_member):
    response = member_client.get(reverse("members:consent_change", args=["contact"]) + "?given=no")
    assert response.status_code == 405
    assert can_contact(active_member, "meetings", "email")


def test_a_new_version_asks_the_member_to_review_on_their_next_visit(member_client, active_member):
    page_of(member_client.get(reverse("members:dashboard")))
    publish_new_version("photos", summary="We may now also use photos online.")

    response = member_client.get(reverse("members:profile"))

    review_url = reverse("members:consent_review")
    assert response.status_code == 302
    assert response["Location"] == f"{review_url}?next=%2Fmy%2Fprofile%2F"
    page = page_of(member_client.get(response["Location"]))
    assert [text(h) for h in page.all("h2") if page.main() in h["parents"]] == ["New photos"]
    assert "We may now also use photos online." in page.html
    assert "<p>New body.</p>" in page.html
    assert "Before, you agreed to version 1" in page.html
    assert page.one("input", name="photos", value="yes")

    response = member_client.post(review_url + "?next=/my/profile/", {"photos": "no", "next": "/my/profile/"})

    assert response["Location"] == "/my/profile/"
    photos = next(c for c in current_consents(active_member) if c.purpose == "photos")
    assert (photos.given, photos.record.text.version, photos.needs_review) == (False, 2, False)
    assert member_client.get(reverse("members:profile")).status_code == 200


def test_review_needs_an_answer_for_each_changed_purpose(member_client, active_member):
    publish_new_version("photos")
    publish_new_version("anonymised_words")
    page = page_of(member_client.post(reverse("members:consent_review"), {"photos": "yes"}))
    assert page.title.startswith("Error: ")
    assert text(page.by_id("id_anonymised_words-error")) == "Error: Choose yes or no for new anonymised_words"
    assert "checked" in page.one("input", name="photos", value="yes")["attrs"]
    assert Consent.objects.filter(member=active_member).count() == 5


def test_review_does_not_get_in_the_way_of_leaving_logging_out_or_posting(member_client, active_member):
    publish_new_version("contact")
    for url in (
        reverse("members:leave"),
        reverse("members:erase"),
        reverse("members:data"),
        reverse("members:data_json"),
        reverse("account_logout"),
        reverse("account_email"),
        "/healthz",
    ):
        assert member_client.get(url).status_code in (200, 503), url
    response = member_client.post(reverse("members:break"), {"action": "pause"})
    assert response["Location"] == reverse("members:dashboard")
    assert Member.objects.get(pk=active_member.pk).status == Member.Status.PAUSED


def test_review_redirects_only_to_this_site(member_client, active_member):
    publish_new_version("photos")
    response = member_client.post(reverse("members:consent_review"), {"photos": "yes", "next": "https://evil.example/"})
    assert response["Location"] == reverse("members:dashboard")


def test_members_who_never_decided_are_not_asked_to_review(member_client, member_record):
    publish_new_version("photos")
    assert member_client.get(reverse("members:dashboard")).status_code == 200


def test_staff_without_a_member_record_are_never_sent_to_review(coordinator, member_client, active_member):
    from members.tests.totp import activate_totp

    publish_new_version("photos")
    assert member_client.get("/").status_code == 302  # the member is asked…
    activate_totp(coordinator)
    member_client.force_login(coordinator)
    assert member_client.get("/").status_code == 200  # …the coordinator is not


def test_review_check_costs_one_query_a_page(member_client, active_member, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as before:
        member_client.get(reverse("members:dashboard"))
    count = len(before.captured_queries)  # read now: the next request clears Django's query log
    publish_new_version("photos")
    member_client.post(reverse("members:consent_review"), {"photos": "yes"})
    with django_assert_max_num_queries(count):
        member_client.get(reverse("members:dashboard"))
