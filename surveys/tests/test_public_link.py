"""Public-link surveys: anyone with the link can answer, nothing about the person is stored, a
browser that has answered is told so, and sending is rate-limited per address without storing
the address."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from surveys.models import Response, Survey

from .factories import choice, partners_survey, respondent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return partners_survey(public=True)


def _url(name, survey, *args):
    return reverse(f"surveys:public_{name}", args=[survey.public_key, *args])


def _answer(client, world, address="198.51.100.4"):
    who = world["who"]
    client.post(_url("section", world["survey"], 1), {f"q{who.pk}": choice(who, "A partner").pk}, REMOTE_ADDR=address)
    return client.post(_url("check", world["survey"]), REMOTE_ADDR=address)


def test_anyone_with_the_link_can_answer_and_nothing_about_them_is_kept(client, world):
    page = client.get(_url("start", world["survey"])).content.decode()
    assert "Your answers are anonymous" in page and "Start now" in page
    response = _answer(client, world)
    assert response.url == _url("done", world["survey"])
    sent = Response.objects.get()
    assert sent.member is None and sent.draft == {}
    assert f"survey-answers-{world['survey'].pk}" not in client.session


def test_a_browser_that_has_answered_is_told_so_and_cannot_send_again(client, world):
    _answer(client, world)
    page = client.get(_url("start", world["survey"])).content.decode()
    assert "You have already answered this survey" in page
    again = client.post(_url("check", world["survey"]))
    assert "You have already answered this survey" in again.content.decode()
    assert Response.objects.count() == 1


def test_the_answered_cookie_holds_nothing_that_leads_to_the_answers(client, world):
    response = _answer(client, world)
    cookie = response.cookies[f"survey-{world['survey'].pk}-answered"]
    sent = Response.objects.get()
    assert str(sent.pk) not in cookie.value and sent.pk.hex not in cookie.value
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_forged_answered_cookie_is_ignored(client, world):
    client.cookies[f"survey-{world['survey'].pk}-answered"] = "yes"
    assert "Start now" in client.get(_url("start", world["survey"])).content.decode()


def test_sending_is_rate_limited_per_address(world, settings):
    from surveys import views

    for _ in range(views.PUBLIC_SUBMIT_LIMIT):
        assert _answer(Client(), world).status_code == 302
    refused = _answer(Client(), world)
    assert refused.status_code == 429
    assert "Please wait an hour and try again" in refused.content.decode()
    assert Response.objects.count() == views.PUBLIC_SUBMIT_LIMIT
    assert _answer(Client(), world, address="198.51.100.99").status_code == 302  # another address


def test_a_public_survey_is_not_reachable_by_its_number(member_client, member, world):
    respondent(member)
    assert member_client.get(reverse("surveys:start", args=[world["survey"].pk])).status_code == 404


def test_a_member_survey_is_not_reachable_by_a_public_link(client):
    survey = partners_survey()["survey"]
    assert client.get(reverse("surveys:public_start", args=[survey.public_key])).status_code == 404


def test_a_draft_public_survey_is_not_shown(client):
    survey = partners_survey(public=True, status=Survey.Status.DRAFT)["survey"]
    assert client.get(_url("start", survey)).status_code == 404
