from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared helpers; installed so that its template filters (``{% load formatting %}``) load."""

    name = "common"
    verbose_name = "Shared helpers"
