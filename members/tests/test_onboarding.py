"""Joining, step by step: each step is saved as it is completed, leaving half-way loses
nothing, and the dashboard carries on from the next step. Nothing about health or equality
is ever required."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.consent import can_contact, current_consents
from members.models import Consent, ConsentText, EqualityMonitoring, Member, User
from nhsuk_forms.tests.html import Page, text

pytestmark = pytest.mark.django_db

CONSENT_PURPOSES = [p.value for p in ConsentText.CONSENT_PURPOSES]


def step_url(step: str) -> str:
    return reverse("members:onboarding_step", args=[step])


def consent_url(purpose: str) -> str:
    return reverse("members:onboarding_consent", args=[purpose])


CONTACT = {"channels": ["email", "sms"], "phone": "07700 900982", "contact_frequency": "monthly"}


def page_of(response) -> Page:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return Page(response.content.decode())


def error_for(page: Page, field_id: str) -> str:
    return text(page.by_id(f"{field_id}-error")).removeprefix("Error: ")


def fresh(member: Member) -> Member:
    return Member.objects.get(pk=member.pk)


def test_dashboard_offers_to_start_joining_at_the_first_step(member_client, member_record):
    page = page_of(member_client.get(reverse("members:dashboard")))

    button = next(a for a in page.all("a", "nhsuk-button") if "joining" in text(a))
    assert text(button) == "Start joining"
    assert button["attrs"]["href"] == step_url("contact")
    statuses = [text(e) for e in page.all("div", "nhsuk-task-list__status")]
    assert statuses == ["Not done yet"] + ["Cannot start yet"] * 5


def test_contact_step_saves_channels_phone_and_frequency_then_goes_to_consent(member_client, member_record):
    response = member_client.post(step_url("contact"), CONTACT)

    assert response.status_code == 302
    assert response["Location"] == step_url("consent")
    member = fresh(member_record)
    assert member.channels == ["email", "sms"]
    assert member.phone == "07700900982"
    assert member.contact_frequency == "monthly"
    assert member.onboarding_step == 1


def test_leaving_half_way_loses_nothing_and_the_dashboard_carries_on_at_the_next_step(member_client, member_record):
    member_client.post(step_url("contact"), CONTACT)
    member_client.post(consent_url("keep_details"), {"given": "yes"})
    member_client.post(consent_url("contact"), {"given": "yes"})

    # Later (a new session), the dashboard picks up where they stopped.
    member_client.logout()
    member_client.force_login(member_record.user)
    page = page_of(member_client.get(reverse("members:dashboard")))
    button = next(a for a in page.all("a", "nhsuk-button") if "joining" in text(a))
    assert text(button) == "Carry on joining"
    assert "You have done 1 of 6 steps" in page.html
    response = member_client.get(button["attrs"]["href"])
    assert response["Location"] == consent_url("anonymised_words")
    assert fresh(member_record).phone == "07700900982"
    assert {c.purpose: c.given for c in current_consents(member_record) if c.record} == {
        "keep_details": True,
        "contact": True,
    }


def test_steps_cannot_be_skipped_ahead_by_typing_the_address(member_client, member_record):
    response = member_client.get(step_url("equality"))
    assert response.status_code == 302
    assert response["Location"] == step_url("contact")
    response = member_client.post(step_url("about"), {"relationship": "partner"})
    assert fresh(member_record).relationship == ""


def test_consent_is_asked_one_purpose_at_a_time_with_the_text_from_the_database(member_client, member_record):
    member_client.post(step_url("contact"), CONTACT)
    ConsentText.objects.filter(purpose="photos", version=1).update(
        summary="Photos summary from the database.", body="First paragraph.\n\nSecond paragraph."
    )

    pages = []
    for index, purpose in enumerate(CONSENT_PURPOSES):
        page = page_of(member_client.get(consent_url(purpose)))
        pages.append(page)
        heading = text(page.one("h1"))
        assert f"question {index + 1} of 4" in heading
        assert page.one("details", "nhsuk-details")
        assert len(page.all("input", type="radio")) == 2
        response = member_client.post(consent_url(purpose), {"given": "yes" if purpose != "photos" else "no"})
        assert response.status_code == 302

    assert "Photos summary from the database." in pages[3].html
    assert "<p>Second paragraph.</p>" in pages[3].html
    assert response["Location"] == step_url("respect")
    records = Consent.objects.filter(member=member_record)
    assert sorted((r.purpose, r.given, r.method) for r in records) == sorted(
        [(p, p != "photos", "online") for p in CONSENT_PURPOSES]
    )
    assert fresh(member_record).onboarding_step == 2
    assert can_contact(member_record, "meetings", "email")


def test_consent_question_needs_an_answer(member_client, member_record):
    member_client.post(step_url("contact"), CONTACT)
    page = page_of(member_client.post(consent_url("contact"), {}))
    assert page.title.startswith("Error: ")
    assert error_for(page, "id_given") == "Choose yes or no for contacting me about the group"


def test_saying_no_to_keeping_details_explains_calmly_and_offers_to_change_or_leave(member_client, member_record):
    member_client.post(step_url("contact"), CONTACT)

    response = member_client.post(consent_url("keep_details"), {"given": "no"})

    assert response["Location"] == reverse("members:keep_details_declined")
    page = page_of(member_client.get(response["Location"]))
    assert text(page.one("h1")) == "You said no to us keeping your details"
    links = {text(a): a["attrs"]["href"] for a in page.all("a") if page.main() in a["parents"]}
    assert links["Change your answer"] == consent_url("keep_details")
    assert links["Leave and erase your details"] == reverse("members:erase")
    # Their answer is recorded and respected: nothing is sent, and joining does not move on.
    assert not can_contact(member_record, "meetings", "email")
    for purpose in CONSENT_PURPOSES[1:]:
        member_client.post(consent_url(purpose), {"given": "yes"})
    assert member_client.get(step_url("consent"))["Location"] == reverse("members:keep_details_declined")
    assert fresh(member_record).onboarding_step == 1

    # Changing their answer carries on with joining.
    member_client.post(consent_url("keep_details"), {"given": "yes"})
    assert member_client.get(step_url("consent"))["Location"] == step_url("respect")


def _through_consent(client):
    client.post(step_url("contact"), CONTACT)
    for purpose in CONSENT_PURPOSES:
        client.post(consent_url(purpose), {"given": "yes"})


def test_respect_agreement_shows_the_current_text_and_i_agree_records_it(member_client, member_record):
    _through_consent(member_client)
    text_v1 = ConsentText.objects.get(purpose="respect_agreement", version=1)

    page = page_of(member_client.get(step_url("respect")))
    assert text(page.one("h1")).endswith(text_v1.title)
    assert text_v1.body.split("\n\n")[0] in page.html
    response = member_client.post(step_url("respect"))

    assert response["Location"] == step_url("access")
    record = Consent.objects.get(member=member_record, purpose="respect_agreement")
    assert record.given and record.text == text_v1
    assert fresh(member_record).onboarding_step == 3


def _through_respect(client):
    _through_consent(client)
    client.post(step_url("respect"))


def test_access_needs_are_optional_but_an_interpreter_needs_a_language(member_client, member_record):
    _through_respect(member_client)

    page = page_of(member_client.post(step_url("access"), {"needs": ["needs_interpreter", "needs_step_free"]}))
    assert error_for(page, "id_interpreter_language") == "Enter the language you would like an interpreter for"
    # What was ticked is still ticked; the language box sits under the interpreter option.
    assert "checked" in page.by_id("id_needs_3")["attrs"]
    assert "checked" in page.by_id("id_needs_4")["attrs"]
    conditional = page.by_id("conditional-id_needs_3")
    assert "nhsuk-checkboxes__conditional--hidden" not in conditional["attrs"]["class"]
    assert conditional in page.by_id("id_interpreter_language")["parents"]

    response = member_client.post(
        step_url("access"),
        {
            "needs": ["needs_interpreter", "needs_step_free"],
            "interpreter_language": "Polish",
            "preferred_language": "Polish",
        },
    )
    assert response["Location"] == step_url("about")
    member = fresh(member_record)
    assert member.needs_interpreter and member.needs_step_free and not member.needs_bsl
    assert member.interpreter_language == "Polish"
    assert member.access_needs == ["Polish interpreter", "step-free access"]


def test_access_step_with_nothing_ticked_is_fine(member_client, member_record):
    _through_respect(member_client)
    response = member_client.post(step_url("access"), {})
    assert response["Location"] == step_url("about")


def _through_access(client):
    _through_respect(client)
    client.post(step_url("access"), {})


def test_about_you_is_optional_explained_and_has_prefer_not_to_say(member_client, member_record):
    _through_access(member_client)

    page = page_of(member_client.get(step_url("about")))
    assert "Every question here is optional" in page.html
    assert "We ask so that" in page.html
    for name in ("relationship", "topics", "heard_about"):
        options = {text(label): label for label in page.all("label") if label["attrs"]["for"].startswith(f"id_{name}_")}
        assert "Prefer not to say" in options, name
    prefer_not_topics = page.one("input", name="topics", value="prefer_not")
    assert prefer_not_topics["attrs"]["data-behaviour"] == "exclusive"
    assert len(page.all("div", "nhsuk-checkboxes__divider")) == 1
    assert not page.all("input", name="topics", checked="")

    response = member_client.post(
        step_url("about"),
        {
            "relationship": "other",
            "relationship_other": "Grandmother",
            "topics": ["prefer_not"],
            "heard_about": "prefer_not",
        },
    )
    assert response["Location"] == step_url("equality")
    member = fresh(member_record)
    assert (member.relationship, member.relationship_other) == ("other", "Grandmother")
    assert member.topics == [] and member.topics_prefer_not
    assert member.heard_about == "prefer_not"


def test_about_you_cannot_be_both_topics_and_prefer_not_to_say(member_client, member_record):
    _through_access(member_client)
    page = page_of(member_client.post(step_url("about"), {"topics": ["anxiety", "prefer_not"]}))
    assert error_for(page, "id_topics") == "Choose the experiences that apply, or “Prefer not to say”, not both"


def test_optional_steps_can_be_skipped_and_joining_finishes(member_client, member_record):
    _through_respect(member_client)
    for step, following in (("access", "about"), ("about", "equality"), ("equality", None)):
        page = page_of(member_client.get(step_url(step)))
        skip = page.one("button", name="skip")
        assert text(skip) == "Skip this step"
        response = member_client.post(step_url(step), {"skip": "1", "relationship": "partner"})
        assert response["Location"] == (step_url(following) if following else reverse("members:onboarding_done"))

    member = fresh(member_record)
    assert member.onboarding_done
    assert member.status == Member.Status.ACTIVE
    assert member.relationship == ""  # skipping saves nothing
    assert not EqualityMonitoring.objects.exists()
    page = page_of(member_client.get(reverse("members:onboarding_done")))
    assert text(page.one("h1")) == "You have joined the group"


def test_finishing_joining_records_interested_to_active_in_the_history(member_client, member_record):
    _through_respect(member_client)
    for step in ("access", "about", "equality"):
        member_client.post(step_url(step), {"skip": "1"})

    history = list(Member.history.filter(id=member_record.pk).order_by("history_date", "history_id"))
    statuses = [record.status for record in history]
    assert statuses[0] == Member.Status.INTERESTED
    assert statuses[-1] == Member.Status.ACTIVE
    last = history[-1]
    assert last.onboarding_completed_at is not None
    delta = last.diff_against(history[-2])
    assert "status" in delta.changed_fields
    assert last.history_user == member_record.user  # the member did it, through the pages


def test_required_steps_have_no_skip_button(member_client, member_record):
    page = page_of(member_client.get(step_url("contact")))
    assert not page.all("button", name="skip")


def test_equality_answers_are_stored_apart_from_the_member_record(member_client, member_record):
    _through_access(member_client)
    member_client.post(step_url("about"), {})

    page = page_of(member_client.get(step_url("equality")))
    for name in ("age_band", "ethnicity", "disability", "sexual_orientation", "religion", "gender_same_as_birth"):
        assert page.one("input", name=name, value="prefer_not")
    response = member_client.post(step_url("equality"), {"age_band": "30_34", "religion": "prefer_not"})

    assert response["Location"] == reverse("members:onboarding_done")
    record = EqualityMonitoring.objects.get()
    assert (record.age_band, record.religion, record.ethnicity) == ("30_34", "prefer_not", "")
    # Found only through the member's random key…
    member_record.refresh_from_db()
    assert record.key == member_record.equality_key
    assert member_record.equality_answers == record
    # …and nothing in the answers table leads to a member or an account.
    for field in EqualityMonitoring._meta.get_fields():
        assert not field.is_relation, field.name
    for model in (Member, User):
        for relation in model._meta.get_fields(include_hidden=True):
            assert relation.related_model is not EqualityMonitoring, (model.__name__, relation.name)


def test_back_links_go_to_the_step_before(member_client, member_record):
    _through_access(member_client)
    expected = {
        step_url("contact"): reverse("members:dashboard"),
        consent_url("keep_details"): step_url("contact"),
        consent_url("contact"): consent_url("keep_details"),
        step_url("respect"): consent_url("photos"),
        step_url("access"): step_url("respect"),
        step_url("about"): step_url("access"),
    }
    for url, back in expected.items():
        page = page_of(member_client.get(url))
        assert page.one("a", "nhsuk-back-link")["attrs"]["href"] == back, url


def test_after_joining_the_step_addresses_lead_to_the_profile_forms(member_client, member_record):
    Member.objects.filter(pk=member_record.pk).update(onboarding_step=6, onboarding_completed_at="2026-01-01T10:00Z")
    assert member_client.get(step_url("access"))["Location"] == reverse("members:profile_change", args=["access"])
    assert member_client.get(step_url("consent"))["Location"] == reverse("members:consents")


def test_the_whole_onboarding_never_requires_health_or_equality_answers(member_client, member_record):
    _through_respect(member_client)
    for step in ("access", "about", "equality"):
        response = member_client.post(step_url(step), {})
        assert response.status_code == 302, step
    assert fresh(member_record).onboarding_done
