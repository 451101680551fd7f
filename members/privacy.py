"""A member's own data: everything held, as a readable page and a JSON file, and erasure.

Other apps add their part through `register_export_section` and `register_erasure`
(called from their AppConfig.ready), so "download my data" and "erase my data" stay one
function each however many apps hold something about a member.

Copies of a person's details also end up outside their records: the admin's log lines
(`LogEntry.object_repr` is the record's `__str__`, which often includes the member's name)
and change history (django-simple-history). Erasure cleans those for every record that
belongs to the member, found by following foreign keys back to the member and their account
(`records_about`), so a new app's records are covered without telling this module about them.
An eraser may also return records it touched that no foreign key leads to.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.utils import timezone

from outbox.models import Message
from outbox.sending import erase_for

from .consent import current_consents
from .models import ErasureRecord, Member, User
from .state import user_changed

ExportSection = Callable[[Member], list[dict[str, Any]] | dict[str, Any]]
# An app's part of erasure. It may return records it touched beyond those that point at the
# member by foreign key, so their admin log lines and history are cleaned too.
Eraser = Callable[[Member], Iterable[models.Model] | None]

_export_sections: list[tuple[str, str, ExportSection]] = []
_erasers: list[Eraser] = []


def register_export_section(key: str, title: str, build: ExportSection) -> None:
    """Adds a section ("registrations", "expense claims"…) to every member's data download."""
    if key not in {k for k, _, _ in _export_sections}:
        _export_sections.append((key, title, build))


def register_erasure(erase: Eraser) -> None:
    """Adds an app's part of erasure: remove or anonymise what it holds about the member."""
    if erase not in _erasers:
        _erasers.append(erase)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    data: list[dict[str, Any]] | dict[str, Any]


def iso(value) -> str | None:
    """A date or time in a data download (ISO 8601), or None when there is none."""
    return value.isoformat() if value else None


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
    # The equality key is an internal link, like the id: it says nothing about the member.
    profile = model_fields(member, exclude={"topics", "equality_key"})
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
            model_fields(answers, exclude={"key"}) if (answers := member.equality_answers) else {},
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
    sections.append(Section("messages", "Messages we have sent you, or tried to", _messages(user)))
    return sections


def _messages(user: User) -> list[dict[str, Any]]:
    """Every message to the person from any part of the portal, listed once here (apps do not
    list them again): what it was, how, and what happened. Not what it said: that is removed
    after a few weeks, and the pages above show the same details as they stand now."""
    return [
        {
            "message": message.kind_label,
            "channel": message.get_channel_display(),
            "status": message.get_status_display(),
            "made_at": iso(message.created_at),
            "sent_at": iso(message.sent_at),
        }
        for message in Message.objects.filter(recipient=user).order_by("created_at", "pk")
    ]


def member_export_json(member: Member) -> dict[str, Any]:
    return {
        "exported_at": timezone.now().isoformat(),
        **{section.key: section.data for section in member_export(member)},
    }


def _end_sessions(user: User) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            # Through the session engine, so a cached copy (cached_db sessions) goes too.
            store(session_key=session.session_key).delete()


# Relations not followed when looking for a member's records: log lines the person wrote as
# staff are about other people's records, and sessions are ended separately.
_NOT_FOLLOWED = {LogEntry, Session}
_MAX_DEPTH = 3
_CHUNK = 500


def records_about(member: Member) -> dict[type[models.Model], set[Any]]:
    """Every record that belongs to the member, as primary keys by model.

    That is their account and member record, rows their account owns (a ``user`` foreign key:
    email addresses, two-step devices), and every row reachable from the member record through
    foreign keys pointing back at it (registrations and their deliveries, claims and their
    items, consents…). Rows where the account only acted as staff (``recorded_by``,
    ``approved_by``) are about other people and are not followed.
    """
    found: dict[type[models.Model], set[Any]] = {Member: {member.pk}, User: {member.user_id}}
    frontier: list[tuple[type[models.Model], set[Any], Callable[[Any], bool]]] = [
        (User, {member.user_id}, lambda relation: relation.field.name == "user"),
        (Member, {member.pk}, lambda relation: True),
    ]
    for _ in range(_MAX_DEPTH):
        next_frontier = []
        for model, pks, follow in frontier:
            for relation in model._meta.related_objects:
                related = relation.related_model
                # (History rows are cleaned through the record they copy, not followed.)
                if relation.many_to_many or related in _NOT_FOLLOWED or hasattr(related, "instance_type"):
                    continue
                if not follow(relation):
                    continue
                new = set(
                    related._base_manager.filter(**{f"{relation.field.name}__in": list(pks)}).values_list(
                        "pk", flat=True
                    )
                ) - found.get(related, set())
                if new:
                    found.setdefault(related, set()).update(new)
                    next_frontier.append((related, new, lambda relation: True))
        frontier = next_frontier
        if not frontier:
            break
    return found


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    values = list(values)
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _scrub_admin_trail(records: dict[type[models.Model], set[Any]]) -> None:
    """Admin log lines name the record as it was (often with the member's name); the history
    of changes holds full copies. Both go for every record of the member's."""
    for model, pks in records.items():
        # Admin pages for proxy models log under the proxy's own content type.
        content_types = [ContentType.objects.get_for_model(model)] + [
            ContentType.objects.get_for_model(proxy, for_concrete_model=False)
            for proxy in apps.get_models()
            if proxy._meta.proxy and proxy._meta.concrete_model is model
        ]
        history_attribute = getattr(model._meta, "simple_history_manager_attribute", None)
        for chunk in _chunks(pks):
            LogEntry.objects.filter(content_type__in=content_types, object_id__in=[str(pk) for pk in chunk]).update(
                object_repr="Erased member", change_message=""
            )
            if history_attribute:
                getattr(model, history_attribute).filter(**{f"{model._meta.pk.attname}__in": chunk}).delete()


@transaction.atomic
def erase_member(*, member: Member, requested_by_member: bool = True, erased_by: User | None = None) -> Member:
    """Removes or anonymises everything that identifies the member.

    What stays is anonymous: the member row (so counts of members, attendance and consent
    stay right), consent and training records attached to it, and equality answers (the
    member gets a new random key, so nothing leads to them any more). Each app's registered
    eraser runs too (expense claims keep what audit needs). Messages sent to them keep only
    the record that they were sent, not what they said or where. The history of changes to the
    person's records is deleted, and admin log lines about them no longer name them.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    user = member.user
    # Found before the erasers run: records they delete (draft claims) still have log lines.
    records = records_about(member)
    for erase in _erasers:
        for touched in erase(member) or ():
            records.setdefault(type(touched), set()).add(touched.pk)

    Member.objects.filter(pk=member.pk).update(
        status=Member.Status.LEFT,
        # Someone who had already left keeps the day they left: reports count leavers by it.
        status_changed_at=models.Case(
            models.When(status=Member.Status.LEFT, then=models.F("status_changed_at")),
            default=models.Value(timezone.now()),
        ),
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
        # The equality answers stay in the totals; nothing leads to them any more.
        equality_key=uuid.uuid4(),
    )

    _end_sessions(user)
    # What messages said and where they went; the record that they were sent stays.
    erase_for(user)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(name="", email=None, is_active=False, password="!erased")
    user_changed(user.pk)  # an update() sends no signal; the account is cached for logged-in pages
    user.groups.clear()

    _scrub_admin_trail(records)

    ErasureRecord.objects.get_or_create(
        member=member, defaults={"requested_by_member": requested_by_member, "erased_by": erased_by}
    )
    member.refresh_from_db()
    return member
