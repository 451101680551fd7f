"""Bad input gets a clear message or is refused, never a 500: answers to questions not in the
survey, a choice from another question, 20,000 characters of text, tampered page numbers,
tampered drafts and filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nhsuk_forms.tests.html import Page, text
from surveys import services
from surveys.models import Answer, Question, Response
from surveys.selectors import load_structure

from .factories import SectionFactory, choice, partners_survey, question, respondent

pytestmark = pytest.mark.django_db


@pytest.fixture
def amira(member):
    return respondent(member)


@pytest.fixture
def world():
    return partners_survey()


def _section(survey, number=1):
    return reverse("surveys:section", args=[survey.pk, number])


def test_an_answer_to_a_question_not_in_the_survey_is_ignored(member_client, amira, world):
    survey, who = world["survey"], world["who"]
    elsewhere = partners_survey()["words"]
    response = member_client.post(
        _section(survey), {f"q{who.pk}": choice(who, "A partner").pk, f"q{elsewhere.pk}": "sneaked in", "q999999": "x"}
    )
    assert response.status_code == 302
    draft = member_client.session[f"survey-answers-{survey.pk}"]
    assert set(draft) == {str(who.pk)}


def test_a_choice_from_another_question_gets_a_message_by_the_question(member_client, amira, world):
    survey, who = world["survey"], world["who"]
    wrong = choice(world["rating"], "Very good")
    response = member_client.post(_section(survey), {f"q{who.pk}": wrong.pk})
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert text(page.by_id(f"id_q{who.pk}-error")).endswith("Select one of the answers shown.")
    assert "There is a problem" in response.content.decode()


def test_a_choice_that_is_not_a_number_gets_a_message_not_an_error_page(member_client, amira, world):
    response = member_client.post(_section(world["survey"]), {f"q{world['who'].pk}": "'; DROP TABLE x; --"})
    assert response.status_code == 200
    assert "Select one of the answers shown." in response.content.decode()


def test_twenty_thousand_characters_get_a_message_and_keep_everything_typed(member_client, amira, world):
    survey, who, words = world["survey"], world["who"], world["words"]
    member_client.post(_section(survey), {f"q{who.pk}": choice(who, "A mother or birthing person").pk})
    long = "I want to say a lot. " * 1000  # 21,000 characters
    response = member_client.post(_section(survey, 2), {f"q{words.pk}": long})
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert "must be 5,000 characters or fewer" in text(page.by_id(f"id_q{words.pk}-error"))
    assert text(page.by_id(f"id_q{words.pk}")) == " ".join(long.split())
    assert "maxlength" not in page.by_id(f"id_q{words.pk}")["attrs"]


def test_a_number_that_is_not_a_number_or_out_of_range_gets_a_message(member_client, amira, world):
    survey, who, visits = world["survey"], world["who"], world["visits"]
    member_client.post(_section(survey), {f"q{who.pk}": choice(who, "A mother or birthing person").pk})
    for typed, message in [("lots", "Enter a number, like 3 or 12."), ("-2", "0 or more"), ("1e400", "number")]:
        response = member_client.post(_section(survey, 2), {f"q{visits.pk}": typed})
        assert response.status_code == 200
        assert message in text(Page(response.content.decode()).by_id(f"id_q{visits.pk}-error"))


def test_a_tampered_page_number_goes_to_the_nearest_real_page(member_client, amira, world):
    survey = world["survey"]
    assert member_client.get(_section(survey, 99)).url == _section(survey, 2)
    assert member_client.get(_section(survey, 0)).url == _section(survey, 1)


def test_posting_to_a_hidden_section_cannot_reach_it(member_client, amira, world):
    """The partners' page number, for someone who said they are a mother, is the next page."""
    survey, who, supported = world["survey"], world["who"], world["supported"]
    member_client.post(_section(survey), {f"q{who.pk}": choice(who, "A mother or birthing person").pk})
    member_client.post(_section(survey, 2), {f"q{supported.pk}": choice(supported, "Agree").pk})
    member_client.post(reverse("surveys:check", args=[survey.pk]))
    assert not Answer.objects.filter(question=supported).exists()


def test_a_tampered_draft_is_refused_at_sending_with_a_message():
    world = partners_survey()
    structure = load_structure(world["survey"])
    who = world["who"]
    cases = [
        {str(who.pk): {"choices": [choice(world["rating"], "Good").pk]}},  # another question's choice
        {str(who.pk): {"choices": [choice(who, "A partner").pk, choice(who, "A family member").pk]}},  # two
        {str(who.pk): {"choices": [choice(who, "A partner").pk]}, str(world["words"].pk): {"text": "x" * 20_000}},
        {str(who.pk): {"choices": [choice(who, "A partner").pk]}, str(world["visits"].pk): {"number": "NaN"}},
    ]
    for draft in cases:
        with pytest.raises(services.SurveyError):
            services.submit_response(structure=structure, draft=draft, member=respondent())
    assert not Response.objects.exists()


def test_an_answer_in_the_draft_to_a_question_not_in_the_survey_is_not_saved():
    world = partners_survey()
    who = world["who"]
    stranger = question(SectionFactory(), "Somewhere else?", Question.Kind.SHORT_TEXT)
    draft = {str(who.pk): {"choices": [choice(who, "A partner").pk]}, str(stranger.pk): {"text": "hello"}}
    services.submit_response(structure=load_structure(world["survey"]), draft=draft, member=respondent())
    assert not Answer.objects.filter(question=stranger).exists()


def test_a_tampered_results_filter_gets_a_message_not_an_error(coordinator_client, world):
    survey = world["survey"]
    url = reverse("surveys_staff:results", args=[survey.pk])
    for value in ["abc", "999999", str(choice(partners_survey()["who"], "A partner").pk)]:
        response = coordinator_client.get(url, {"answer": value})
        assert response.status_code == 200
        assert "That filter is not one of this survey" in response.content.decode()


def test_a_made_up_public_key_is_not_found(client):
    assert client.get("/surveys/s/not-a-key/").status_code == 404
    assert client.get("/surveys/s/3f1c1b4e-0000-4000-8000-000000000000/").status_code == 404
