"""Co-production projects: saving a project (its moves on the ladder are recorded), who is named
in its credits, and which members' words may be used.

* ``save_project`` is the one way a project is saved (by the admin, the demo data and tests):
  creating a project records its starting rung, and each change of ``rung_now`` records a
  ``RungChange`` (from, to, date, who, a note), so reports can show movement over a period.
* ``record_naming_decision`` stamps when a member's choice to be named (or not) was recorded.
* ``quotes_with_consent`` is the only way a member's words leave the admin: a quote is used
  only while the member's newest decision on "using my anonymised words" is yes. Withdrawing
  consent takes the quote off every page and report at once.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from members.models import Consent, ConsentText

from .models import Project, ProjectMember, Quote, RungChange


@transaction.atomic
def save_project(project: Project, *, by=None, note: str = "", changed_on: datetime.date | None = None) -> Project:
    """Saves a project; records its starting rung when it is new, and a move on the ladder when
    ``rung_now`` changed since it was last saved.

    ``by`` is the user who made the change (None for the demo data); ``note`` says why the
    project moved (optional); ``changed_on`` is the day of the move (today if not given).
    """
    previous = None
    if project.pk:
        previous = Project.objects.select_for_update().filter(pk=project.pk).values_list("rung_now", flat=True).first()
    is_new = project.pk is None or previous is None
    project.save()
    if is_new or previous != project.rung_now:
        RungChange.objects.create(
            project=project,
            rung_from=None if is_new else previous,
            rung_to=project.rung_now,
            changed_on=changed_on or timezone.localdate(),
            note=" ".join(note.split())[:300],
            recorded_by=by if getattr(by, "pk", None) else None,
        )
    return project


def record_naming_decision(involvement: ProjectMember, *, when: datetime.datetime | None = None) -> None:
    """Stamps when the member's choice about being named was recorded (not saved here).

    A member who is not named shows no name, so a name typed for them is not kept."""
    if not involvement.named:
        involvement.credited_as = ""
    involvement.credited_as = " ".join(involvement.credited_as.split())
    involvement.named_decided_at = when or timezone.now()


def anonymised_words_given() -> Subquery:
    """A subquery for a Quote queryset: the member's newest decision on using their words."""
    newest = Consent.objects.filter(member=OuterRef("member"), purpose=ConsentText.Purpose.ANONYMISED_WORDS)
    return Subquery(newest.order_by("-recorded_at", "-id").values("given")[:1])


def with_consent_state(quotes: QuerySet[Quote]) -> QuerySet[Quote]:
    """The quotes, each with ``consent_given`` (True, False or None for never asked)."""
    return quotes.annotate(consent_given=anonymised_words_given())


def quotes_with_consent(quotes: QuerySet[Quote] | None = None) -> QuerySet[Quote]:
    """Only the quotes whose member currently agrees to their anonymised words being used."""
    quotes = Quote.objects.all() if quotes is None else quotes
    return with_consent_state(quotes).filter(consent_given=True, member__erased_at__isnull=True)


def named_credits(project: Project) -> list[str]:
    """The names to show for a project: only members who agreed, by the name they chose."""
    names = (
        project.involved.filter(named=True, member__erased_at__isnull=True)
        .exclude(credited_as="")
        .order_by("credited_as")
        .values_list("credited_as", flat=True)
    )
    return list(names)
