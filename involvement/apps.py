from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InvolvementConfig(AppConfig):
    name = "involvement"
    verbose_name = "Group profile and co-production"

    def ready(self) -> None:
        from members.dashboard import register_dashboard_entries
        from members.privacy import register_erasure, register_export_section

        from . import signals  # noqa: F401
        from .dashboard import dashboard_entries
        from .messages import register_kinds
        from .permissions import grant_coordinator_permissions
        from .privacy import erase_involvement, export_involvement
        from .report_dashboard import certificate_entries
        from .report_runs import erase_certificates

        post_migrate.connect(grant_coordinator_permissions, sender=self)
        register_dashboard_entries(dashboard_entries)
        register_dashboard_entries(certificate_entries)
        register_kinds()
        register_export_section("involvement", "Projects you took part in, and your words", export_involvement)
        register_erasure(erase_involvement)
        register_erasure(erase_certificates)
