from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class UserManager(DjangoUserManager):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        if not email:
            raise ValueError("A superuser needs an email address to log in with.")
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who can log in: a member, a coordinator or a commissioner.

    What the group holds about a member (preferences, consent, access needs)
    lives in separate models keyed to this one; this holds only what an
    account needs.
    """

    # Empty (NULL) for someone a coordinator registered by phone or on paper without an email
    # address, and after erasure: they have a member record but cannot log in.
    email = models.EmailField("email address", unique=True, null=True, blank=True)
    name = models.CharField(
        "name",
        max_length=150,
        blank=True,
        help_text="What the person would like to be called.",
    )
    is_staff = models.BooleanField(
        "staff status",
        default=False,
        help_text="Can log in to the admin site (two-factor authentication required).",
    )
    is_active = models.BooleanField("active", default=True)
    date_joined = models.DateTimeField("date joined", default=timezone.now, db_index=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email or f"Person {self.pk}"

    def clean(self):
        super().clean()
        if self.email:
            self.email = self.__class__.objects.normalize_email(self.email).lower()
        else:
            self.email = None

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else ""


# --- The member record --------------------------------------------------------------------


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    PHONE = "phone", "Phone call"
    POST = "post", "Post"


class Member(models.Model):
    """What the group holds about one person who has joined (or asked to join).

    Everything here beyond the status is optional. Health and lived-experience answers are
    special-category data: never required, and removed on erasure.
    """

    class Status(models.TextChoices):
        INTERESTED = "interested", "Interested"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Taking a break"
        LEFT = "left", "Left"

    class Frequency(models.TextChoices):
        AS_NEEDED = "as_needed", "Whenever there is something new"
        MONTHLY = "monthly", "About once a month"
        MEETINGS_ONLY = "meetings_only", "Only about meetings I have signed up for"

    class Relationship(models.TextChoices):
        BIRTHING_PERSON = "birthing_person", "Woman or birthing person"
        PARTNER = "partner", "Partner"
        FAMILY = "family", "Family member"
        OTHER = "other", "Other"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class HeardAbout(models.TextChoices):
        CHARITY = "charity", "A charity partner"
        CLINICIAN = "clinician", "A clinician or member of staff"
        SOCIAL_MEDIA = "social_media", "Social media"
        FRIEND = "friend", "A friend"
        OTHER = "other", "Other"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class Topic(models.TextChoices):
        POSTNATAL_DEPRESSION = "postnatal_depression", "Postnatal depression"
        ANXIETY = "anxiety", "Anxiety"
        POSTPARTUM_PSYCHOSIS = "postpartum_psychosis", "Postpartum psychosis"
        BIRTH_TRAUMA = "birth_trauma", "Birth trauma"
        PERINATAL_LOSS = "perinatal_loss", "Perinatal loss"
        TOKOPHOBIA = "tokophobia", "Tokophobia (fear of childbirth)"
        OTHER = "other", "Other"

    class PaymentPreference(models.TextChoices):
        EXPENSES_ONLY = "expenses_only", "Expenses only"
        INVOLVEMENT_PAYMENTS = "involvement_payments", "Expenses and involvement payments"
        NO_PAYMENTS = "no_payments", "No payments"

    # The onboarding steps, in order; `onboarding_step` is the next one to do.
    ONBOARDING_STEPS = ["contact", "consent", "respect", "access", "about", "equality"]

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="member")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INTERESTED, db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(default=timezone.now, db_index=True)
    pronouns = models.CharField(max_length=40, blank=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True)
    postal_address = models.TextField(blank=True, validators=[MaxLengthValidator(500)])
    postcode = models.CharField(max_length=10, blank=True)

    # Contact preferences
    contact_by_email = models.BooleanField("email", default=False, db_index=True)
    contact_by_sms = models.BooleanField("text message", default=False, db_index=True)
    contact_by_phone = models.BooleanField("phone call", default=False, db_index=True)
    contact_by_post = models.BooleanField("post", default=False, db_index=True)
    contact_frequency = models.CharField(max_length=16, choices=Frequency.choices, blank=True)

    # Access needs
    needs_large_print = models.BooleanField("large print", default=False)
    needs_easy_read = models.BooleanField("Easy Read", default=False)
    needs_bsl = models.BooleanField("BSL interpreter", default=False)
    needs_interpreter = models.BooleanField("spoken-language interpreter", default=False)
    interpreter_language = models.CharField(max_length=60, blank=True)
    needs_step_free = models.BooleanField("step-free access", default=False)
    needs_childcare = models.BooleanField("childcare or bringing a baby", default=False)
    access_other = models.TextField("other access needs", blank=True, validators=[MaxLengthValidator(1000)])
    preferred_language = models.CharField(max_length=60, blank=True)

    # About them: all optional
    relationship = models.CharField(max_length=16, choices=Relationship.choices, blank=True)
    relationship_other = models.CharField(max_length=100, blank=True)
    topics = models.JSONField("lived-experience topics", default=list, blank=True)
    topics_other = models.CharField(max_length=200, blank=True)
    topics_prefer_not = models.BooleanField(default=False)
    heard_about = models.CharField(max_length=16, choices=HeardAbout.choices, blank=True, db_index=True)
    heard_about_other = models.CharField(max_length=100, blank=True)
    payment_preference = models.CharField(max_length=24, choices=PaymentPreference.choices, blank=True)

    onboarding_step = models.PositiveSmallIntegerField(default=0)
    onboarding_completed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    # The only link to the member's equality answers (EqualityMonitoring.key): a random value, so
    # the answers table holds nothing that names anyone. Erasure replaces it, which leaves the
    # answers in the totals with nothing pointing at them. Not copied into history, so the
    # link exists in one place only. See docs/decisions/0009-equality-answers-by-random-key.md.
    equality_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    history = HistoricalRecords(excluded_fields=["equality_key"])

    class Meta:
        ordering = ["-joined_at"]
        indexes = [models.Index(fields=["status", "joined_at"])]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def email(self) -> str | None:
        return self.user.email

    @property
    def is_paused(self) -> bool:
        return self.status == self.Status.PAUSED

    @property
    def has_left(self) -> bool:
        return self.status == self.Status.LEFT

    @property
    def onboarding_done(self) -> bool:
        return self.onboarding_completed_at is not None

    @property
    def next_onboarding_step(self) -> str | None:
        if self.onboarding_done or self.onboarding_step >= len(self.ONBOARDING_STEPS):
            return None
        return self.ONBOARDING_STEPS[self.onboarding_step]

    @property
    def equality_answers(self) -> EqualityMonitoring | None:
        """The member's equality answers, found through their random key (None if not given)."""
        return EqualityMonitoring.objects.filter(key=self.equality_key).first()

    def accepts_channel(self, channel: str) -> bool:
        return bool(getattr(self, f"contact_by_{channel}", False))

    @property
    def channels(self) -> list[str]:
        return [channel.value for channel in Channel if self.accepts_channel(channel.value)]

    @property
    def access_needs(self) -> list[str]:
        """The access needs as readable phrases, for staff and for the member's own pages."""
        needs = [
            self._meta.get_field(name).verbose_name
            for name in (
                "needs_large_print",
                "needs_easy_read",
                "needs_bsl",
                "needs_interpreter",
                "needs_step_free",
                "needs_childcare",
            )
            if getattr(self, name)
        ]
        if self.needs_interpreter and self.interpreter_language:
            needs[needs.index("spoken-language interpreter")] = f"{self.interpreter_language} interpreter"
        if self.access_other:
            needs.append(self.access_other)
        return needs


class ConsentText(models.Model):
    """One version of what a member is asked to agree to, for one purpose.

    A version is drafted, then published; the newest published version of a purpose is the
    one members see. Publishing a new version asks members to review their choice.
    """

    class Purpose(models.TextChoices):
        KEEP_DETAILS = "keep_details", "Keeping my details"
        CONTACT = "contact", "Contacting me about the group"
        ANONYMISED_WORDS = "anonymised_words", "Using my anonymised words in reports"
        PHOTOS = "photos", "Photos at events"
        RESPECT_AGREEMENT = "respect_agreement", "Respect agreement"

    CONSENT_PURPOSES = [Purpose.KEEP_DETAILS, Purpose.CONTACT, Purpose.ANONYMISED_WORDS, Purpose.PHOTOS]

    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300, help_text="One or two plain sentences shown with the question.")
    body = models.TextField(help_text="The full text. Blank lines start new paragraphs.")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["purpose", "-version"]
        constraints = [models.UniqueConstraint(fields=["purpose", "version"], name="one_version_number_per_purpose")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} (version {self.version})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Consent(models.Model):
    """One decision by a member about one purpose: given or withdrawn, when and how it was recorded.

    Records are only ever added, so the history is complete; the newest record for a purpose
    is the member's current choice.
    """

    class Method(models.TextChoices):
        ONLINE = "online", "Online"
        PHONE = "phone", "By phone"
        PAPER = "paper", "On paper"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consents")
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentText.Purpose.choices, editable=False)
    given = models.BooleanField()
    recorded_at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=8, choices=Method.choices, default=Method.ONLINE)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="consents_recorded"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["member", "purpose", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {'given' if self.given else 'withdrawn'}"

    def save(self, *args, **kwargs):
        self.purpose = self.text.purpose
        super().save(*args, **kwargs)


class EqualityMonitoring(models.Model):
    """Optional equality answers, held apart from identity and only ever reported in aggregate.

    There is no foreign key to the member or the account: a row is found only through the
    random `Member.equality_key`, so this table alone says nothing about who answered. On
    erasure the member's key is replaced, so totals stay right and nobody can be found.
    """

    PREFER_NOT = ("prefer_not", "Prefer not to say")

    class AgeBand(models.TextChoices):
        UNDER_20 = "under_20", "Under 20"
        A20_24 = "20_24", "20 to 24"
        A25_29 = "25_29", "25 to 29"
        A30_34 = "30_34", "30 to 34"
        A35_39 = "35_39", "35 to 39"
        A40_PLUS = "40_plus", "40 or over"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class Ethnicity(models.TextChoices):
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Another ethnic group"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class YesNo(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class SexualOrientation(models.TextChoices):
        STRAIGHT = "straight", "Straight or heterosexual"
        GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
        BISEXUAL = "bisexual", "Bisexual"
        OTHER = "other", "Another sexual orientation"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class Religion(models.TextChoices):
        NONE = "none", "No religion"
        CHRISTIAN = "christian", "Christian"
        BUDDHIST = "buddhist", "Buddhist"
        HINDU = "hindu", "Hindu"
        JEWISH = "jewish", "Jewish"
        MUSLIM = "muslim", "Muslim"
        SIKH = "sikh", "Sikh"
        OTHER = "other", "Another religion"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    key = models.UUIDField(unique=True, editable=False)
    age_band = models.CharField(max_length=12, choices=AgeBand.choices, blank=True)
    ethnicity = models.CharField(max_length=12, choices=Ethnicity.choices, blank=True)
    disability = models.CharField("disability or long-term condition", max_length=12, choices=YesNo.choices, blank=True)
    sexual_orientation = models.CharField(max_length=12, choices=SexualOrientation.choices, blank=True)
    religion = models.CharField(max_length=12, choices=Religion.choices, blank=True)
    gender_same_as_birth = models.CharField(
        "gender identity the same as sex registered at birth", max_length=12, choices=YesNo.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "equality monitoring answers"
        verbose_name_plural = "equality monitoring answers"

    def __str__(self) -> str:
        return f"Equality answers {self.pk}"


class TrainingCourse(models.Model):
    """A kind of training members can complete; coordinators add their own."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingRecord(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="training")
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["member", "course", "completed_on"], name="one_record_per_course_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on:%d %B %Y})"


class MemberAccessLog(models.Model):
    """Each time a member of staff opened a member's record: who, whose, when."""

    staff = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="member_views")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="access_log")
    viewed_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=40, default="viewed")

    class Meta:
        ordering = ["-viewed_at"]
        verbose_name = "member record access"
        verbose_name_plural = "member record access log"

    def __str__(self) -> str:
        return f"{self.staff} {self.action} member {self.member_id}"


class ErasureRecord(models.Model):
    """That a member's data was erased, when and at whose request; holds no personal data."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="erasure")
    erased_at = models.DateTimeField(default=timezone.now)
    requested_by_member = models.BooleanField(default=True)
    erased_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"Erasure of member {self.member_id}"
