"""Roles are Django groups, created by a migration. These helpers answer who is what."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

COORDINATORS = "Coordinators"
COMMISSIONERS = "Commissioners"
FINANCE_APPROVERS = "Finance approvers"
ALL_ROLE_GROUPS = (COORDINATORS, COMMISSIONERS, FINANCE_APPROVERS)


def _group_names(user) -> set[str]:
    # Cached on the user object: the header and the MFA middleware both ask on every request.
    if not hasattr(user, "_role_group_names"):
        remember_group_names(user, user.groups.values_list("name", flat=True))
    return user._role_group_names


def remember_group_names(user, names) -> None:
    """Tells the helpers below a user's groups, found elsewhere (members.state keeps them
    for the logged-in person between requests), so that they ask no query."""
    user._role_group_names = set(names)


def is_coordinator(user) -> bool:
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    return user.is_superuser or (user.is_staff and COORDINATORS in _group_names(user))


def is_commissioner(user) -> bool:
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    return COMMISSIONERS in _group_names(user)


def is_finance_approver(user) -> bool:
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    return user.is_superuser or (user.is_staff and FINANCE_APPROVERS in _group_names(user))


def requires_mfa(user) -> bool:
    """Staff (anyone who can reach the admin), finance approvers and commissioners must use two-step login."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or bool(_group_names(user) & set(ALL_ROLE_GROUPS))
