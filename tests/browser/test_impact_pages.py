""" "You said, we did" and the projects pages in a real Chromium: axe-core finds nothing to fix
(WCAG 2.2 A and AA) on the public page, a member's page filtered by status, the projects list and
a project page with its ladder, at 320px and 1280px with nothing scrolling sideways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import WIDTHS, log_in
from .test_accessibility import check_page

pytestmark = pytest.mark.browser


@pytest.fixture
def impact(group_profile):
    """A project part-way up the ladder with a meeting, a published leaflet, a member named by the
    name she chose and her words; items of every status, some public, from every kind of source."""
    from involvement.models import ImpactItem, Rung
    from involvement.tests.project_factories import involve, item, project, quote
    from library.tests.factories import published_resource
    from meetings.tests.factories import MeetingFactory
    from members.tests.factories import MemberFactory, give_consents

    amira = MemberFactory(user__email="amira@example.org", user__name="Amira Khan", active=True)
    give_consents(amira)
    leaflet = published_resource(title="Your first appointment with the perinatal team")
    meeting = MeetingFactory(past=True, title="Group meeting: the welcome letter")
    welcome = project(
        title="A new welcome letter and leaflet for families coming to their first appointment",
        rung_now=Rung.CONSULTATION,
        rung_target=Rung.CO_PRODUCTION,
    )
    welcome.meetings.add(meeting)
    welcome.resources.add(leaflet)
    involve(welcome, amira, named=True, credited_as="Amira")
    quote(member=amira, project=welcome, words="I wish someone had told me I could bring the baby.")
    today = timezone.localdate()
    Source, Status = ImpactItem.Source, ImpactItem.Status
    item(
        you_said="The welcome letter arrived after the first appointment.",
        we_did="Letters now go out two weeks before, by post and by text.",
        source=Source.MEETING,
        meeting=meeting,
        project=welcome,
        status=Status.DONE,
        raised_on=today - dt.timedelta(days=200),
        closed_on=today - dt.timedelta(days=100),
        is_public=True,
    )
    item(
        you_said="The letter did not say you could bring your baby.",
        source=Source.REVIEW,
        resource=leaflet,
        status=Status.IN_PROGRESS,
        is_public=True,
    )
    item(
        you_said="Could the group meet at the weekend?",
        status=Status.NOT_POSSIBLE,
        why_not_possible="The building is closed at weekends.",
        is_public=True,
    )
    for number in range(11):
        item(you_said=f"Something raised at a meeting ({number}).")
    return {"amira": amira, "project": welcome}


@pytest.mark.parametrize("viewport", WIDTHS)
def test_you_said_we_did_and_project_pages_have_no_accessibility_violations(page, context, portal, impact, viewport):
    page.goto(f"{portal}/you-said-we-did/")
    check_page(page, viewport)

    log_in(context, portal, impact["amira"].user)
    for path in [
        "/you-said-we-did/",
        "/you-said-we-did/?status=not_possible",
        "/you-said-we-did/?page=2",
        "/projects/",
        f"/projects/{impact['project'].pk}/",
    ]:
        page.goto(f"{portal}{path}")
        check_page(page, viewport)
