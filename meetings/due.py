"""Who is due a meeting reminder or debrief now, worked out from the database each time the
periodic jobs run (nothing waits in the broker, so a meeting that moves is simply found at its
new time). A registration is due a message the outbox does not hold yet; once it is recorded
(sent, skipped or anything else) it is never due again."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from common.group import group_profile
from outbox.models import Message

from .messages import DEBRIEF, DEBRIEF_WINDOW, REMINDER
from .models import Meeting, Registration


def _without_message(queryset: QuerySet[Registration], kind: str, key: int | str) -> QuerySet[Registration]:
    made = Message.objects.filter(
        kind=kind,
        key=str(key),
        about_type=ContentType.objects.get_for_model(Registration),
        about_id=OuterRef("pk"),
    )
    return queryset.filter(~Exists(made))


def due_reminders(
    offset_days: int, *, next_offset_days: int = 0, now: dt.datetime | None = None
) -> QuerySet[Registration]:
    """Registrations due the reminder ``offset_days`` before their meeting, not yet recorded.

    A reminder is due from ``offset_days`` before the start. If the worker was down, a late
    reminder still goes until the next (smaller) reminder falls due — then only that one goes —
    and never once the meeting has started. Someone who took their place after a reminder fell
    due does not get it (they have just seen the details, and the next reminder will come).
    """
    now = now or timezone.now()
    offset = dt.timedelta(days=offset_days)
    registrations = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        meeting__status=Meeting.Status.SCHEDULED,
        meeting__starts_at__gt=now + dt.timedelta(days=next_offset_days),
        meeting__starts_at__lte=now + offset,
        status_changed_at__lte=F("meeting__starts_at") - offset,
    )
    return _without_message(registrations, REMINDER, offset_days).select_related("meeting", "member__user")


def reminder_offsets() -> list[tuple[int, int]]:
    """(offset, the next smaller offset or 0) for each reminder the group profile asks for."""
    offsets = group_profile().reminder_offsets  # largest first
    return list(zip(offsets, [*offsets[1:], 0], strict=True))


def due_debriefs(*, now: dt.datetime | None = None) -> QuerySet[Registration]:
    """Registrations due their debrief message, not yet recorded.

    The message goes ``debrief_delay_minutes`` after a meeting ends (and not for meetings that
    ended more than three days ago), to everyone registered — or, once attendance is taken,
    only to those who came.
    """
    now = now or timezone.now()
    delay = dt.timedelta(minutes=group_profile().debrief_delay_minutes)
    registrations = Registration.objects.took_part(now=now - delay).filter(meeting__ends_at__gt=now - DEBRIEF_WINDOW)
    return _without_message(registrations, DEBRIEF, "").select_related("meeting", "member__user")
