"""Invitations and the reminder go through the outbox: by email, and by text to members who
chose it; only with consent, never to members taking a break or who have left; the reminder only
to those who have not answered (from "has answered", never from the answers); once per member."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from members.models import Member
from members.tests.factories import give_consents
from outbox import sending
from outbox.models import Channel, Message
from surveys import messages, services
from surveys.models import Invitation, Survey

from .factories import MemberFactory, UserFactory, answer, choice, group_profile, partners_survey, respondent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def profile():
    group_profile(short_name="Riverside group")


@pytest.fixture
def world():
    return partners_survey(title="Birth trauma and your mental health")


def _sent(kind):
    return Message.objects.filter(kind=kind)


def test_an_invitation_goes_by_email_and_by_text_to_members_who_chose_it(world):
    amira = respondent(reachable=True, user=UserFactory(name="Amira Khan", email="amira@example.org"))
    services.invite_members(survey=world["survey"], members=[amira])
    assert set(_sent(messages.INVITATION).values_list("channel", flat=True)) == {Channel.EMAIL, Channel.SMS}
    sending.send_pending()
    email = mail.outbox[0]
    assert email.to == ["amira@example.org"]
    assert email.subject == "We would like your views – Riverside group"
    assert "Birth trauma" not in email.subject
    assert "Your answers are anonymous" in email.body
    assert reverse("surveys:start", args=[world["survey"].pk]) in email.body


def test_members_taking_a_break_or_who_left_are_not_invited(world):
    paused = MemberFactory(paused=True)
    left = MemberFactory(left=True)
    give_consents(paused)
    assert services.invite_members(survey=world["survey"], members=[paused, left]) == 0
    assert not Invitation.objects.exists() and not Message.objects.exists()


def test_nothing_goes_to_a_member_who_withdrew_consent_to_be_contacted(world):
    member = respondent()
    services.invite_members(survey=world["survey"], members=[member])
    give_consents(member, contact=False)
    sending.send_pending()
    assert mail.outbox == []
    assert _sent(messages.INVITATION).get().status == Message.Status.SKIPPED


def test_a_member_who_goes_on_a_break_after_being_invited_gets_no_message(world):
    member = respondent()
    services.invite_members(survey=world["survey"], members=[member])
    Member.objects.filter(pk=member.pk).update(status=Member.Status.PAUSED)
    sending.send_pending()
    assert mail.outbox == []


def test_inviting_twice_makes_one_invitation_per_member(world):
    member = respondent()
    services.invite_members(survey=world["survey"], members=[member])
    assert services.invite_members(survey=world["survey"], members=[member]) == 0
    assert _sent(messages.INVITATION).count() == 1


def test_the_reminder_goes_only_to_invited_members_who_have_not_answered(world):
    survey, who = world["survey"], world["who"]
    answered = respondent(user=UserFactory(email="answered@example.org"))
    waiting = respondent(user=UserFactory(email="waiting@example.org"))
    services.invite_members(survey=survey, members=[answered, waiting])
    sending.send_pending()
    answer(survey, {who: {"choices": [choice(who, "A partner").pk]}}, member=answered)
    mail.outbox.clear()

    assert services.send_reminders(survey=survey) == 1
    sending.send_pending()
    assert [email.to for email in mail.outbox] == [["waiting@example.org"]]
    assert mail.outbox[0].subject == "A reminder: we would like your views – Riverside group"


def test_the_reminder_is_sent_once_however_often_staff_press_the_button(world):
    member = respondent()
    services.invite_members(survey=world["survey"], members=[member])
    services.send_reminders(survey=world["survey"])
    services.send_reminders(survey=world["survey"])
    sending.send_pending()
    services.send_reminders(survey=world["survey"])
    sending.send_pending()
    assert _sent(messages.REMINDER).count() == 1


def test_a_reminder_queued_before_the_member_answered_is_not_sent(world):
    survey, who = world["survey"], world["who"]
    member = respondent()
    services.invite_members(survey=survey, members=[member])
    sending.send_pending()
    services.send_reminders(survey=survey, send_after_commit=False)
    answer(survey, {who: {"choices": [choice(who, "A partner").pk]}}, member=member)
    mail.outbox.clear()
    sending.send_pending()
    assert mail.outbox == []
    assert _sent(messages.REMINDER).get().status == Message.Status.SKIPPED


def test_no_invitations_for_public_surveys_or_surveys_not_open():
    member = respondent()
    for survey in (partners_survey(public=True)["survey"], partners_survey(status=Survey.Status.DRAFT)["survey"]):
        with pytest.raises(services.SurveyError):
            services.invite_members(survey=survey, members=[member])


def test_a_coordinator_invites_everyone_active_and_sends_the_reminder_from_the_staff_page(coordinator_client, world):
    members = [respondent() for _ in range(3)]
    MemberFactory(paused=True)
    url = reverse("surveys_staff:invite", args=[world["survey"].pk])
    response = coordinator_client.post(url, {"action": "everyone"}, follow=True)
    assert "3 members invited." in response.content.decode()
    assert set(Invitation.objects.values_list("member_id", flat=True)) == {m.pk for m in members}
    response = coordinator_client.post(url, {"action": "remind"}, follow=True)
    assert "Reminder queued for 3 members who have not answered." in response.content.decode()


def test_a_coordinator_finds_members_by_name_and_invites_those_ticked(coordinator_client, world):
    grace = respondent(user=UserFactory(name="Grace Obi"))
    respondent(user=UserFactory(name="Hannah Lewis"))
    url = reverse("surveys_staff:invite", args=[world["survey"].pk])
    page = coordinator_client.get(url, {"q": "grace"}).content.decode()
    assert "Grace Obi" in page and "Hannah Lewis" not in page
    coordinator_client.post(url, {"action": "chosen", "members": [str(grace.pk), "not-a-number"]})
    assert list(Invitation.objects.values_list("member_id", flat=True)) == [grace.pk]
