"""Surveys: the questions (written with members), who may answer, and the answers.

Anonymity is built into the tables, not added by the pages (docs/decisions/0012):

- `Response` and `Answer` have random UUID keys, no timestamps (a response keeps only the date
  it was sent), and for anonymous and public surveys no link to a person at all;
- `Participation` ("this member has answered") is a separate table with no date and nothing
  that points at a response, written in its own transaction before the answers;
- a nightly job (`surveys.anonymity.rewrite_anonymous_responses`) re-writes each day's anonymous
  responses as new rows in random order, so neither row order nor system columns tie them to
  the participation rows.

Questions are locked once answers exist, apart from wording fixes (see `surveys.rules`).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from members.models import Member

# The longest answer to a text question. Longer text is refused with a message, never cut.
LONG_TEXT_LIMIT = 5000
SHORT_TEXT_LIMIT = 300


class Survey(models.Model):
    class Audience(models.TextChoices):
        MEMBERS = "members", "Members, with their names"
        ANONYMOUS = "anonymous", "Members, anonymous"
        PUBLIC = "public", "Anyone with the link (anonymous)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In member review"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    intro = models.TextField(
        "introduction",
        blank=True,
        validators=[MaxLengthValidator(4000)],
        help_text="What the survey is for and how the answers will be used. Shown before the first question.",
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.ANONYMOUS)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    opens_at = models.DateTimeField("opens", null=True, blank=True, help_text="Leave empty to open at once.")
    closes_at = models.DateTimeField("closes", null=True, blank=True, help_text="Leave empty to keep it open.")
    minutes_to_complete = models.PositiveSmallIntegerField(
        "minutes it takes", default=5, help_text="Roughly how long it takes, shown at the start."
    )
    who_sees_answers = models.CharField(
        "who sees the answers",
        max_length=300,
        default="The involvement team who run this survey.",
        help_text="Shown at the start, for example: the involvement team and the service's managers.",
    )
    # Public surveys are reached by an unguessable link, not by their number.
    public_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reviewers = models.ManyToManyField(
        Member,
        blank=True,
        related_name="surveys_to_review",
        help_text="Members who read the draft and comment on each question while it is in member review.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["reviewers"])

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "audience"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The closing date must be after the opening date."})

    @property
    def is_anonymous(self) -> bool:
        """Anonymous and public surveys keep no link between a person and their answers."""
        return self.audience != self.Audience.MEMBERS

    @property
    def is_public(self) -> bool:
        return self.audience == self.Audience.PUBLIC

    @property
    def is_for_members(self) -> bool:
        return self.audience in (self.Audience.MEMBERS, self.Audience.ANONYMOUS)

    def has_closed(self, now=None) -> bool:
        """Closed by staff, or past its closing date (the status may still say open)."""
        now = now or timezone.now()
        return self.status == self.Status.CLOSED or (self.closes_at is not None and self.closes_at <= now)

    def is_open(self, now=None) -> bool:
        """Open for answers right now: status open and within its dates."""
        now = now or timezone.now()
        return (
            self.status == self.Status.OPEN
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or self.closes_at > now)
        )


class Section(models.Model):
    """One page of a survey. It may be shown only when an earlier answer is one of some choices."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    order = models.PositiveSmallIntegerField(default=0)
    show_when = models.ManyToManyField(
        "Choice",
        blank=True,
        related_name="sections_shown",
        verbose_name="show only when the answer is",
        help_text="Leave empty to show to everyone. Choose answers to one earlier question: the section "
        "is shown when any of them is picked.",
    )

    class Meta:
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        SINGLE_CHOICE = "single_choice", "Single choice"
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        AGREEMENT = "agreement", "Agreement scale (five points)"
        RATING = "rating", "Rating from 1 to 5"
        EXPERIENCE = "experience", "How was your experience (Friends and Family scale)"
        NUMBER = "number", "Number"

    CHOICE_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.AGREEMENT, Kind.RATING, Kind.EXPERIENCE)
    SCALE_KINDS = (Kind.AGREEMENT, Kind.RATING, Kind.EXPERIENCE)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField("question", max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SINGLE_CHOICE)
    required = models.BooleanField(default=False, help_text="Leave unticked: people may skip any question.")
    allow_other = models.BooleanField(
        'offer "Other – please say"', default=False, help_text="For single and multiple choice questions."
    )
    number_min = models.IntegerField("smallest number allowed", null=True, blank=True)
    number_max = models.IntegerField("largest number allowed", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["section__order", "section_id", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in self.TEXT_KINDS

    @property
    def is_multiple(self) -> bool:
        return self.kind == self.Kind.MULTIPLE_CHOICE

    @property
    def text_limit(self) -> int:
        return SHORT_TEXT_LIMIT if self.kind == self.Kind.SHORT_TEXT else LONG_TEXT_LIMIT


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    # The "Other – please say" choice: picking it asks for words.
    is_other = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question_id", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class ReviewComment(models.Model):
    """A member's comment on a draft question during member review (co-design)."""

    class Concern(models.TextChoices):
        LEADING = "leading", "It leads people to an answer"
        UNCLEAR = "unclear", "It is hard to understand"
        UPSETTING = "upsetting", "It could upset people"
        MISSING = "missing", "An answer is missing"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_comments")
    member = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="survey_review_comments")
    concerns = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question_id", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.question}"

    @property
    def concern_labels(self) -> list[str]:
        labels = dict(self.Concern.choices)
        return [labels[c] for c in self.concerns if c in labels]


class Invitation(models.Model):
    """A member was invited to answer a survey (what invitation and reminder messages are about)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="survey_invitations")
    invited_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "member"], name="one_invitation_per_member")]

    def __str__(self) -> str:
        return f"{self.member} invited to {self.survey}"


class Participation(models.Model):
    """This member has answered this survey. Nothing else: no date, no link to the response.

    Used for one response per member (the unique constraint) and for reminders. For anonymous
    surveys it is written in its own transaction before the answers (see `surveys.services`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="survey_participations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "member"], name="one_participation_per_member")]

    def __str__(self) -> str:
        return f"{self.member} answered {self.survey}"


class Response(models.Model):
    """One person's answers to a survey.

    ``member`` is set only for surveys with names (and for their drafts, saved to finish later).
    Anonymous and public responses hold the survey, the date sent and the answers: nothing else.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_responses"
    )
    # Only the date, never the time: a time would line up with logs and sessions.
    submitted_on = models.DateField(null=True, blank=True)
    # A named survey's answers saved to finish later, as the pages hold them (see surveys.answering).
    draft = models.JSONField(default=dict, blank=True)
    # Set once the nightly job has re-written an anonymous response (see surveys.anonymity).
    rewritten = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "member"], condition=Q(member__isnull=False), name="one_named_response_per_member"
            ),
        ]
        indexes = [models.Index(fields=["survey", "submitted_on"])]

    def __str__(self) -> str:
        return f"Response to {self.survey}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_on is not None


class Answer(models.Model):
    """One answer: a choice (a row per choice picked), words, or a number."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], condition=Q(choice__isnull=True), name="one_answer_per_question"
            ),
            models.UniqueConstraint(
                fields=["response", "choice"], condition=Q(choice__isnull=False), name="one_answer_per_choice"
            ),
        ]
        indexes = [models.Index(fields=["question", "choice"])]

    def __str__(self) -> str:
        return f"Answer to {self.question}"
