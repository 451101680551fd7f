from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Surveys"

    def ready(self) -> None:
        from members.dashboard import register_dashboard_entries
        from members.privacy import register_erasure, register_export_section

        from .dashboard import dashboard_entries
        from .messages import register_kinds
        from .privacy import erase_surveys, export_surveys

        register_kinds()
        register_dashboard_entries(dashboard_entries)
        register_export_section("surveys", "Surveys", export_surveys)
        register_erasure(erase_surveys)
