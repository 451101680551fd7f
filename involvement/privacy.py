"""A member's part in projects, in their data download, and what erasure does to it.

Registered from `InvolvementConfig.ready` with `members.privacy`.

Erasure deletes both:

* **Project involvement** (and with it any name they chose to be credited by): the count of
  members in a project goes down by one, and their name goes from every page and report.
* **Quotes**: their words are no longer used anywhere, with or without consent.
"""

from __future__ import annotations

from typing import Any

from members.models import Member
from members.privacy import iso

from .models import ProjectMember, Quote


def export_involvement(member: Member) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for involvement in ProjectMember.objects.filter(member=member).select_related("project").order_by("pk"):
        rows.append(
            {
                "what": "Project",
                "project": involvement.project.title,
                "how_involved": involvement.role,
                "joined_on": iso(involvement.joined_on),
                "agreed_to_be_named": involvement.named,
                "name_shown": involvement.credited_as,
                "decided_at": iso(involvement.named_decided_at),
            }
        )
    quotes = Quote.objects.filter(member=member).select_related("project", "impact_item").order_by("said_on", "pk")
    for quote in quotes:
        rows.append(
            {
                "what": "Your words, kept for reports",
                "words": quote.text,
                "said_on": iso(quote.said_on),
                "project": quote.project.title if quote.project else None,
                "you_said_we_did_item": str(quote.impact_item) if quote.impact_item else None,
                "note": "Used only while you agree to your anonymised words being used.",
            }
        )
    return rows


def erase_involvement(member: Member) -> list:
    ProjectMember.objects.filter(member=member).delete()
    Quote.objects.filter(member=member).delete()
    return []
