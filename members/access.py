"""Who may see a member's own pages: every member-owned lookup goes through here."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .models import Member
from .roles import is_commissioner


def get_member_for_user(user) -> Member:
    """The member record of the logged-in person, or PermissionDenied.

    Commissioners never have member pages, even if they were once a member; staff accounts
    without a member record are refused too.
    """
    if not user.is_authenticated or is_commissioner(user):
        raise PermissionDenied
    try:
        member = Member.objects.select_related("user").get(user=user)
    except Member.DoesNotExist:
        raise PermissionDenied from None
    if member.erased_at:
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
