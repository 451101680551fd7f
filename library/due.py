"""Which review reminders are due now (read by `library.tasks.send_review_reminders`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from members.models import Member

from .models import ReviewInvitation

# The reminder goes this long before the deadline…
REMIND_BEFORE = dt.timedelta(days=2)
# …but never to someone invited less than this long ago (they have only just been asked).
NOT_BEFORE_INVITED_FOR = dt.timedelta(hours=24)


def due_review_reminders(*, now: dt.datetime | None = None) -> QuerySet[ReviewInvitation]:
    """Invitations in open rounds whose deadline is within `REMIND_BEFORE`, with no feedback yet.
    The outbox's unique key makes each reminder once, however often this is asked."""
    now = now or timezone.now()
    return ReviewInvitation.objects.filter(
        responded_at__isnull=True,
        round__closed_at__isnull=True,
        round__deadline__gt=now,
        round__deadline__lte=now + REMIND_BEFORE,
        invited_at__lte=now - NOT_BEFORE_INVITED_FOR,
        member__status=Member.Status.ACTIVE,
        member__erased_at__isnull=True,
    ).select_related("member__user")
