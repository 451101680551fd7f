"""A member's own data: everything held, as a readable page and a JSON file, and erasure.

Other apps add their part through `register_export_section` and `register_erasure`
(called from their AppConfig.ready), so "download my data" and "erase my data" stay one
function each however many apps hold something about a member.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.utils import timezone

from .consent import current_consents
from .models import EqualityMonitoring, ErasureRecord, Member, User

ExportSection = Callable[[Member], list[dict[str, Any]] | dict[str, Any]]

_export_sections: list[tuple[str, str, ExportSection]] = []
_erasers: list[Callable[[Member], None]] = []


def register_export_section(key: str, title: str, build: ExportSection) -> None:
    """Adds a section ("registrations", "expense claims"…) to every member's data download."""
    if key not in {k for k, _, _ in _export_sections}:
        _export_sections.append((key, title, build))


def register_erasure(erase: Callable[[Member], None]) -> None:
    """Adds an app's part of erasure: remove or anonymise what it holds about the member."""
    if erase not in _erasers:
        _erasers.append(erase)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    data: list[dict[str, Any]] | dict[str, Any]


def _value(instance: models.Model, field: models.Field) -> Any:
    value = getattr(instance, field.attname)
    if field.choices and value not in (None, ""):
        return getattr(instance, f"get_{field.name}_display")()
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def model_fields(instance: models.Model, exclude: set[str] = frozenset()) -> dict[str, Any]:
    """Every stored field of a record (its own columns), readable values for choices."""
    skip = {"id", *exclude}
    return {
        field.name: _value(instance, field)
        for field in instance._meta.concrete_fields
        if field.name not in skip and not field.is_relation
    }


def _topics(member: Member) -> list[str]:
    labels = dict(Member.Topic.choices)
    return [labels.get(topic, topic) for topic in member.topics]


def member_export(member: Member) -> list[Section]:
    """Everything held about the member, section by section."""
    member = Member.objects.select_related("user").get(pk=member.pk)
    user = member.user
    profile = model_fields(member, exclude={"topics"})
    profile["topics"] = _topics(member)
    sections = [
        Section(
            "account",
            "Your account",
            {
                "name": user.name,
                "email": user.email,
                "date_joined": user.date_joined.isoformat(),
                "last_login": user.last_login.isoformat() if user.last_login else None,
            },
        ),
        Section("profile", "Your profile, preferences and access needs", profile),
        Section(
            "consents_now",
            "Your consents now",
            [
                {
                    "purpose": c.label,
                    "given": c.given,
                    "version": c.record.text.version if c.record else None,
                    "decided_at": c.record.recorded_at.isoformat() if c.record else None,
                }
                for c in current_consents(member)
            ],
        ),
        Section(
            "consent_history",
            "Every consent decision",
            [
                {
                    "purpose": record.get_purpose_display(),
                    "version": record.text.version,
                    "given": record.given,
                    "recorded_at": record.recorded_at.isoformat(),
                    "how": record.get_method_display(),
                    "recorded_by": record.recorded_by.name if record.recorded_by else None,
                }
                for record in member.consents.select_related("text", "recorded_by")
            ],
        ),
        Section(
            "equality",
            "Equality monitoring answers",
            model_fields(member.equality, exclude={"member"}) if hasattr(member, "equality") else {},
        ),
        Section(
            "training",
            "Training you have completed",
            [
                {"course": record.course.name, "completed_on": record.completed_on.isoformat()}
                for record in member.training.select_related("course")
            ],
        ),
    ]
    sections.extend(Section(key, title, build(member)) for key, title, build in _export_sections)
    return sections


def member_export_json(member: Member) -> dict[str, Any]:
    return {
        "exported_at": timezone.now().isoformat(),
        **{section.key: section.data for section in member_export(member)},
    }


def _end_sessions(user: User) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


@transaction.atomic
def erase_member(*, member: Member, requested_by_member: bool = True, erased_by: User | None = None) -> Member:
    """Removes or anonymises everything that identifies the member.

    What stays is anonymous: the member row (so counts of members, attendance and consent
    stay right), consent and training records attached to it, and equality answers cut
    loose from it. Each app's registered eraser runs too (expense claims keep what audit
    needs). The history of changes to the person's records is deleted with them.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    user = member.user
    for erase in _erasers:
        erase(member)

    Member.objects.filter(pk=member.pk).update(
        status=Member.Status.LEFT,
        status_changed_at=timezone.now(),
        erased_at=timezone.now(),
        pronouns="",
        phone="",
        postal_address="",
        postcode="",
        contact_by_email=False,
        contact_by_sms=False,
        contact_by_phone=False,
        contact_by_post=False,
        contact_frequency="",
        needs_large_print=False,
        needs_easy_read=False,
        needs_bsl=False,
        needs_interpreter=False,
        interpreter_language="",
        needs_step_free=False,
        needs_childcare=False,
        access_other="",
        preferred_language="",
        relationship="",
        relationship_other="",
        topics=[],
        topics_other="",
        topics_prefer_not=False,
        heard_about_other="",
        payment_preference="",
    )
    EqualityMonitoring.objects.filter(member=member).update(member=None)

    _end_sessions(user)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(name="", email=None, is_active=False, password="!erased")
    user.groups.clear()

    # History rows and admin log lines hold copies of the erased details.
    Member.history.filter(id=member.pk).delete()
    User.history.filter(id=user.pk).delete()
    for model, pk in ((Member, member.pk), (User, user.pk)):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
        ).update(object_repr="Erased member", change_message="")

    ErasureRecord.objects.get_or_create(
        member=member, defaults={"requested_by_member": requested_by_member, "erased_by": erased_by}
    )
    member.refresh_from_db()
    return member
