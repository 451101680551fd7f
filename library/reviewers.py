"""Choosing whom to invite to review a draft: the filters coordinators use.

Only active members who have finished joining are ever chosen (never anyone taking a break,
who left, or was erased); whether each may be contacted, and how, is the outbox's question at
the moment of sending. The filters:

- **interest**: members who said a topic is part of their own experience (the lived-experience
  topics on their profile, matched through ``Topic.member_topic``);
- **access needs**: Easy Read drafts go to those who asked for Easy Read, large print drafts to
  those who asked for large print (coordinators can widen this);
- **past participation**: everyone, only those who have reviewed before, or only those who have
  not (to hear new voices).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from members.models import Member

from .models import Format, QuestionAnswer, ReviewFeedback


class Participation:
    ANYONE = "anyone"
    REVIEWED_BEFORE = "reviewed_before"
    NEW_VOICES = "new_voices"

    CHOICES = [
        (ANYONE, "Anyone"),
        (REVIEWED_BEFORE, "Only members who have reviewed a draft before"),
        (NEW_VOICES, "Only members who have not reviewed a draft yet"),
    ]


def needs_for_format(format_: str) -> dict[str, bool]:
    """The access need a draft in this format is meant for, if any."""
    if format_ == Format.EASY_READ:
        return {"needs_easy_read": True}
    if format_ == Format.LARGE_PRINT:
        return {"needs_large_print": True}
    return {}


def choose_reviewers(
    *,
    member_topics: Iterable[str] = (),
    access_needs: Iterable[str] = (),
    participation: str = Participation.ANYONE,
) -> QuerySet[Member]:
    """Active members matching every filter given (an empty filter matches everyone)."""
    members = Member.objects.filter(
        status=Member.Status.ACTIVE, erased_at__isnull=True, onboarding_completed_at__isnull=False
    ).select_related("user")
    topics = [topic for topic in member_topics if topic]
    if topics:
        # Lived-experience topics are a JSON list of codes on the member: match any of them. The
        # quoted code matches whole entries only, on SQLite (no JSON "contains") and PostgreSQL alike.
        condition = Q()
        for topic in topics:
            condition |= Q(topics__icontains=f'"{topic}"')
        members = members.filter(condition)
    for need in access_needs:
        if need in ("needs_easy_read", "needs_large_print"):
            members = members.filter(**{need: True})
    reviewed = Exists(ReviewFeedback.objects.filter(invitation__member=OuterRef("pk"))) | Exists(
        QuestionAnswer.objects.filter(invitation__member=OuterRef("pk"))
    )
    if participation == Participation.REVIEWED_BEFORE:
        members = members.filter(reviewed)
    elif participation == Participation.NEW_VOICES:
        members = members.exclude(reviewed)
    return members.order_by("user__name", "pk")
