"""The Celery application: configured from Django settings (CELERY_*), tasks autodiscovered."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "involvement.settings.production")

app = Celery("involvement")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """Workers log through Django's LOGGING, so their lines are JSON in production like the web's."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
