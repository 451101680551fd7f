"""Contact lists for one channel, for coordinators to send group news by hand (mail merge,
a phone round, letters).

A list holds only members who may be contacted on that channel right now
(`consent.contactable_members`), and only the columns that channel needs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import timezone

from common.spreadsheets import spreadsheet_safe

from .consent import ContactPurpose, contactable_members
from .models import Channel, Member, MemberAccessLog, User

COLUMNS: dict[str, list[tuple[str, str]]] = {
    Channel.EMAIL: [("Name", "name"), ("Email", "email")],
    Channel.SMS: [("Name", "name"), ("Mobile phone", "phone")],
    Channel.PHONE: [("Name", "name"), ("Phone", "phone"), ("Interpreter language", "interpreter")],
    Channel.POST: [
        ("Name", "name"),
        ("Postal address", "address"),
        ("Postcode", "postcode"),
        ("Large print", "large_print"),
        ("Easy Read", "easy_read"),
    ],
}


def _cell(member: Member, key: str) -> str:
    match key:
        case "name":
            return member.user.name
        case "email":
            return member.user.email or ""
        case "phone":
            return member.phone
        case "interpreter":
            return member.interpreter_language if member.needs_interpreter else ""
        case "address":
            return ", ".join(line.strip() for line in member.postal_address.splitlines() if line.strip())
        case "postcode":
            return member.postcode
        case "large_print":
            return "Yes" if member.needs_large_print else ""
        case "easy_read":
            return "Yes" if member.needs_easy_read else ""
    raise KeyError(key)


def contact_list(channel: Channel | str) -> tuple[list[str], list[Member]]:
    """The header and the members for a channel's news contact list, ordered by name."""
    channel = Channel(channel)
    members = list(contactable_members(ContactPurpose.NEWS, channel).order_by("user__name", "pk"))
    return [title for title, _ in COLUMNS[channel]], members


def rows(channel: Channel | str, members: Iterable[Member]) -> Iterable[list[str]]:
    keys = [key for _, key in COLUMNS[Channel(channel)]]
    for member in members:
        yield [spreadsheet_safe(_cell(member, key)) for key in keys]


def contact_list_csv(*, channel: Channel | str, staff: User) -> tuple[str, str]:
    """The CSV text and a file name for a channel's contact list.

    Each member on the list gets a line in the access log: their contact details left the
    portal, and a member asking who has seen their record should see that too.
    """
    channel = Channel(channel)
    header, members = contact_list(channel)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows(channel, members))
    now, action = timezone.now(), f"exported in {channel.label.lower()} list"
    MemberAccessLog.objects.bulk_create(
        [MemberAccessLog(staff=staff, member=member, viewed_at=now, action=action) for member in members],
        batch_size=500,
    )
    filename = f"contacts-{channel.value}-{timezone.localdate():%Y-%m-%d}.csv"
    return buffer.getvalue(), filename
