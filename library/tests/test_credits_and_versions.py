"""Credits respect consent at the time of publishing (and withdrawal and erasure take names off);
the workflow; each published version is kept and can be viewed; publishing stamps the review date."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from library import services
from library.models import Credit, Resource
from library.tests.factories import (
    credit,
    draft_in_review,
    group_profile,
    publish,
    published_resource,
    resource,
    reviewer,
)
from members.privacy import erase_member

pytestmark = pytest.mark.django_db


def public_text(item: Resource) -> str:
    return Client().get(reverse("library:resource", args=[item.pk])).content.decode()


def test_agreeing_to_be_named_counts_from_the_next_publishing():
    item = resource()
    grace = reviewer(name="Grace Obi")
    made = credit(item, grace)
    publish(item)
    services.set_credit_preference(credit=made, named=True, credited_as="Grace O.")

    assert "Grace O." not in public_text(item)  # she agreed after this version was published

    services.move_resource(resource=item, to=Resource.Status.DRAFT)
    publish(item)
    assert "including Grace O." in public_text(item)


def test_withdrawing_agreement_takes_the_name_off_every_version_at_once():
    item = resource()
    made = credit(item, reviewer(), named=True, credited_as="Kasia")
    publish(item)
    services.move_resource(resource=item, to=Resource.Status.DRAFT)
    publish(item)
    assert "Kasia" in public_text(item)

    services.set_credit_preference(credit=made, named=False)

    assert "Kasia" not in public_text(item)
    first = Client().get(reverse("library:version", args=[item.pk, 1])).content.decode()
    assert "Kasia" not in first
    assert "1 member of the group" in public_text(item)  # still counted, not named


def test_erasure_removes_the_credit_and_the_name():
    item = resource()
    member = reviewer(name="Zoë O'Hare")
    credit(item, member, named=True, credited_as="Zoë")
    publish(item)

    erase_member(member=member)

    assert not Credit.objects.filter(member=member).exists()
    assert "Zoë" not in public_text(item)


def test_a_member_chooses_on_the_review_page_whether_to_be_named():
    member = reviewer(name="Hannah Lewis")
    round_ = draft_in_review(members=[member])
    invitation = round_.invitations.get()
    client = Client()
    client.force_login(member.user)
    url = reverse("library:credit", args=[invitation.pk])
    assert client.post(url, {"named": "yes", "credited_as": "Hannah"}).status_code == 404  # no feedback yet

    services.submit_feedback(invitation=invitation, ratings={1: "yes"})
    missing_name = client.post(url, {"named": "yes", "credited_as": " "})
    assert "Write the name you would like us to use." in missing_name.content.decode()
    assert client.post(url, {"named": "yes", "credited_as": "Hannah"}).status_code == 302

    credit_row = Credit.objects.get(member=member)
    assert (credit_row.named, credit_row.credited_as, credit_row.role) == (True, "Hannah", Credit.Role.REVIEWED)


def test_another_member_cannot_change_someone_elses_credit(member_client):
    round_ = draft_in_review(members=[reviewer()])
    services.submit_feedback(invitation=round_.invitations.get(), ratings={1: "yes"})
    response = member_client.post(
        reverse("library:credit", args=[round_.invitations.get().pk]), {"named": "yes", "credited_as": "X"}
    )
    assert response.status_code in (403, 404)
    assert not Credit.objects.filter(named=True).exists()


def test_publishing_keeps_each_version_and_the_earlier_one_can_be_viewed(anonymous):
    item = published_resource(title="First appointment", body="The first words. " * 10)
    services.move_resource(resource=item, to=Resource.Status.DRAFT)
    item.refresh_from_db()
    item.body = "The second words. " * 10
    services.save_resource(resource=item)
    publish(item, change_note="Rewritten after member review.")

    assert list(item.versions.values_list("number", flat=True)) == [2, 1]
    current = anonymous.get(reverse("library:resource", args=[item.pk])).content.decode()
    first = anonymous.get(reverse("library:version", args=[item.pk, 1])).content.decode()
    assert "The second words." in current and reverse("library:version", args=[item.pk, 1]) in current
    assert "The first words." in first and "This is not the latest version" in first
    assert anonymous.get(reverse("library:version", args=[item.pk, 2])).status_code == 302
    assert anonymous.get(reverse("library:version", args=[item.pk, 9])).status_code == 404


def test_publishing_stamps_the_review_date_from_the_group_profile():
    group_profile(resource_review_months=18)
    with time_machine.travel(dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)):
        item = published_resource()
    assert item.review_due_on == dt.date(2027, 9, 30)
    assert item.current_version.review_due_on == dt.date(2027, 9, 30)
    assert item.last_reviewed_on == dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("months", "words"), [(24, "every 2 years"), (18, "every 18 months"), (12, "every year"), (60, "every 3 years")]
)
def test_the_library_page_tells_readers_how_often_resources_are_checked(anonymous, months, words):
    group_profile(resource_review_months=months)
    text = anonymous.get(reverse("library:home")).content.decode()
    assert f"check it again at least {words}." in text


def test_the_review_date_is_never_more_than_three_years_away():
    group_profile(resource_review_months=36)
    assert services.review_due_date(dt.date(2026, 1, 10)) == dt.date(2029, 1, 10)
    from django.core.exceptions import ValidationError

    profile = group_profile()
    profile.resource_review_months = 48
    with pytest.raises(ValidationError):
        profile.full_clean()


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Resource.Status.IDEA, Resource.Status.APPROVED),
        (Resource.Status.IDEA, Resource.Status.DUE_FOR_REVIEW),
        (Resource.Status.DRAFT, Resource.Status.PUBLISHED),
    ],
)
def test_the_workflow_refuses_to_skip_steps(start, to):
    item = resource(status=start)
    with pytest.raises(services.LibraryError):
        services.move_resource(resource=item, to=to)


def test_only_an_approved_resource_is_published():
    with pytest.raises(services.LibraryError, match="Only an approved resource"):
        services.publish_resource(resource=resource())
    empty = resource(summary="", body="")
    services.move_resource(resource=empty, to=Resource.Status.APPROVED)
    with pytest.raises(services.LibraryError, match="Add a summary"):
        services.publish_resource(resource=empty)


def test_the_whole_workflow_from_idea_to_archived(coordinator):
    item = resource(status=Resource.Status.IDEA)
    services.move_resource(resource=item, to=Resource.Status.DRAFT)
    round_ = services.start_review_round(
        resource=item,
        questions=["Clear?"],
        deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=3),
        members=[reviewer()],
    )
    assert Resource.objects.get(pk=item.pk).status == Resource.Status.IN_REVIEW
    services.close_review_round(round_=round_)
    services.move_resource(resource=item, to=Resource.Status.APPROVED)
    version = services.publish_resource(resource=item, by=coordinator)
    assert (version.number, version.published_by) == (1, coordinator)
    with time_machine.travel(dt.datetime.combine(version.review_due_on, dt.time(12), tzinfo=dt.UTC)):
        assert services.mark_due_for_review() == 1
    assert Resource.objects.get(pk=item.pk).status == Resource.Status.DUE_FOR_REVIEW
    services.move_resource(resource=item, to=Resource.Status.ARCHIVED)
    assert not Resource.objects.get(pk=item.pk).is_public


def test_the_publish_button_in_the_admin_publishes(coordinator_client):
    item = resource(title="Ready to go")
    services.move_resource(resource=item, to=Resource.Status.APPROVED)
    change = reverse("admin:library_resource_change", args=[item.pk])
    page = coordinator_client.get(change).content.decode()
    assert 'name="_publish"' in page

    form = {
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "format": item.format,
        "language": item.language,
        "audience": item.audience,
        "produced_by": item.produced_by,
        "why_needed": "",
        "_publish": "Save and publish",
    }
    for prefix in ("files", "sources", "links", "credits", "versions"):
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = coordinator_client.post(change, form)

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Resource.Status.PUBLISHED and item.current_version.number == 1


def _admin_form_with_one_credit(item: Resource, **row) -> dict:
    form = {
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "format": item.format,
        "language": item.language,
        "audience": item.audience,
        "produced_by": item.produced_by,
        "why_needed": "",
    }
    for prefix in ("files", "sources", "links", "versions"):
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    form |= {"credits-TOTAL_FORMS": "1", "credits-INITIAL_FORMS": "1" if row.get("id") else "0"}
    form |= {f"credits-0-{name}": value for name, value in row.items()}
    return form


def test_a_coordinator_records_a_credit_in_the_admin_and_a_name_is_needed_to_be_named(coordinator_client):
    item = resource(title="Credits in the admin")
    grace = reviewer(name="Grace Obi")
    change = reverse("admin:library_resource_change", args=[item.pk])
    row = {"member": grace.pk, "role": Credit.Role.CO_WROTE, "named": "on", "credited_as": " "}

    refused = coordinator_client.post(change, _admin_form_with_one_credit(item, **row))

    assert refused.status_code == 200
    assert "Write the name to show" in refused.content.decode()
    assert not Credit.objects.exists()  # not quietly saved as "not named"

    saved = coordinator_client.post(change, _admin_form_with_one_credit(item, **{**row, "credited_as": "Grace O."}))

    assert saved.status_code == 302
    made = Credit.objects.get()
    assert (made.member, made.named, made.credited_as) == (grace, True, "Grace O.")
    assert made.named_decided_at is not None


def test_the_admin_will_not_move_a_credit_to_another_member(coordinator_client):
    item = resource(title="Credits in the admin")
    made = credit(item, reviewer(name="Grace Obi"))
    other = reviewer(name="Amina Patel", email="amina@example.org")
    change = reverse("admin:library_resource_change", args=[item.pk])
    row = {"id": made.pk, "resource": item.pk, "member": other.pk, "role": made.role, "credited_as": ""}

    response = coordinator_client.post(change, _admin_form_with_one_credit(item, **row))

    assert response.status_code == 200
    assert "add a new row" in response.content.decode()
    assert list(Credit.objects.values_list("member", flat=True)) == [made.member_id]


def test_coordinators_can_still_read_the_versions_of_an_archived_resource(
    anonymous, member_client, commissioner_client, coordinator_client
):
    item = published_resource(title="Old leaflet", body="The archived words. " * 10)
    services.move_resource(resource=item, to=Resource.Status.ARCHIVED)
    first = reverse("library:version", args=[item.pk, 1])

    for client in (anonymous, member_client, commissioner_client):
        assert client.get(first).status_code == 404

    response = coordinator_client.get(first)
    assert response.status_code == 200
    text = response.content.decode()
    assert "The archived words." in text and "Only coordinators can see this" in text
    assert response["Cache-Control"] == "private, no-store"
    admin_page = coordinator_client.get(reverse("admin:library_resource_change", args=[item.pk])).content.decode()
    assert first in admin_page
