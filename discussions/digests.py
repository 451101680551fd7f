"""What goes into a member's digest, and who has one due.

The words of a digest are gathered when it is sent (``digest_for``), from what was published
in its period, so a post hidden in the meantime is left out; a digest with nothing left in it is
not sent at all. ``recipients_for_period`` finds who may have something, in a fixed few queries
however many members and posts there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from members.models import Member, User

from .alerts import alerts_for, period_window
from .models import AlertSettings, Post, TeamMessage

# A digest lists this many of each kind and then says how many more there are.
SHOWN = 10


@dataclass
class Digest:
    new_posts: list[Post] = field(default_factory=list)
    more_posts: int = 0
    replies: list[Post] = field(default_factory=list)
    more_replies: int = 0
    team_messages: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.new_posts or self.replies or self.team_messages)


def _muted(user) -> Q:
    return Q(mutes__user=user)


def digest_for(user, frequency: str, start: dt.date) -> Digest:
    """What ``user`` has chosen to hear about at ``frequency`` from the period starting ``start``."""
    begin, end = period_window(frequency, start)
    alerts = alerts_for(user)
    digest = Digest()
    window = Q(status=Post.Status.PUBLISHED, published_at__gte=begin, published_at__lt=end)
    if alerts.new_posts == frequency:
        posts = (
            Post.objects.filter(window, thread__isnull=True)
            .exclude(author=user)
            .exclude(_muted(user))
            .select_related("author", "topic")
            .order_by("-pinned", "-published_at")
        )
        found = list(posts[: SHOWN + 1])
        digest.new_posts = found[:SHOWN]
        digest.more_posts = posts.count() - SHOWN if len(found) > SHOWN else 0
    if alerts.replies == frequency:
        replies = (
            Post.objects.filter(window, thread__author=user, thread__status=Post.Status.PUBLISHED)
            .exclude(author=user)
            .exclude(thread__mutes__user=user)
            .select_related("author", "thread")
            .order_by("published_at")
        )
        found = list(replies[: SHOWN + 1])
        digest.replies = found[:SHOWN]
        digest.more_replies = replies.count() - SHOWN if len(found) > SHOWN else 0
    if alerts.team == frequency:
        digest.team_messages = TeamMessage.objects.filter(
            conversation__member_user=user, from_team=True, created_at__gte=begin, created_at__lt=end
        ).count()
    return digest


def _chose(kind: str, frequency: str) -> Q:
    """Members (as a filter on Member) whose choice for ``kind`` is ``frequency``, defaults included."""
    chose = Q(**{f"user__discussion_alerts__{kind}": frequency})
    if AlertSettings.DEFAULTS[kind] == frequency:
        chose |= Q(user__discussion_alerts__isnull=True)
    return chose


def recipients_for_period(frequency: str, start: dt.date) -> list[User]:
    """Active members who chose ``frequency`` for something that happened in the period.

    Whether anything is left for each of them once their own posts and muted threads are taken
    out is decided when the digest is built.
    """
    begin, end = period_window(frequency, start)
    published = Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gte=begin, published_at__lt=end)
    wanted = Q(pk__in=[])
    if published.filter(thread__isnull=True).exists():
        wanted |= _chose("new_posts", frequency)
    reply_to = published.filter(thread__isnull=False).values("thread__author")
    wanted |= _chose("replies", frequency) & Q(user__in=reply_to)
    answered = TeamMessage.objects.filter(from_team=True, created_at__gte=begin, created_at__lt=end).values(
        "conversation__member_user"
    )
    wanted |= _chose("team", frequency) & Q(user__in=answered)
    members = Member.objects.filter(wanted, status=Member.Status.ACTIVE, erased_at__isnull=True)
    return list(User.objects.filter(pk__in=members.values("user_id")).order_by("pk"))
