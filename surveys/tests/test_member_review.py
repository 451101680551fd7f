"""Co-design: chosen members read a draft survey and comment on each question (leading, unclear,
upsetting, an answer missing, or their own words) before it opens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys import services
from surveys.models import ReviewComment, Survey

from .factories import partners_survey, respondent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    world = partners_survey(status=Survey.Status.REVIEW)
    reviewer = respondent()
    world["survey"].reviewers.add(reviewer)
    client.force_login(reviewer.user)
    world["reviewer"] = reviewer
    return world


def _comment_url(world, question):
    return reverse("surveys:review_question", args=[world["survey"].pk, question.pk])


def test_a_reviewer_reads_every_question_with_its_answers_and_conditions(client, world):
    page = client.get(reverse("surveys:review", args=[world["survey"].pk])).content.decode()
    for key in ("who", "supported", "rating", "helped", "words", "visits"):
        assert world[key].text.replace("'", "&#x27;") in page
    assert "Only shown to people who answer: “A partner” or “A family member”." in page
    assert "Strongly agree; Agree; Neither agree nor disagree" in page


def test_a_reviewer_flags_a_leading_question_with_a_comment(client, world):
    response = client.post(
        _comment_url(world, world["rating"]), {"concerns": ["leading", "upsetting"], "comment": "Ask it plainly."}
    )
    assert response.url.endswith(f"#question-{world['rating'].pk}")
    comment = ReviewComment.objects.get()
    assert comment.member == world["reviewer"] and comment.question == world["rating"]
    assert comment.concern_labels == ["It leads people to an answer", "It could upset people"]
    page = client.get(reverse("surveys:review", args=[world["survey"].pk])).content.decode()
    assert "You have commented on this question 1 time." in page


def test_an_empty_comment_gets_a_message_and_saves_nothing(client, world):
    response = client.post(_comment_url(world, world["rating"]), {"comment": "   "})
    assert response.status_code == 200
    assert "Select something that is wrong, or write a comment." in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_a_made_up_concern_gets_a_message(client, world):
    response = client.post(_comment_url(world, world["rating"]), {"concerns": ["boring"]})
    assert "Select from the list shown." in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_comments_close_when_the_survey_leaves_member_review(world):
    Survey.objects.filter(pk=world["survey"].pk).update(status=Survey.Status.OPEN)
    world["rating"].section.survey.refresh_from_db()
    question = type(world["rating"]).objects.select_related("section__survey").get(pk=world["rating"].pk)
    with pytest.raises(services.SurveyError):
        services.add_review_comment(question=question, member=world["reviewer"], concerns=[], comment="Late")
