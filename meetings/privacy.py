"""A member's meeting registrations in their data download, and what erasure does to them.

Registered from `MeetingsConfig.ready` with `members.privacy`, so "download my data" and
"erase my data" stay one function each (meetings may use members; members never imports us).

Erasure:

* **Future places** (registered or waiting) are cancelled through `cancel_registration`, so the
  next person on the waiting list is moved up and told, and the meeting's counts stay right.
* **Every registration stays** (attendance and counts are group records) but loses what the
  member told us about their needs for that meeting: interpreter language, food and drink,
  "anything else", and the yes/no needs.
* **Messages** about their registrations are the outbox's: members' erasure removes the words
  and addresses of every message to the member (`outbox.sending.erase_for`), keeping the
  record that a message was sent. Nothing more is needed here.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.utils import timezone

from members.models import Member
from members.privacy import iso

from .models import Registration
from .services import RegistrationError, cancel_registration


def export_registrations(member: Member) -> list[dict[str, Any]]:
    registrations = list(
        Registration.objects.filter(member=member).select_related("meeting").order_by("meeting__starts_at", "pk")
    )
    return [
        {
            "meeting": registration.meeting.title,
            "kind": registration.meeting.get_kind_display(),
            "starts_at": iso(registration.meeting.starts_at),
            "status": registration.get_status_display(),
            "signed_up_at": iso(registration.created_at),
            "status_changed_at": iso(registration.status_changed_at),
            "waiting_since": iso(registration.waiting_since),
            "needs_childcare": registration.needs_childcare,
            "needs_bsl": registration.needs_bsl,
            "interpreter_language": registration.interpreter_language,
            "needs_step_free": registration.needs_step_free,
            "dietary": registration.dietary,
            "other_needs": registration.other_needs,
        }
        for registration in registrations
    ]


def erase_meetings(member: Member) -> None:
    upcoming = Registration.objects.filter(
        member=member,
        status__in=(Registration.Status.REGISTERED, Registration.Status.WAITING),
        meeting__starts_at__gt=timezone.now(),
    ).select_related("meeting")
    for registration in upcoming:
        # A meeting cancelled (or started) meanwhile has no place to give up.
        with suppress(RegistrationError):
            cancel_registration(registration=registration)

    Registration.objects.filter(member=member).update(
        needs_childcare=False,
        needs_bsl=False,
        interpreter_language="",
        needs_step_free=False,
        dietary="",
        other_needs="",
    )
