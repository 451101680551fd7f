"""Calendar (.ics) files for meetings: the download on the meeting page and the attachment on emails.

Calendar entries show on lock screens and in shared calendars, so the title is discreet: the
group's short name and the kind of meeting ("Riverside group: group meeting"), never the
meeting's own title (which may name a painful subject) and never "mental health". For the same
reason the description never says what a meeting is about (its purpose is written by staff and
may name a diagnosis): only practical details and a link to the meeting page, behind login
for the joining link.

Every file for one meeting has the same UID, and its SEQUENCE is the meeting's `sequence`
(bumped by the services whenever time, place, status or anything else in the file changes), so calendar apps update the
entry they already have instead of adding a second one. A cancelled meeting's file says
STATUS:CANCELLED (and METHOD:CANCEL), which removes or strikes out the entry.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from django.conf import settings
from django.utils.text import slugify

from common.formatting import LONDON
from common.group import group_profile

from .links import meeting_url
from .models import Meeting

PRODID = "-//Perinatal Involvement Portal//Meetings//EN"


def _group_short_name() -> str:
    return group_profile().short_name


def _uid_domain() -> str:
    for host in settings.ALLOWED_HOSTS:
        host = host.lstrip(".")
        if host and host != "*":
            return host
    return "involvement.local"


def meeting_uid(meeting: Meeting) -> str:
    """The same for every version of the meeting's calendar entry."""
    return f"meeting-{meeting.pk}@{_uid_domain()}"


def calendar_summary(meeting: Meeting) -> str:
    """The discreet title: the group's short name and the kind of meeting."""
    return f"{_group_short_name()}: {meeting.get_kind_display().lower()}"


def calendar_location(meeting: Meeting) -> str:
    if meeting.mode == Meeting.Mode.ONLINE or meeting.venue is None:
        return "Online"
    venue = meeting.venue
    parts = [venue.name, *(line.strip() for line in venue.address.splitlines() if line.strip())]
    if venue.postcode:
        parts.append(venue.postcode)
    location = ", ".join(parts)
    return f"{location} (or online)" if meeting.mode == Meeting.Mode.HYBRID else location


def calendar_description(meeting: Meeting, *, for_registered_member: bool = False) -> str:
    paragraphs = []
    if meeting.is_cancelled:
        reason = f" {meeting.cancellation_reason}" if meeting.cancellation_reason else ""
        paragraphs.append(f"This meeting has been cancelled.{reason}")
    if not meeting.is_cancelled:
        if meeting.what_to_bring:
            paragraphs.append(f"What to bring: {meeting.what_to_bring}")
        if meeting.is_online and for_registered_member and meeting.online_link:
            joining = f"Join online: {meeting.online_link}"
            if meeting.online_joining_notes:
                joining += f"\n{meeting.online_joining_notes}"
            paragraphs.append(joining)
    paragraphs.append(f"Details, and to cancel your place: {meeting_url(meeting)}")
    return "\n\n".join(paragraphs)


def meeting_ics(meeting: Meeting, *, for_registered_member: bool = False) -> bytes:
    """The meeting as an iCalendar file. The online joining link is in it only for a member
    registered for the meeting (pass ``for_registered_member=True``)."""
    start = meeting.starts_at.astimezone(LONDON)
    end = meeting.ends_at.astimezone(LONDON)
    cancelled = meeting.is_cancelled

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")

    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("sequence", meeting.sequence)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", calendar_summary(meeting))
    event.add("location", calendar_location(meeting))
    event.add("description", calendar_description(meeting, for_registered_member=for_registered_member))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("url", meeting_url(meeting))
    event.add("transp", "OPAQUE")
    calendar.add_component(event)

    # A VTIMEZONE for Europe/London covering a year either side, rather than icalendar's
    # default of 1970–2038, which adds several kilobytes of transition dates.
    calendar.add_missing_timezones(
        first_date=start.date() - dt.timedelta(days=366), last_date=end.date() + dt.timedelta(days=366)
    )
    return calendar.to_ical()


def ics_filename(meeting: Meeting) -> str:
    """A discreet file name: the group's short name and the date, for example
    ``riverside-group-2026-03-10.ics``."""
    name = slugify(_group_short_name()) or "meeting"
    return f"{name}-{meeting.starts_at.astimezone(LONDON):%Y-%m-%d}.ics"
