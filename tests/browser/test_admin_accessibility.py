"""The admin pages coordinators use every week, in a real Chromium: axe-core finds nothing to fix
(WCAG 2.2 A and AA) on the admin index and on the list and change pages for members, meetings
(with a row in its actions table), expense claims and messages.

What the project controls is checked: the split date and time boxes have labels, every box in an
inline table has a name, the search-as-you-type boxes (select2, from ``autocomplete_fields``) have
a name, and the filter links in the sidebar are big enough to tap (WCAG 2.2, 2.5.8). The admin's
own look is Django's; the project adds one small stylesheet and one script (see
templates/admin/base_site.html).

Kept quick: one test per width walks every page in one browser tab.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import DESKTOP, NARROW
from .test_accessibility import assert_no_axe_violations

pytestmark = pytest.mark.browser

WIDTHS = [pytest.param(DESKTOP, id="desktop-1280px"), pytest.param(NARROW, id="phone-320px")]


def log_in_with_two_step(context, portal: str, user) -> None:
    """Logs the browser in as staff who have two-step authentication set up, with a session made
    by Django's test client (as the other browser tests do)."""
    from members.tests.totp import activate_totp

    activate_totp(user)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": portal}])


@pytest.fixture
def admin_records(group_profile):
    """A coordinator, a member who has joined, a meeting with a venue and one action, and a
    claim sent with two costs."""
    from expenses.tests.factories import ExpenseClaimFactory, ExpenseItemFactory
    from meetings.tests.factories import ActionFactory, MeetingFactory, register
    from members.tests.factories import CoordinatorFactory, MemberFactory, give_consents

    coordinator = CoordinatorFactory(email="chloe@example.org", name="Chloe Coordinator")
    member = MemberFactory(user__email="amira@example.org", user__name="Amira Khan", active=True, reachable=True)
    give_consents(member)
    from meetings.messages import queue_reminders
    from outbox.models import Message

    meeting = MeetingFactory(title="Group meeting: the new welcome leaflet")
    queue_reminders([register(meeting, member)], days_before=7, send_after_commit=False)
    ActionFactory(meeting=meeting, description="Send the leaflet draft round before the next meeting")
    claim = ExpenseClaimFactory(member=member, submitted=True)
    ExpenseItemFactory(claim=claim, with_receipt=True)
    ExpenseItemFactory(claim=claim, mileage=True)
    message = Message.objects.filter(recipient=member.user).first()
    return {"coordinator": coordinator, "member": member, "meeting": meeting, "claim": claim, "message": message}


def admin_pages(records) -> list[str]:
    return [
        reverse("admin:index"),
        reverse("admin:members_member_changelist"),
        reverse("admin:members_member_change", args=[records["member"].pk]),
        reverse("admin:meetings_meeting_changelist"),
        reverse("admin:meetings_meeting_change", args=[records["meeting"].pk]),
        reverse("admin:expenses_expenseclaim_changelist"),
        reverse("admin:expenses_expenseclaim_change", args=[records["claim"].pk]),
        reverse("admin:outbox_message_changelist") + "?needs_checking=yes",
        reverse("admin:outbox_message_changelist"),
        reverse("admin:outbox_message_change", args=[records["message"].pk]),
    ]


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_admin_pages_coordinators_use_have_no_accessibility_violations(
    page, context, portal, admin_records, viewport
):
    log_in_with_two_step(context, portal, admin_records["coordinator"])
    for path in admin_pages(admin_records):
        response = page.goto(f"{portal}{path}")
        assert response.status == 200, f"{path} answered {response.status}"
        assert "/accounts/" not in page.url, f"{path} sent the coordinator to {page.url}"
        assert_no_axe_violations(page)


def test_the_meeting_form_names_each_date_and_time_box_the_action_status_and_the_venue_search(
    page, context, portal, admin_records
):
    """What axe checks above, said plainly, so a later Django or a changed form cannot quietly
    bring the problems back: each box on the meeting form has a name of its own."""
    log_in_with_two_step(context, portal, admin_records["coordinator"])
    page.goto(f"{portal}{reverse('admin:meetings_meeting_change', args=[admin_records['meeting'].pk])}")
    page.wait_for_load_state("load")

    for name, expected in [
        ("starts_at_0", "Starts at: date"),
        ("starts_at_1", "Starts at: time"),
        ("ends_at_0", "Ends at: date"),
        ("ends_at_1", "Ends at: time"),
    ]:
        expect(page.locator(f"input[name={name}]")).to_have_accessible_name(re.compile(expected, re.IGNORECASE))

    status = page.locator("select[name$='-0-status']")
    expect(status).to_have_count(1)
    expect(status).to_have_accessible_name(re.compile(r"^Status", re.IGNORECASE))

    venue = page.locator(".field-venue .select2-selection[role=combobox]")
    expect(venue).to_have_count(1)
    expect(venue).to_have_accessible_name(re.compile(r"^Venue", re.IGNORECASE))
