"""What every page needs to know about the logged-in member, found with one query a request.

The header shows "Your involvement" to members, and the consent review middleware sends a
member who has a newer consent text to decide on to the review page. Both ask
`member_state(request)`, which is worked out once and kept on the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, Subquery

from .models import Consent, ConsentText, Member
from .roles import is_commissioner


@dataclass(frozen=True)
class MemberState:
    member_id: int
    needs_review: bool


def _stale_decisions():
    """A member's newest decision on a purpose, where a newer version of its text is published."""
    newest_version = (
        ConsentText.objects.filter(purpose=OuterRef("purpose"), published_at__isnull=False)
        .order_by("-version")
        .values("version")[:1]
    )
    later_decision = Consent.objects.filter(member=OuterRef("member"), purpose=OuterRef("purpose")).filter(
        Q(recorded_at__gt=OuterRef("recorded_at")) | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk"))
    )
    return (
        Consent.objects.filter(member=OuterRef("pk"))
        .annotate(newest_version=Subquery(newest_version))
        .filter(text__version__lt=F("newest_version"))
        .exclude(Exists(later_decision))
    )


def member_state(request) -> MemberState | None:
    """The logged-in person's member record (id, review needed) or None for anyone else.

    Commissioners never count as members, whatever records exist.
    """
    user = getattr(request, "user", None)
    user_pk = getattr(user, "pk", None)
    cached = getattr(request, "_member_state", None)
    if cached is not None and cached[0] == user_pk:  # worked out already, for this same person
        return cached[1]
    state = None
    if user is not None and user.is_authenticated and not is_commissioner(user):
        row = (
            Member.objects.filter(user_id=user.pk, erased_at__isnull=True)
            .annotate(needs_review=Exists(_stale_decisions()))
            .values_list("pk", "needs_review")
            .first()
        )
        if row:
            state = MemberState(member_id=row[0], needs_review=bool(row[1]))
    request._member_state = (user_pk, state)
    return state
