"""Conditional sections: a section shows only when an earlier answer is one of its chosen
answers; hiding a section hides whatever depended on it."""

from __future__ import annotations

import pytest

from surveys.rules import condition_problem
from surveys.selectors import load_structure

from .factories import SectionFactory, choice, many_responses, partners_survey, respondent

pytestmark = pytest.mark.django_db


def _titles(sections):
    return [section.title for section in sections]


def test_the_partners_section_shows_only_for_partners_and_family():
    world = partners_survey()
    structure = load_structure(world["survey"])
    who = world["who"]
    for label, shown in [
        ("A partner", True),
        ("A family member", True),
        ("A mother or birthing person", False),
    ]:
        draft = {str(who.pk): {"choices": [choice(who, label).pk]}}
        assert ("For partners and family" in _titles(structure.visible(draft))) is shown
    assert _titles(structure.visible({})) == ["About you", "The service"]


def test_a_section_that_depends_on_a_hidden_section_is_hidden_too():
    world = partners_survey()
    survey, who, supported = world["survey"], world["who"], world["supported"]
    follow_up = SectionFactory(survey=survey, title="Tell us more", order=4)
    follow_up.show_when.set([choice(supported, "Strongly disagree")])
    structure = load_structure(survey)
    partner = {str(who.pk): {"choices": [choice(who, "A partner").pk]}}
    disagrees = {str(supported.pk): {"choices": [choice(supported, "Strongly disagree").pk]}}
    assert "Tell us more" in _titles(structure.visible({**partner, **disagrees}))
    mother = {str(who.pk): {"choices": [choice(who, "A mother or birthing person").pk]}}
    assert "Tell us more" not in _titles(structure.visible({**mother, **disagrees}))


def test_conditions_on_the_same_or_a_later_section_or_two_questions_are_refused():
    world = partners_survey()
    structure = load_structure(world["survey"])
    positions = {section.pk: index for index, section in enumerate(structure.sections)}
    who = structure.questions[world["who"].pk]
    rating = structure.questions[world["rating"].pk]
    survey_id = world["survey"].pk
    first = list(who.choices.all())[:1]
    assert condition_problem(survey_id=survey_id, own_position=1, choices=first, positions=positions) is None
    assert "earlier section" in condition_problem(
        survey_id=survey_id, own_position=0, choices=first, positions=positions
    )
    later = list(rating.choices.all())[:1]
    assert "earlier section" in condition_problem(
        survey_id=survey_id, own_position=1, choices=later, positions=positions
    )
    both = first + later
    assert condition_problem(survey_id=survey_id, own_position=2, choices=both, positions=positions) == (
        "Choose answers to one question only."
    )
    elsewhere = list(partners_survey()["who"].choices.all())[:1]
    assert "this survey" in condition_problem(
        survey_id=survey_id, own_position=2, choices=elsewhere, positions=positions
    )


def test_the_respondent_pages_cost_the_same_queries_however_many_have_answered(
    member_client, member, django_assert_max_num_queries
):
    respondent(member)
    world = partners_survey()
    survey = world["survey"]
    urls = [f"/surveys/{survey.pk}/", f"/surveys/{survey.pk}/page/1/", f"/surveys/{survey.pk}/check/"]
    many_responses(world, 10)
    counts = {}
    for url in urls:
        member_client.get(url)
        with django_assert_max_num_queries(20) as captured:
            member_client.get(url)
        counts[url] = len(captured.captured_queries)
    many_responses(world, 1990)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert member_client.get(url).status_code == 200
