"""Who may see what in the group feed and "Ask the team", through one helper per kind of thing.

- The feed, its threads and alert choices: coordinators and active members
  (``rules.can_use_feed``); never the public, commissioners, people still joining, taking a
  break or who have left.
- A post: published ones to everyone who may use the feed; one waiting for a moderator to its
  writer and coordinators; a hidden one to coordinators only. A reply in a hidden thread is
  hidden with it.
- A conversation with the team: only the member it belongs to, and coordinators.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from members.access import member_for
from members.models import Member
from members.roles import is_coordinator

from . import rules
from .models import Conversation, Post


def feed_required(view):
    """Logs in first if needed; then only people who may use the feed get in (403 for others).
    Passes ``request.member`` (None for staff without a member record)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.member = member = member_for(request.user)
        if not rules.can_use_feed(request.user, member):
            if member is not None and member.status in (Member.Status.INTERESTED, Member.Status.PAUSED):
                # Someone still joining or taking a break is told why, and where else to go.
                return render(request, "discussions/not_taking_part.html", {"member": member}, status=403)
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# A reply is only as visible as its thread: once a moderator hides a post, its replies go with it.
IN_OPEN_THREAD = Q(thread__isnull=True) | Q(thread__status=Post.Status.PUBLISHED)


def visible_posts(user):
    """Posts this person may open: published, their own held ones, and everything for staff."""
    if is_coordinator(user):
        return Post.objects.all()
    mine_or_published = Q(status=Post.Status.PUBLISHED) | Q(status=Post.Status.HELD, author=user)
    return Post.objects.filter(mine_or_published & IN_OPEN_THREAD)


def get_thread_for_member(user, pk: int) -> Post:
    """A post that starts a thread, if this person may see it (404 otherwise, so a held or
    hidden post's existence is not given away)."""
    post = visible_posts(user).filter(pk=pk, thread__isnull=True).select_related("author", "topic").first()
    if post is None:
        raise Http404
    return post


def get_post_for_member(user, pk: int) -> Post:
    """A post or reply this person may see."""
    post = visible_posts(user).filter(pk=pk).select_related("author", "thread").first()
    if post is None:
        raise Http404
    return post


def get_own_held_post(user, pk: int) -> Post:
    """The writer's own post, while it waits for a moderator (the only time they may change it)."""
    post = (
        Post.objects.filter(IN_OPEN_THREAD, pk=pk, author=user, status=Post.Status.HELD)
        .select_related("thread", "topic")
        .first()
    )
    if post is None:
        raise Http404
    return post


def get_conversation_for_member(user, pk: int) -> Conversation:
    """A conversation with the team: the member's own, or any for a coordinator (404 otherwise)."""
    conversations = Conversation.objects.select_related("member_user", "last_answered_by")
    if not is_coordinator(user):
        conversations = conversations.filter(member_user=user)
    conversation = conversations.filter(pk=pk).first()
    if conversation is None:
        raise Http404
    return conversation
