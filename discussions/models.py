"""The group feed, its moderation, conversations with the team, and alert choices.

One ``Post`` model holds both the posts that start a thread and the replies in it (a reply has a
``thread``), so holding for a moderator, reports, hiding and alerts work the same way for both.
Counts the feed shows (replies) are kept up to date by ``discussions.services``, never counted
on each page. Times are stored in UTC and shown in Europe/London.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from members.models import User

BODY_LIMIT = 5000


class DiscussionSettings(models.Model):
    """The moderation settings coordinators may change (one row; ``load()`` finds or makes it)."""

    hold_new_members_days = models.PositiveSmallIntegerField(
        "hold new members' posts for (days)",
        default=28,
        validators=[MinValueValidator(0)],
        help_text="Posts and replies from members who joined fewer days ago than this wait for a moderator. "
        "0 means nobody's posts are held for being new.",
    )
    safeguarding_phrases = models.TextField(
        blank=True,
        help_text="One word or phrase a line. A post that contains one (in any mix of capitals, as a whole "
        "word) is held for a moderator, and the writer is shown where to get help now.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "discussion settings"
        verbose_name_plural = "discussion settings"

    def __str__(self) -> str:
        return "Discussion settings"

    def save(self, *args, **kwargs):
        self.pk = 1  # there is only ever one row
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> DiscussionSettings:
        found, _ = cls.objects.get_or_create(pk=1)
        return found

    @property
    def phrases(self) -> list[str]:
        return [line.strip() for line in self.safeguarding_phrases.splitlines() if line.strip()]


class Topic(models.Model):
    """Something posts can be filtered by: "Meetings", "Leaflets", "Your stories"…"""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """A post in the group feed (``thread`` empty) or a reply in a thread."""

    class Kind(models.TextChoices):
        DISCUSSION = "discussion", "Discussion"
        QUESTION = "question", "Question to the group"
        STORY = "story", "Story"
        NEWS = "news", "News"
        UPDATE = "update", "Update"
        YOU_SAID = "you_said", "You said, we did"
        REPLY = "reply", "Reply"

    # What members may start; staff may also post news, updates and "you said, we did".
    MEMBER_KINDS = (Kind.DISCUSSION, Kind.QUESTION, Kind.STORY)
    STAFF_KINDS = (Kind.NEWS, Kind.UPDATE, Kind.YOU_SAID, Kind.DISCUSSION, Kind.QUESTION)

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HELD = "held", "Waiting for a moderator"
        HIDDEN = "hidden", "Hidden by a moderator"

    class HeldBecause(models.TextChoices):
        NONE = "", "Not held"
        NEW_MEMBER = "new_member", "New member"
        SAFEGUARDING = "safeguarding", "Safeguarding words"

    thread = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    # Empty after the writer's data was erased.
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    by_staff = models.BooleanField(default=False, help_text="Written by a member of staff for the team.")
    title = models.CharField(max_length=150, blank=True)
    body = models.TextField(validators=[MaxLengthValidator(BODY_LIMIT)], help_text="What the writer typed (Markdown).")
    body_html = models.TextField(blank=True, help_text="The body as shown: rendered and cleaned.")
    content_note = models.CharField(max_length=200, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    held_because = models.CharField(max_length=14, choices=HeldBecause.choices, blank=True, default="")
    # The safeguarding words found, for the moderator (not shown to the writer).
    matched_phrases = models.CharField(max_length=300, blank=True)
    pinned = models.BooleanField(default=False)

    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    reply_count = models.PositiveIntegerField(default=0)
    open_reports = models.PositiveIntegerField(default=0)
    # From the compose form: the same form sent twice makes one post (unique), whoever wins the race.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["-pinned", "-published_at"],
                name="disc_feed",
                condition=Q(thread__isnull=True, status="published"),
            ),
            models.Index(fields=["thread", "status", "created_at"], name="disc_thread"),
            models.Index(fields=["status", "published_at"], name="disc_status_published"),
        ]

    def __str__(self) -> str:
        if self.thread_id:
            return f"Reply {self.pk} in thread {self.thread_id}"
        return self.title or f"Post {self.pk}"

    @property
    def is_reply(self) -> bool:
        return self.thread_id is not None

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_hidden(self) -> bool:
        return self.status == self.Status.HIDDEN

    @property
    def held_for_safeguarding(self) -> bool:
        return self.is_held and self.held_because == self.HeldBecause.SAFEGUARDING

    @property
    def author_label(self) -> str:
        """How the writer is shown: their first name, with "(team)" for staff."""
        if self.author is None:
            return "A former member"
        name = self.author.get_short_name() or "A member"
        return f"{name} (team)" if self.by_staff else name

    @property
    def thread_id_or_own(self) -> int:
        return self.thread_id or self.pk


class Report(models.Model):
    """A member telling moderators about a post, with a reason."""

    class Reason(models.TextChoices):
        UNKIND = "unkind", "It is unkind or rude"
        WORRIED = "worried", "I am worried about the person who wrote it"
        PRIVATE = "private", "It shares private details"
        UPSETTING = "upsetting", "It is upsetting and has no content note"
        SPAM = "spam", "It is advertising or spam"
        OTHER = "other", "Something else"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    details = models.TextField(blank=True, validators=[MaxLengthValidator(1000)])
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], condition=Q(resolved_at__isnull=True), name="disc_one_open_report_each"
            )
        ]

    def __str__(self) -> str:
        return f"Report on {self.post}: {self.get_reason_display()}"


class ModerationAction(models.Model):
    """Every moderator action on a post, kept as a record of who did what and why."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        HIDE = "hide", "Hidden"
        CONTACT = "contact", "Contacted the writer"
        KEEP = "keep", "Kept after a report"
        PIN = "pin", "Pinned"
        UNPIN = "unpin", "Unpinned"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="moderation")
    by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    note = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.by or 'someone'}"


class Mute(models.Model):
    """A member's choice to hear nothing more about one thread."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="discussion_mutes")
    thread = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mutes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="disc_one_mute_each")]

    def __str__(self) -> str:
        return f"{self.user} muted {self.thread}"


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Straight away"
    DAILY = "daily", "In a daily email"
    WEEKLY = "weekly", "In a weekly email"
    NEVER = "never", "Never"


class AlertSettings(models.Model):
    """How often a member hears about each kind of thing, by email. No row means the defaults."""

    DEFAULTS = {"new_posts": Frequency.WEEKLY, "replies": Frequency.IMMEDIATELY, "team": Frequency.IMMEDIATELY}

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="discussion_alerts")
    new_posts = models.CharField(
        "new posts in the group", max_length=12, choices=Frequency.choices, default=DEFAULTS["new_posts"]
    )
    replies = models.CharField(
        "replies to my posts", max_length=12, choices=Frequency.choices, default=DEFAULTS["replies"]
    )
    team = models.CharField(
        "messages from the team", max_length=12, choices=Frequency.choices, default=DEFAULTS["team"]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "alert settings"
        verbose_name_plural = "alert settings"

    def __str__(self) -> str:
        return f"Alerts for {self.user}"


class Conversation(models.Model):
    """ "Ask the team": a private conversation between one member and the coordinators."""

    member_user = models.ForeignKey(User, null=True, on_delete=models.CASCADE, related_name="team_conversations")
    subject = models.CharField(max_length=120)
    # About a post, when a moderator started it to contact the writer.
    about_post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The member wrote last and nobody in the team has answered yet.
    waiting_for_team = models.BooleanField(default=True, db_index=True)
    last_answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message_count = models.PositiveIntegerField(default=0)
    # From the "Ask the team" form: sending it twice starts one conversation.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-last_message_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class TeamMessage(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    from_team = models.BooleanField(default=False)
    body = models.TextField(validators=[MaxLengthValidator(BODY_LIMIT)])
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="disc_team_messages")]

    def __str__(self) -> str:
        return f"Message {self.pk} in {self.conversation_id}"

    @property
    def author_label(self) -> str:
        if self.author is None:
            return "The team" if self.from_team else "You"
        name = self.author.get_short_name() or str(self.author)
        return f"{name} (team)" if self.from_team else name
