"""The 500 page: calm words, the group's crisis lines (or the national ones when the database is
down) and the quick-exit control, even when what broke was the database."""

import re

import pytest
from django.db import OperationalError, connection
from django.test import Client

from involvement.errors import NATIONAL_CRISIS_LINES
from involvement.models import GroupProfile, Signpost
from involvement.tests.test_settings import ROOT

pytestmark = [pytest.mark.django_db, pytest.mark.urls("involvement.tests.raising_urls")]


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def _quick_exit_href(html: str) -> str:
    return re.search(r'<a class="portal-quick-exit__button" href="([^"]+)"[^>]*data-quick-exit', html).group(1)


def test_a_fault_shows_the_groups_own_crisis_lines_and_the_quick_exit(visitor):
    profile = GroupProfile.load()
    profile.quick_exit_url = "https://weather.example/today"
    profile.save()
    Signpost.objects.create(kind=Signpost.Kind.CRISIS, name="Riverside crisis team", phone="0800 111 2222")

    response = visitor.get("/broken/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "Riverside crisis team" in html and 'href="tel:08001112222"' in html
    assert _quick_exit_href(html) == "https://weather.example/today"
    assert "Leave this page quickly" in html


def test_with_the_database_down_the_page_still_shows_the_national_lines(db, visitor, monkeypatch, caplog):
    def database_is_down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "ensure_connection", database_is_down)

    response = visitor.get("/broken/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    for line in NATIONAL_CRISIS_LINES:
        assert line.name in html
    assert 'href="tel:116123"' in html and "Text SHOUT to 85258" in html
    assert _quick_exit_href(html) == GroupProfile._meta.get_field("quick_exit_url").default
    assert "group profile unavailable" in caplog.text


def test_the_national_lines_are_the_ones_a_new_portal_starts_with():
    from_database = set(Signpost.objects.filter(kind=Signpost.Kind.CRISIS).values_list("name", "phone"))
    assert {(line.name, line.phone) for line in NATIONAL_CRISIS_LINES} <= from_database
    assert {"NHS 111", "Samaritans", "Shout", "In an emergency"} <= {line.name for line in NATIONAL_CRISIS_LINES}


def test_the_500_page_loads_its_files_through_static_files_and_hard_codes_no_numbers(visitor, settings):
    settings.STATIC_URL = "/assets/"
    html = visitor.get("/broken/").content.decode()
    assert 'href="/assets/nhsuk-frontend/nhsuk-frontend.min.css"' in html
    assert 'src="/assets/js/quick-exit.js"' in html
    template = (ROOT / "templates" / "errors" / "500.html").read_text()
    assert "/static/" not in template
    assert not re.search(r"\b(111|999|116 ?123|85258)\b", template), "crisis numbers belong in data, not the template"


def test_a_static_file_missing_from_the_manifest_does_not_break_the_500_page(visitor, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = ROOT / "var" / "no-manifest-here"
    response = visitor.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Samaritans" in html and "Leave this page quickly" in html
    assert 'src="/static/js/quick-exit.js"' in html  # the unhashed address, rather than no page
