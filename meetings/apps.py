from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings and involvement activities"

    def ready(self) -> None:
        from members.privacy import register_erasure, register_export_section

        from .messages import register_kinds
        from .privacy import erase_meetings, export_registrations

        register_kinds()
        register_export_section("meeting_registrations", "Meetings you signed up for", export_registrations)
        register_erasure(erase_meetings)
