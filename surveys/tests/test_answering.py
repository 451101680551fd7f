"""Answering a survey: the start page says what people need to know, one section per page with
progress, conditional sections, check your answers (with crisis signposts), change an answer,
send, and a confirmation; named surveys can be saved and finished later."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nhsuk_forms.tests.html import Page, text
from surveys.models import Answer, Participation, Response, Survey

from .factories import choice, partners_survey, respondent

pytestmark = pytest.mark.django_db


@pytest.fixture
def amira(member):
    return respondent(member)


@pytest.fixture
def world():
    return partners_survey()


def _url(name, survey, *args):
    return reverse(f"surveys:{name}", args=[survey.pk, *args])


def _page(client, survey, number, data, **query):
    url = _url("section", survey, number)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(url, data)


def test_the_start_page_says_who_sees_answers_anonymity_time_and_skipping(member_client, amira, world):
    survey = world["survey"]
    survey.who_sees_answers = "The involvement team and the service manager."
    survey.minutes_to_complete = 7
    survey.save()
    page = member_client.get(_url("start", survey)).content.decode()
    assert "The involvement team and the service manager." in page
    assert "about 7 minutes" in page
    assert "Your answers are anonymous" in page
    assert "skip any question unless it says “required”" in page
    assert "Nobody reads the answers straight away" in page


def test_a_named_survey_says_the_name_goes_with_the_answers(member_client, amira):
    survey = partners_survey(named=True)["survey"]
    page = member_client.get(_url("start", survey)).content.decode()
    assert "Your name goes with your answers" in page
    assert "save your answers and finish later" in page


def test_a_mother_skips_the_partners_section_and_a_partner_sees_it(member_client, amira, world):
    survey, who = world["survey"], world["who"]
    response = _page(member_client, survey, 1, {f"q{who.pk}": choice(who, "A mother or birthing person").pk})
    assert response.url == _url("section", survey, 2)
    page = member_client.get(response.url).content.decode()
    assert "The service" in page and "Page 2 of 2" in page

    response = _page(member_client, survey, 1, {f"q{who.pk}": choice(who, "A partner").pk})
    page = member_client.get(response.url).content.decode()
    assert "For partners and family" in page and "Page 2 of 3" in page


def test_a_whole_anonymous_survey_is_answered_checked_and_sent(member_client, amira, world):
    survey, who, helped = world["survey"], world["who"], world["helped"]
    other = choice(helped, "Other – please say")
    _page(member_client, survey, 1, {f"q{who.pk}": choice(who, "A partner").pk})
    _page(member_client, survey, 2, {f"q{world['supported'].pk}": choice(world["supported"], "Agree").pk})
    response = _page(
        member_client,
        survey,
        3,
        {
            f"q{world['rating'].pk}": choice(world["rating"], "Very good").pk,
            f"q{helped.pk}": [choice(helped, "Home visits").pk, other.pk],
            f"q{helped.pk}_other": "The health visitor",
            f"q{world['words'].pk}": "Thank you all.",
            f"q{world['visits'].pk}": "6",
        },
    )
    assert response.url == _url("check", survey)
    check = member_client.get(response.url)
    page = check.content.decode()
    assert "Check your answers before sending them" in page
    assert "Other: The health visitor" in page and "Home visits" in page
    assert "If you need help now" in page and "call 999" in page
    assert Response.objects.count() == 0  # nothing saved before sending

    sent = member_client.post(_url("check", survey))
    assert sent.url == _url("done", survey)
    assert "Your answers have been sent" in member_client.get(sent.url).content.decode()
    response = Response.objects.get()
    assert response.member is None
    assert Participation.objects.filter(survey=survey, member=amira).exists()
    assert Answer.objects.filter(response=response).count() == 7  # two for the two things that helped
    assert f"survey-answers-{survey.pk}" not in member_client.session


def test_check_your_answers_shows_the_groups_own_crisis_signposts(member_client, amira, world):
    Signpost = apps.get_model("involvement", "Signpost")
    Signpost.objects.create(kind="crisis", name="Kent crisis line", phone="0800 107 0160", order=1)
    Signpost.objects.create(kind="crisis", name="An old line", phone="0800 000 0000", is_active=False)
    who = world["who"]
    _page(member_client, world["survey"], 1, {f"q{who.pk}": choice(who, "A mother or birthing person").pk})
    page = Page(member_client.get(_url("check", world["survey"])).content.decode())
    card = page.by_id("help-now")
    assert "Kent crisis line" in text(card)
    assert "tel:08001070160" in [a["attrs"]["href"] for a in page.all("a") if card in a["parents"]]
    assert "An old line" not in text(card)
    assert "cannot reply to anonymous answers" in text(card)


def test_answers_in_progress_for_an_anonymous_survey_live_in_the_session_only(member_client, amira, world):
    survey, who = world["survey"], world["who"]
    _page(member_client, survey, 1, {f"q{who.pk}": choice(who, "A partner").pk})
    assert member_client.session[f"survey-answers-{survey.pk}"] == {
        str(who.pk): {"choices": [choice(who, "A partner").pk]}
    }
    assert not Response.objects.exists()


def test_changing_an_answer_from_check_your_answers_goes_back_there(member_client, amira, world):
    survey, who = world["survey"], world["who"]
    _page(member_client, survey, 1, {f"q{who.pk}": choice(who, "A partner").pk})
    page = member_client.get(_url("check", survey)).content.decode()
    assert f"{_url('section', survey, 1)}?change=1#id_q{who.pk}_0" in page
    response = _page(member_client, survey, 1, {f"q{who.pk}": choice(who, "A family member").pk}, change=1)
    assert response.url == _url("check", survey)
    assert "A family member" in member_client.get(_url("check", survey)).content.decode()


def test_answers_in_a_section_hidden_later_are_not_sent(member_client, amira, world):
    survey, who, supported = world["survey"], world["who"], world["supported"]
    _page(member_client, survey, 1, {f"q{who.pk}": choice(who, "A partner").pk})
    _page(member_client, survey, 2, {f"q{supported.pk}": choice(supported, "Agree").pk})
    _page(member_client, survey, 1, {f"q{who.pk}": choice(who, "A mother or birthing person").pk}, change=1)
    member_client.post(_url("check", survey))
    assert not Answer.objects.filter(question=supported).exists()
    assert Answer.objects.filter(question=who).count() == 1


def test_a_required_question_left_out_is_shown_on_check_your_answers_and_nothing_is_sent(member_client, amira, world):
    survey = world["survey"]
    response = member_client.post(_url("check", survey))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    summary = Page(page).one("ul", "nhsuk-error-summary__list")
    problems = [text(li) for li in Page(page).all("li") if summary in li["parents"]]
    assert problems == ["Answer “Are you answering as…”: it is required"]  # once, with a link
    assert not Response.objects.exists() and not Participation.objects.exists()


def test_a_required_question_gets_a_message_by_the_question(member_client, amira, world):
    survey, who = world["survey"], world["who"]
    response = _page(member_client, survey, 1, {})
    assert response.status_code == 200
    error = Page(response.content.decode()).by_id(f"id_q{who.pk}-error")
    assert "this question needs an answer" in text(error)


def test_a_named_survey_can_be_saved_and_finished_later(member_client, amira):
    world = partners_survey(named=True)
    survey, who = world["survey"], world["who"]
    response = member_client.post(
        _url("section", survey, 1), {f"q{who.pk}": choice(who, "A partner").pk, "save_for_later": ""}
    )
    assert response.url == reverse("surveys:list")
    draft = Response.objects.get(survey=survey, member=amira)
    assert draft.submitted_on is None and draft.draft == {str(who.pk): {"choices": [choice(who, "A partner").pk]}}

    later = Client()
    later.force_login(amira.user)
    assert "Carry on where you left off" in later.get(_url("start", survey)).content.decode()
    page = later.get(_url("section", survey, 1)).content.decode()
    partner = Page(page).one("input", value=str(choice(who, "A partner").pk))
    assert "checked" in partner["attrs"]
    later.post(_url("check", survey))
    sent = Response.objects.get(survey=survey, member=amira)
    assert sent.submitted_on is not None and sent.draft == {}
    assert sent.answers.get().choice == choice(who, "A partner")


def test_a_member_cannot_answer_the_same_survey_twice(member_client, amira, world):
    survey, who = world["survey"], world["who"]
    _page(member_client, survey, 1, {f"q{who.pk}": choice(who, "A partner").pk})
    member_client.post(_url("check", survey))
    page = member_client.get(_url("start", survey)).content.decode()
    assert "You have already answered this survey" in page
    response = member_client.post(_url("check", survey))
    assert "You have already answered this survey" in response.content.decode()
    assert Response.objects.count() == 1


def test_a_closed_survey_says_so_and_takes_no_answers(member_client, amira, world):
    survey = world["survey"]
    survey.status = Survey.Status.CLOSED
    survey.save()
    page = member_client.get(_url("section", survey, 1)).content.decode()
    assert "This survey has closed" in page
    member_client.post(_url("check", survey))
    assert not Response.objects.exists()


def test_a_survey_past_its_closing_date_says_it_has_closed_not_that_it_opens_later(member_client, amira, world):
    survey = world["survey"]
    survey.closes_at = timezone.now() - dt.timedelta(minutes=1)
    survey.save()
    page = member_client.get(_url("start", survey)).content.decode()
    assert "This survey has closed" in page and "come back later" not in page
    survey.closes_at, survey.opens_at = None, timezone.now() + dt.timedelta(days=1)
    survey.save()
    assert "come back later" in member_client.get(_url("start", survey)).content.decode()


def test_the_thank_you_page_is_only_for_people_who_have_sent_their_answers(member_client, amira, world):
    survey = world["survey"]
    assert member_client.get(_url("done", survey)).url == _url("start", survey)
