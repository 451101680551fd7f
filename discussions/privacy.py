"""A member's posts and messages to the team in their data download, and what erasure does.

Registered from `DiscussionsConfig.ready` with `members.privacy`.

Erasure:

* **Posts and replies** the member wrote lose their words, title and content note, are taken out
  of the feed (hidden) and no longer name anyone (``author`` emptied). A thread they started
  goes from the feed with it: its replies answered words that are gone.
* **Moderators' notes** about those posts are emptied (a hide note quotes or answers their words).
* **Conversations with the team** are deleted with every message in them.
* **Reports** they made lose the details they typed; **mutes** and **alert choices** are deleted.
* Alerts and digests sent to them are the outbox's: members' erasure removes their words.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F

from members.models import Member
from members.privacy import iso

from .models import AlertSettings, Conversation, ModerationAction, Mute, Post, Report, TeamMessage

REMOVED = "Removed at the writer's request."


def export_discussions(member: Member) -> dict[str, Any]:
    user = member.user
    posts = Post.objects.filter(author=user).select_related("topic", "thread").order_by("created_at", "pk")
    messages = TeamMessage.objects.filter(conversation__member_user=user).select_related("conversation")
    alerts = AlertSettings.objects.filter(user=user).first()
    return {
        "posts": [
            {
                "kind": post.get_kind_display(),
                "in_reply_to": post.thread.title if post.thread_id else None,
                "title": post.title,
                "topic": post.topic.name if post.topic else None,
                "text": post.body,
                "content_note": post.content_note,
                "status": post.get_status_display(),
                "written_at": iso(post.created_at),
                "published_at": iso(post.published_at),
            }
            for post in posts
        ],
        "messages_with_the_team": [
            {
                "conversation": message.conversation.subject,
                "from": "The team" if message.from_team else "You",
                "text": message.body,
                "sent_at": iso(message.created_at),
            }
            for message in messages.order_by("conversation_id", "created_at", "pk")
        ],
        "reports_you_made": [
            {"reason": report.get_reason_display(), "details": report.details, "made_at": iso(report.created_at)}
            for report in Report.objects.filter(reporter=user).order_by("created_at")
        ],
        "muted_threads": list(Mute.objects.filter(user=user).values_list("thread__title", flat=True)),
        "email_alerts": {
            "new_posts": (alerts or AlertSettings()).get_new_posts_display(),
            "replies": (alerts or AlertSettings()).get_replies_display(),
            "team": (alerts or AlertSettings()).get_team_display(),
        },
    }


def erase_discussions(member: Member) -> list:
    user = member.user
    posts = list(Post.objects.filter(author=user))
    published_replies = [p for p in posts if p.thread_id and p.is_published]
    for reply in published_replies:
        Post.objects.filter(pk=reply.thread_id, reply_count__gt=0).update(reply_count=F("reply_count") - 1)
    Post.objects.filter(author=user).update(
        title="", body=REMOVED, body_html=f"<p>{REMOVED}</p>", content_note="", matched_phrases="",
        status=Post.Status.HIDDEN, pinned=False, author=None,
    )  # fmt: skip
    ModerationAction.objects.filter(post__in=posts).update(note="")
    Report.objects.filter(reporter=user).update(details="")
    Conversation.objects.filter(member_user=user).delete()
    Mute.objects.filter(user=user).delete()
    AlertSettings.objects.filter(user=user).delete()
    return posts
