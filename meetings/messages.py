"""Messages about meetings, by email and text, through the outbox.

One function per message records it with `outbox.sending.queue` in the caller's transaction
(the change that causes it), and the outbox sends it after commit, at most once per row, asking
`members.consent.can_contact` at the moment of sending. One builder per kind, registered in
`MeetingsConfig.ready()`, makes the words when the message is sent (so they carry the latest
details) from the templates side by side under ``templates/emails/meetings/``
(``<name>_subject.txt``, ``<name>.txt``, ``<name>.html``, and ``<name>_sms.txt`` for a text),
or says the message is no longer needed:

- a reminder or "a place has come up": the meeting was cancelled or has started, or they no
  longer have a place; for a promotion, also a later promotion (only the latest is news);
- a change notice: the meeting was cancelled or has started, a later change has its own notice
  with the latest details, or they neither have a place nor are waiting;
- a cancellation: the meeting's time has passed (or it is no longer cancelled);
- a debrief: the meeting ended more than `DEBRIEF_WINDOW` ago.

Keys tell messages of one kind apart: a reminder's is the days before the meeting, a
promotion's the registration's promotion count (so a second promotion is told too), a change
notice's the meeting's calendar SEQUENCE. Reminders, promotions, cancellations and changes go
by email and by text to members who chose text; the debrief (signposts and crisis lines) by
email only.

Subjects and texts show on lock screens: "<what> – <group short name>", never the meeting's own
title (it may name a painful subject) and never what the group is about.
See docs/decisions/0010-one-outbox.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from common.formatting import clock, long_date, short_date, time_range
from members.consent import ContactPurpose, contactable_members
from members.phone import format_uk_phone
from outbox import kinds, sending
from outbox.kinds import Attachment, Content, NoLongerNeeded
from outbox.models import Channel, Message
from outbox.rendering import render_for

from .calendar import ics_filename, meeting_ics
from .links import meeting_url
from .models import Meeting, Registration

REMINDER = "meetings.reminder"
DEBRIEF = "meetings.debrief"
PROMOTED = "meetings.promoted"
CANCELLED = "meetings.cancelled"
CHANGED = "meetings.changed"

PURPOSE = ContactPurpose.MEETINGS
EMAIL_AND_TEXT = (Channel.EMAIL, Channel.SMS)
EMAIL_ONLY = (Channel.EMAIL,)

# Debriefs are not sent for meetings that ended longer ago than this (a worker that was down
# for a week should not send a week-old "how are you after the meeting").
DEBRIEF_WINDOW = dt.timedelta(days=3)

TEMPLATES = "emails/meetings"


# --- Queuing: one function per message ------------------------------------------------------


def _to_members(registrations: Iterable[Registration]) -> list[tuple[Registration, Any]]:
    return [(registration, registration.member.user) for registration in registrations]


def queue_reminders(
    registrations: Iterable[Registration], *, days_before: int, send_after_commit: bool = True
) -> list[int]:
    """The reminder ``days_before`` the meeting, for each registration (see `meetings.due`):
    when and where, how to join, what to bring, what they asked for, how to cancel."""
    return sending.queue_many(
        kind=REMINDER,
        items=_to_members(registrations),
        purpose=PURPOSE,
        key=days_before,
        channels_wanted=EMAIL_AND_TEXT,
        send_after_commit=send_after_commit,
    )


def queue_debriefs(registrations: Iterable[Registration], *, send_after_commit: bool = True) -> list[int]:
    """The message after a meeting: thanks, who to talk to, support and crisis lines."""
    return sending.queue_many(
        kind=DEBRIEF,
        items=_to_members(registrations),
        purpose=PURPOSE,
        channels_wanted=EMAIL_ONLY,
        send_after_commit=send_after_commit,
    )


def queue_promotion_notice(registration: Registration) -> list[int]:
    """A place came up and it is theirs now (one message per promotion)."""
    return sending.queue(
        kind=PROMOTED,
        about=registration,
        recipient=registration.member.user,
        purpose=PURPOSE,
        key=registration.promotions,
        channels_wanted=EMAIL_AND_TEXT,
    )


def change_notice_recipients(meeting: Meeting):
    """Everyone told when a meeting is cancelled or moved: with a place or on the waiting list."""
    return meeting.registrations.filter(
        status__in=[*Registration.HOLDS_PLACE, Registration.Status.WAITING]
    ).select_related("member__user")


def queue_cancellation_notices(meeting: Meeting) -> list[int]:
    """The meeting is off: everyone with a place or waiting is told."""
    return sending.queue_many(
        kind=CANCELLED,
        items=_to_members(change_notice_recipients(meeting)),
        purpose=PURPOSE,
        channels_wanted=EMAIL_AND_TEXT,
    )


def queue_change_notices(meeting: Meeting) -> list[int]:
    """The time, place or joining details changed: one notice per version of the meeting."""
    return sending.queue_many(
        kind=CHANGED,
        items=_to_members(change_notice_recipients(meeting)),
        purpose=PURPOSE,
        key=meeting.sequence,
        channels_wanted=EMAIL_AND_TEXT,
    )


# --- For coordinators -----------------------------------------------------------------------


@dataclass
class PhoneInstead:
    """Someone whose text about a meeting was not sent: a coordinator phones them instead."""

    name: str
    phone: str  # digits, for the tel: link
    about: list[str] = field(default_factory=list)

    @property
    def phone_shown(self) -> str:
        return format_uk_phone(self.phone)

    @property
    def about_text(self) -> str:
        """What they were not told, as one line: "meeting reminder, meeting cancelled"."""
        return ", ".join(self.about).lower()


def phone_instead(meeting: Meeting) -> list[PhoneInstead]:
    """People whose text message about this meeting was not sent because no text message
    service is set up, with what they were not told, so nobody is silently forgotten. Only
    those who may still be contacted (not since withdrawn, taking a break, left or erased)."""
    registration_ids = meeting.registrations.values_list("pk", flat=True)
    unsent = (
        sending.not_sent_for_lack_of_service(Message.objects.filter(sending.about_any(Registration, registration_ids)))
        .select_related("recipient__member")
        .order_by("recipient__name", "recipient_id", "created_at", "pk")
    )
    # One query for who may still be texted, rather than asking can_contact for each message.
    reachable = set(
        contactable_members(PURPOSE, Channel.SMS)
        .filter(user_id__in=unsent.values("recipient_id"))
        .values_list("user_id", flat=True)
    )
    people: dict[int, PhoneInstead] = {}
    for message in unsent:
        user = message.recipient
        if user is None or user.pk not in reachable:
            continue
        member = user.member
        if user.pk not in people:
            people[user.pk] = PhoneInstead(name=str(member), phone=member.phone)
        person = people[user.pk]
        if message.kind_label not in person.about:
            person.about.append(message.kind_label)
    return list(people.values())


# --- How a meeting is described ----------------------------------------------------------


def venue_lines(meeting: Meeting) -> list[str]:
    venue = meeting.venue
    if venue is None or not meeting.is_in_person:
        return []
    lines = [venue.name, *(line.strip() for line in venue.address.splitlines() if line.strip())]
    if venue.postcode:
        lines.append(venue.postcode)
    return lines


def venue_access(meeting: Meeting) -> list[str]:
    """What someone needs to know about getting there and getting in."""
    venue = meeting.venue
    if venue is None or not meeting.is_in_person:
        return []
    notes = ["There is step-free access." if venue.step_free else "There is no step-free access."]
    if venue.parking:
        notes.append(venue.parking)
    if venue.baby_changing:
        notes.append("There are baby-changing facilities.")
    notes.append("Children are welcome." if venue.children_welcome else "Sorry, this venue cannot take children.")
    if venue.access_notes:
        notes.append(venue.access_notes)
    return notes


def meeting_context(meeting: Meeting, *, show_joining_link: bool) -> dict[str, Any]:
    """Everything the templates show about a meeting, already in words and London time."""
    return {
        "meeting": meeting,
        "kind": meeting.get_kind_display().lower(),
        "date": long_date(meeting.starts_at),
        "short_date": short_date(meeting.starts_at),
        "times": time_range(meeting.starts_at, meeting.ends_at),
        "venue_lines": venue_lines(meeting),
        "venue_access": venue_access(meeting),
        "directions_url": meeting.venue.directions_url if meeting.venue and meeting.is_in_person else "",
        "is_online": meeting.is_online,
        "online_link": meeting.online_link if show_joining_link and meeting.is_online else "",
        "online_joining_notes": meeting.online_joining_notes if meeting.is_online else "",
        "meeting_url": meeting_url(meeting),
    }


def _previous_times(meeting: Meeting) -> str:
    """When the meeting was before its latest change, if the time changed."""
    previous = meeting.history.filter(sequence__lt=meeting.sequence).order_by("-sequence", "-history_id").first()
    if previous is None or (previous.starts_at, previous.ends_at) == (meeting.starts_at, meeting.ends_at):
        return ""
    return f"{long_date(previous.starts_at)}, {clock(previous.starts_at)}"


# --- Building: one builder per kind, at the moment of sending ---------------------------------


def _registration(message: Message) -> Registration:
    registration = (
        Registration.objects.select_related("meeting__venue", "member__user").filter(pk=message.about_id).first()
    )
    if registration is None:
        raise NoLongerNeeded("the registration no longer exists.")
    return registration


def _render(message: Message, template: str, registration: Registration, context: dict[str, Any], **kwargs) -> Content:
    context = {
        "user": registration.member.user,
        "member": registration.member,
        "registration": registration,
        **context,
    }
    return render_for(message, f"{TEMPLATES}/{template}", context, **kwargs)


def _calendar(message: Message, meeting: Meeting, **options) -> tuple[Attachment, ...]:
    """The meeting's calendar entry, for emails (a text has no attachments)."""
    if message.channel != Channel.EMAIL:
        return ()
    calendar = meeting_ics(meeting, **options)
    return (Attachment(filename=ics_filename(meeting), content=calendar, mimetype="text/calendar"),)


def _refuse_unless_ahead(meeting: Meeting, now: dt.datetime) -> None:
    if meeting.is_cancelled:
        raise NoLongerNeeded("the meeting has been cancelled.")
    if meeting.starts_at <= now:
        raise NoLongerNeeded("the meeting has already started.")


def _refuse_unless_registered(registration: Registration) -> None:
    if registration.status != Registration.Status.REGISTERED:
        raise NoLongerNeeded("they no longer have a place at the meeting.")


def build_reminder(message: Message) -> Content:
    """When and where, how to join, what to bring, what they asked for, and how to cancel; with
    the calendar entry (joining link included)."""
    registration = _registration(message)
    meeting = registration.meeting
    _refuse_unless_ahead(meeting, timezone.now())
    _refuse_unless_registered(registration)
    context = {**meeting_context(meeting, show_joining_link=True), "days_before": int(message.key)}
    return _render(
        message, "reminder", registration, context, attachments=_calendar(message, meeting, for_registered_member=True)
    )


def build_debrief(message: Message) -> Content:
    """After the meeting: thanks, who to talk to and how, the group's support and crisis lines.
    Gentler and fuller, with crisis lines first, for meetings marked sensitive."""
    registration = _registration(message)
    meeting = registration.meeting
    if meeting.ends_at <= timezone.now() - DEBRIEF_WINDOW:
        raise NoLongerNeeded("the meeting ended more than three days ago.")
    context = {
        **meeting_context(meeting, show_joining_link=False),
        "lead_name": meeting.debrief_lead_name,
        "lead_contact": meeting.debrief_lead_contact,
    }
    return _render(message, "debrief_sensitive" if meeting.is_sensitive else "debrief", registration, context)


def build_promotion_notice(message: Message) -> Content:
    """A place came up and they have it now; with the calendar entry."""
    registration = _registration(message)
    meeting = registration.meeting
    _refuse_unless_ahead(meeting, timezone.now())
    if int(message.key) != registration.promotions:
        raise NoLongerNeeded("an earlier move off the waiting list; only the latest is news.")
    _refuse_unless_registered(registration)
    return _render(
        message,
        "promoted",
        registration,
        meeting_context(meeting, show_joining_link=True),
        attachments=_calendar(message, meeting, for_registered_member=True),
    )


def build_cancellation_notice(message: Message) -> Content:
    """The meeting is off. People with a place get a calendar file that cancels the entry."""
    registration = _registration(message)
    meeting = registration.meeting
    if not meeting.is_cancelled:
        raise NoLongerNeeded("the meeting is no longer cancelled.")
    if meeting.starts_at <= timezone.now():
        raise NoLongerNeeded("the meeting's time has passed.")
    had_place = registration.holds_place  # ticked as arrived early is a place too
    context = {**meeting_context(meeting, show_joining_link=False), "had_place": had_place}
    return _render(
        message, "cancelled", registration, context, attachments=_calendar(message, meeting) if had_place else ()
    )


def _has_later_change_notice(message: Message) -> bool:
    """Whether a later change to the meeting has its own notice to them on this channel."""
    keys = Message.objects.filter(
        kind=CHANGED,
        about_type_id=message.about_type_id,
        about_id=message.about_id,
        channel=message.channel,
    ).values_list("key", flat=True)
    return any(int(key) > int(message.key) for key in keys)


def build_change_notice(message: Message) -> Content:
    """The time, place or joining details changed: the details as they are now, with an updated
    calendar entry for people with a place (same UID, higher SEQUENCE, so it replaces the old one)."""
    registration = _registration(message)
    meeting = registration.meeting
    _refuse_unless_ahead(meeting, timezone.now())
    if int(message.key) < meeting.sequence and _has_later_change_notice(message):
        raise NoLongerNeeded("a later change notice has the latest details.")
    if registration.status not in (*Registration.HOLDS_PLACE, Registration.Status.WAITING):
        raise NoLongerNeeded("they neither have a place nor are on the waiting list.")
    has_place = registration.holds_place
    context = {
        **meeting_context(meeting, show_joining_link=has_place),
        "has_place": has_place,
        "was": _previous_times(meeting),
    }
    attachments = _calendar(message, meeting, for_registered_member=True) if has_place else ()
    return _render(message, "changed", registration, context, attachments=attachments)


def register_kinds() -> None:
    """Tells the outbox how to build each kind of meeting message (from `MeetingsConfig.ready`)."""
    kinds.register(REMINDER, label="Meeting reminder", build=build_reminder)
    kinds.register(DEBRIEF, label="After a meeting", build=build_debrief)
    kinds.register(PROMOTED, label="A place has come up", build=build_promotion_notice)
    kinds.register(CANCELLED, label="Meeting cancelled", build=build_cancellation_notice)
    kinds.register(CHANGED, label="Meeting changed", build=build_change_notice)
