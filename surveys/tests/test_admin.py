"""The survey builder in the admin: sections in order with conditions (loops and later questions
refused with a message), scales and "Other" made for staff, status in order, member review
comments beside each question, and questions locked once answers exist except wording fixes
(kept in the history)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nhsuk_forms.tests.html import Page
from surveys.models import Question, Survey

from .factories import SectionFactory, SurveyFactory, answer, choice, partners_survey, respondent

pytestmark = pytest.mark.django_db


def form_data(html: str, form_id: str | None = None) -> dict:
    """Every value a browser would send from the page's main form, as the admin drew it."""
    page = Page(html)
    data: dict = {}
    for element in page.elements:
        attrs, tag = element["attrs"], element["tag"]
        name = attrs.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file"):
                continue
            if kind == "checkbox":
                if "checked" in attrs:
                    data.setdefault(name, []).append(attrs.get("value", "on"))
                continue
            data[name] = attrs.get("value", "")
        elif tag == "textarea":
            data[name] = element["text"].lstrip("\n")
        elif tag == "select":
            chosen = [
                e["attrs"].get("value", "")
                for e in page.elements
                if e["tag"] == "option" and element in e["parents"] and "selected" in e["attrs"]
            ]
            if "multiple" in attrs:
                data[name] = chosen
            elif chosen:
                data[name] = chosen[0]
    return data


def _change(client, model: str, pk: int) -> str:
    return reverse(f"admin:surveys_{model}_change", args=[pk])


def _save(client, url, **changes):
    data = form_data(client.get(url).content.decode())
    data.update(changes)
    return client.post(url, data)


def test_a_coordinator_builds_a_survey_with_sections_in_order(coordinator_client):
    response = coordinator_client.post(
        reverse("admin:surveys_survey_add"),
        {
            "title": "Your first appointment",
            "intro": "Tell us about your first appointment.",
            "audience": Survey.Audience.ANONYMOUS,
            "status": Survey.Status.DRAFT,
            "minutes_to_complete": "5",
            "who_sees_answers": "The involvement team.",
            "sections-TOTAL_FORMS": "2",
            "sections-INITIAL_FORMS": "0",
            "sections-MIN_NUM_FORMS": "0",
            "sections-MAX_NUM_FORMS": "1000",
            "sections-0-order": "2",
            "sections-0-title": "Afterwards",
            "sections-1-order": "1",
            "sections-1-title": "Before",
        },
    )
    assert response.status_code == 302
    survey = Survey.objects.get(title="Your first appointment")
    assert list(survey.sections.order_by("order").values_list("title", flat=True)) == ["Before", "Afterwards"]


def test_scale_questions_get_their_fixed_choices_and_other_is_added_when_offered(coordinator_client):
    section = SectionFactory(survey=SurveyFactory(draft=True))
    url = _change(coordinator_client, "section", section.pk)
    data = form_data(coordinator_client.get(url).content.decode())
    data.update(
        {
            "questions-0-order": "1",
            "questions-0-text": "The staff listened to me",
            "questions-0-kind": Question.Kind.AGREEMENT,
            "questions-1-order": "2",
            "questions-1-text": "What helped?",
            "questions-1-kind": Question.Kind.MULTIPLE_CHOICE,
            "questions-1-allow_other": "on",
            "questions-TOTAL_FORMS": "2",
        }
    )
    assert coordinator_client.post(url, data).status_code == 302
    agreement = Question.objects.get(text="The staff listened to me")
    assert list(agreement.choices.values_list("label", flat=True)) == [
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
    ]
    helped = Question.objects.get(text="What helped?")
    assert list(helped.choices.values_list("label", "is_other")) == [("Other – please say", True)]


def test_a_section_can_depend_on_an_earlier_answer(coordinator_client):
    world = partners_survey(status=Survey.Status.DRAFT)
    survey, who = world["survey"], world["who"]
    partners, everyone = world["sections"][1], world["sections"][2]
    partners.show_when.clear()
    url = _change(coordinator_client, "survey", survey.pk)
    data = form_data(coordinator_client.get(url).content.decode())
    index = next(i for i in range(3) if data[f"sections-{i}-id"] == str(partners.pk))
    data[f"sections-{index}-show_when"] = [str(choice(who, "A partner").pk)]
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    assert list(partners.show_when.all()) == [choice(who, "A partner")]
    assert not everyone.show_when.exists()


def test_a_condition_on_the_same_or_a_later_section_is_refused_with_a_message(coordinator_client):
    world = partners_survey(status=Survey.Status.DRAFT)
    survey, who, rating = world["survey"], world["who"], world["rating"]
    about = world["sections"][0]
    url = _change(coordinator_client, "survey", survey.pk)
    data = form_data(coordinator_client.get(url).content.decode())
    index = next(i for i in range(3) if data[f"sections-{i}-id"] == str(about.pk))
    for looped in (choice(who, "A partner"), choice(rating, "Good")):  # itself, then a later section
        data[f"sections-{index}-show_when"] = [str(looped.pk)]
        response = coordinator_client.post(url, data)
        assert response.status_code == 200
        assert "A section can only depend on a question in an earlier section" in response.content.decode()
    assert not about.show_when.exists()


def test_answers_to_two_questions_in_one_condition_are_refused(coordinator_client):
    world = partners_survey(status=Survey.Status.DRAFT)
    url = _change(coordinator_client, "survey", world["survey"].pk)
    data = form_data(coordinator_client.get(url).content.decode())
    last = world["sections"][2]
    index = next(i for i in range(3) if data[f"sections-{i}-id"] == str(last.pk))
    data[f"sections-{index}-show_when"] = [
        str(choice(world["who"], "A partner").pk),
        str(choice(world["supported"], "Agree").pk),
    ]
    response = coordinator_client.post(url, data)
    assert "Choose answers to one question only." in response.content.decode()


def test_the_status_goes_in_order_and_a_survey_needs_a_question_to_open(coordinator_client):
    empty = SurveyFactory(draft=True)
    response = _save(coordinator_client, _change(coordinator_client, "survey", empty.pk), status=Survey.Status.OPEN)
    assert "Add at least one question first." in response.content.decode()
    closed = partners_survey(closed=True)["survey"]
    response = _save(coordinator_client, _change(coordinator_client, "survey", closed.pk), status=Survey.Status.DRAFT)
    assert "cannot go from “Closed” to “Draft”" in response.content.decode()
    draft = partners_survey(status=Survey.Status.DRAFT)["survey"]
    response = _save(coordinator_client, _change(coordinator_client, "survey", draft.pk), status=Survey.Status.REVIEW)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Survey.Status.REVIEW


def test_once_answers_exist_only_the_wording_can_change_and_the_change_is_kept(coordinator_client):
    world = partners_survey()
    who = world["who"]
    answer(world["survey"], {who: {"choices": [choice(who, "A partner").pk]}}, member=respondent())

    page = coordinator_client.get(_change(coordinator_client, "question", who.pk)).content.decode()
    assert "only fix the wording" in page
    data = form_data(page)
    assert "kind" not in data and "required" not in data
    assert "choices-0-order" not in data and "choices-0-DELETE" not in data
    data["text"] = "Are you answering as:"
    data["choices-1-label"] = "A partner (husband, wife or partner)"
    data["kind"] = Question.Kind.LONG_TEXT  # a tampered form: locked fields are not read
    response = coordinator_client.post(_change(coordinator_client, "question", who.pk), data)
    assert response.status_code == 302
    who.refresh_from_db()
    assert who.text == "Are you answering as:" and who.kind == Question.Kind.SINGLE_CHOICE
    assert who.choices.filter(label="A partner (husband, wife or partner)").exists()
    assert who.history.first().text == "Are you answering as:"
    assert who.history.last().text == "Are you answering as…"

    section_page = coordinator_client.get(_change(coordinator_client, "section", who.section_id)).content.decode()
    assert "questions-__prefix__" not in section_page  # no new questions
    survey_page = coordinator_client.get(_change(coordinator_client, "survey", world["survey"].pk)).content.decode()
    assert "sections-__prefix__" not in survey_page  # no new sections


def test_member_review_comments_are_shown_beside_each_question(coordinator_client, client):
    world = partners_survey(status=Survey.Status.REVIEW)
    reviewer = respondent()
    world["survey"].reviewers.add(reviewer)
    client.force_login(reviewer.user)
    url = reverse("surveys:review_question", args=[world["survey"].pk, world["rating"].pk])
    response = client.post(url, {"concerns": ["leading"], "comment": "Ask what went well first."})
    assert response.status_code == 302
    section_page = coordinator_client.get(_change(coordinator_client, "section", world["rating"].section_id))
    html = section_page.content.decode()
    assert "Ask what went well first." in html and "It leads people to an answer" in html
    survey_page = coordinator_client.get(_change(coordinator_client, "survey", world["survey"].pk)).content.decode()
    assert "Ask what went well first." in survey_page


def test_copying_a_survey_makes_a_draft_with_the_same_questions_and_conditions(coordinator_client):
    world = partners_survey()
    response = coordinator_client.post(
        reverse("admin:surveys_survey_changelist"),
        {"action": "copy_surveys", "_selected_action": [world["survey"].pk]},
    )
    assert response.status_code == 302
    copy = Survey.objects.get(title=f"Copy of {world['survey'].title}")
    assert copy.status == Survey.Status.DRAFT
    partners = copy.sections.get(title="For partners and family")
    assert {c.label for c in partners.show_when.all()} == {"A partner", "A family member"}
    assert Question.objects.filter(section__survey=copy).count() == 6


def test_sections_are_not_listed_on_the_admin_front_page(coordinator_client):
    page = coordinator_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:surveys_survey_changelist") in page
    assert reverse("admin:surveys_section_changelist") not in page


def test_a_wording_fix_to_a_scale_answer_keeps_one_scale(coordinator_client):
    world = partners_survey()
    rating = world["rating"]
    very_good = choice(rating, "Very good")
    answer(
        world["survey"],
        {world["who"]: {"choices": [choice(world["who"], "A partner").pk]}, rating: {"choices": [very_good.pk]}},
        member=respondent(),
    )
    url = _change(coordinator_client, "question", rating.pk)
    response = _save(coordinator_client, url, **{"choices-0-label": "Very good indeed"})
    assert response.status_code == 302
    labels = list(rating.choices.order_by("order", "pk").values_list("label", flat=True))
    assert labels == ["Very good indeed", "Good", "Neither good nor poor", "Poor", "Very poor", "Don't know"]
    assert very_good.answers.count() == 1


def test_the_audience_cannot_change_once_answers_exist(coordinator_client):
    world = partners_survey(audience=Survey.Audience.MEMBERS)
    answer(world["survey"], {world["who"]: {"choices": [choice(world["who"], "A partner").pk]}}, member=respondent())
    url = _change(coordinator_client, "survey", world["survey"].pk)
    data = form_data(coordinator_client.get(url).content.decode())
    assert "audience" not in data
    data["audience"] = Survey.Audience.ANONYMOUS  # a tampered form: the locked field is not read
    assert coordinator_client.post(url, data).status_code == 302
    world["survey"].refresh_from_db()
    assert world["survey"].audience == Survey.Audience.MEMBERS


def test_the_audience_can_change_before_anyone_answers(coordinator_client):
    world = partners_survey(audience=Survey.Audience.MEMBERS, status=Survey.Status.DRAFT)
    url = _change(coordinator_client, "survey", world["survey"].pk)
    assert _save(coordinator_client, url, audience=Survey.Audience.ANONYMOUS).status_code == 302
    world["survey"].refresh_from_db()
    assert world["survey"].audience == Survey.Audience.ANONYMOUS
