from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

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
    text_message = models.CharField(
        max_length=80, blank=True, help_text="For example: Text SHOUT to 85258."
    )
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
