"""Factories for expenses tests, shared by every expenses test module.

Meetings and members come from ``meetings.tests.factories``. On top of them:

* ``FinanceApproverFactory`` – a staff user in the "Finance approvers" group.
* ``attended_meeting(member)`` – a past meeting (last week, 10am–12pm London) with attendance
  taken and the member marked attended; returns the meeting.
* ``ExpenseClaimFactory`` – a claim for a meeting the member attended. Traits: ``submitted``,
  ``queried``, ``approved``, ``rejected``, ``paid`` (fields filled in as the services would;
  no ClaimEvents are written – use ``expenses.services`` when history matters).
* ``ExpenseItemFactory`` – a £4.50 parking line with no receipt. ``mileage=True`` for a mileage
  line (10 miles at 45p), ``with_receipt=True`` to store a real small JPEG as its receipt.
* ``RateFactory`` – an involvement-payment rate (per activity £20 from 2025-01-01).
* Real files for upload tests: ``receipt_upload(kind="jpeg")``, and from ``common.tests.files``
  ``jpeg_bytes(gps=True)``, ``png_bytes()``, ``pdf_bytes()``, ``heic_bytes(gps=True)`` and
  ``upload(name, content, content_type)`` → SimpleUploadedFile.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.tests.files import heic_bytes, jpeg_bytes, pdf_bytes, png_bytes, upload
from expenses.models import Category, ClaimEvent, ExpenseClaim, ExpenseItem, Rate
from meetings.models import Meeting, Registration
from meetings.tests.factories import (
    LONDON,
    MeetingFactory,
    MemberFactory,
    RegistrationFactory,
    UserFactory,
    london,
)
from members.models import Member
from members.roles import FINANCE_APPROVERS

__all__ = [
    "LONDON",
    "ClaimEventFactory",
    "ExpenseClaimFactory",
    "ExpenseItemFactory",
    "FinanceApproverFactory",
    "MeetingFactory",
    "MemberFactory",
    "RateFactory",
    "RegistrationFactory",
    "UserFactory",
    "attended_meeting",
    "heic_bytes",
    "jpeg_bytes",
    "london",
    "pdf_bytes",
    "png_bytes",
    "receipt_upload",
    "upload",
]


class FinanceApproverFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=FINANCE_APPROVERS)[0])


def _last_week_at_ten() -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=7)
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)


def attended_meeting(member: Member, *, status: str = Registration.Status.ATTENDED, **meeting_fields) -> Meeting:
    """A past meeting with attendance taken and the member's registration in ``status``.

    Pass ``attendance_taken_at=None`` with ``status="registered"`` for a meeting whose
    attendance has not been taken yet.
    """
    meeting_fields.setdefault("starts_at", _last_week_at_ten())
    meeting_fields.setdefault("ends_at", meeting_fields["starts_at"] + dt.timedelta(hours=2))
    meeting_fields.setdefault("attendance_taken_at", meeting_fields["ends_at"] + dt.timedelta(hours=1))
    meeting = MeetingFactory(**meeting_fields)
    RegistrationFactory(meeting=meeting, member=member, status=status)
    return meeting


class ExpenseClaimFactory(factory.django.DjangoModelFactory):
    """A draft claim by an active member for a meeting last week that they attended."""

    class Meta:
        model = ExpenseClaim

    member = factory.SubFactory(MemberFactory, active=True)
    meeting = factory.LazyAttribute(lambda o: attended_meeting(o.member))
    payment_preference = factory.LazyAttribute(lambda o: o.member.payment_preference)
    status = ExpenseClaim.Status.DRAFT

    class Params:
        submitted = factory.Trait(
            status=ExpenseClaim.Status.SUBMITTED,
            declaration_accepted_at=factory.LazyFunction(timezone.now),
            submitted_at=factory.LazyFunction(timezone.now),
        )
        queried = factory.Trait(
            status=ExpenseClaim.Status.QUERIED,
            declaration_accepted_at=factory.LazyFunction(timezone.now),
            submitted_at=factory.LazyFunction(timezone.now),
        )
        approved = factory.Trait(
            status=ExpenseClaim.Status.APPROVED,
            declaration_accepted_at=factory.LazyFunction(timezone.now),
            submitted_at=factory.LazyFunction(timezone.now),
            approved_by=factory.SubFactory(FinanceApproverFactory),
            approved_at=factory.LazyFunction(timezone.now),
        )
        rejected = factory.Trait(
            status=ExpenseClaim.Status.REJECTED,
            declaration_accepted_at=factory.LazyFunction(timezone.now),
            submitted_at=factory.LazyFunction(timezone.now),
            rejection_reason="This cost is not covered by the group's expenses policy.",
        )
        paid = factory.Trait(
            status=ExpenseClaim.Status.PAID,
            declaration_accepted_at=factory.LazyFunction(timezone.now),
            submitted_at=factory.LazyFunction(timezone.now),
            approved_by=factory.SubFactory(FinanceApproverFactory),
            approved_at=factory.LazyFunction(timezone.now),
            paid_on=factory.LazyFunction(timezone.localdate),
            payment_reference=factory.Sequence(lambda n: f"BACS-{1000 + n}"),
            paid_by=factory.SelfAttribute("approved_by"),
        )


def _latest_mileage_rate() -> Rate | None:
    return Rate.objects.filter(kind=Rate.Kind.MILEAGE).order_by("-valid_from").first()


class ExpenseItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpenseItem
        skip_postgeneration_save = True

    claim = factory.SubFactory(ExpenseClaimFactory)
    category = Category.PARKING
    description = "Car park next to the family centre"
    amount = Decimal("4.50")

    class Params:
        mileage = factory.Trait(
            category=Category.MILEAGE,
            description="Home to the family centre and back",
            miles=Decimal("10.0"),
            rate=factory.LazyFunction(_latest_mileage_rate),
            amount=Decimal("4.50"),
        )

    @factory.post_generation
    def with_receipt(self, create, extracted, **kwargs):
        if create and extracted:
            self.receipt.save("receipt.jpg", ContentFile(jpeg_bytes()), save=False)
            self.receipt_name = "receipt.jpg"
            self.receipt_content_type = "image/jpeg"
            self.save()


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rate

    kind = Rate.Kind.INVOLVEMENT
    activity_kind = ""
    unit = Rate.Unit.PER_ACTIVITY
    amount = Decimal("20.00")
    valid_from = dt.date(2025, 1, 1)


class ClaimEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimEvent

    claim = factory.SubFactory(ExpenseClaimFactory)
    from_status = ExpenseClaim.Status.DRAFT
    to_status = ExpenseClaim.Status.SUBMITTED


# Real files ---------------------------------------------------------------------------------


def receipt_upload(kind: str = "jpeg", *, name: str | None = None) -> SimpleUploadedFile:
    """An upload of a real receipt file: ``kind`` is jpeg, jpeg_gps, png, heic or pdf."""
    content, default_name, content_type = {
        "jpeg": (jpeg_bytes, "receipt.jpg", "image/jpeg"),
        "jpeg_gps": (lambda: jpeg_bytes(gps=True), "photo.jpg", "image/jpeg"),
        "png": (png_bytes, "receipt.png", "image/png"),
        "heic": (heic_bytes, "IMG_0001.HEIC", "image/heic"),
        "pdf": (pdf_bytes, "ticket.pdf", "application/pdf"),
    }[kind]
    return upload(name or default_name, content(), content_type)
