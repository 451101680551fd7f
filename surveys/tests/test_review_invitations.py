"""Members chosen to check a draft survey's questions (member review) are told: once each per
survey, by email and by text to members who chose it, never to members taking a break or who
have left, and with nothing on a lock screen that names the survey."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.models import Member
from members.tests.factories import give_consents
from outbox import kinds, sending
from outbox.models import Channel, Message
from surveys import messages, services
from surveys.models import Survey

from .factories import MemberFactory, UserFactory, group_profile, partners_survey, respondent
from .test_admin import _change, _save

pytestmark = pytest.mark.django_db

TITLE = "Birth trauma and your mental health"


@pytest.fixture(autouse=True)
def profile():
    group_profile(short_name="Riverside group")


@pytest.fixture
def survey():
    return partners_survey(title=TITLE, status=Survey.Status.DRAFT)["survey"]


def _invitations():
    return Message.objects.filter(kind=messages.REVIEW_INVITATION)


def _put_into_review(client, survey, reviewers, capture):
    with capture(execute=True):
        response = _save(
            client,
            _change(client, "survey", survey.pk),
            status=Survey.Status.REVIEW,
            reviewers=[str(member.pk) for member in reviewers],
        )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_reviewers_get_one_email_with_the_link_when_the_survey_goes_into_review(
    coordinator_client, survey, celery_eager, django_capture_on_commit_callbacks
):
    amira = respondent(user=UserFactory(name="Amira Khan", email="amira@example.org"))
    ben = respondent(user=UserFactory(name="Ben Cole", email="ben@example.org"))
    _put_into_review(coordinator_client, survey, [amira, ben], django_capture_on_commit_callbacks)

    assert sorted(email.to[0] for email in mail.outbox) == ["amira@example.org", "ben@example.org"]
    email = next(email for email in mail.outbox if email.to == ["amira@example.org"])
    assert email.subject == "Help us check a survey's questions – Riverside group"
    assert "trauma" not in email.subject.lower()
    assert reverse("surveys:review", args=[survey.pk]) in email.body
    assert "check the questions before it opens" in email.body
    assert "You do not need to answer the questions." in email.body
    html = email.alternatives[0][0]
    assert reverse("surveys:review", args=[survey.pk]) in html


def test_the_email_says_by_when_if_the_survey_has_an_opening_date(survey):
    Survey.objects.filter(pk=survey.pk).update(
        status=Survey.Status.REVIEW, opens_at=timezone.now() + dt.timedelta(days=20)
    )
    survey.refresh_from_db()
    member = respondent(user=UserFactory(email="cara@example.org"))
    survey.reviewers.add(member)
    services.invite_reviewers(survey=survey)
    sending.send_pending()
    (email,) = mail.outbox
    assert "We plan to open the survey on" in email.body
    assert "so please send your comments before then" in email.body


def test_a_member_who_chose_texts_gets_a_text_with_no_survey_title(survey):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.REVIEW)
    survey.refresh_from_db()
    texter = respondent(reachable=True)
    survey.reviewers.add(texter)
    services.invite_reviewers(survey=survey)

    assert set(_invitations().values_list("channel", flat=True)) == {Channel.EMAIL, Channel.SMS}
    sms = _invitations().get(channel=Channel.SMS)
    words = kinds.get(messages.REVIEW_INVITATION).build(sms).text
    assert words.startswith("Riverside group: please help us check the questions for a new survey")
    assert reverse("surveys:review", args=[survey.pk]) in words
    assert "trauma" not in words.lower() and "mental" not in words.lower()


def test_members_taking_a_break_or_who_left_are_not_sent_one(
    coordinator_client, survey, celery_eager, django_capture_on_commit_callbacks
):
    paused = MemberFactory(paused=True)
    left = MemberFactory(left=True)
    give_consents(paused)
    give_consents(left)
    active = respondent(user=UserFactory(email="active@example.org"))
    _put_into_review(coordinator_client, survey, [paused, active], django_capture_on_commit_callbacks)
    # The admin offers only active and paused members; one who has left may still be on the list.
    survey.reviewers.add(left)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_reviewers(survey=survey)

    assert [email.to for email in mail.outbox] == [["active@example.org"]]
    assert set(_invitations().values_list("recipient", flat=True)) == {active.user.pk}


def test_a_reviewer_who_goes_on_a_break_before_it_is_sent_gets_nothing(survey):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.REVIEW)
    survey.refresh_from_db()
    member = respondent()
    survey.reviewers.add(member)
    services.invite_reviewers(survey=survey)
    Member.objects.filter(pk=member.pk).update(status=Member.Status.PAUSED)
    sending.send_pending()
    assert mail.outbox == []
    assert set(_invitations().values_list("status", flat=True)) == {Message.Status.SKIPPED}


def test_putting_it_into_review_twice_or_saving_again_sends_no_second(
    coordinator_client, survey, celery_eager, django_capture_on_commit_callbacks
):
    member = respondent(user=UserFactory(email="dee@example.org"))
    _put_into_review(coordinator_client, survey, [member], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        # Saved again while in review…
        assert _save(coordinator_client, _change(coordinator_client, "survey", survey.pk)).status_code == 302
        # …back to draft, and into review again.
        _save(coordinator_client, _change(coordinator_client, "survey", survey.pk), status=Survey.Status.DRAFT)
    _put_into_review(coordinator_client, survey, [member], django_capture_on_commit_callbacks)
    survey.refresh_from_db()
    services.invite_reviewers(survey=survey)
    sending.send_pending()

    assert [email.to for email in mail.outbox] == [["dee@example.org"]]
    assert _invitations().count() == 1


def test_a_reviewer_added_later_gets_one_and_the_others_no_second(
    coordinator_client, survey, celery_eager, django_capture_on_commit_callbacks
):
    first = respondent(user=UserFactory(email="first@example.org"))
    later = respondent(user=UserFactory(email="later@example.org"))
    _put_into_review(coordinator_client, survey, [first], django_capture_on_commit_callbacks)
    assert [email.to for email in mail.outbox] == [["first@example.org"]]

    with django_capture_on_commit_callbacks(execute=True):
        response = _save(
            coordinator_client,
            _change(coordinator_client, "survey", survey.pk),
            reviewers=[str(first.pk), str(later.pk)],
        )
    assert response.status_code == 302
    assert [email.to for email in mail.outbox] == [["first@example.org"], ["later@example.org"]]


def test_other_members_and_drafts_get_none(
    coordinator_client, survey, celery_eager, django_capture_on_commit_callbacks
):
    reviewer = respondent(user=UserFactory(email="reviewer@example.org"))
    respondent(user=UserFactory(email="someone@example.org"))
    # Chosen while the survey is still a draft: nothing yet.
    with django_capture_on_commit_callbacks(execute=True):
        _save(coordinator_client, _change(coordinator_client, "survey", survey.pk), reviewers=[str(reviewer.pk)])
    assert mail.outbox == [] and not _invitations().exists()

    _put_into_review(coordinator_client, survey, [reviewer], django_capture_on_commit_callbacks)
    assert [email.to for email in mail.outbox] == [["reviewer@example.org"]]


def test_an_invitation_is_not_sent_once_the_survey_has_left_review_or_they_are_no_longer_a_reviewer(survey):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.REVIEW)
    survey.refresh_from_db()
    kept, removed = respondent(), respondent()
    survey.reviewers.add(kept, removed)
    services.invite_reviewers(survey=survey)
    survey.reviewers.remove(removed)
    sending.send_pending()
    assert [email.to for email in mail.outbox] == [[kept.user.email]]

    other = partners_survey(status=Survey.Status.REVIEW)["survey"]
    other.reviewers.add(kept)
    services.invite_reviewers(survey=other)
    Survey.objects.filter(pk=other.pk).update(status=Survey.Status.OPEN)
    sending.send_pending()
    assert len(mail.outbox) == 1
