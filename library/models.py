"""The co-produced resource library: resources, their files, sources, versions and credits,
the member review rounds, and what readers tell us.

A ``Resource`` is the working copy staff edit. Publishing it keeps a ``ResourceVersion``: a
snapshot of the words the public read (title, summary, body) with its review-due date and the
credits agreed at that moment. The public always read the current version, so a resource can be
revised (draft → in review → approved) while the published words stay up; see
docs/decisions/0011-library-versions-and-credits.md.

Times are stored in UTC and shown in Europe/London.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import LazyObject

from members.models import Member, User


class PrivateLibraryStorage(LazyObject):
    """Library files live outside MEDIA_ROOT and are only ever served through a checked view."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT / "library", base_url=None)


private_library = PrivateLibraryStorage()


def private_library_storage() -> PrivateLibraryStorage:
    # A callable, so migrations record this function rather than a path on one machine.
    return private_library


def library_file_path(instance: ResourceFile, filename: str) -> str:
    # A random name: the original is kept separately for display, never used on disk.
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Topic(models.Model):
    """What a resource is about (birth trauma, perinatal loss…); coordinators edit the list."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    # Members who said this is part of their own experience can be invited to review drafts on it.
    member_topic = models.CharField(
        "matching lived-experience topic",
        max_length=30,
        choices=Member.Topic.choices,
        blank=True,
        help_text="Members who chose this topic on their profile can be invited to review drafts about it.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    PARENTS = "parents", "Women and birthing people"
    PARTNERS_FAMILY = "partners_family", "Partners and family"
    EVERYONE = "everyone", "Everyone using the service"
    PROFESSIONALS = "professionals", "Health and care staff"


class Format(models.TextChoices):
    LEAFLET = "leaflet", "Leaflet"
    EASY_READ = "easy_read", "Easy Read"
    LARGE_PRINT = "large_print", "Large print"
    AUDIO = "audio", "Audio"
    VIDEO = "video", "Video"
    WEB_PAGE = "web_page", "Web page"
    POSTER = "poster", "Poster"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    WELSH = "cy", "Welsh (Cymraeg)"
    POLISH = "pl", "Polish (Polski)"
    URDU = "ur", "Urdu (اردو)"
    PUNJABI = "pa", "Punjabi (ਪੰਜਾਬੀ)"
    BENGALI = "bn", "Bengali (বাংলা)"
    ARABIC = "ar", "Arabic (العربية)"
    ROMANIAN = "ro", "Romanian (Română)"
    SOMALI = "so", "Somali (Soomaali)"
    CHINESE = "zh", "Chinese (中文)"
    BSL = "sgn-gb", "British Sign Language"


# Right-to-left languages, so their pages set dir="rtl" on the resource's own words.
RIGHT_TO_LEFT = {Language.URDU, Language.ARABIC}


class Resource(models.Model):
    """One resource as staff are working on it (its published words are in ``current_version``)."""

    class Status(models.TextChoices):
        IDEA = "idea", "Idea"
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In member review"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        DUE_FOR_REVIEW = "due_for_review", "Due for review"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    summary = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(600)],
        help_text="Two or three plain sentences: who it is for and what it covers.",
    )
    body = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(60_000)],
        help_text=(
            "Markdown: # for a heading, - for a list, [words](https://…) for links. Scripts and styles are removed."
        ),
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IDEA, db_index=True)
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.LEAFLET, db_index=True)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH, db_index=True)
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.PARENTS, db_index=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="resources")
    original = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="other_versions",
        verbose_name="other format or translation of",
        help_text="For an Easy Read, large print, audio or translated version: the resource it is a version of.",
    )
    produced_by = models.CharField(
        max_length=200,
        default="The perinatal mental health service and its involvement group",
        help_text="Who produced it, as readers should see it.",
    )
    why_needed = models.TextField(
        "why it is needed",
        blank=True,
        validators=[MaxLengthValidator(2000)],
        help_text="The need it answers and who asked for it (for staff; the PIF TICK asks for this).",
    )
    current_version = models.ForeignKey(
        "ResourceVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_reviewed_on = models.DateField(null=True, blank=True, editable=False)
    review_due_on = models.DateField(null=True, blank=True, db_index=True, editable=False)
    # UK reading age of the body (Flesch-Kincaid grade + 5), kept by services.save_resource.
    reading_age = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "review_due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        """Whether the public may read it: it has a published version and is not archived. While
        staff revise it (draft, in review, approved) the public keep reading the published words."""
        return self.current_version_id is not None and self.status != self.Status.ARCHIVED

    @property
    def family_root_id(self) -> int:
        return self.original_id or self.pk

    @property
    def is_right_to_left(self) -> bool:
        return self.language in RIGHT_TO_LEFT


# Published, and listed for review when its date comes: a resource due for review is still
# published (its readers need it until the new version is out).
PUBLIC_STATUSES = (Resource.Status.PUBLISHED, Resource.Status.DUE_FOR_REVIEW)


class ResourceVersion(models.Model):
    """The words of a resource as published, kept for good (each can be viewed later)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    # The words without tags: searched on SQLite, and the source of the search vector.
    body_text = models.TextField(blank=True)
    reading_age = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_due_on = models.DateField()
    change_note = models.CharField("what changed", max_length=300, blank=True)
    # How many members co-produced it, and those who agreed to be named at the time of publishing.
    credit_count = models.PositiveIntegerField(default=0)
    named_credits = models.ManyToManyField("Credit", blank=True, related_name="named_in_versions")
    # Kept by services.publish_resource on PostgreSQL; GIN-indexed there (see migration 0001).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["resource", "-number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"], name="library_one_number_per_version")]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"


class ResourceFile(models.Model):
    """A downloadable file of a resource: PDF, Word, an image or audio (checked by content)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=private_library_storage, upload_to=library_file_path, max_length=200)
    name = models.CharField("file name as uploaded", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    description = models.CharField(
        max_length=200, blank=True, help_text="What it is, for example: Printable A5 leaflet (PDF)."
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Set when the resource is published: until then only staff and invited reviewers may download it.
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.description or self.name


class Source(models.Model):
    """The evidence a resource is based on: a reference, with a link where there is one."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=120, blank=True, help_text="For example: NICE, NHS.UK, Tommy's.")
    url = models.URLField("link", blank=True, max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class ResourceLink(models.Model):
    """A useful link shown with a resource (a video, a charity's page)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=200)
    url = models.URLField("link", max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class Credit(models.Model):
    """A member who took part in making or reviewing a resource.

    Named on public pages only if ``named`` was true when a version was published (or since, until
    they change their mind); the name shown is the one they chose (``credited_as``), never taken
    from their account. Erasure deletes the credit.
    """

    class Role(models.TextChoices):
        CO_WROTE = "co_wrote", "Helped write it"
        REVIEWED = "reviewed", "Reviewed a draft"
        DESIGNED = "designed", "Helped design it"
        TRANSLATED = "translated", "Translated or checked a translation"

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="credits")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="library_credits")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.REVIEWED)
    named = models.BooleanField("agreed to be named", default=False)
    credited_as = models.CharField(
        "name to show", max_length=80, blank=True, help_text="Only shown if they agreed to be named."
    )
    named_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["resource", "member"], name="library_one_credit_per_member")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({'named' if self.named else 'not named'})"


DEFAULT_QUESTIONS = [
    "Is the language clear and kind?",
    "Is anything missing?",
    "Could anything upset someone who has been through this?",
]


class ReviewRound(models.Model):
    """Members invited to review a draft by a deadline, with the questions staff asked."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="review_rounds")
    questions = models.JSONField(default=list)
    introduction = models.TextField(
        "note to reviewers",
        blank=True,
        validators=[MaxLengthValidator(2000)],
        help_text="What you would like reviewers to look at. Shown above the draft.",
    )
    deadline = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Review of {self.resource} (by {timezone.localtime(self.deadline):%d %b %Y})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.deadline > timezone.now()

    @property
    def closed_on(self):
        """When it closed (or will): early, if staff closed it before the deadline."""
        if self.closed_at is not None and self.closed_at < self.deadline:
            return self.closed_at
        return self.deadline


class ReviewInvitation(models.Model):
    """One member invited to one review round."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="review_invitations")
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    # How many times staff have answered their points: each time is one message to them.
    answered_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="library_one_invitation_per_member")]
        indexes = [models.Index(fields=["member", "responded_at"])]

    def __str__(self) -> str:
        return f"Invitation {self.pk} to {self.round}"


class Rating(models.TextChoices):
    YES = "yes", "Yes"
    MOSTLY = "mostly", "Mostly"
    NOT_REALLY = "not_really", "Not really"


class QuestionAnswer(models.Model):
    """A reviewer's simple rating for one of the round's questions."""

    invitation = models.ForeignKey(ReviewInvitation, on_delete=models.CASCADE, related_name="answers")
    number = models.PositiveSmallIntegerField()
    question = models.CharField(max_length=300)
    rating = models.CharField(max_length=12, choices=Rating.choices)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["invitation", "number"], name="library_one_rating_per_question")]

    def __str__(self) -> str:
        return f"{self.question}: {self.get_rating_display()}"


class ReviewFeedback(models.Model):
    """One point a reviewer made (overall, or about a passage they quoted), and staff's response."""

    class Response(models.TextChoices):
        CHANGED = "changed", "Changed as suggested"
        CHANGED_DIFFERENTLY = "changed_differently", "Changed in a different way"
        NOT_CHANGED = "not_changed", "Not changed"

    invitation = models.ForeignKey(ReviewInvitation, on_delete=models.CASCADE, related_name="feedback")
    # The invitation's round, kept here so staff answer every point of a round on one page.
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="feedback", editable=False)
    quote = models.TextField("the part they commented on", blank=True, validators=[MaxLengthValidator(1000)])
    comment = models.TextField(validators=[MaxLengthValidator(3000)])
    created_at = models.DateTimeField(default=timezone.now)
    response = models.CharField(max_length=20, choices=Response.choices, blank=True)
    response_reason = models.TextField("what we did and why", blank=True, validators=[MaxLengthValidator(2000)])
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "review feedback point"
        verbose_name_plural = "review feedback"

    def __str__(self) -> str:
        return (self.quote or self.comment)[:60]

    @property
    def is_overall(self) -> bool:
        return not self.quote


class ReaderFeedback(models.Model):
    """What a reader said about a public resource. Nothing about who they are is kept: not an
    address, not a cookie, not even the time of day (only the date)."""

    class Useful(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="reader_feedback")
    version_number = models.PositiveIntegerField(null=True, blank=True)
    useful = models.CharField("was this useful?", max_length=8, choices=Useful.choices)
    missing = models.TextField("what was missing or unclear", blank=True, validators=[MaxLengthValidator(1500)])
    given_on = models.DateField(default=timezone.localdate, db_index=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name_plural = "reader feedback"

    def __str__(self) -> str:
        return f"{self.get_useful_display()} ({self.given_on:%d %b %Y})"


class ResourceReach(models.Model):
    """Views and downloads of one resource in one month: counts only, nothing about anyone."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="reach")
    month = models.DateField(help_text="The first day of the month.")
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month", "resource"]
        verbose_name = "reach (views and downloads)"
        verbose_name_plural = "reach (views and downloads)"
        constraints = [models.UniqueConstraint(fields=["resource", "month"], name="library_one_reach_row_per_month")]

    def __str__(self) -> str:
        return f"{self.resource} – {self.month:%B %Y}"


class Suggestion(models.Model):
    """A resource a member or member of staff thinks the group should write or review."""

    class Kind(models.TextChoices):
        WRITE = "write", "Write something new"
        REVIEW = "review", "Review something the service already gives out"

    class Status(models.TextChoices):
        NEW = "new", "New"
        IDEA = "idea", "Turned into an idea"
        DECLINED = "declined", "Not taken forward"

    kind = models.CharField("what should we do", max_length=8, choices=Kind.choices, default=Kind.WRITE)
    title = models.CharField("what it is about", max_length=200)
    details = models.TextField("why it would help", blank=True, validators=[MaxLengthValidator(2000)])
    suggested_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    suggested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    resource = models.ForeignKey(Resource, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-suggested_at"]

    def __str__(self) -> str:
        return self.title
