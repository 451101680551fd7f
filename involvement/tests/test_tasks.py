import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

from involvement.celery import app as celery_app
from involvement.health import HEARTBEAT_CACHE_KEY
from involvement.tasks import clear_expired_sessions, ping, record_heartbeat


def test_every_scheduled_job_is_a_registered_task():
    celery_app.loader.import_default_modules()
    schedule = celery_app.conf.beat_schedule
    assert "record-scheduler-heartbeat" in schedule
    for name, entry in schedule.items():
        assert entry["task"] in celery_app.tasks, f"{name} runs unknown task {entry['task']}"


def test_ping_answers_pong():
    assert ping.apply().get() == "pong"


def test_heartbeat_records_when_the_scheduler_last_ran():
    seen = record_heartbeat.apply().get()
    assert cache.get(HEARTBEAT_CACHE_KEY) == seen


@pytest.mark.django_db
def test_clearing_sessions_removes_only_expired_ones():
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timezone.timedelta(days=1))
    Session.objects.create(session_key="new", session_data="", expire_date=now + timezone.timedelta(days=1))
    clear_expired_sessions.apply()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]
