from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = "Resource library"

    def ready(self) -> None:
        from members.dashboard import register_dashboard_entries
        from members.privacy import register_erasure, register_export_section

        from .dashboard import dashboard_entries
        from .messages import register_kinds
        from .privacy import erase_library, export_library

        register_kinds()
        register_dashboard_entries(dashboard_entries)
        register_export_section("library", "Resources you reviewed or helped write", export_library)
        register_erasure(erase_library)
