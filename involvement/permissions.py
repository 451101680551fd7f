"""Gives the Coordinators group the admin permissions for the portal's own models.

Permissions only exist after migrate has created them, so this runs on
post_migrate (idempotent) rather than inside a migration.
"""

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission

COORDINATOR_APPS = ("outbox", "members", "meetings", "library", "surveys", "discussions", "expenses", "involvement")


def grant_coordinator_permissions(**kwargs) -> None:
    group = Group.objects.filter(name="Coordinators").first()
    if group is None:
        return
    app_labels = [label for label in COORDINATOR_APPS if django_apps.is_installed(label)]
    permissions = Permission.objects.filter(content_type__app_label__in=app_labels)
    group.permissions.add(*permissions)
