"""Other apps' entries on the "Your involvement" page come through one registry."""

import pytest
from django.urls import reverse

from members import dashboard
from members.dashboard import DashboardEntry, register_dashboard_entries
from members.tests.factories import MemberFactory, give_consents

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered_entry():
    def build(member):
        return [
            DashboardEntry(
                title="A registered entry",
                url="/somewhere/",
                description="Read and comment.",
                highlight=f"2 for {member.user.name}",
            )
        ]

    register_dashboard_entries(build)
    yield build
    dashboard._builders.remove(build)


def test_a_registered_entry_shows_on_the_dashboard_of_a_member_who_has_joined(member, member_client, registered_entry):
    give_consents(MemberFactory(user=member, active=True))

    response = member_client.get(reverse("members:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/somewhere/">A registered entry</a>' in html
    assert f"2 for {member.name}" in html


def test_registering_the_same_function_twice_shows_it_once(member, registered_entry):
    register_dashboard_entries(registered_entry)

    entries = dashboard.entries_for(MemberFactory(user=member))
    assert [entry.title for entry in entries].count("A registered entry") == 1


def test_entries_come_in_their_order():
    def build(member):
        return [
            DashboardEntry(title="Later", url="/b/", description="", order=200),
            DashboardEntry(title="Sooner", url="/a/", description="", order=10),
        ]

    register_dashboard_entries(build)
    try:
        titles = [entry.title for entry in dashboard.entries_for(None)]
        assert titles.index("Sooner") < titles.index("Later")
    finally:
        dashboard._builders.remove(build)
