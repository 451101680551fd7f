"""Demo data for the group feed: pinned news, questions with replies, a story behind a content
note, a post waiting for a moderator, a reported post, and conversations with the team.

Everything goes through ``discussions.services``, as members and coordinators would make it;
afterwards the times are moved back so the feed reads as a few weeks of activity. Safe to run
any number of times: posts are found by title, conversations by subject, and nothing is made twice.
Posts are written by whichever demo members are taking part.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress

from django.db import transaction
from django.utils import timezone

from members.models import Member, User
from members.roles import COORDINATORS

from . import services
from .models import Conversation, Post, Report, Topic

NEWS = "New welcome leaflet: thank you"
YOU_SAID = "You said, we did: evening meetings"
QUESTION = "Does anyone else find the first appointment letter confusing?"
STORY = "What helped me after my daughter was born"
DISCUSSION = "Ideas for the next group meeting"
HELD = "A hard week"
REPORTED = "Selling baby things"

POSTS = [
    # (who, kind, title, topic slug, days ago, content note, body, replies as (who, body))
    (
        "staff",
        Post.Kind.NEWS,
        NEWS,
        "news-from-the-team",
        20,
        "",
        "The new welcome leaflet is printed and going out to every family referred to the service.\n\n"
        "Eight of you helped write it. Families have already told us it feels **less frightening** to read. "
        "Thank you.",
        [("member", "So glad to see it finished. I wish I had had this when I was referred.")],
    ),
    (
        "staff",
        Post.Kind.YOU_SAID,
        YOU_SAID,
        "meetings-and-events",
        12,
        "",
        "You said daytime meetings are hard if you work or have school runs. We will hold every third group "
        "meeting in the evening from next spring, online and in person.",
        [],
    ),
    (
        "member",
        Post.Kind.QUESTION,
        QUESTION,
        "services-and-care",
        9,
        "",
        "I read mine three times and still did not know if I could bring my baby. Is it just me?",
        [
            ("grace", "Not just you. I rang to ask in the end. It might be a good thing to raise at the meeting."),
            (
                "staff",
                "Thank you both. We are rewriting the letter this month and would love your help. "
                "Babies are always welcome.",
            ),
            ("kasia", "I would be happy to look at a draft."),
        ],
    ),
    (
        "grace",
        Post.Kind.STORY,
        STORY,
        "your-stories",
        6,
        "a difficult birth and the weeks after",
        "It took me a long time to say out loud how frightened I was. What helped most was a midwife who "
        "sat with me and did not rush.\n\nI am sharing this in case it helps someone else feel less alone.",
        [("mo", "Thank you for sharing this. It helped me to read it.")],
    ),
    (
        "kasia",
        Post.Kind.DISCUSSION,
        DISCUSSION,
        "meetings-and-events",
        3,
        "",
        "What should we look at next time? I would like to talk about how partners are included.",
        [("member", "Yes please. And maybe the waiting room too.")],
    ),
    (
        "mo",
        Post.Kind.DISCUSSION,
        REPORTED,
        "",
        2,
        "",
        "I have a pram and a cot to sell, message me for prices: https://example.com/shop",
        [],
    ),
]

CONVERSATIONS = [
    (
        "member",
        "A question about expenses",
        [
            ("member", "Can I claim for the car park at the hospital if the meeting runs late?"),
            ("staff", "Yes, you can. Keep the ticket, or take a photo of it, and add it to your claim."),
        ],
    ),
    (
        "kasia",
        "Bringing my baby to the interview panel",
        [("kasia", "Would it be all right to bring my baby to the interview panel next month? She is 4 months old.")],
    ),
    (
        "grace",
        "Taking a step back for a while",
        [
            ("grace", "I might need to take a step back for a few weeks. Is that all right?"),
            ("staff", "Of course. Take the time you need. You can take a break on your profile page, and we "
             "will not send you anything until you come back."),
        ],
    ),
]  # fmt: skip


def _people() -> dict[str, tuple[User, Member | None]]:
    emails = {
        "member": "member@demo.example",
        "grace": "grace.obi@demo.example",
        "kasia": "kasia.nowak@demo.example",
        "mo": "mo.patel@demo.example",
    }
    found: dict[str, tuple[User, Member | None]] = {}
    members = Member.objects.filter(user__email__in=emails.values(), status=Member.Status.ACTIVE).select_related("user")
    by_email = {member.user.email: member for member in members}
    for key, email in emails.items():
        if email in by_email:
            found[key] = (by_email[email].user, by_email[email])
    staff = User.objects.filter(is_staff=True, groups__name=COORDINATORS).order_by("pk").first()
    if staff is not None:
        found["staff"] = (staff, None)
    return found


def _backdate(post: Post, days: float) -> None:
    when = timezone.now() - dt.timedelta(days=days)
    Post.objects.filter(pk=post.pk).update(created_at=when, published_at=when if post.published_at else None)


def _publish(post: Post, staff: User | None) -> None:
    """Demo members joined long ago, but a moderator approves anything the rules held."""
    if post.is_held and staff is not None:
        services.approve_post(post=post, by=staff, note="Demo: approved.")


@transaction.atomic
def seed_discussions() -> None:
    people = _people()
    if "staff" not in people:
        return
    staff = people["staff"][0]
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for who, kind, title, topic, days, note, body, replies in POSTS:
        if who not in people or Post.objects.filter(title=title, thread__isnull=True).exists():
            continue
        user, member = people[who]
        try:
            post = services.start_post(
                user=user, member=member, kind=kind, title=title, body=body, topic=topics.get(topic),
                content_note=note, pinned=title == NEWS,
            )  # fmt: skip
        except services.DiscussionError:
            continue  # this demo member has not agreed to the respect agreement
        _publish(post, staff)
        post.refresh_from_db()
        _backdate(post, days)
        for index, (replier, reply_body) in enumerate(replies):
            if replier not in people:
                continue
            reply_user, reply_member = people[replier]
            try:
                reply = services.reply_to(thread=post, user=reply_user, member=reply_member, body=reply_body)
            except services.DiscussionError:
                continue
            _publish(reply, staff)
            reply.refresh_from_db()
            _backdate(reply, days - (index + 1) * 0.3)
        if title == REPORTED and "grace" in people:
            services.report_post(post=post, user=people["grace"][0], reason=Report.Reason.SPAM)

    # A post the safeguarding words held: it waits in the queue, with the coordinators told.
    if "mo" in people and not Post.objects.filter(title=HELD, thread__isnull=True).exists():
        user, member = people["mo"]
        with suppress(services.DiscussionError):  # not agreed to the respect agreement
            services.start_post(
                user=user, member=member, kind=Post.Kind.DISCUSSION, title=HELD,
                body="Some days I feel like I cannot go on. I did not know where else to say it.",
            )  # fmt: skip

    for who, subject, messages in CONVERSATIONS:
        if who not in people or Conversation.objects.filter(subject=subject).exists():
            continue
        user = people[who][0]
        (_, first), *rest = messages
        conversation = services.ask_the_team(user=user, subject=subject, body=first)
        for writer, body in rest:
            services.write_message(conversation=conversation, user=people[writer][0], body=body)
