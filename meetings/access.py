"""Who may see what about meetings: the online joining link, and the minutes.

The joining link is only for a member holding a place. Minutes and actions are for the group:
members who have finished joining, and staff (see ``can_read_minutes``). The public and
commissioners only see that a meeting took place. Reading meetings and registrations is
``meetings.selectors``.
"""

from __future__ import annotations

from members.models import Member
from members.roles import is_commissioner

from .models import Registration

# Statuses that let a member see the online joining link: they have a place (or had one and came).
SEES_JOINING_LINK = (Registration.Status.REGISTERED, Registration.Status.ATTENDED)

# Members who read the minutes: they have finished joining (and so agreed to the respect
# agreement). Someone still joining, or who has left, does not.
READS_MINUTES = (Member.Status.ACTIVE, Member.Status.PAUSED)


def can_see_joining_link(registration: Registration | None) -> bool:
    """Only a member with a place at the meeting sees how to join it online."""
    return registration is not None and registration.status in SEES_JOINING_LINK


def can_read_minutes(user, member: Member | None) -> bool:
    """Published minutes and actions are for the group: staff, and members who have finished
    joining. Never the public, and never commissioners (even a commissioner who is staff).

    ``member`` is ``members.access.member_for(user)``, which the meeting page has already looked up.
    """
    if not user.is_authenticated or is_commissioner(user):
        return False
    if user.is_staff:
        return True
    return member is not None and member.status in READS_MINUTES
