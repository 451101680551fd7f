"""The rules for who may post and which posts wait for a moderator.

Kept apart from the writes (``services``) so each rule can be read, tested and changed alone.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from members.consent import current_texts
from members.models import Consent, ConsentText, Member
from members.roles import is_commissioner, is_coordinator

from .models import DiscussionSettings, Post

# Members who take part in the feed. Someone still joining has not finished agreeing to the
# respect agreement; someone taking a break or who has left is not sent in (they chose rest).
TAKING_PART = Member.Status.ACTIVE


def can_use_feed(user, member: Member | None) -> bool:
    """The feed is for coordinators and for active members; never the public or commissioners."""
    if not user.is_authenticated or is_commissioner(user):
        return False
    if is_coordinator(user):
        return True
    return member is not None and member.status == TAKING_PART and member.erased_at is None


def has_current_respect_agreement(member: Member) -> bool:
    """The member's newest decision on the respect agreement accepts its newest published version."""
    current = current_texts().get(ConsentText.Purpose.RESPECT_AGREEMENT)
    if current is None:
        return False
    latest = (
        Consent.objects.filter(member=member, purpose=ConsentText.Purpose.RESPECT_AGREEMENT)
        .select_related("text")
        .order_by("-recorded_at", "-id")
        .first()
    )
    return bool(latest and latest.given and latest.text.version >= current.version)


def _phrase_pattern(phrase: str) -> re.Pattern:
    # Whole words only ("end it" must not match "ending it"), any spacing, any capitals.
    words = [re.escape(word) for word in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def safeguarding_matches(text: str, phrases: list[str]) -> list[str]:
    """The configured phrases found in ``text``, as they are configured."""
    return [phrase for phrase in phrases if _phrase_pattern(phrase).search(text or "")]


def is_new_member(member: Member | None, settings: DiscussionSettings, *, now: dt.datetime | None = None) -> bool:
    """Joined (or finished joining) fewer than the configured number of days ago."""
    if member is None or settings.hold_new_members_days == 0:
        return False
    now = now or timezone.now()
    since = max(filter(None, [member.joined_at, member.onboarding_completed_at]))
    return since > now - dt.timedelta(days=settings.hold_new_members_days)


def hold_reason(*, by_staff: bool, member: Member | None, text: str, settings: DiscussionSettings):
    """Why a new or edited post waits for a moderator, and the safeguarding words found.

    Staff posts are never held: staff are the moderators, and news about, say, a suicide
    prevention course must not wait for itself. For members, safeguarding words come first (the
    writer is shown where to get help now), then being new.
    """
    if by_staff:
        return Post.HeldBecause.NONE, []
    matches = safeguarding_matches(text, settings.phrases)
    if matches:
        return Post.HeldBecause.SAFEGUARDING, matches
    if is_new_member(member, settings):
        return Post.HeldBecause.NEW_MEMBER, []
    return Post.HeldBecause.NONE, []
