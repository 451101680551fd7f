from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Every message the portal sends, email or text, through one outbox (see outbox/sending.py)."""

    name = "outbox"
    verbose_name = "Messages"
    default_auto_field = "django.db.models.BigAutoField"
