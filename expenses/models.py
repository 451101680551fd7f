"""Expense claims and involvement payments, tied to the activities a member took part in.

Money is Decimal pounds and pence. A claim's total is always computed from its items, never
stored. Every change of state is recorded as a ClaimEvent (who, when, what was said).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.functional import LazyObject

from meetings.models import Meeting
from members.models import Member, User

MONEY = {"max_digits": 8, "decimal_places": 2}


class PrivateReceiptStorage(LazyObject):
    """Receipts live outside MEDIA_ROOT and are never served by URL, only through a checked view."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT / "receipts", base_url=None)


private_receipts = PrivateReceiptStorage()


def private_receipt_storage() -> PrivateReceiptStorage:
    # A callable, so migrations record this function rather than a path on one machine.
    return private_receipts


def receipt_path(instance: ExpenseItem, filename: str) -> str:
    # A random name: the original is kept separately for display, never used on disk.
    suffix = Path(filename).suffix.lower()
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Category(models.TextChoices):
    MILEAGE = "mileage", "Mileage"
    PUBLIC_TRANSPORT = "public_transport", "Bus, train or tram"
    PARKING = "parking", "Parking"
    TAXI = "taxi", "Taxi"
    CHILDCARE = "childcare", "Childcare"
    CARER = "carer", "Carer costs"
    OTHER = "other", "Other"
    INVOLVEMENT_PAYMENT = "involvement_payment", "Involvement payment"


class Rate(models.Model):
    """A rate in force from a date: a claim uses the rate in force on the day of the activity."""

    class Kind(models.TextChoices):
        MILEAGE = "mileage", "Mileage, per mile"
        INVOLVEMENT = "involvement", "Involvement payment"

    class Unit(models.TextChoices):
        PER_MILE = "per_mile", "Per mile"
        PER_HOUR = "per_hour", "Per hour"
        HALF_DAY = "half_day", "Half day (up to 4 hours)"
        FULL_DAY = "full_day", "Full day"
        PER_ACTIVITY = "per_activity", "Per activity"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    activity_kind = models.CharField(
        max_length=20,
        choices=Meeting.Kind.choices,
        blank=True,
        help_text="For involvement payments: which kind of activity. Leave empty for every kind.",
    )
    unit = models.CharField(max_length=12, choices=Unit.choices)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    cap = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="The most one claim can be paid under this rate, if any."
    )
    valid_from = models.DateField(db_index=True)

    class Meta:
        ordering = ["kind", "activity_kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "activity_kind", "unit", "valid_from"], name="one_rate_per_day")
        ]

    def __str__(self) -> str:
        scope = f" ({self.get_activity_kind_display()})" if self.activity_kind else ""
        unit = self.get_unit_display().lower()
        return f"{self.get_kind_display()}{scope}: £{self.amount} {unit} from {self.valid_from}"


class ExpenseRules(models.Model):
    """The group's claim rules, edited in the admin. There is one."""

    receipt_required_for = models.JSONField(
        default=list,
        blank=True,
        help_text="Categories that need a receipt. By default every category except mileage.",
    )
    claim_deadline_months = models.PositiveSmallIntegerField(
        default=3, help_text="Claims made later than this after the activity are allowed but flagged."
    )
    tax_and_benefits_text = models.TextField(blank=True)
    benefits_advice_name = models.CharField(max_length=120, blank=True)
    benefits_advice_url = models.URLField(blank=True)

    class Meta:
        verbose_name = "expense rules"
        verbose_name_plural = "expense rules"

    def __str__(self) -> str:
        return "Expense rules"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> ExpenseRules:
        rules, _ = cls.objects.get_or_create(
            pk=1,
            defaults={
                "receipt_required_for": [
                    c.value for c in Category if c not in (Category.MILEAGE, Category.INVOLVEMENT_PAYMENT)
                ]
            },
        )
        return rules


class ExpenseClaim(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        QUERIED = "queried", "Question from the team"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"
        PAID = "paid", "Paid"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="expense_claims")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="expense_claims")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    payment_preference = models.CharField(
        max_length=24, blank=True, help_text="The member's payment choice when the claim was made."
    )
    declaration_accepted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    is_late = models.BooleanField(default=False, db_index=True)
    is_over_cap = models.BooleanField(default=False, db_index=True)
    prepared_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims_prepared",
        help_text="A coordinator who entered the claim for the member.",
    )
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    paid_on = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=60, blank=True)
    paid_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["member", "meeting"], name="one_claim_per_member_per_activity")]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"Claim {self.pk} – {self.member} – {self.meeting}"

    @property
    def total(self) -> Decimal:
        """The sum of the items, in pounds and pence (SQLite's SUM can return extra places)."""
        if hasattr(self, "_prefetched_objects_cache") and "items" in self._prefetched_objects_cache:
            total = sum((item.amount for item in self.items.all()), Decimal("0.00"))
        else:
            total = self.items.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        return Decimal(total).quantize(Decimal("0.01"))

    @property
    def can_be_edited_by_member(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.QUERIED)


class ExpenseItem(models.Model):
    claim = models.ForeignKey(ExpenseClaim, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.CharField(max_length=200, blank=True)
    miles = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    taxi_reason = models.CharField("why a taxi was needed", max_length=300, blank=True)
    rate = models.ForeignKey(Rate, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    amount = models.DecimalField(**MONEY)
    receipt = models.FileField(storage=private_receipt_storage, upload_to=receipt_path, blank=True, max_length=200)
    receipt_name = models.CharField("receipt file name as uploaded", max_length=200, blank=True)
    receipt_content_type = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="item_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: £{self.amount}"


class ClaimEvent(models.Model):
    """A change of a claim's state: who made it, when, and any message or reason."""

    claim = models.ForeignKey(ExpenseClaim, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=ExpenseClaim.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ExpenseClaim.Status.choices)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    message = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or 'New'} → {self.get_to_status_display()}"


class ItemFormToken(models.Model):
    """An add-a-cost form that has been used. Its token is unique, so the same form sent twice
    (a double click, a browser resending after a slow answer) adds the cost once, whatever
    happens to the cache. Written in the same transaction as the item: if adding fails, the
    token is free for the member to send the form again."""

    token = models.UUIDField(unique=True)
    claim = models.ForeignKey(ExpenseClaim, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ExpenseItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Form {self.token} for claim {self.claim_id}"
