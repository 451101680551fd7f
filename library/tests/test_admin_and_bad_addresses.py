"""The library's admin pages open for coordinators and nobody else; odd addresses are a 404,
never an error page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from library import services
from library.tests.factories import draft_in_review, published_resource, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    item = published_resource()
    services.give_reader_feedback(resource=item, useful="yes")
    services.suggest_resource(by=reviewer().user, kind="write", title="Grandparents")
    round_ = draft_in_review(members=[reviewer(email="r@example.org")])
    return {"resource": item, "round": round_}


def admin_urls(records) -> list[str]:
    return [
        reverse("admin:library_resource_changelist"),
        reverse("admin:library_resource_add"),
        reverse("admin:library_resource_change", args=[records["resource"].pk]),
        reverse("admin:library_reviewround_changelist"),
        reverse("admin:library_reviewround_add"),
        reverse("admin:library_reviewround_change", args=[records["round"].pk]),
        reverse("admin:library_topic_changelist"),
        reverse("admin:library_suggestion_changelist"),
        reverse("admin:library_readerfeedback_changelist"),
        reverse("admin:library_resourcereach_changelist"),
    ]


def test_coordinators_open_every_library_admin_page(coordinator_client, records):
    for url in admin_urls(records):
        assert coordinator_client.get(url).status_code == 200, url


def test_members_commissioners_and_the_public_are_kept_out_of_the_library_admin(
    member_client, commissioner_client, anonymous, records
):
    for url in admin_urls(records):
        for client in (member_client, commissioner_client, anonymous):
            response = client.get(url)
            assert response.status_code in (302, 403), url
            if response.status_code == 302:
                assert "login" in response["Location"], url


@pytest.mark.parametrize(
    "path",
    [
        "/library/99999999999999999999/",
        "/library/99999999999999999999/versions/99999999999999999999/",
        "/library/files/99999999999999999999/",
        "/library/99999999999999999999/print.pdf",
    ],
)
def test_an_address_with_a_huge_number_is_not_found(anonymous, path):
    assert anonymous.get(path).status_code == 404


def test_a_huge_invitation_number_is_not_found(member, member_client):
    from members.tests.factories import MemberFactory

    MemberFactory(user=member, active=True)
    assert member_client.get("/library/review/99999999999999999999/").status_code == 404
