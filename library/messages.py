"""Messages about the library, through the outbox: invitations to review a draft, a reminder
before the deadline, "staff have answered your feedback", and the weekly review-due notice to
coordinators.

One function per message records it with `outbox.sending.queue` in the caller's transaction,
and the outbox sends it after commit, asking `members.consent.can_contact` at the moment of
sending (purpose "reviews": nothing goes to someone who withdrew consent, is taking a break or
left). Builders, registered in `LibraryConfig.ready()`, make the words at the moment of sending
from ``templates/emails/library/`` and say when a message is no longer needed:

- an invitation or a reminder: the round has closed or its deadline has passed; a reminder also
  once they have sent feedback;
- "your feedback was answered": a later message of the same kind covers it (its key is the
  invitation's ``answered_count``, so each new batch of answers is told once);
- the review-due notice: nothing is due any more. Its key is the ISO week, so each coordinator
  gets it exactly once a week however often the job runs.

Subjects and texts show on lock screens: they never give the resource's title (it may name a
painful subject) and never say what the group is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from common.formatting import date_and_time, long_date
from members.consent import ContactPurpose
from members.models import User
from members.recipients import STAFF
from members.roles import COORDINATORS
from outbox import kinds, sending
from outbox.kinds import Content, NoLongerNeeded
from outbox.models import Channel, Message
from outbox.rendering import render_for

from .models import PUBLIC_STATUSES, Resource, ReviewInvitation

INVITATION = "library.review_invitation"
REMINDER = "library.review_reminder"
ANSWERED = "library.feedback_answered"
REVIEW_DUE = "library.review_due"

PURPOSE = ContactPurpose.REVIEWS
EMAIL_AND_TEXT = (Channel.EMAIL, Channel.SMS)
TEMPLATES = "emails/library"

# Resources whose review date falls within this many days are listed as "due soon".
DUE_SOON_DAYS = 28


def _url(name: str, *args) -> str:
    return f"{settings.PORTAL_BASE_URL}{reverse(name, args=args)}"


# --- Queuing: one function per message ------------------------------------------------------


def queue_invitations(invitations: Iterable[ReviewInvitation], *, send_after_commit: bool = True) -> list[int]:
    """Asks each invited member to review the draft by the deadline."""
    return sending.queue_many(
        kind=INVITATION,
        items=[(invitation, invitation.member.user) for invitation in invitations],
        purpose=PURPOSE,
        channels_wanted=EMAIL_AND_TEXT,
        send_after_commit=send_after_commit,
    )


def queue_reminders(invitations: Iterable[ReviewInvitation], *, send_after_commit: bool = True) -> list[int]:
    """The one reminder before the deadline, to reviewers who have not sent feedback yet."""
    return sending.queue_many(
        kind=REMINDER,
        items=[(invitation, invitation.member.user) for invitation in invitations],
        purpose=PURPOSE,
        channels_wanted=EMAIL_AND_TEXT,
        send_after_commit=send_after_commit,
    )


def queue_feedback_answered(invitation: ReviewInvitation) -> list[int]:
    """Staff have answered the reviewer's points: come and see what happened to them."""
    return sending.queue(
        kind=ANSWERED,
        about=invitation,
        recipient=invitation.member.user,
        purpose=PURPOSE,
        key=invitation.answered_count,
        channels_wanted=EMAIL_AND_TEXT,
    )


def coordinators():
    return User.objects.filter(is_active=True, is_staff=True, groups__name=COORDINATORS).distinct()


def week_key(today: dt.date) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def due_resources(today: dt.date):
    """Published resources due for review within `DUE_SOON_DAYS`, or overdue, soonest first."""
    return Resource.objects.filter(
        status__in=PUBLIC_STATUSES, review_due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
    ).order_by("review_due_on", "title")


def queue_review_due_notices(*, today: dt.date | None = None, send_after_commit: bool = True) -> list[int]:
    """This week's list of resources due or overdue for review, to every coordinator (once a
    week: the key is the ISO week). Nothing is queued when nothing is due."""
    today = today or timezone.localdate()
    if not due_resources(today).exists():
        return []
    return sending.queue_many(
        kind=REVIEW_DUE,
        items=[(user, user) for user in coordinators()],
        purpose=STAFF,
        key=week_key(today),
        channels_wanted=(Channel.EMAIL,),
        send_after_commit=send_after_commit,
    )


# --- Building, at the moment of sending ---------------------------------------------------------


def _invitation(message: Message) -> ReviewInvitation:
    invitation = (
        ReviewInvitation.objects.select_related("round__resource", "member__user").filter(pk=message.about_id).first()
    )
    if invitation is None:
        raise NoLongerNeeded("the invitation no longer exists.")
    return invitation


def _refuse_unless_open(invitation: ReviewInvitation) -> None:
    if invitation.round.closed_at is not None:
        raise NoLongerNeeded("the review round has closed.")
    if invitation.round.deadline <= timezone.now():
        raise NoLongerNeeded("the deadline has passed.")


def _context(invitation: ReviewInvitation) -> dict[str, Any]:
    round_ = invitation.round
    return {
        "user": invitation.member.user,
        "member": invitation.member,
        "invitation": invitation,
        "resource": round_.resource,
        "format": round_.resource.get_format_display(),
        "deadline": date_and_time(round_.deadline),
        "deadline_date": long_date(round_.deadline),
        "questions": round_.questions,
        "review_url": _url("library:review", invitation.pk),
        "feedback_url": _url("library:my_feedback"),
    }


def build_invitation(message: Message) -> Content:
    """What the draft is for, the questions, the deadline and the link to review it."""
    invitation = _invitation(message)
    _refuse_unless_open(invitation)
    return render_for(message, f"{TEMPLATES}/invitation", _context(invitation))


def build_reminder(message: Message) -> Content:
    """The deadline is close: the link again, and that there is no pressure."""
    invitation = _invitation(message)
    _refuse_unless_open(invitation)
    if invitation.responded_at is not None:
        raise NoLongerNeeded("they have already sent feedback.")
    return render_for(message, f"{TEMPLATES}/reminder", _context(invitation))


def build_answered(message: Message) -> Content:
    """Staff have answered their points; the page shows what happened to each."""
    invitation = _invitation(message)
    if int(message.key) < invitation.answered_count:
        raise NoLongerNeeded("a later message tells them about these answers too.")
    context = {**_context(invitation), "answered": invitation.answered_count}
    return render_for(message, f"{TEMPLATES}/answered", context)


def build_review_due(message: Message) -> Content:
    """The resources due or overdue for review, with links to each in the admin."""
    today = timezone.localdate()
    resources = list(due_resources(today))
    if not resources:
        raise NoLongerNeeded("no resource is due for review any more.")
    rows = [
        {
            "title": resource.title,
            "due": long_date(resource.review_due_on),
            "overdue": resource.review_due_on < today,
            "url": _url("admin:library_resource_change", resource.pk),
        }
        for resource in resources
    ]
    context = {
        "user": message.recipient,
        "rows": rows,
        "overdue_count": sum(row["overdue"] for row in rows),
        "list_url": _url("admin:library_resource_changelist") + "?review=due",
    }
    return render_for(message, f"{TEMPLATES}/review_due", context)


def register_kinds() -> None:
    """Tells the outbox how to build each kind of library message (from `LibraryConfig.ready`)."""
    kinds.register(INVITATION, label="Invitation to review a draft", build=build_invitation)
    kinds.register(REMINDER, label="Reminder to review a draft", build=build_reminder)
    kinds.register(ANSWERED, label="Your review feedback was answered", build=build_answered)
    kinds.register(REVIEW_DUE, label="Library resources due for review", build=build_review_due)
