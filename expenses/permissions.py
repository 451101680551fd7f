"""Gives the Finance approvers group what it needs in the admin: the claim queue and the rates.

Permissions only exist after migrate has created them, so this runs on post_migrate
(idempotent) rather than inside a migration, as involvement.permissions does for Coordinators.
"""

from django.contrib.auth.models import Group, Permission

from members.roles import FINANCE_APPROVERS

FINANCE_PERMISSIONS = (
    "view_expenseclaim",
    "change_expenseclaim",
    "view_expenseitem",
    "view_claimevent",
    "view_rate",
    "view_expenserules",
)


def grant_finance_permissions(**kwargs) -> None:
    # The group itself comes from a migration (members 0002). Making it here as well would give a
    # database emptied by a test's flush a second copy under a new id, which clashes with the
    # rows a later test puts back.
    group = Group.objects.filter(name=FINANCE_APPROVERS).first()
    if group is None:
        return
    permissions = Permission.objects.filter(content_type__app_label="expenses", codename__in=FINANCE_PERMISSIONS)
    group.permissions.add(*permissions)
