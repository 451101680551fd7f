"""Projects, "you said, we did" items and members' words for tests, made through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from involvement.impact import save_impact_item
from involvement.models import ImpactItem, Project, ProjectMember, Quote, Rung
from involvement.projects import record_naming_decision, save_project
from members.tests.factories import MemberFactory, give_consents

_numbers = itertools.count(1)


def project(*, by=None, **fields) -> Project:
    """A project shown to members, saved through ``save_project`` (so its starting rung is recorded)."""
    values = {
        "title": f"Project {next(_numbers)}",
        "summary": "Members and staff working together.",
        "aims": "Make the service better for families.",
        "rung_now": Rung.CONSULTATION,
        "rung_target": Rung.CO_PRODUCTION,
        "shown_to_members": True,
        "started_on": timezone.localdate() - dt.timedelta(days=100),
        **fields,
    }
    return save_project(Project(**values), by=by)


def item(**fields) -> ImpactItem:
    """A "you said, we did" item raised "somewhere else", saved through ``save_impact_item``."""
    values = {
        "you_said": f"Something members raised ({next(_numbers)}).",
        "we_did": "Something the service did.",
        "source": ImpactItem.Source.OTHER,
        "raised_on": timezone.localdate() - dt.timedelta(days=30),
        **fields,
    }
    return save_impact_item(ImpactItem(**values))


def involve(project: Project, member, *, named: bool = False, credited_as: str = "", role: str = "") -> ProjectMember:
    involvement = ProjectMember(project=project, member=member, named=named, credited_as=credited_as, role=role)
    record_naming_decision(involvement)
    involvement.save()
    return involvement


def quote(*, member=None, words: str = "It helped to be asked.", consent: bool | None = True, **fields) -> Quote:
    """A member's words. ``consent``: True gives every consent, False refuses using their words,
    None records no decision at all."""
    if member is None:
        member = MemberFactory(active=True)
    if consent is True:
        give_consents(member)
    elif consent is False:
        give_consents(member, keep_details=True, contact=True, anonymised_words=False)
    return Quote.objects.create(member=member, text=words, said_on=timezone.localdate(), **fields)
