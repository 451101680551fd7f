"""Realistic messages of every kind the outbox knows, made the way each app makes them.

For each registered kind, ``MAKERS[kind](member)`` makes the objects a real message of that kind
is about (with the apps' factories) and has the app queue it through its own code (its
services or its ``messages.py``), to ``member``: an active member who consents to everything
and chose email and text messages. The tests that check every kind (discreet words, consent at
the moment of sending) use these, and fail for a kind that has none here: add one with the kind.

Meetings and activities are given titles that must never reach a lock screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from expenses import services as expenses
from expenses.models import Category, ExpenseClaim
from expenses.tests.factories import FinanceApproverFactory, attended_meeting
from meetings import messages as meeting_messages
from meetings import services as meetings
from meetings.models import Meeting
from meetings.tests.factories import MeetingFactory, RegistrationFactory, contactable_member, group_profile, register
from members.messages import welcome
from members.models import Member
from members.tests.factories import MemberFactory, UserFactory, give_consents
from outbox.models import Message
from surveys import services as surveys
from surveys.models import Survey
from surveys.tests.factories import partners_survey

# Titles as a group might write them: none may show in a subject line or a text message.
SENSITIVE_TITLE = "Experiences of birth trauma, anxiety and postnatal depression"
PASSWORD = "a-long-and-memorable-phrase"

MAKERS: dict[str, Callable[[Member], None]] = {}


def makes(*kinds: str):
    def register(maker: Callable[[Member], None]) -> Callable[[Member], None]:
        for kind in kinds:
            MAKERS[kind] = maker
        return maker

    return register


def realistic_group() -> None:
    """The group profile as a real group fills it in (the demo's short name, a full name that
    says what the group is about, which only message bodies may show)."""
    group_profile(
        short_name="Riverside group",
        name="Riverside Perinatal Mental Health Involvement Group",
        contact_phone="0300 123 4567",
        contact_email="involvement@riverside.example",
    )


def reachable_member(**user) -> Member:
    """An active member who consents to everything and chose email and text messages."""
    user = {"name": "Grace Obi", "email": "grace@example.org", **user}
    member = MemberFactory(
        user=UserFactory(**user),
        active=True,
        reachable=True,
        payment_preference=Member.PaymentPreference.INVOLVEMENT_PAYMENTS,
    )
    give_consents(member)
    return member


def messages_to(kind: str, member: Member):
    """The messages of ``kind`` to ``member`` (a maker may also make some to other people: the
    member who gave up a place, an address with no account)."""
    return Message.objects.filter(kind=kind, recipient=member.user).order_by("pk")


# --- Expenses -------------------------------------------------------------------------------------


def _claim_at(status: str):
    def make(member: Member) -> None:
        meeting = attended_meeting(member, kind=Meeting.Kind.FOCUS_GROUP, title=SENSITIVE_TITLE)
        claim = expenses.start_or_get_claim(member=member, meeting=meeting)
        expenses.add_item(claim=claim, category=Category.MILEAGE, miles="12")
        expenses.submit_claim(claim=claim, declaration=True)
        approver = FinanceApproverFactory()
        Status = ExpenseClaim.Status
        if status == Status.QUERIED:
            expenses.query_claim(claim=claim, by=approver, message="Was the trip to the perinatal unit a return trip?")
        elif status == Status.REJECTED:
            expenses.reject_claim(claim=claim, by=approver, reason="This was an online meeting about anxiety.")
        elif status in (Status.APPROVED, Status.PAID):
            expenses.approve_claim(claim=claim, by=approver)
        if status == Status.PAID:
            expenses.mark_paid(claim=claim, by=approver, paid_on=timezone.localdate(), reference="BACS-0042")

    return make


for _status in ("submitted", "queried", "approved", "rejected", "paid"):
    MAKERS[f"expenses.claim_{_status}"] = _claim_at(_status)


# --- Members --------------------------------------------------------------------------------------


@makes("members.welcome")
def _welcome(member: Member) -> None:
    welcome(member=member)


@makes("members.account_email")
def _account_emails(member: Member) -> None:
    """Each email allauth writes: confirm a new account, "you already have an account", reset a
    password (for an account and for an address with none), confirm an added address."""
    email = member.user.email
    visitor = Client()
    signup = {"name": "Someone", "password1": PASSWORD, "password2": PASSWORD}
    visitor.post(reverse("account_signup"), {**signup, "email": email})  # already has an account
    visitor.post(reverse("account_reset_password"), {"email": email})
    visitor.post(reverse("account_reset_password"), {"email": f"not.{email}"})
    newcomer = Client()
    newcomer.post(reverse("account_signup"), {**signup, "email": f"new.{email}"})
    own = Client()
    own.force_login(member.user)
    own.post(reverse("account_email"), {"action_add": "", "email": f"second.{email}"})


# --- Meetings -------------------------------------------------------------------------------------


def _sensitive_meeting(**fields) -> Meeting:
    fields.setdefault("title", SENSITIVE_TITLE)
    return MeetingFactory(sensitive=True, **fields)


@makes("meetings.reminder")
def _reminder(member: Member) -> None:
    registration = register(_sensitive_meeting(), member=member)
    meeting_messages.queue_reminders([registration], days_before=7)
    online = register(MeetingFactory(online=True, title=SENSITIVE_TITLE), member=member)
    meeting_messages.queue_reminders([online], days_before=1)


@makes("meetings.debrief")
def _debrief(member: Member) -> None:
    ended = timezone.now() - dt.timedelta(hours=2)
    for sensitive in (True, False):
        meeting = MeetingFactory(
            starts_at=ended - dt.timedelta(hours=2), ends_at=ended, title=SENSITIVE_TITLE, is_sensitive=sensitive
        )
        registration = RegistrationFactory(meeting=meeting, member=member, attended=True)
        meeting_messages.queue_debriefs([registration])


@makes("meetings.promoted")
def _promoted(member: Member) -> None:
    meeting = _sensitive_meeting(capacity=1)
    holder = register(meeting, member=contactable_member())
    register(meeting, member=member)  # waiting
    meetings.cancel_registration(registration=holder)


@makes("meetings.cancelled")
def _cancelled(member: Member) -> None:
    meeting = _sensitive_meeting()
    register(meeting, member=member)
    meetings.cancel_meeting(meeting=meeting, reason="The room is no longer available.")


@makes("meetings.changed")
def _changed(member: Member) -> None:
    meeting = _sensitive_meeting()
    register(meeting, member=member)
    later = meeting.starts_at + dt.timedelta(days=1, hours=3)
    meetings.change_meeting(meeting=meeting, starts_at=later, ends_at=later + dt.timedelta(hours=2))


# --- Surveys --------------------------------------------------------------------------------------


def _survey_about_something_painful():
    return partners_survey(title=SENSITIVE_TITLE)["survey"]


@makes("surveys.invitation")
def _survey_invitation(member: Member) -> None:
    surveys.invite_members(survey=_survey_about_something_painful(), members=[member])


@makes("surveys.reminder")
def _survey_reminder(member: Member) -> None:
    survey = _survey_about_something_painful()
    surveys.invite_members(survey=survey, members=[member])
    surveys.send_reminders(survey=survey)


@makes("surveys.review_invitation")
def _survey_review_invitation(member: Member) -> None:
    survey = partners_survey(title=SENSITIVE_TITLE, status=Survey.Status.REVIEW)["survey"]
    survey.reviewers.add(member)
    surveys.invite_reviewers(survey=survey)


# --- Discussions ----------------------------------------------------------------------------------


def _discussion_writer() -> Member:
    from discussions.tests.factories import feed_member

    return feed_member(UserFactory(name="Beth Jones", email="beth@example.org"))


@makes("discussions.new_post")
def _new_post(member: Member) -> None:
    from discussions import services as discussions

    discussions.save_alerts(user=member.user, new_posts="immediately", replies="never", team="never")
    writer = _discussion_writer()
    discussions.start_post(user=writer.user, member=writer, kind="story", title=SENSITIVE_TITLE, body=SENSITIVE_TITLE)


@makes("discussions.reply")
def _discussion_reply(member: Member) -> None:
    from discussions import services as discussions
    from discussions.tests.factories import PostFactory

    thread = PostFactory(author=member.user, title=SENSITIVE_TITLE)
    writer = _discussion_writer()
    discussions.reply_to(thread=thread, user=writer.user, member=writer, body=SENSITIVE_TITLE)


@makes("discussions.team_message")
def _team_message(member: Member) -> None:
    from discussions import services as discussions
    from discussions.tests.factories import CoordinatorFactory

    conversation = discussions.ask_the_team(user=member.user, subject=SENSITIVE_TITLE, body=SENSITIVE_TITLE)
    discussions.write_message(conversation=conversation, user=CoordinatorFactory(), body=SENSITIVE_TITLE)


@makes("discussions.digest")
def _digest(member: Member) -> None:
    from discussions import services as discussions
    from discussions.alerts import last_finished_periods, period_window
    from discussions.messages import queue_digests
    from discussions.tests.factories import PostFactory, ReplyFactory

    discussions.save_alerts(user=member.user, new_posts="daily", replies="daily", team="never")
    frequency, start = last_finished_periods()[0]
    during = period_window(frequency, start)[0] + dt.timedelta(hours=10)
    PostFactory(title=SENSITIVE_TITLE, published_at=during)
    mine = PostFactory(title=SENSITIVE_TITLE, author=member.user, published_at=during)
    ReplyFactory(thread=mine, published_at=during)
    queue_digests(frequency=frequency, start=start)


@makes("discussions.safeguarding")
def _safeguarding(member: Member) -> None:
    from discussions import services as discussions
    from discussions.tests.factories import CoordinatorFactory, safeguarding_phrases

    CoordinatorFactory()
    safeguarding_phrases("end it all")
    discussions.start_post(
        user=member.user, member=member, kind="discussion", title=SENSITIVE_TITLE, body="I want to end it all."
    )


@makes("discussions.team_question")
def _team_question(member: Member) -> None:
    from discussions import services as discussions
    from discussions.tests.factories import CoordinatorFactory

    CoordinatorFactory()
    discussions.ask_the_team(user=member.user, subject=SENSITIVE_TITLE, body=SENSITIVE_TITLE)


# --- Library ----------------------------------------------------------------------------------------


def _draft_for_review(member: Member, **round_fields):
    """A draft with a painful title in a review round the member is invited to."""
    from library import services as library
    from library.tests.factories import resource

    draft = resource(title=SENSITIVE_TITLE)
    return library.start_review_round(
        resource=draft,
        questions=["Is the language clear and kind?", "Could anything upset someone who has been through this?"],
        deadline=round_fields.get("deadline", timezone.now() + dt.timedelta(days=10)),
        members=[member],
    )


@makes("library.review_invitation")
def _review_invitation(member: Member) -> None:
    _draft_for_review(member)


@makes("library.review_reminder")
def _review_reminder(member: Member) -> None:
    from library import messages as library_messages

    round_ = _draft_for_review(member, deadline=timezone.now() + dt.timedelta(days=1))
    library_messages.queue_reminders(round_.invitations.all())


@makes("library.feedback_answered")
def _feedback_answered(member: Member) -> None:
    from library import services as library

    round_ = _draft_for_review(member)
    point = library.submit_feedback(
        invitation=round_.invitations.get(), ratings={1: "mostly"}, overall="The part about trauma upset me."
    )[0]
    library.respond_to_feedback(
        feedback=point, response="changed", reason="We moved the trauma section further down.", by=None
    )


@makes("library.review_due")
def _review_due(member: Member) -> None:
    from library import messages as library_messages
    from library import services as library
    from library.models import Resource
    from library.tests.factories import resource
    from members.tests.factories import CoordinatorFactory

    CoordinatorFactory()
    overdue = resource(title=SENSITIVE_TITLE)
    library.move_resource(resource=overdue, to=Resource.Status.APPROVED)
    library.publish_resource(resource=overdue)
    Resource.objects.filter(pk=overdue.pk).update(review_due_on=timezone.localdate() - dt.timedelta(days=3))
    library_messages.queue_review_due_notices()


# --- Reports --------------------------------------------------------------------------------------


@makes("involvement.report_ready")
def _report_ready(member: Member) -> None:
    """A coordinator's case study of a project with a painful title is ready (the member is not
    told: reports are for staff and commissioners)."""
    from involvement.messages import queue_report_ready
    from involvement.models import ReportRun
    from involvement.tests.project_factories import project
    from members.tests.factories import CoordinatorFactory

    run = ReportRun.objects.create(
        kind=ReportRun.Kind.PROJECT,
        project=project(title=SENSITIVE_TITLE),
        requested_by=CoordinatorFactory(),
        status=ReportRun.Status.READY,
        finished_at=timezone.now(),
    )
    queue_report_ready(run)
