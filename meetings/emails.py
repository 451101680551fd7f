"""Emails about meetings: one function per message, with subject, text and HTML templates side by
side under ``templates/emails/meetings/`` (``<name>_subject.txt``, ``<name>.txt``, ``<name>.html``).

These functions only build and send; they raise if sending fails. Whether a message may go
(`members.consent.can_contact`) and that it goes exactly once are decided by
`meetings.deliveries`, which is what the tasks call.

Subjects and the first lines show on lock screens: "<what> – <group short name>", never the
meeting's own title (it may name a painful subject) and never "mental health".
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import dateformat
from django.utils.module_loading import import_string

from .calendar import ics_filename, meeting_ics
from .links import meeting_url
from .models import Meeting, Registration

LONDON = ZoneInfo("Europe/London")

__all__ = [
    "meeting_url",
    "send_cancellation_notice",
    "send_change_notice",
    "send_debrief",
    "send_promotion_notice",
    "send_reminder",
]


# --- How a meeting is described ----------------------------------------------------------


def _clock(moment) -> str:
    """10am, 10:30am, midday: the NHS.UK way of writing times."""
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def long_date(moment) -> str:
    """Tuesday 10 March 2026, in London time."""
    return dateformat.format(moment.astimezone(LONDON), "l j F Y")


def short_date(moment) -> str:
    """Tuesday 10 March, in London time (for subjects)."""
    return dateformat.format(moment.astimezone(LONDON), "l j F")


def time_range(meeting: Meeting) -> str:
    """10am to midday, in London time."""
    return f"{_clock(meeting.starts_at.astimezone(LONDON))} to {_clock(meeting.ends_at.astimezone(LONDON))}"


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
        "times": time_range(meeting),
        "venue_lines": venue_lines(meeting),
        "venue_access": venue_access(meeting),
        "directions_url": meeting.venue.directions_url if meeting.venue and meeting.is_in_person else "",
        "is_online": meeting.is_online,
        "online_link": meeting.online_link if show_joining_link and meeting.is_online else "",
        "online_joining_notes": meeting.online_joining_notes if meeting.is_online else "",
        "meeting_url": meeting_url(meeting),
    }


# --- Sending ----------------------------------------------------------------------------------


def group_context() -> dict[str, Any]:
    """The group profile and its signposts (data edited in the admin)."""
    return import_string(settings.EMAIL_CONTEXT_FUNCTION)()


def _send(template: str, registration: Registration, context: dict[str, Any], *, ics: bytes | None = None) -> None:
    user = registration.member.user
    context = {**group_context(), "user": user, "member": registration.member, "registration": registration, **context}
    prefix = f"emails/meetings/{template}"
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
    subject = f"{subject} – {context['group_profile'].short_name}"
    message = EmailMultiAlternatives(
        subject, render_to_string(f"{prefix}.txt", context), settings.DEFAULT_FROM_EMAIL, [user.email]
    )
    message.attach_alternative(render_to_string(f"{prefix}.html", context), "text/html")
    if ics is not None:
        message.attach(ics_filename(registration.meeting), ics, "text/calendar")
    message.send()


def send_reminder(registration: Registration, *, days_before: int) -> None:
    """When and where, how to join, what to bring, what they asked for, and how to cancel; with
    the calendar entry (joining link included)."""
    meeting = registration.meeting
    context = {**meeting_context(meeting, show_joining_link=True), "days_before": days_before}
    _send("reminder", registration, context, ics=meeting_ics(meeting, for_registered_member=True))


def send_debrief(registration: Registration) -> None:
    """After the meeting: thanks, who to talk to and how, the group's support and crisis lines.
    Gentler and fuller, with crisis lines first, for meetings marked sensitive."""
    meeting = registration.meeting
    context = {
        **meeting_context(meeting, show_joining_link=False),
        "lead_name": meeting.debrief_lead_name,
        "lead_contact": meeting.debrief_lead_contact,
    }
    template = "debrief_sensitive" if meeting.is_sensitive else "debrief"
    _send(template, registration, context)


def send_promotion_notice(registration: Registration) -> None:
    """A place came up and they have it now; with the calendar entry."""
    meeting = registration.meeting
    _send(
        "promoted",
        registration,
        meeting_context(meeting, show_joining_link=True),
        ics=meeting_ics(meeting, for_registered_member=True),
    )


def send_cancellation_notice(registration: Registration) -> None:
    """The meeting is off. People with a place get a calendar file that cancels the entry."""
    meeting = registration.meeting
    had_place = registration.status == Registration.Status.REGISTERED
    _send(
        "cancelled",
        registration,
        {**meeting_context(meeting, show_joining_link=False), "had_place": had_place},
        ics=meeting_ics(meeting) if had_place else None,
    )


def _previous_times(meeting: Meeting) -> str:
    """When the meeting was before its latest change, if the time changed."""
    previous = meeting.history.filter(sequence__lt=meeting.sequence).order_by("-sequence", "-history_id").first()
    if previous is None or (previous.starts_at, previous.ends_at) == (meeting.starts_at, meeting.ends_at):
        return ""
    return f"{long_date(previous.starts_at)}, {_clock(previous.starts_at.astimezone(LONDON))}"


def send_change_notice(registration: Registration) -> None:
    """The time, place or joining details changed: the details as they are now, with an updated
    calendar entry for people with a place (same UID, higher SEQUENCE, so it replaces the old one)."""
    meeting = registration.meeting
    has_place = registration.status == Registration.Status.REGISTERED
    context = {
        **meeting_context(meeting, show_joining_link=has_place),
        "has_place": has_place,
        "was": _previous_times(meeting),
    }
    _send("changed", registration, context, ics=meeting_ics(meeting, for_registered_member=True) if has_place else None)
