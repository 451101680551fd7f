"""Meetings and other involvement activities, who registered, who came, and what came of it.

Times are stored in UTC and shown in Europe/London.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from members.models import Member, User


class Venue(models.Model):
    name = models.CharField(max_length=120)
    address = models.TextField()
    postcode = models.CharField(max_length=10, blank=True)
    step_free = models.BooleanField("step-free access", default=False)
    parking = models.CharField(max_length=200, blank=True, help_text="For example: Free parking behind the building.")
    baby_changing = models.BooleanField("baby-changing facilities", default=False)
    children_welcome = models.BooleanField(default=True)
    access_notes = models.TextField(blank=True, help_text="Anything else about getting there and getting in.")
    directions_url = models.URLField("link to directions", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MeetingSeries(models.Model):
    """A run of meetings generated from one rule (for example the bi-monthly group meetings)."""

    title = models.CharField(max_length=200)
    rule = models.CharField(max_length=300, help_text="The rule in words, as it was generated.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    class Kind(models.TextChoices):
        GROUP_MEETING = "group_meeting", "Group meeting"
        FOCUS_GROUP = "focus_group", "Focus group"
        INTERVIEW_PANEL = "interview_panel", "Interview panel"
        COMMISSIONING = "commissioning", "Commissioning meeting"
        TRAINING = "training", "Training session"
        OTHER = "other", "Other activity"

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "In person and online"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    class MinutesStatus(models.TextChoices):
        NONE = "none", "Not written yet"
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GROUP_MEETING, db_index=True)
    title = models.CharField(max_length=200)
    purpose = models.TextField("what it is for", blank=True, validators=[MaxLengthValidator(4000)])
    what_to_expect = models.TextField(blank=True, validators=[MaxLengthValidator(4000)])
    what_to_bring = models.CharField(max_length=300, blank=True)
    agenda = models.TextField(blank=True, help_text="One item a line.")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    online_link = models.URLField(
        "online joining link", blank=True, help_text="Shown only to members registered for this meeting."
    )
    online_joining_notes = models.CharField(max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Leave empty for no limit."
    )
    is_sensitive = models.BooleanField(
        "touches on painful experiences",
        default=False,
        help_text="Shows the content note first, and sends a gentler, fuller debrief message.",
    )
    content_note = models.TextField(blank=True, help_text="Shown before anything else for sensitive meetings.")
    debrief_lead_name = models.CharField("debrief lead", max_length=120, blank=True)
    debrief_lead_contact = models.CharField(
        "how to reach the debrief lead", max_length=200, blank=True, help_text="A phone number or email address."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=300, blank=True)
    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    # Calendar (.ics) SEQUENCE: bumped whenever anything the .ics file shows changes
    # (time, place, status, kind, what to bring, joining notes).
    sequence = models.PositiveIntegerField(default=0)
    # Kept up to date by the services in meetings/services.py, so lists need no COUNT per row.
    registered_count = models.PositiveIntegerField(default=0)
    waiting_count = models.PositiveIntegerField(default=0)
    minutes = models.TextField(blank=True)
    minutes_status = models.CharField(max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.NONE)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    attendance_taken_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start")]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d %b %Y})"

    def clean(self) -> None:
        """What a meeting needs before members can rely on it, with a message by each field."""
        errors: dict[str, str] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The end must be after the start."
        if self.is_sensitive and not self.content_note.strip():
            errors["content_note"] = (
                "Write a content note: members see it first, so they can decide whether to come."
            )
        if self.mode in (self.Mode.ONLINE, self.Mode.HYBRID) and not self.online_link:
            errors["online_link"] = "Add the online joining link: this meeting is online."
        if self.mode in (self.Mode.IN_PERSON, self.Mode.HYBRID) and self.venue_id is None:
            errors["venue"] = "Choose a venue: this meeting is in person."
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.registered_count >= self.capacity

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.registered_count, 0)

    @property
    def is_online(self) -> bool:
        return self.mode in (self.Mode.ONLINE, self.Mode.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.mode in (self.Mode.IN_PERSON, self.Mode.HYBRID)

    @property
    def minutes_are_published(self) -> bool:
        return self.minutes_status == self.MinutesStatus.PUBLISHED

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class RegistrationQuerySet(models.QuerySet):
    def took_part(self, *, now=None) -> RegistrationQuerySet:
        """Registrations of people who took part in a meeting that has happened (not cancelled).

        Once attendance is taken, only those marked attended; until then, everyone who still had
        a place, so that nobody waits on the register to be thanked or to claim expenses.
        The debrief message and expense claims (``expenses.rules.attendance_refusal`` for one
        meeting) both go by this answer.
        """
        now = now or timezone.now()
        attended = Q(meeting__attendance_taken_at__isnull=False, status=Registration.Status.ATTENDED)
        before_register = Q(
            meeting__attendance_taken_at__isnull=True,
            status__in=[Registration.Status.REGISTERED, Registration.Status.ATTENDED],
        )
        return self.filter(attended | before_register, meeting__ends_at__lte=now).exclude(
            meeting__status=Meeting.Status.CANCELLED
        )


class Registration(models.Model):
    """A member's place (or place in the queue, or apologies) for one meeting."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        WAITING = "waiting", "On the waiting list"
        APOLOGIES = "apologies", "Sent apologies"
        CANCELLED = "cancelled", "Cancelled"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "Did not attend"

    # Statuses that hold a place at the meeting.
    HOLDS_PLACE = (Status.REGISTERED, Status.ATTENDED, Status.NO_SHOW)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Order on the waiting list: when the member joined it.
    waiting_since = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # How many times they have been moved off the waiting list: the key of each promotion
    # message, so a second promotion is told as well as the first.
    promotions = models.PositiveSmallIntegerField(default=0)

    # What the member needs for this meeting (prefilled from their profile's access needs).
    needs_childcare = models.BooleanField("childcare or bringing a baby", default=False)
    interpreter_language = models.CharField("interpreter (language)", max_length=60, blank=True)
    needs_bsl = models.BooleanField("BSL interpreter", default=False)
    needs_step_free = models.BooleanField("step-free access", default=False)
    dietary = models.CharField("food and drink", max_length=200, blank=True)
    other_needs = models.TextField("anything else", blank=True, validators=[MaxLengthValidator(1000)])

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_registration_per_member")]
        indexes = [
            models.Index(fields=["meeting", "status", "waiting_since"]),
            models.Index(fields=["member", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.meeting}: {self.get_status_display()}"

    @property
    def holds_place(self) -> bool:
        return self.status in self.HOLDS_PLACE

    @property
    def needs(self) -> list[str]:
        needs = []
        if self.needs_childcare:
            needs.append("childcare or bringing a baby")
        if self.needs_bsl:
            needs.append("BSL interpreter")
        if self.interpreter_language:
            needs.append(f"{self.interpreter_language} interpreter")
        if self.needs_step_free:
            needs.append("step-free access")
        if self.dietary:
            needs.append(f"food and drink: {self.dietary}")
        if self.other_needs:
            needs.append(self.other_needs)
        return needs


# What the minutes say when an action belongs to nobody in particular.
GROUP_OWNER = "The group"


class Action(models.Model):
    """Something agreed at a meeting: who owns it and where it has got to."""

    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    # Only staff are ever named: naming a member would tell anyone who reads the minutes that
    # she belongs to a perinatal mental health group. Empty means the group as a whole.
    owner = models.ForeignKey(
        User,
        verbose_name="who owns it",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        limit_choices_to={"is_staff": True},
        related_name="+",
        help_text="A member of staff. Leave empty if the whole group owns it.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_name(self) -> str:
        """Who owns it, as the minutes say it: a member of staff by name, or "The group"."""
        return str(self.owner) if self.owner_id else GROUP_OWNER

