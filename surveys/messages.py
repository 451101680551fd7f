"""Survey invitations and reminders, by email and text, through the outbox.

`queue_invitations` and `queue_reminders` record one message per invited member in the caller's
transaction (`surveys.services` calls them); the outbox sends them after commit, asking
`members.consent.can_contact(member, "surveys", channel)` at the moment of sending, so nothing
goes to a member who withdrew consent, is taking a break or has left. Each message is about the
member's `Invitation`, so the outbox's unique key makes the invitation once and the reminder once
(its key is ``"1"``) per member, however often staff press the button.

At the moment of sending the builder says a message is no longer needed when the survey is not
open any more, or when the member has answered since (the `Participation` row: it records only
that they answered, never which answers were theirs).

The review invitation (`queue_review_invitations`) asks each member chosen to check a draft's
questions (member review) to come and comment. It is about the `Survey`, so the unique key makes
it once per reviewer per survey, however often the survey is saved or put into review. It is no
longer needed when the survey has left member review or the member is no longer a reviewer (or
no longer active) by the time it goes.

Subjects and texts show on lock screens: "We would like your views – <group short name>", never
the survey's title (it may name something painful). See docs/decisions/0012.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from common.formatting import long_date
from members.consent import ContactPurpose
from members.models import Member
from outbox import kinds, sending
from outbox.kinds import Content, NoLongerNeeded
from outbox.models import Channel, Message
from outbox.rendering import render_for

from .models import Invitation, Participation, Survey
from .selectors import ANSWERING_STATUSES

INVITATION = "surveys.invitation"
REMINDER = "surveys.reminder"
REVIEW_INVITATION = "surveys.review_invitation"
REMINDER_KEY = "1"
PURPOSE = ContactPurpose.SURVEYS
EMAIL_AND_TEXT = (Channel.EMAIL, Channel.SMS)
TEMPLATES = "emails/surveys"


def survey_url(survey: Survey) -> str:
    """The survey's start page on the portal's public address (no request in a background job)."""
    try:
        path = reverse("surveys:start", args=[survey.pk])
    except NoReverseMatch:
        path = f"/surveys/{survey.pk}/"
    return f"{settings.PORTAL_BASE_URL}{path}"


def review_url(survey: Survey) -> str:
    """The member review page, where a reviewer reads the draft and comments on each question."""
    return f"{settings.PORTAL_BASE_URL}{reverse('surveys:review', args=[survey.pk])}"


def _items(invitations: Iterable[Invitation]) -> list[tuple[Invitation, Any]]:
    return [(invitation, invitation.member.user) for invitation in invitations]


def queue_invitations(invitations: Iterable[Invitation], *, send_after_commit: bool = True) -> list[int]:
    """The invitation to answer, for each invitation (one per member, ever)."""
    return sending.queue_many(
        kind=INVITATION,
        items=_items(invitations),
        purpose=PURPOSE,
        channels_wanted=EMAIL_AND_TEXT,
        send_after_commit=send_after_commit,
    )


def queue_reminders(invitations: Iterable[Invitation], *, send_after_commit: bool = True) -> list[int]:
    """The one reminder, for invited members who have not answered (the caller chooses them)."""
    return sending.queue_many(
        kind=REMINDER,
        items=_items(invitations),
        purpose=PURPOSE,
        key=REMINDER_KEY,
        channels_wanted=EMAIL_AND_TEXT,
        send_after_commit=send_after_commit,
    )


def queue_review_invitations(survey: Survey, members: Iterable[Member], *, send_after_commit: bool = True) -> list[int]:
    """Asks each reviewer to check the draft's questions (once per reviewer per survey, ever)."""
    return sending.queue_many(
        kind=REVIEW_INVITATION,
        items=[(survey, member.user) for member in members],
        purpose=PURPOSE,
        channels_wanted=EMAIL_AND_TEXT,
        send_after_commit=send_after_commit,
    )


def _invitation(message: Message) -> Invitation:
    invitation = Invitation.objects.select_related("survey", "member__user").filter(pk=message.about_id).first()
    if invitation is None:
        raise NoLongerNeeded("the invitation no longer exists.")
    survey = invitation.survey
    if not survey.is_open():
        raise NoLongerNeeded("the survey is not open.")
    if invitation.member.status not in ANSWERING_STATUSES:
        raise NoLongerNeeded("they are no longer an active member.")
    if Participation.objects.filter(survey=survey, member=invitation.member).exists():
        raise NoLongerNeeded("they have answered the survey already.")
    return invitation


def _context(invitation: Invitation) -> dict[str, Any]:
    survey = invitation.survey
    return {
        "user": invitation.member.user,
        "member": invitation.member,
        "survey": survey,
        "closes": long_date(survey.closes_at) if survey.closes_at else "",
        "survey_url": survey_url(survey),
    }


def build_invitation(message: Message) -> Content:
    """What the survey is, how long it takes, whether it is anonymous, and the link."""
    invitation = _invitation(message)
    return render_for(message, f"{TEMPLATES}/invitation", _context(invitation))


def build_reminder(message: Message) -> Content:
    """The survey is still open; not sent to anyone who has answered by the time it goes."""
    invitation = _invitation(message)
    return render_for(message, f"{TEMPLATES}/reminder", _context(invitation))


def build_review_invitation(message: Message) -> Content:
    """What member review is, what to do, and the link to the review page."""
    survey = Survey.objects.filter(pk=message.about_id).first()
    if survey is None:
        raise NoLongerNeeded("the survey no longer exists.")
    if survey.status != Survey.Status.REVIEW:
        raise NoLongerNeeded("the survey is no longer in member review.")
    member = survey.reviewers.filter(user_id=message.recipient_id).select_related("user").first()
    if member is None:
        raise NoLongerNeeded("they are no longer a reviewer of this survey.")
    if member.status != Member.Status.ACTIVE or member.erased_at is not None:
        raise NoLongerNeeded("they are taking a break or are no longer a member.")
    context = {
        "user": member.user,
        "member": member,
        "survey": survey,
        "opens": long_date(survey.opens_at) if survey.opens_at else "",
        "review_url": review_url(survey),
    }
    return render_for(message, f"{TEMPLATES}/review_invitation", context)


def register_kinds() -> None:
    """Tells the outbox how to build survey messages (from `SurveysConfig.ready`)."""
    kinds.register(INVITATION, label="Survey invitation", build=build_invitation)
    kinds.register(REMINDER, label="Survey reminder", build=build_reminder)
    kinds.register(REVIEW_INVITATION, label="Help us check a survey's questions", build=build_review_invitation)
