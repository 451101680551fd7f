from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import LazyObject
from simple_history.models import HistoricalRecords

# The version changes with the profile's fields, so a copy cached before a migration is not used.
PROFILE_CACHE_KEY = "involvement:group-profile:v3"


def validate_day_offsets(value: str) -> None:
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts or not all(part.isdigit() and 0 < int(part) <= 60 for part in parts):
        raise ValidationError("Enter whole numbers of days from 1 to 60, separated by commas, for example 7,1.")


# Words that must never be in the short name: it goes into calendar titles and email
# subjects, which show on lock screens, shared calendars and shared inboxes.
INDISCREET_PHRASES = ("mental health", "mental illness", "psychiatric", "psychiatry", "psychosis", "psychotic")


def validate_discreet(value: str) -> None:
    found = [phrase for phrase in INDISCREET_PHRASES if phrase in " ".join(value.lower().split())]
    if found:
        raise ValidationError(
            "This name shows on lock screens and shared calendars, so it must not say “%(phrase)s”. "
            "Choose something neutral, for example the name of the place the group meets.",
            params={"phrase": found[0]},
            code="indiscreet",
        )


class GroupProfile(models.Model):
    """The group's own details, edited by coordinators in the admin.

    There is one profile. Everything a page says about the group — its name,
    contacts, when it meets, where to get help — comes from here, never from
    template text.
    """

    name = models.CharField(max_length=120, default="Perinatal Involvement Group")

    class Nation(models.TextChoices):
        # The `holidays` package's subdivisions of the UK; England and Wales share bank holidays.
        ENGLAND_AND_WALES = "ENG", "England and Wales"
        SCOTLAND = "SCT", "Scotland"
        NORTHERN_IRELAND = "NIR", "Northern Ireland"

    short_name = models.CharField(
        max_length=40,
        default="Involvement group",
        validators=[validate_discreet],
        help_text=(
            "Used in email subjects and calendar entries, which show on lock screens and shared "
            "calendars. Keep it discreet: do not mention mental health."
        ),
    )
    service_name = models.CharField(
        max_length=120,
        default="Perinatal involvement",
        help_text="Shown in the header of every page.",
    )
    about = models.TextField(
        blank=True,
        help_text="What the group does, in plain English. Shown on the home page. Blank lines start new paragraphs.",
    )
    meeting_pattern = models.CharField(
        max_length=200,
        blank=True,
        help_text="For example: Every other month, on the second Tuesday, 10am to midday.",
    )
    what_to_expect = models.TextField(
        blank=True,
        help_text="Practical details: children welcome, parking, expenses. Blank lines start new paragraphs.",
    )
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_hours = models.CharField(
        max_length=120, blank=True, help_text="When the phone is answered, for example: Monday to Friday, 9am to 5pm."
    )
    postal_address = models.TextField(blank=True)
    reminder_offset_days = models.CharField(
        "send meeting reminders this many days before",
        max_length=40,
        default="7,1",
        validators=[validate_day_offsets],
        help_text="Whole days, separated by commas. For example: 7,1 sends a week before and the day before.",
    )
    debrief_delay_minutes = models.PositiveSmallIntegerField(
        "send the debrief message this many minutes after a meeting ends",
        default=60,
        validators=[MaxValueValidator(7 * 24 * 60)],
    )
    uk_nation = models.CharField(
        "where the group meets",
        max_length=3,
        choices=Nation.choices,
        default=Nation.ENGLAND_AND_WALES,
        help_text="Planning a year of meetings skips this nation's bank holidays.",
    )
    quick_exit_url = models.URLField(
        default="https://www.bbc.co.uk/weather",
        help_text="Where 'Leave this page quickly' goes. Choose a neutral, everyday website.",
    )
    resource_review_months = models.PositiveSmallIntegerField(
        "review library resources every this many months",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="Publishing a resource sets its next review this far ahead (at most 3 years).",
    )
    reading_age_target = models.PositiveSmallIntegerField(
        "reading age to aim for",
        default=9,
        validators=[MinValueValidator(5), MaxValueValidator(18)],
        help_text="Staff see a warning when a resource reads above this age. The NHS aims for 9.",
    )
    easy_read_reading_age_target = models.PositiveSmallIntegerField(
        "reading age to aim for in Easy Read",
        default=7,
        validators=[MinValueValidator(5), MaxValueValidator(18)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "group profile"
        verbose_name_plural = "group profile"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @property
    def reminder_offsets(self) -> list[int]:
        """The reminder offsets in days, largest first, without repeats."""
        return sorted({int(part) for part in self.reminder_offset_days.split(",") if part.strip()}, reverse=True)

    @classmethod
    def load(cls) -> GroupProfile:
        profile, _ = cls.objects.get_or_create(pk=1)
        return profile


class Signpost(models.Model):
    """Somewhere to turn for help: shown in the footer (crisis) or after meetings (support)."""

    class Kind(models.TextChoices):
        CRISIS = "crisis", "Urgent help in a crisis"
        SUPPORT = "support", "Support after a meeting"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SUPPORT, db_index=True)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    text_message = models.CharField(max_length=80, blank=True, help_text="For example: Text SHOUT to 85258.")
    url = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "order", "name"]

    def __str__(self) -> str:
        return self.name


def cached_profile_and_signposts() -> dict:
    """The profile and active crisis signposts every page shows, cached until one is edited."""
    data = cache.get(PROFILE_CACHE_KEY)
    if data is None:
        data = {
            "profile": GroupProfile.load(),
            "crisis_signposts": list(Signpost.objects.filter(kind=Signpost.Kind.CRISIS, is_active=True)),
            "support_signposts": list(Signpost.objects.filter(kind=Signpost.Kind.SUPPORT, is_active=True)),
        }
        cache.set(PROFILE_CACHE_KEY, data, 600)
    return data


# ---------------------------------------------------------------------------------------------
# Co-production: projects, "you said, we did", and report runs
# ---------------------------------------------------------------------------------------------


class Rung(models.IntegerChoices):
    """The seven rungs of the ladder of co-production, from the bottom."""

    COERCION = 1, "Coercion"
    EDUCATING = 2, "Educating"
    INFORMING = 3, "Informing"
    CONSULTATION = 4, "Consultation"
    ENGAGEMENT = 5, "Engagement"
    CO_DESIGN = 6, "Co-design"
    CO_PRODUCTION = 7, "Co-production"


# What each rung means, in plain words: shown wherever a rung is chosen and in the reports.
RUNG_MEANINGS = {
    Rung.COERCION: "People are made to attend and only listen. Their views are not asked for or used.",
    Rung.EDUCATING: "People are helped to understand how the service works. Nothing more is asked of them.",
    Rung.INFORMING: "The service tells people what it has decided and why.",
    Rung.CONSULTATION: (
        "People are asked for their views, for example in a survey or a meeting, "
        "but may have no power to change things."
    ),
    Rung.ENGAGEMENT: "People have more chances to give their views. They can shape some decisions, if staff allow.",
    Rung.CO_DESIGN: "People design the service with staff, from their own experience. They have real influence.",
    Rung.CO_PRODUCTION: (
        "People and staff work as equals from start to finish and share the big decisions, from design to delivery."
    ),
}


def rung_label(value: int | None) -> str:
    """ "4. Consultation": the number and name of a rung, or an empty string for none."""
    return f"{int(value)}. {Rung(value).label}" if value else ""


class PrivateReportStorage(LazyObject):
    """Report files live outside MEDIA_ROOT and are only ever served through a checked view."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT / "reports", base_url=None)


private_reports = PrivateReportStorage()


def private_reports_storage() -> PrivateReportStorage:
    # A callable, so migrations record this function rather than a path on one machine.
    return private_reports


def report_file_path(instance: ReportRun, filename: str) -> str:
    # A random name on disk; the download view gives the file its readable name.
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class Project(models.Model):
    """A piece of co-produced work, recorded with the fields of the co-production good-practice
    template so it can be submitted as evidence (the project case study report lays it out)."""

    class Kind(models.TextChoices):
        PROJECT = "project", "A project or programme"
        ONGOING = "ongoing", "Ongoing work (business as usual)"

    title = models.CharField("title of the project or service area", max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROJECT)
    summary = models.CharField(max_length=300, blank=True, help_text="One or two plain sentences for members' pages.")
    aims = models.TextField("aims and objectives", blank=True)
    scope_and_audience = models.TextField("scope and target audience", blank=True)
    started_on = models.DateField("date started", null=True, blank=True)
    completed_on = models.DateField("date completed", null=True, blank=True)
    stakeholders_who = models.TextField("stakeholders: who", blank=True)
    stakeholders_how_identified = models.TextField("stakeholders: how they were identified", blank=True)
    stakeholders_how_involved = models.TextField("stakeholders: how they were involved", blank=True)
    equality_and_inclusion = models.TextField(
        "equality, diversity and inclusion",
        blank=True,
        help_text="How the work reached people who are seldom heard. Do not name anyone.",
    )
    description = models.TextField("description and other information", blank=True)
    training = models.TextField(
        "training or guidance given",
        blank=True,
        help_text="Include the name of the training provider, if there was one.",
    )
    evaluation_and_impact = models.TextField("evaluation, main impact and outcomes", blank=True)
    went_well = models.TextField("learning: what went well", blank=True)
    challenges = models.TextField("learning: challenges and how they were resolved", blank=True)
    future_plans = models.TextField(
        "future plans",
        blank=True,
        help_text="Where the learning will be shared, when the work will be reviewed, new areas of work.",
    )
    rung_now = models.PositiveSmallIntegerField(
        "rung on the ladder now", choices=Rung.choices, default=Rung.CONSULTATION
    )
    rung_target = models.PositiveSmallIntegerField("rung aimed for", choices=Rung.choices, default=Rung.CO_PRODUCTION)
    meetings = models.ManyToManyField("meetings.Meeting", blank=True, related_name="projects")
    resources = models.ManyToManyField("library.Resource", blank=True, related_name="projects")
    surveys = models.ManyToManyField("surveys.Survey", blank=True, related_name="projects")
    shown_to_members = models.BooleanField(
        "show to members", default=False, help_text="Members see the project, its aims and its rung."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(completed_on__gte=models.F("started_on")),
                name="project_completed_after_started",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.started_on and self.completed_on and self.completed_on < self.started_on:
            raise ValidationError({"completed_on": "The date completed must be on or after the date started."})


class RungChange(models.Model):
    """Each move of a project on the ladder, so reports can show movement over a period."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rung_changes")
    rung_from = models.PositiveSmallIntegerField(choices=Rung.choices, null=True, blank=True)
    rung_to = models.PositiveSmallIntegerField(choices=Rung.choices)
    changed_on = models.DateField(db_index=True)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "pk"]

    def __str__(self) -> str:
        return f"{rung_label(self.rung_from) or 'Start'} to {rung_label(self.rung_to)}"


class ProjectMember(models.Model):
    """A member involved in a project. Counted always; named only if they agreed, and then only
    by the name they chose (``credited_as``), never the name on their account."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="involved")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="projects_involved")
    role = models.CharField("how they were involved", max_length=200, blank=True)
    named = models.BooleanField("agreed to be named", default=False)
    credited_as = models.CharField(
        "name to show", max_length=80, blank=True, help_text="Only shown if they agreed to be named."
    )
    named_decided_at = models.DateTimeField(null=True, blank=True)
    joined_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["project", "member"], name="one_involvement_per_project")]

    def __str__(self) -> str:
        return f"{self.role or 'Involved'} ({'named' if self.named else 'not named'})"


class ImpactItem(models.Model):
    """One "you said, we did" item: what members raised, where, and what the service did."""

    class Source(models.TextChoices):
        MEETING = "meeting", "A meeting"
        SURVEY = "survey", "A survey"
        REVIEW = "review", "A review of a resource"
        DISCUSSION = "discussion", "The group feed or Ask the team"
        OTHER = "other", "Somewhere else"

    class Status(models.TextChoices):
        HEARD = "heard", "Heard"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_POSSIBLE = "not_possible", "Not possible"

    CLOSED = (Status.DONE, Status.NOT_POSSIBLE)

    you_said = models.TextField("what members raised")
    we_did = models.TextField("what the service did", blank=True)
    source = models.CharField("where it was raised", max_length=12, choices=Source.choices, default=Source.MEETING)
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    survey = models.ForeignKey("surveys.Survey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resource = models.ForeignKey("library.Resource", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="impact_items")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.HEARD, db_index=True)
    why_not_possible = models.TextField("why it was not possible", blank=True)
    raised_on = models.DateField("date raised")
    closed_on = models.DateField("date done or closed", null=True, blank=True, db_index=True)
    is_public = models.BooleanField(
        "show to the public", default=False, help_text="Members always see every item. The public see only these."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = "you said, we did item"
        verbose_name_plural = "you said, we did"

    def __str__(self) -> str:
        text = " ".join(self.you_said.split())
        return text if len(text) <= 80 else text[:79] + "…"

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED


class Quote(models.Model):
    """A member's words for reports. Used only while the member agrees to the use of their
    anonymised words (consent purpose ``anonymised_words``); never shown with a name."""

    text = models.TextField(help_text="Remove anything that could identify the person before saving.")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="quotes")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="quotes")
    impact_item = models.ForeignKey(ImpactItem, null=True, blank=True, on_delete=models.CASCADE, related_name="quotes")
    said_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-said_on", "pk"]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 60 else text[:59] + "…"


class ReportRun(models.Model):
    """One report asked for: made in the worker, stored, and downloadable again later."""

    class Kind(models.TextChoices):
        PERIOD = "period", "Involvement report for a period"
        PROJECT = "project", "Project case study"
        SURVEY = "survey", "Survey results"
        CERTIFICATE = "certificate", "Certificate of involvement"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        WORKING = "working", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    survey = models.ForeignKey("surveys.Survey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.CASCADE, related_name="certificates"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="report_runs"
    )
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True)
    section = models.PositiveSmallIntegerField(default=0)
    sections_total = models.PositiveSmallIntegerField(default=0)
    section_title = models.CharField(max_length=120, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(storage=private_reports_storage, upload_to=report_file_path, blank=True, max_length=200)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="report_run_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"
