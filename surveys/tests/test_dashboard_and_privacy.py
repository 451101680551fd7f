"""Open surveys on the member's "Your involvement" page (in a fixed number of queries), and the
member's surveys in their data download and erasure."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.dashboard import entries_for
from members.privacy import erase_member, member_export
from surveys.models import Response, ReviewComment, Survey
from surveys.services import add_review_comment

from .factories import answer, choice, partners_survey, respondent

pytestmark = pytest.mark.django_db


def _titles(member):
    return {entry.title: entry for entry in entries_for(member)}


def test_open_surveys_not_yet_answered_are_on_the_dashboard(member_client, member):
    amira = respondent(member)
    first, second = partners_survey(), partners_survey(named=True)
    partners_survey(status=Survey.Status.DRAFT)
    partners_survey(public=True)
    entry = _titles(amira)["Surveys to answer"]
    assert entry.highlight == "2 to answer" and entry.url == reverse("surveys:list")
    answer(first["survey"], {first["who"]: {"choices": [choice(first["who"], "A partner").pk]}}, member=amira)
    assert _titles(amira)["Surveys to answer"].highlight == "1 to answer"
    page = member_client.get(reverse("members:dashboard")).content.decode()
    assert "Surveys to answer" in page
    assert second["survey"].title in member_client.get(reverse("surveys:list")).content.decode()


def test_surveys_to_review_are_on_the_dashboard_of_chosen_reviewers_only():
    survey = partners_survey(status=Survey.Status.REVIEW)["survey"]
    reviewer, other = respondent(), respondent()
    survey.reviewers.add(reviewer)
    assert "Survey questions to check" in _titles(reviewer)
    assert "Survey questions to check" not in _titles(other)


def test_the_dashboard_entries_cost_the_same_queries_for_one_survey_or_many(django_assert_max_num_queries):
    from surveys.dashboard import dashboard_entries

    member = respondent()
    partners_survey()
    with django_assert_max_num_queries(2):
        dashboard_entries(member)
    for _ in range(5):
        partners_survey()
    with django_assert_max_num_queries(2):
        assert dashboard_entries(member)[0].highlight == "6 to answer"


def test_the_data_download_has_named_answers_and_only_the_fact_of_anonymous_ones():
    member = respondent()
    named, anonymous = partners_survey(named=True, title="Named survey"), partners_survey(title="Anonymous survey")
    answer(
        named["survey"],
        {named["words"]: {"text": "My own words"}, named["who"]: {"choices": [choice(named["who"], "A partner").pk]}},
        member=member,
    )
    answer(
        anonymous["survey"],
        {
            anonymous["words"]: {"text": "Secret words"},
            anonymous["who"]: {"choices": [choice(anonymous["who"], "A partner").pk]},
        },
        member=member,
    )
    section = next(s for s in member_export(member) if s.key == "surveys")
    text = str(section.data)
    assert "My own words" in text and "Named survey" in text
    assert "Anonymous survey" in text and "Secret words" not in text


def test_erasure_removes_drafts_and_takes_the_member_off_named_answers_and_comments():
    member = respondent()
    named = partners_survey(named=True)
    draft_survey = partners_survey(named=True)
    answer(named["survey"], {named["who"]: {"choices": [choice(named["who"], "A partner").pk]}}, member=member)
    Response.objects.create(survey=draft_survey["survey"], member=member, draft={"1": {"text": "half"}})
    review = partners_survey(status=Survey.Status.REVIEW)
    add_review_comment(question=review["who"], member=member, concerns=["unclear"], comment="Hard to read")
    erase_member(member=member)
    assert not Response.objects.filter(member=member).exists()
    assert not Response.objects.filter(submitted_on__isnull=True).exists()
    assert Response.objects.filter(survey=named["survey"]).count() == 1  # the answers stay, anonymous
    assert ReviewComment.objects.get().member is None
