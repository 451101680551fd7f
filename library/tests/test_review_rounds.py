"""Review rounds: choosing members by filters, the invitations and the one reminder through the
outbox (consent-aware, by text for those who chose it), never to members taking a break or who left."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from library import messages, services
from library.models import Format, Resource
from library.reviewers import Participation, choose_reviewers, needs_for_format
from library.tasks import send_review_reminders
from library.tests.factories import draft_in_review, resource, reviewer
from members.models import Member
from members.services import record_consent
from outbox import sending
from outbox.models import Channel, Message

pytestmark = pytest.mark.django_db


def test_members_interested_in_a_topic_are_chosen():
    loss = reviewer(email="loss@example.org", topics=["perinatal_loss"])
    reviewer(email="anxiety@example.org", topics=["anxiety"])
    both = reviewer(email="both@example.org", topics=["anxiety", "perinatal_loss"])

    chosen = set(choose_reviewers(member_topics=["perinatal_loss"]))

    assert chosen == {loss, both}


def test_easy_read_drafts_go_to_members_who_asked_for_easy_read():
    easy = reviewer(email="easy@example.org", needs_easy_read=True)
    reviewer(email="standard@example.org")

    needs = needs_for_format(Format.EASY_READ)

    assert list(choose_reviewers(access_needs=list(needs))) == [easy]
    assert needs_for_format(Format.LEAFLET) == {}


def test_past_participation_picks_experienced_reviewers_or_new_voices():
    experienced, newcomer = reviewer(email="old@example.org"), reviewer(email="new@example.org")
    round_ = draft_in_review(members=[experienced])
    services.submit_feedback(invitation=round_.invitations.get(), ratings={1: "yes"})

    assert list(choose_reviewers(participation=Participation.REVIEWED_BEFORE)) == [experienced]
    assert list(choose_reviewers(participation=Participation.NEW_VOICES)) == [newcomer]


def test_members_taking_a_break_who_left_or_are_still_joining_are_never_invited():
    active = reviewer(email="active@example.org")
    paused = reviewer(email="paused@example.org")
    Member.objects.filter(pk=paused.pk).update(status=Member.Status.PAUSED)
    left = reviewer(email="left@example.org")
    Member.objects.filter(pk=left.pk).update(status=Member.Status.LEFT)
    joining = reviewer(email="joining@example.org")
    Member.objects.filter(pk=joining.pk).update(status=Member.Status.INTERESTED, onboarding_completed_at=None)

    assert list(choose_reviewers()) == [active]
    round_ = draft_in_review(members=[active, paused, left, joining])
    assert [invitation.member for invitation in round_.invitations.all()] == [active]


def test_opening_a_round_moves_the_draft_into_member_review():
    round_ = draft_in_review(members=[reviewer()])
    assert round_.resource.status == Resource.Status.IN_REVIEW


def test_an_idea_cannot_be_reviewed_and_the_deadline_must_be_ahead():
    member = reviewer()
    with pytest.raises(services.LibraryError, match="Write a draft first"):
        services.start_review_round(
            resource=resource(status=Resource.Status.IDEA),
            questions=["Clear?"],
            deadline=timezone.now() + dt.timedelta(days=2),
            members=[member],
        )
    with pytest.raises(services.LibraryError, match="future"):
        services.start_review_round(
            resource=resource(), questions=["Clear?"], deadline=timezone.now(), members=[member]
        )
    with pytest.raises(services.LibraryError, match="at least one question"):
        services.start_review_round(
            resource=resource(), questions=["  "], deadline=timezone.now() + dt.timedelta(days=2), members=[member]
        )


def test_the_invitation_goes_by_email_and_by_text_to_members_who_chose_text(
    django_capture_on_commit_callbacks, celery_eager
):
    by_text = reviewer(email="text@example.org", name="Tia Text")
    email_only = reviewer(email="email@example.org", name="Erin Email")
    Member.objects.filter(pk=email_only.pk).update(contact_by_sms=False)

    with django_capture_on_commit_callbacks(execute=True):
        round_ = draft_in_review(members=[by_text, email_only], title="Bonding with your baby when you are unwell")

    sent = Message.objects.filter(kind=messages.INVITATION)
    assert sorted((m.recipient.email, m.channel) for m in sent) == [
        ("email@example.org", Channel.EMAIL),
        ("text@example.org", Channel.EMAIL),
        ("text@example.org", Channel.SMS),
    ]
    email = next(message for message in mail.outbox if message.to == ["email@example.org"])
    invitation = round_.invitations.get(member=email_only)
    assert "Bonding with your baby" in email.body
    assert reverse("library:review", args=[invitation.pk]) in email.body
    assert "Is the language clear and kind?" in email.body
    assert "Bonding" not in email.subject  # the title may name a painful subject


def test_an_invitation_is_not_sent_to_someone_who_withdrew_consent_after_it_was_queued():
    member = reviewer()
    round_ = draft_in_review(members=[member])
    record_consent(member=member, purpose="contact", given=False)

    sending.send_pending()

    statuses = set(Message.objects.filter(kind=messages.INVITATION).values_list("status", flat=True))
    assert statuses == {Message.Status.SKIPPED}
    assert mail.outbox == []
    assert round_.invitations.count() == 1


def test_the_reminder_goes_once_before_the_deadline_only_to_those_who_have_not_replied():
    quiet, replied = reviewer(email="quiet@example.org"), reviewer(email="replied@example.org")
    Member.objects.filter(pk__in=[quiet.pk, replied.pk]).update(contact_by_sms=False)
    start = timezone.now()
    round_ = draft_in_review(members=[quiet, replied], deadline=start + dt.timedelta(days=5))
    services.submit_feedback(invitation=round_.invitations.get(member=replied), ratings={1: "yes"})
    sending.send_pending()
    mail.outbox.clear()

    with time_machine.travel(start + dt.timedelta(days=2), tick=False):
        send_review_reminders()  # three days to go: too early
    assert mail.outbox == []

    with time_machine.travel(start + dt.timedelta(days=3, hours=12), tick=False):
        send_review_reminders()
        send_review_reminders()  # the job runs again, or twice at once: still one reminder
    with time_machine.travel(start + dt.timedelta(days=4), tick=False):
        send_review_reminders()

    assert [message.to for message in mail.outbox] == [["quiet@example.org"]]
    assert "reminder" in mail.outbox[0].subject.lower()
    assert Message.objects.filter(kind=messages.REMINDER).count() == 1


def test_no_reminder_after_the_deadline_or_once_the_round_is_closed():
    member = reviewer()
    start = timezone.now()
    round_ = draft_in_review(members=[member], deadline=start + dt.timedelta(days=3))
    services.close_review_round(round_=round_)
    with time_machine.travel(start + dt.timedelta(days=2), tick=False):
        send_review_reminders()
    with time_machine.travel(start + dt.timedelta(days=4), tick=False):
        send_review_reminders()
    assert not Message.objects.filter(kind=messages.REMINDER).exists()


def test_a_coordinator_opens_a_round_in_the_admin_with_filters(coordinator_client, django_capture_on_commit_callbacks):
    easy = reviewer(email="easy@example.org", needs_easy_read=True, topics=["anxiety"])
    reviewer(email="no-easy@example.org", topics=["anxiety"])
    reviewer(email="easy-other-topic@example.org", needs_easy_read=True, topics=["birth_trauma"])
    draft = resource(title="Worry in pregnancy (Easy Read)", format=Format.EASY_READ)
    deadline = timezone.localtime(timezone.now() + dt.timedelta(days=10))

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("admin:library_reviewround_add"),
            {
                "resource": draft.pk,
                "deadline_0": deadline.strftime("%Y-%m-%d"),
                "deadline_1": "17:00:00",
                "introduction": "Please check the pictures match the words.",
                "questions_text": "Is the language clear and kind?\nDo the pictures help?",
                "member_topics": ["anxiety"],
                "access": "match_format",
                "participation": Participation.ANYONE,
                "invite_now": "on",
                "feedback-TOTAL_FORMS": "0",
                "feedback-INITIAL_FORMS": "0",
                "invitations-TOTAL_FORMS": "0",
                "invitations-INITIAL_FORMS": "0",
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    round_ = draft.review_rounds.get()
    assert round_.questions == ["Is the language clear and kind?", "Do the pictures help?"]
    assert [invitation.member for invitation in round_.invitations.all()] == [easy]
    assert Message.objects.filter(kind=messages.INVITATION, recipient=easy.user).exists()


def test_a_deadline_in_the_past_is_refused_by_the_field_in_the_admin(coordinator_client):
    draft = resource()
    response = coordinator_client.post(
        reverse("admin:library_reviewround_add"),
        {
            "resource": draft.pk,
            "deadline_0": "2020-01-01",
            "deadline_1": "10:00:00",
            "questions_text": "Clear?",
            "access": "anyone",
            "participation": "anyone",
            "feedback-TOTAL_FORMS": "0",
            "feedback-INITIAL_FORMS": "0",
            "invitations-TOTAL_FORMS": "0",
            "invitations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "The deadline must be in the future." in response.content.decode()
    assert not draft.review_rounds.exists()
