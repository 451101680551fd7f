"""Every survey page says who may use it; these prove the others are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Member
from surveys.models import Survey

from .factories import partners_survey, respondent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return partners_survey()


def _member_pages(survey):
    return [
        reverse("surveys:start", args=[survey.pk]),
        reverse("surveys:section", args=[survey.pk, 1]),
        reverse("surveys:check", args=[survey.pk]),
        reverse("surveys:done", args=[survey.pk]),
    ]


def _staff_pages(world):
    survey = world["survey"]
    return [
        reverse("surveys_staff:results", args=[survey.pk]),
        reverse("surveys_staff:results_csv", args=[survey.pk]),
        reverse("surveys_staff:text_answers", args=[survey.pk, world["words"].pk]),
        reverse("surveys_staff:invite", args=[survey.pk]),
    ]


def test_logged_out_visitors_are_sent_to_log_in_for_member_and_staff_pages(anonymous, world):
    for url in [reverse("surveys:list"), *_member_pages(world["survey"]), *_staff_pages(world)]:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_commissioners_cannot_answer_member_surveys(commissioner_client, world):
    for url in [reverse("surveys:list"), *_member_pages(world["survey"])]:
        assert commissioner_client.get(url).status_code == 403, url


def test_a_member_who_has_left_or_not_finished_joining_cannot_answer(client, world):
    for status in (Member.Status.LEFT, Member.Status.INTERESTED):
        member = respondent(status=status)
        client.force_login(member.user)
        assert client.get(reverse("surveys:start", args=[world["survey"].pk])).status_code == 404


def test_draft_surveys_and_surveys_in_review_cannot_be_answered(member_client, member):
    respondent(member)
    for status in (Survey.Status.DRAFT, Survey.Status.REVIEW):
        survey = partners_survey(status=status)["survey"]
        for url in _member_pages(survey):
            assert member_client.get(url).status_code == 404, url


def test_members_and_commissioners_cannot_see_full_results_export_or_invitations(
    member_client, member, commissioner_client, world
):
    respondent(member)
    for url in _staff_pages(world):
        assert member_client.get(url).status_code == 403, url
        assert commissioner_client.get(url).status_code == 403, url


def test_coordinators_see_results_export_written_answers_and_invitations(coordinator_client, world):
    for url in _staff_pages(world):
        assert coordinator_client.get(url).status_code == 200, url


def test_coordinators_see_the_summary_and_the_list_and_commissioners_and_members_do_not(
    coordinator_client, commissioner_client, member_client, member, world
):
    # Commissioners get reports and nothing else: the survey results report replaces the summary.
    respondent(member)
    summary = reverse("surveys_staff:summary", args=[world["survey"].pk])
    for url in (summary, reverse("surveys_staff:list")):
        assert coordinator_client.get(url).status_code == 200
        assert commissioner_client.get(url).status_code == 403
        assert member_client.get(url).status_code == 403


def test_no_results_for_a_draft(coordinator_client):
    survey = partners_survey(status=Survey.Status.DRAFT)["survey"]
    assert coordinator_client.get(reverse("surveys_staff:results", args=[survey.pk])).status_code == 404
    assert coordinator_client.get(reverse("surveys_staff:summary", args=[survey.pk])).status_code == 404


def test_only_chosen_reviewers_see_a_survey_in_review(client, world):
    survey = partners_survey(status=Survey.Status.REVIEW)["survey"]
    reviewer, other = respondent(), respondent()
    survey.reviewers.add(reviewer)
    question_pk = survey.sections.first().questions.first().pk
    urls = [
        reverse("surveys:review", args=[survey.pk]),
        reverse("surveys:review_question", args=[survey.pk, question_pk]),
    ]
    client.force_login(other.user)
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(reviewer.user)
    for url in urls:
        assert client.get(url).status_code == 200


def test_a_question_from_another_survey_cannot_be_reviewed_through_this_one(client):
    survey = partners_survey(status=Survey.Status.REVIEW)["survey"]
    reviewer = respondent()
    survey.reviewers.add(reviewer)
    stranger = partners_survey(status=Survey.Status.REVIEW)["who"]
    client.force_login(reviewer.user)
    assert client.get(reverse("surveys:review_question", args=[survey.pk, stranger.pk])).status_code == 404


def test_written_answers_of_a_question_in_another_survey_are_not_found(coordinator_client, world):
    stranger = partners_survey()["words"]
    url = reverse("surveys_staff:text_answers", args=[world["survey"].pk, stranger.pk])
    assert coordinator_client.get(url).status_code == 404


def test_the_navigation_links_only_coordinators_to_survey_results(
    coordinator_client, commissioner_client, member_client, member
):
    respondent(member)
    link = f'href="{reverse("surveys_staff:list")}"'
    assert link in coordinator_client.get(reverse("surveys_staff:list")).content.decode()
    assert link not in commissioner_client.get(reverse("home")).content.decode()
    assert link not in member_client.get(reverse("surveys:list")).content.decode()
