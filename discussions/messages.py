"""Alerts and staff notices about the group feed and "Ask the team", through the outbox.

One function per message records it with `outbox.sending.queue` in the transaction that causes
it; the outbox sends it after commit, once per row, asking `members.consent.can_contact` at the
moment of sending (so nothing goes to a member who withdrew consent, is taking a break or left).
Members' alerts go by email only, under the "news" contact purpose, and only as each member chose
(`AlertSettings`): straight away, in a daily or weekly digest, or never.

- ``discussions.new_post``: a new post, to members who want new posts straight away.
- ``discussions.reply``: a reply to the member's post.
- ``discussions.team_message``: the team wrote to the member in "Ask the team".
- ``discussions.digest``: everything from one day or week in one email. Its key is the period
  ("daily:2026-11-29"), so a member gets one digest per period however often the job runs.
- ``discussions.safeguarding``: to coordinators, a post was held because of safeguarding words.
- ``discussions.team_question``: to coordinators, a member wrote to the team.

Each builder checks again at the moment of sending (the post still published, the thread not
muted, the choice unchanged) and says "no longer needed" otherwise. Subjects show on lock
screens: they say only that there is something new, never what anyone wrote about.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from common.sanitise import plain_text
from members.consent import ContactPurpose
from members.models import Member
from members.recipients import STAFF
from members.roles import COORDINATORS
from outbox import kinds, sending
from outbox.kinds import Content, NoLongerNeeded
from outbox.models import Channel, Message
from outbox.rendering import render_for

from .alerts import alerts_for, parse_period_key, period_key, period_window
from .digests import digest_for, recipients_for_period
from .models import Frequency, Mute, Post, TeamMessage

NEW_POST = "discussions.new_post"
REPLY = "discussions.reply"
TEAM_MESSAGE = "discussions.team_message"
DIGEST = "discussions.digest"
SAFEGUARDING = "discussions.safeguarding"
TEAM_QUESTION = "discussions.team_question"

PURPOSE = ContactPurpose.NEWS
EMAIL_ONLY = (Channel.EMAIL,)
TEMPLATES = "emails/discussions"
# How much of a post an alert quotes (posts with a content note are never quoted).
PREVIEW_CHARACTERS = 200


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def _coordinators():
    return get_user_model().objects.filter(is_active=True, is_staff=True, groups__name=COORDINATORS).distinct()


def _taking_part(users):
    return users.filter(member__status=Member.Status.ACTIVE, member__erased_at__isnull=True)


# --- Queuing: one function per message ------------------------------------------------------


def queue_new_post_alerts(post: Post) -> list[int]:
    """A new post (just published) to every member who wants new posts straight away."""
    users = _taking_part(get_user_model().objects.filter(discussion_alerts__new_posts=Frequency.IMMEDIATELY)).exclude(
        pk=post.author_id
    )
    return sending.queue_many(
        kind=NEW_POST, items=[(post, user) for user in users], purpose=PURPOSE, channels_wanted=EMAIL_ONLY
    )


def queue_reply_alert(reply: Post) -> list[int]:
    """A reply (just published) to the writer of the post it answers, if they want it straight away."""
    thread = reply.thread
    writer = thread.author
    if writer is None or writer.pk == reply.author_id:
        return []
    if alerts_for(writer).replies != Frequency.IMMEDIATELY or _is_muted(writer, thread.pk):
        return []
    if not _taking_part(get_user_model().objects.filter(pk=writer.pk)).exists():
        return []
    return sending.queue(kind=REPLY, about=reply, recipient=writer, purpose=PURPOSE, channels_wanted=EMAIL_ONLY)


def queue_team_message_alert(message: TeamMessage) -> list[int]:
    """The team wrote to a member: tell them, if they want it straight away."""
    user = message.conversation.member_user
    if user is None or alerts_for(user).team != Frequency.IMMEDIATELY:
        return []
    return sending.queue(kind=TEAM_MESSAGE, about=message, recipient=user, purpose=PURPOSE, channels_wanted=EMAIL_ONLY)


def queue_safeguarding_notice(post: Post) -> list[int]:
    """Tells every coordinator that a post was held for safeguarding words, to look at it soon."""
    return sending.queue_many(
        kind=SAFEGUARDING,
        items=[(post, user) for user in _coordinators()],
        purpose=STAFF,
        key=post.edited_at.isoformat() if post.edited_at else "",
        channels_wanted=EMAIL_ONLY,
    )


def queue_team_question_notice(message: TeamMessage) -> list[int]:
    """Tells the coordinators a member wrote to the team."""
    return sending.queue_many(
        kind=TEAM_QUESTION,
        items=[(message, user) for user in _coordinators()],
        purpose=STAFF,
        channels_wanted=EMAIL_ONLY,
    )


def queue_digests(*, frequency: str, start, send_after_commit: bool = True) -> list[int]:
    """The digest for the period starting ``start`` to each member who may have one. Safe to
    run any number of times: the period is the message's key, so each member gets one."""
    users = recipients_for_period(frequency, start)
    members = {m.user_id: m for m in Member.objects.filter(user__in=users)}
    items = [(members[user.pk], user) for user in users if user.pk in members]
    return sending.queue_many(
        kind=DIGEST,
        items=items,
        purpose=PURPOSE,
        key=period_key(frequency, start),
        channels_wanted=EMAIL_ONLY,
        send_after_commit=send_after_commit,
    )


# --- Building the words at the moment of sending ---------------------------------------------


def _render(message: Message, template: str, context: dict) -> Content:
    return render_for(message, f"{TEMPLATES}/{template}", {"user": message.recipient, **context})


def preview(post: Post) -> str:
    """A short quote of a post for an email, or nothing when it has a content note."""
    if post.content_note:
        return ""
    text = " ".join(plain_text(post.body_html).split())
    return text if len(text) <= PREVIEW_CHARACTERS else text[: PREVIEW_CHARACTERS - 1].rstrip() + "…"


def thread_url(post: Post) -> str:
    return absolute_url(reverse("discussions:thread", args=[post.thread_id or post.pk]))


def _is_muted(user, thread_id: int) -> bool:
    return Mute.objects.filter(user=user, thread_id=thread_id).exists()


def build_new_post(message: Message) -> Content:
    post = Post.objects.select_related("author", "topic").filter(pk=message.about_id).first()
    if post is None or not post.is_published:
        raise NoLongerNeeded("the post has been taken down.")
    if alerts_for(message.recipient).new_posts != Frequency.IMMEDIATELY:
        raise NoLongerNeeded("they no longer want new posts straight away.")
    if _is_muted(message.recipient, post.pk):
        raise NoLongerNeeded("they muted this thread.")
    return _render(message, "new_post", {"post": post, "preview": preview(post), "url": thread_url(post)})


def build_reply(message: Message) -> Content:
    reply = Post.objects.select_related("author", "thread").filter(pk=message.about_id).first()
    if reply is None or not reply.is_published or not reply.thread.is_published:
        raise NoLongerNeeded("the reply or the post has been taken down.")
    if alerts_for(message.recipient).replies != Frequency.IMMEDIATELY:
        raise NoLongerNeeded("they no longer want replies straight away.")
    if _is_muted(message.recipient, reply.thread_id):
        raise NoLongerNeeded("they muted this thread.")
    context = {"reply": reply, "thread": reply.thread, "preview": preview(reply), "url": thread_url(reply)}
    return _render(message, "reply", context)


def build_team_message(message: Message) -> Content:
    team_message = TeamMessage.objects.select_related("conversation").filter(pk=message.about_id).first()
    if team_message is None:
        raise NoLongerNeeded("the message was removed.")
    if alerts_for(message.recipient).team != Frequency.IMMEDIATELY:
        raise NoLongerNeeded("they no longer want messages from the team straight away.")
    url = absolute_url(reverse("discussions:conversation", args=[team_message.conversation_id]))
    return _render(message, "team_message", {"url": url})


def build_digest(message: Message) -> Content:
    frequency, start = parse_period_key(message.key)
    digest = digest_for(message.recipient, frequency, start)
    if digest.is_empty:
        raise NoLongerNeeded("nothing is left to tell them about in this period.")
    begin, end = period_window(frequency, start)
    context = {
        "digest": digest,
        "weekly": frequency == Frequency.WEEKLY,
        "first_day": begin,
        "feed_url": absolute_url(reverse("discussions:feed")),
        "team_url": absolute_url(reverse("discussions:team")),
        "alerts_url": absolute_url(reverse("discussions:alerts")),
        "posts": [(post, thread_url(post)) for post in digest.new_posts],
        "replies": [(reply, thread_url(reply)) for reply in digest.replies],
    }
    return _render(message, "digest", context)


def build_safeguarding(message: Message) -> Content:
    post = Post.objects.filter(pk=message.about_id).first()
    if post is None or not post.held_for_safeguarding:
        raise NoLongerNeeded("a moderator has already dealt with the post.")
    url = absolute_url(reverse("discussions_staff:moderate", args=[post.pk]))
    return _render(message, "safeguarding", {"post": post, "url": url})


def build_team_question(message: Message) -> Content:
    team_message = TeamMessage.objects.select_related("conversation").filter(pk=message.about_id).first()
    if team_message is None:
        raise NoLongerNeeded("the message was removed.")
    url = absolute_url(reverse("discussions_staff:conversation", args=[team_message.conversation_id]))
    return _render(message, "team_question", {"url": url, "conversation": team_message.conversation})


def register_kinds() -> None:
    """Called from DiscussionsConfig.ready()."""
    kinds.register(NEW_POST, label="New post in the group feed", build=build_new_post)
    kinds.register(REPLY, label="Reply to a member's post", build=build_reply)
    kinds.register(TEAM_MESSAGE, label="Message from the team", build=build_team_message)
    kinds.register(DIGEST, label="Group feed digest", build=build_digest)
    kinds.register(SAFEGUARDING, label="Post held for safeguarding (staff)", build=build_safeguarding)
    kinds.register(TEAM_QUESTION, label="Message to the team (staff)", build=build_team_question)
