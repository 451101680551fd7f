from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InvolvementConfig(AppConfig):
    name = "involvement"
    verbose_name = "Group profile and co-production"

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .permissions import grant_coordinator_permissions

        post_migrate.connect(grant_coordinator_permissions, sender=self)
