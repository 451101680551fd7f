"""The writes of the group feed and "Ask the team": posting, replying, moderating, reporting,
muting, alert choices and conversations with the team.

Every function is keyword-only and atomic. A form sent twice makes one post or message: each
carries the form's token, which is unique in the database, so the second insert finds the
first instead of making another (no check-then-act). Counts the feed shows are kept in step
with conditional updates in the same transaction. Alerts are recorded in the outbox in the
same transaction (`discussions.messages`), so a rolled-back post sends nothing.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from common.sanitise import markdown_to_html
from members.models import Member, User
from members.roles import is_coordinator

from . import messages, rules
from .models import (
    AlertSettings,
    Conversation,
    DiscussionSettings,
    ModerationAction,
    Mute,
    Post,
    Report,
    TeamMessage,
    Topic,
)


class DiscussionError(Exception):
    """Why something cannot be done, in words a member or coordinator can read."""


# A form's token belongs to whoever was shown the form; someone else's is never honoured.
RESEND = "Something went wrong with that form. Please copy what you wrote, reload the page and send it again."


def may_post(user, member: Member | None) -> bool:
    """Coordinators always; members only while taking part and with the current respect agreement."""
    if is_coordinator(user):
        return True
    return rules.can_use_feed(user, member) and rules.has_current_respect_agreement(member)


def _refuse_unless_may_post(user, member: Member | None) -> None:
    if not may_post(user, member):
        raise DiscussionError("You need to agree to the group's respect agreement before you can post.")


def _hold_or_publish(post: Post, member: Member | None) -> None:
    """Decides whether a new or edited post waits for a moderator, and sets it up for that."""
    held_because, matches = rules.hold_reason(
        by_staff=post.by_staff, member=member, text=f"{post.title}\n{post.body}", settings=DiscussionSettings.load()
    )
    post.held_because = held_because
    post.matched_phrases = ", ".join(matches)[:300]
    post.status = Post.Status.HELD if held_because else Post.Status.PUBLISHED


def _after_publish(post: Post) -> None:
    """Counts and alerts for a post that has just become visible to the group."""
    post.published_at = timezone.now()
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED, published_at=post.published_at)
    post.status = Post.Status.PUBLISHED
    if post.thread_id:
        Post.objects.filter(pk=post.thread_id).update(reply_count=F("reply_count") + 1)
        messages.queue_reply_alert(post)
    else:
        messages.queue_new_post_alerts(post)


def _after_save(post: Post) -> None:
    if post.status == Post.Status.PUBLISHED:
        _after_publish(post)
    elif post.held_for_safeguarding:
        messages.queue_safeguarding_notice(post)


def _create_once(model, token: uuid.UUID | None, fields: dict):
    """Creates the row, or returns the one this token already made (created=False)."""
    if token is None:
        return model.objects.create(**fields), True
    try:
        with transaction.atomic():
            return model.objects.create(token=token, **fields), True
    except IntegrityError:
        existing = model.objects.filter(token=token).first()
        if existing is None:
            raise
        return existing, False


def _fields_of(post: Post) -> dict:
    return {f.attname: getattr(post, f.attname) for f in Post._meta.concrete_fields if f.attname not in ("id", "token")}


@transaction.atomic
def start_post(
    *,
    user: User,
    member: Member | None,
    kind: str,
    title: str,
    body: str,
    topic: Topic | None = None,
    content_note: str = "",
    pinned: bool = False,
    token: uuid.UUID | None = None,
) -> Post:
    """Starts a thread in the feed: published at once, or held for a moderator (new member,
    safeguarding words). Staff may post news, updates and "you said, we did", and pin them."""
    _refuse_unless_may_post(user, member)
    by_staff = is_coordinator(user)
    allowed = Post.STAFF_KINDS if by_staff else Post.MEMBER_KINDS
    if kind not in allowed:
        raise DiscussionError("Choose what kind of post this is.")
    post = Post(
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        body_html=markdown_to_html(body),
        topic=topic,
        content_note=content_note.strip(),
        author=user,
        by_staff=by_staff,
        pinned=pinned and by_staff,
    )
    _hold_or_publish(post, member)
    post, created = _create_once(Post, token, _fields_of(post))
    if created:
        _after_save(post)
    elif post.author_id != user.pk:
        raise DiscussionError(RESEND)
    return post


@transaction.atomic
def reply_to(*, thread: Post, user: User, member: Member | None, body: str, token: uuid.UUID | None = None) -> Post:
    """Adds a reply to a published thread, held for a moderator like a post when the rules say so."""
    _refuse_unless_may_post(user, member)
    thread = Post.objects.select_for_update().get(pk=thread.pk)
    if thread.thread_id or not thread.is_published:
        raise DiscussionError("You can only reply to a post that is in the feed.")
    reply = Post(
        thread=thread,
        kind=Post.Kind.REPLY,
        body=body.strip(),
        body_html=markdown_to_html(body),
        author=user,
        by_staff=is_coordinator(user),
        topic=None,
    )
    _hold_or_publish(reply, member)
    reply, created = _create_once(Post, token, _fields_of(reply))
    if created:
        _after_save(reply)
    elif reply.author_id != user.pk:
        raise DiscussionError(RESEND)
    return reply


@transaction.atomic
def edit_held_post(
    *, post: Post, user: User, member: Member | None, title: str, body: str, content_note: str, topic: Topic | None
) -> Post:
    """The writer changes a post still waiting for a moderator. The rules are applied again: a
    post without safeguarding words any more still waits if the writer is new."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.author_id != user.pk or not post.is_held:
        raise DiscussionError("You can only change your own posts while they wait for a moderator.")
    if post.is_reply and not post.thread.is_published:
        raise DiscussionError("The post this replies to is no longer in the feed.")
    if not post.is_reply:
        post.title = title.strip()
        post.topic = topic
        post.content_note = content_note.strip()
    post.body = body.strip()
    post.body_html = markdown_to_html(body)
    post.edited_at = timezone.now()
    was_safeguarding = post.held_for_safeguarding
    _hold_or_publish(post, member)
    if was_safeguarding and post.is_published:
        # Once a moderator has been asked to look, they decide: taking the words out does not publish it.
        post.status, post.held_because = Post.Status.HELD, Post.HeldBecause.SAFEGUARDING
    if post.is_published:
        post.status = Post.Status.HELD  # published by _after_publish, which also sends the alerts
        post.save()
        _after_publish(post)
    else:
        post.save()
        if post.held_for_safeguarding and not was_safeguarding:
            messages.queue_safeguarding_notice(post)
    return post


# --- Moderation ---------------------------------------------------------------------------------


def _record(post: Post, by: User, action: str, note: str = "") -> ModerationAction:
    return ModerationAction.objects.create(post=post, by=by, action=action, note=note.strip())


def _resolve_reports(post: Post, by: User) -> None:
    Report.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=by)
    Post.objects.filter(pk=post.pk).update(open_reports=0)
    post.open_reports = 0


def _lock_post(post: Post) -> Post:
    return Post.objects.select_for_update().get(pk=post.pk)


@transaction.atomic
def approve_post(*, post: Post, by: User, note: str = "") -> Post:
    """A moderator lets a held post into the feed (or keeps a reported one), and reports on it are closed."""
    post = _lock_post(post)
    if post.is_hidden:
        # Another moderator hid it while this one was deciding: their decision (and the note the
        # writer already has) stands, rather than the post quietly coming back.
        raise DiscussionError("Another moderator has hidden this post, so it cannot be approved.")
    if post.is_published:
        _resolve_reports(post, by)
        _record(post, by, ModerationAction.Action.KEEP, note)
        return post
    if post.is_reply and not post.thread.is_published:
        raise DiscussionError("The post this replies to is not in the feed, so the reply cannot be shown.")
    _after_publish(post)
    Post.objects.filter(pk=post.pk).update(held_because="")
    post.held_because = ""
    _resolve_reports(post, by)
    _record(post, by, ModerationAction.Action.APPROVE, note)
    return post


@transaction.atomic
def hide_post(*, post: Post, by: User, note: str) -> Post:
    """A moderator takes a post out of the feed, and tells the writer why in "Ask the team"."""
    note = note.strip()
    if not note:
        raise DiscussionError("Write a note to the writer saying why the post is hidden.")
    post = _lock_post(post)
    if post.is_hidden:
        raise DiscussionError("This post is already hidden.")
    if post.is_published and post.thread_id:
        Post.objects.filter(pk=post.thread_id, reply_count__gt=0).update(reply_count=F("reply_count") - 1)
    post.status = Post.Status.HIDDEN
    post.pinned = False
    post.save(update_fields=["status", "pinned"])
    _resolve_reports(post, by)
    _record(post, by, ModerationAction.Action.HIDE, note)
    if post.author_id and not post.by_staff:
        _write_to_writer(post=post, by=by, body=note)
    return post


@transaction.atomic
def contact_writer(*, post: Post, by: User, body: str) -> Conversation:
    """A moderator writes to the post's writer privately, in "Ask the team"."""
    if not body.strip():
        raise DiscussionError("Write your message to the writer.")
    if post.author_id is None:
        raise DiscussionError("The writer of this post is no longer a member, so they cannot be contacted.")
    _record(post, by, ModerationAction.Action.CONTACT, body)
    return _write_to_writer(post=post, by=by, body=body)


def _write_to_writer(*, post: Post, by: User, body: str) -> Conversation:
    subject = f"About your post: {post.thread.title if post.thread_id else post.title}"[:120]
    conversation = Conversation.objects.create(
        member_user=post.author, subject=subject, about_post=post, waiting_for_team=False
    )
    write_message(conversation=conversation, user=by, body=body)
    return conversation


@transaction.atomic
def set_pinned(*, post: Post, by: User, pinned: bool) -> Post:
    """Pins a post to the top of the feed (or unpins it). Only posts that start a thread."""
    post = _lock_post(post)
    if post.is_reply or not post.is_published:
        raise DiscussionError("Only a post in the feed can be pinned.")
    if post.pinned != pinned:
        post.pinned = pinned
        post.save(update_fields=["pinned"])
        _record(post, by, ModerationAction.Action.PIN if pinned else ModerationAction.Action.UNPIN)
    return post


# --- Members' own choices ------------------------------------------------------------------------


@transaction.atomic
def report_post(*, post: Post, user: User, reason: str, details: str = "") -> Report:
    """Tells the moderators about a post. Reporting the same post twice keeps one open report."""
    if reason not in Report.Reason.values:
        raise DiscussionError("Choose why you are reporting this post.")
    try:
        with transaction.atomic():
            report = Report.objects.create(post=post, reporter=user, reason=reason, details=details.strip())
    except IntegrityError:
        return Report.objects.get(post=post, reporter=user, resolved_at__isnull=True)
    Post.objects.filter(pk=post.pk).update(open_reports=F("open_reports") + 1)
    return report


def mute_thread(*, thread: Post, user: User) -> None:
    """No more alerts about this thread for this member (in emails and digests)."""
    Mute.objects.get_or_create(user=user, thread=thread)


def unmute_thread(*, thread: Post, user: User) -> None:
    Mute.objects.filter(user=user, thread=thread).delete()


def save_alerts(*, user: User, new_posts: str, replies: str, team: str) -> AlertSettings:
    """Saves how often the member hears about each kind of thing."""
    alerts, _ = AlertSettings.objects.update_or_create(
        user=user, defaults={"new_posts": new_posts, "replies": replies, "team": team}
    )
    return alerts


# --- Ask the team -------------------------------------------------------------------------------


@transaction.atomic
def ask_the_team(*, user: User, subject: str, body: str, token: uuid.UUID | None = None) -> Conversation:
    """A member starts a private conversation with the coordinators."""
    if not subject.strip() or not body.strip():
        raise DiscussionError("Write what your question is about and your message.")
    conversation, created = _create_once(Conversation, token, {"member_user": user, "subject": subject.strip()[:120]})
    if created:
        write_message(conversation=conversation, user=user, body=body)
    elif conversation.member_user_id != user.pk:
        raise DiscussionError(RESEND)
    conversation.refresh_from_db()
    return conversation


@transaction.atomic
def write_message(*, conversation: Conversation, user: User, body: str, token: uuid.UUID | None = None) -> TeamMessage:
    """Adds a message to a conversation: from the member (the team is told) or from a
    coordinator (the member is told, as they chose). The conversation shows who answered."""
    if not body.strip():
        raise DiscussionError("Write your message.")
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.member_user_id is None:
        raise DiscussionError("This member has left and their details were removed, so they cannot be written to.")
    from_team = is_coordinator(user) and conversation.member_user_id != user.pk
    fields = {
        "conversation": conversation,
        "author": user,
        "from_team": from_team,
        "body": body.strip(),
        "body_html": markdown_to_html(body),
    }
    message, created = _create_once(TeamMessage, token, fields)
    if not created:
        if message.author_id != user.pk:
            raise DiscussionError(RESEND)
        return message
    conversation.last_message_at = message.created_at
    conversation.message_count = F("message_count") + 1
    conversation.waiting_for_team = not from_team
    if from_team:
        conversation.last_answered_by = user
    conversation.save()
    conversation.refresh_from_db()
    message.conversation = conversation
    if from_team:
        messages.queue_team_message_alert(message)
    else:
        messages.queue_team_question_notice(message)
    return message
