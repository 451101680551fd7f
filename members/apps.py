from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members and accounts"

    def ready(self) -> None:
        from outbox import recipients

        from .messages import register_kinds
        from .recipients import MemberRecipients

        recipients.register(MemberRecipients())
        register_kinds()

        from .state import connect_receivers

        # Every process (web, worker, commands) must report changes to the cached person facts.
        connect_receivers()
