"""What other apps add to a member's "Your involvement" page.

Apps above `members` (the library, surveys, discussions…) register a function in their
`AppConfig.ready` that returns the entries they have for a member: "2 drafts waiting for your
review", "1 survey to answer". `members` never imports those apps; the page asks each
registered function in turn. Each function must cost a fixed, small number of queries whatever
the size of the group, because the page is one members open often.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import Member


@dataclass(frozen=True)
class DashboardEntry:
    """One line under "Taking part": a link, a sentence under it, and an optional highlight
    ("2 waiting for you") shown as a tag when something needs the member."""

    title: str
    url: str
    description: str
    highlight: str = ""
    order: int = 100


DashboardEntries = Callable[[Member], list[DashboardEntry]]

_builders: list[DashboardEntries] = []


def register_dashboard_entries(build: DashboardEntries) -> None:
    """Adds an app's entries to every member's "Your involvement" page."""
    if build not in _builders:
        _builders.append(build)


def entries_for(member: Member) -> list[DashboardEntry]:
    """Every registered app's entries for ``member``, in their order."""
    entries = [entry for build in _builders for entry in build(member)]
    return sorted(entries, key=lambda entry: (entry.order, entry.title))
