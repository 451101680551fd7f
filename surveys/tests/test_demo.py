"""The demo group has the four demo surveys, and seeding twice changes nothing."""

from __future__ import annotations

import pytest

from surveys.demo import seed_surveys
from surveys.models import Response, ReviewComment, Survey


@pytest.mark.django_db
def test_the_demo_has_a_satisfaction_survey_a_review_a_public_link_and_a_closed_survey(demo_group):
    satisfaction = Survey.objects.get(title="Your experience of the perinatal service")
    assert satisfaction.status == Survey.Status.OPEN and satisfaction.is_anonymous
    assert satisfaction.sections.get(title="For partners and family").show_when.count() == 2
    assert Response.objects.filter(survey=satisfaction, submitted_on__isnull=False).count() >= 300
    review = Survey.objects.get(status=Survey.Status.REVIEW)
    assert ReviewComment.objects.filter(question__section__survey=review).count() == 2
    assert Survey.objects.filter(audience=Survey.Audience.PUBLIC, status=Survey.Status.OPEN).exists()
    closed = Survey.objects.get(status=Survey.Status.CLOSED)
    assert closed.responses.count() > 20

    counts = (Survey.objects.count(), Response.objects.count(), ReviewComment.objects.count())
    seed_surveys()
    assert (Survey.objects.count(), Response.objects.count(), ReviewComment.objects.count()) == counts
