"""Who is logged in, for every app: the person's own member record, and the gates on views.

* ``member_for(user)`` is the logged-in person's member record, or None (anonymous visitors,
  commissioners, staff without a record, erased members). Every app finds "my" things from it.
* ``member_required`` is for a member's own pages; ``coordinator_required`` for staff pages
  outside the admin. Both send someone logged out to log in first, and refuse the rest (403).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .models import Member
from .roles import is_commissioner, is_coordinator


def member_for(user) -> Member | None:
    """The logged-in person's own member record, if they have one (never a commissioner's).

    Commissioners never count as members, even if they once were one: they must see nothing personal.
    """
    if not user.is_authenticated or is_commissioner(user):
        return None
    return Member.objects.select_related("user").filter(user=user, erased_at__isnull=True).first()


def get_member_for_user(user) -> Member:
    """The member record of the logged-in person, or PermissionDenied (see ``member_for``)."""
    member = member_for(user)
    if member is None:
        raise PermissionDenied
    return member


def member_required(view):
    """For a member's own pages: logs in first if needed, then passes `member` to the view."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.member = get_member_for_user(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def coordinator_required(view):
    """Logs in first if needed; then only coordinators (staff in the Coordinators group) get in."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
