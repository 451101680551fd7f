"""Resource files: checked by content and size, stored under random names, public only once
published, drafts' files only for staff and invited reviewers, never run as a page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import empty

from common.tests.files import docx_bytes, jpeg_bytes, mp3_bytes, pdf_bytes, upload
from common.uploads import check_upload
from library import services
from library.admin.uploads import library_file_rules
from library.models import Resource, private_library
from library.tests.factories import publish, published_resource, resource, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    # The storage is made lazily from the setting: start it again on the test's own folder.
    private_library._wrapped = empty
    yield tmp_path
    private_library._wrapped = empty


def attach(item: Resource, name: str, content: bytes, content_type: str = "application/octet-stream"):
    return services.add_file(
        resource=item, upload=check_upload(upload(name, content, content_type), library_file_rules())
    )


def url(item) -> str:
    return reverse("library:file", args=[item.pk])


def test_a_file_is_stored_under_a_random_name_and_keeps_its_own_name_for_display(private_media):
    item = resource()
    stored = attach(item, "../../Our leaflet.pdf", pdf_bytes())

    assert stored.name == "Our leaflet.pdf"
    assert "leaflet" not in stored.file.name
    assert Path(stored.file.path).is_relative_to(private_media)
    assert Path(stored.file.path).read_bytes() == pdf_bytes()


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"MZ\x90\x00" + b"\x00" * 100,
    ],
)
def test_a_web_page_a_picture_that_runs_script_or_a_program_is_refused(content):
    with pytest.raises(ValidationError, match="must be a PDF, a Word document"):
        check_upload(upload("leaflet.pdf", content, "application/pdf"), library_file_rules())


@override_settings(LIBRARY_FILE_MAX_BYTES=2048)
def test_a_file_over_the_limit_is_refused_with_its_size():
    with pytest.raises(ValidationError, match="smaller than"):
        check_upload(upload("big.pdf", b"%PDF-1.4\n" + b"0" * 5000, "application/pdf"), library_file_rules())


def test_the_default_limit_is_25_megabytes():
    assert library_file_rules().max_bytes == 25 * 1024 * 1024


def test_the_admin_hint_gives_the_limit_from_the_setting(coordinator_client, settings):
    page = reverse("admin:library_resource_add")
    assert "Up to 25.0 MB." in coordinator_client.get(page).content.decode()

    settings.LIBRARY_FILE_MAX_BYTES = 10 * 1024 * 1024
    assert "Up to 10.0 MB." in coordinator_client.get(page).content.decode()


def test_a_drafts_file_is_only_for_staff_and_invited_reviewers(anonymous, coordinator_client, commissioner_client):
    invited, other = reviewer(email="invited@example.org"), reviewer(email="other@example.org")
    item = resource()
    file = attach(item, "draft.pdf", pdf_bytes())
    services.start_review_round(
        resource=item, questions=["Clear?"], deadline=timezone.now() + dt.timedelta(days=3), members=[invited]
    )
    invited_client, other_client = Client(), Client()
    invited_client.force_login(invited.user)
    other_client.force_login(other.user)

    assert coordinator_client.get(url(file)).status_code == 200
    assert invited_client.get(url(file)).status_code == 200
    assert other_client.get(url(file)).status_code == 404
    assert commissioner_client.get(url(file)).status_code == 404
    assert anonymous.get(url(file)).status_code == 404


def test_a_file_becomes_public_when_its_resource_is_published_and_one_added_later_does_not(anonymous):
    item = resource()
    first = attach(item, "leaflet.pdf", pdf_bytes())
    publish(item)
    services.move_resource(resource=item, to=Resource.Status.DRAFT)
    later = attach(item, "next-version.pdf", pdf_bytes())

    response = anonymous.get(url(first))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert anonymous.get(url(later)).status_code == 404
    page = anonymous.get(reverse("library:resource", args=[item.pk])).content.decode()
    assert url(first) in page and url(later) not in page


def test_files_of_an_archived_resource_are_no_longer_public(anonymous):
    item = resource()
    file = attach(item, "leaflet.pdf", pdf_bytes())
    publish(item)
    services.move_resource(resource=item, to=Resource.Status.ARCHIVED)
    assert anonymous.get(url(file)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "inline", "content_type"),
    [
        ("leaflet.pdf", pdf_bytes(), True, "application/pdf"),
        ("poster.jpg", jpeg_bytes(), True, "image/jpeg"),
        ("reading.mp3", mp3_bytes(), True, "audio/mpeg"),
        (
            "leaflet.docx",
            docx_bytes(),
            False,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_only_types_that_cannot_run_script_are_shown_in_the_browser(anonymous, name, content, inline, content_type):
    item = resource()
    file = attach(item, name, content)
    publish(item)

    response = anonymous.get(url(file))

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline" if inline else "attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_stored_type_that_is_not_expected_is_downloaded_as_bytes_never_shown(anonymous):
    item = resource()
    file = attach(item, "leaflet.pdf", pdf_bytes())
    publish(item)
    type(file).objects.filter(pk=file.pk).update(content_type="text/html")

    response = anonymous.get(url(file))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_missing_file_is_a_404_not_an_error(anonymous):
    item = resource()
    file = attach(item, "leaflet.pdf", pdf_bytes())
    publish(item)
    Path(file.file.path).unlink()
    assert anonymous.get(url(file)).status_code == 404


def test_audio_files_play_on_the_page(anonymous):
    item = published_resource(title="Read aloud")
    services.move_resource(resource=item, to=Resource.Status.DRAFT)
    attach(item, "reading.mp3", mp3_bytes())
    publish(item)
    page = anonymous.get(reverse("library:resource", args=[item.pk])).content.decode()
    assert "<audio controls" in page


def test_a_coordinator_uploads_a_file_in_the_admin_and_a_bad_one_is_refused_by_the_field(coordinator_client):
    item = resource(title="Leaflet with files")
    change = reverse("admin:library_resource_change", args=[item.pk])
    form = {
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "format": item.format,
        "language": item.language,
        "audience": item.audience,
        "produced_by": item.produced_by,
        "why_needed": "",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "files-0-description": "Printable leaflet",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
    }

    refused = coordinator_client.post(
        change, {**form, "files-0-upload": upload("x.pdf", b"<html><script>1</script>", "application/pdf")}
    )
    assert refused.status_code == 200
    assert "must be a PDF, a Word document" in refused.content.decode()
    assert not item.files.exists()

    saved = coordinator_client.post(
        change, {**form, "files-0-upload": upload("Leaflet.pdf", pdf_bytes(), "application/pdf")}
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    stored = item.files.get()
    assert (stored.name, stored.description, stored.published_at) == ("Leaflet.pdf", "Printable leaflet", None)


def test_commissioners_and_members_cannot_reach_the_library_admin(member_client, commissioner_client):
    Group.objects.get_or_create(name="Coordinators")
    for client in (member_client, commissioner_client):
        response = client.get(reverse("admin:library_resource_changelist"))
        assert response.status_code in (302, 403)
