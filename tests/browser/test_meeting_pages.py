"""The meeting pages in a real Chromium: axe-core finds nothing to fix (WCAG 2.2 A and AA) at
320px and 1280px, nothing scrolls sideways on a phone, and a member can register for a meeting
with the keyboard alone.

Kept quick: one test per width walks every meeting page in one browser tab.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import NARROW, WIDTHS, log_in
from .test_accessibility import check_page

pytestmark = pytest.mark.browser


@pytest.fixture
def meetings(group_profile):
    """A meeting coming up (with a long venue name and address), a sensitive one, a full one,
    and a past one with minutes and actions; Amira has a place at the first and Beth none."""
    from meetings.models import Meeting
    from meetings.tests.factories import ActionFactory, MeetingFactory, MemberFactory, register

    amira = MemberFactory(user__email="amira@example.org", user__name="Amira Khan", active=True, needs_childcare=True)
    beth = MemberFactory(user__email="beth@example.org", user__name="Beth Jones", active=True)
    upcoming = MeetingFactory(
        hybrid=True,
        capacity=12,
        title="Group meeting: the new welcome leaflet",
        venue__name="Riverside Children's Centre and Family Hub (Community Room)",
        venue__directions_url="https://maps.example.org/riverside-childrens-centre-and-family-hub",
        online_joining_notes="Join from 9:50 to test your sound.",
    )
    register(upcoming, amira, needs={"needs_childcare": True, "dietary": "vegetarian"})
    sensitive = MeetingFactory(sensitive=True, hybrid=True, starts_at=upcoming.starts_at + dt.timedelta(days=3))
    full = MeetingFactory(full=True, online=True, title="Interview panel", kind=Meeting.Kind.INTERVIEW_PANEL)
    register(full, MemberFactory(active=True))
    past = MeetingFactory(
        past=True,
        title="Group meeting: last time",
        minutes="We talked about the welcome leaflet.\n\nMembers asked for a page for partners.",
        minutes_status=Meeting.MinutesStatus.PUBLISHED,
        minutes_published_at=timezone.now(),
    )
    ActionFactory(meeting=past, description="Draft a page for partners", status="in_progress")
    ActionFactory(meeting=past, description="Book the room", staff_owned=True, status="done")
    return {"amira": amira, "beth": beth, "upcoming": upcoming, "sensitive": sensitive, "full": full, "past": past}


@pytest.mark.parametrize("viewport", WIDTHS)
def test_meeting_pages_have_no_accessibility_violations(page, context, portal, meetings, viewport):
    public = [
        "/meetings/",
        "/meetings/past/",
        f"/meetings/{meetings['upcoming'].pk}/",
        f"/meetings/{meetings['sensitive'].pk}/",
        f"/meetings/{meetings['past'].pk}/",
    ]
    for path in public:
        page.goto(f"{portal}{path}")
        check_page(page, viewport)
    assert page.locator("#content-note").count() == 0  # the past meeting is not sensitive
    page.goto(f"{portal}/meetings/{meetings['sensitive'].pk}/")
    assert page.locator("#content-note").is_visible()

    log_in(context, portal, meetings["amira"].user)
    member_pages = [
        f"/meetings/{meetings['upcoming'].pk}/",  # registered: the joining link and the cancel buttons
        f"/meetings/{meetings['full'].pk}/",  # full: the waiting list and the needs form
        f"/meetings/{meetings['upcoming'].pk}/register/",
        f"/meetings/{meetings['past'].pk}/",  # published minutes and actions: members only
        "/meetings/mine/",
        "/meetings/",
    ]
    for path in member_pages:
        page.goto(f"{portal}{path}")
        check_page(page, viewport)
    page.goto(f"{portal}/meetings/{meetings['upcoming'].pk}/")
    assert page.get_by_role("link", name="Join the meeting online").is_visible()


@pytest.mark.parametrize("viewport", [pytest.param(NARROW, id="phone-320px")])
def test_the_needs_form_with_an_error_has_no_accessibility_violations(page, context, portal, meetings, viewport):
    log_in(context, portal, meetings["beth"].user)
    page.goto(f"{portal}/meetings/{meetings['upcoming'].pk}/register/")
    page.locator("textarea[name=other_needs]").fill("x" * 1001)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.title().startswith("Error: ")
    check_page(page, viewport)


def test_a_member_can_register_with_the_keyboard_alone(page, context, portal, meetings):
    from meetings.models import Registration

    beth, meeting = meetings["beth"], meetings["upcoming"]
    log_in(context, portal, beth.user)
    page.goto(f"{portal}/meetings/{meeting.pk}/")

    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "register-button":
            break
    else:
        pytest.fail("Tab never reached the Register button")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.rstrip("/").endswith(f"/meetings/{meeting.pk}")
    assert "You have a place at" in page.locator(".nhsuk-notification-banner").inner_text()
    assert Registration.objects.get(member=beth, meeting=meeting).status == Registration.Status.REGISTERED


@pytest.mark.parametrize("viewport", WIDTHS)
def test_my_meetings_with_a_waiting_list_place_has_no_accessibility_violations(
    page, context, portal, meetings, viewport
):
    from meetings.models import Registration
    from meetings.tests.factories import register

    beth = meetings["beth"]
    assert register(meetings["full"], beth).status == Registration.Status.WAITING
    log_in(context, portal, beth.user)

    page.goto(f"{portal}/meetings/mine/")

    check_page(page, viewport)
    assert "waiting list" in page.locator("main").inner_text().lower()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_staff_attendance_page_has_no_accessibility_violations(page, context, portal, meetings, viewport):
    """The coordinator's "tick who is here" page, used on a phone in the room."""
    from meetings.tests.factories import RegistrationFactory
    from members.tests.factories import CoordinatorFactory
    from members.tests.totp import activate_totp

    upcoming = meetings["upcoming"]
    RegistrationFactory(meeting=upcoming, member=meetings["beth"], with_needs=True)
    coordinator = CoordinatorFactory(email="chloe@example.org", name="Chloe Coordinator")
    activate_totp(coordinator)  # staff need two-step set up to get past the MFA check
    log_in(context, portal, coordinator)

    page.goto(f"{portal}/staff/meetings/{upcoming.pk}/attendance/")
    assert page.title().startswith("Tick who is here"), page.title()
    check_page(page, viewport)

    # Tick someone as they arrive (before the start) and save: the page comes back with a message.
    page.locator("main .nhsuk-checkboxes__input").first.check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "Saved: 1 here so far." in page.content()
    check_page(page, viewport)
