import pytest

from involvement.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_at(monkeypatch, request):
    def point_broker_at(url: str, transport_options: dict | None = None):
        monkeypatch.setitem(celery_app.conf, "broker_url", url)
        monkeypatch.setitem(celery_app.conf, "broker_transport_options", transport_options or {})
        # Connections are pooled per URL; drop the pool so the new URL is used, and again after.
        monkeypatch.setattr(celery_app, "_pool", None)
        request.addfinalizer(lambda: setattr(celery_app, "_pool", None))

    return point_broker_at


def test_healthz_is_503_when_the_broker_is_unreachable(client, broker_at):
    # Nothing listens on port 1: the connection is refused at once.
    broker_at("redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body == {**body, "status": "unavailable", "broker": "unavailable", "database": "ok"}


def test_healthz_is_200_with_the_embedded_broker(client, broker_at, tmp_path):
    broker_at(
        "filesystem://localhost//",
        {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "control_folder": str(tmp_path)},
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.redis
def test_healthz_is_200_when_redis_answers(client, settings, broker_at):
    broker_at(settings.CELERY_BROKER_URL)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "scheduler_last_seen": None,
    }


def test_healthz_reports_when_the_scheduler_last_ran_a_job(client):
    from involvement.tasks import record_heartbeat

    seen = record_heartbeat.apply().get()
    assert client.get("/healthz").json()["scheduler_last_seen"] == seen


def test_healthz_is_not_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
