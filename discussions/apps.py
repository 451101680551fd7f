from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = "Discussions"

    def ready(self) -> None:
        from members.dashboard import register_dashboard_entries
        from members.privacy import register_erasure, register_export_section

        from .dashboard import dashboard_entries
        from .messages import register_kinds
        from .privacy import erase_discussions, export_discussions

        register_kinds()
        register_export_section("discussions", "Your posts and messages to the team", export_discussions)
        register_erasure(erase_discussions)
        register_dashboard_entries(dashboard_entries)
