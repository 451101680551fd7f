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
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import WIDTHS, log_in
from .test_accessibility import assert_no_axe_violations

pytestmark = pytest.mark.browser


def log_in_with_two_step(context, portal: str, user) -> None:
    """Logs the browser in as staff who have two-step authentication set up, with a session made
    by Django's test client (as the other browser tests do)."""
    from members.tests.totp import activate_totp

    activate_totp(user)
    log_in(context, portal, user)


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
    from discussions import services as discussions

    post = discussions.start_post(
        user=member.user, member=member, kind="question", title="Car parking at the hospital", body="Is it free?"
    )
    discussions.report_post(post=post, user=coordinator, reason="spam")
    discussions.approve_post(post=post, by=coordinator, note="Fine to keep.")
    conversation = discussions.ask_the_team(user=member.user, subject="A question about expenses", body="Hello")
    from surveys.tests.factories import partners_survey

    survey = partners_survey(title="Your experience of the service")
    library = _library_records(member)
    return {
        "impact": _impact_records(member, meeting),
        "library": library,
        "coordinator": coordinator,
        "member": member,
        "meeting": meeting,
        "claim": claim,
        "message": message,
        "post": post,
        "conversation": conversation,
        "survey": survey,
    }


def _library_records(member) -> dict:
    """A published leaflet with a source, a credit and a reading age above the target, reader
    feedback, and a review round with a point to answer."""
    import datetime as dt

    from django.utils import timezone

    from library import services as library
    from library.models import Source
    from library.tests.factories import credit, publish, resource

    leaflet = resource(
        title="Feeling low after having a baby",
        body="Comprehensive multidisciplinary perinatal assessment facilitates individualised intervention. " * 8,
    )
    Source.objects.create(
        resource=leaflet, title="CG192", publisher="NICE", url="https://www.nice.org.uk/guidance/cg192"
    )
    credit(leaflet, member, named=True, credited_as="Amira")
    publish(leaflet)
    library.give_reader_feedback(resource=leaflet, useful="partly", missing="The number to call at night.")
    round_ = library.start_review_round(
        resource=resource(title="Bonding with your baby"),
        questions=["Is the language clear and kind?", "Is anything missing?"],
        deadline=timezone.now() + dt.timedelta(days=7),
        members=[member],
    )
    library.submit_feedback(
        invitation=round_.invitations.get(), ratings={1: "mostly"}, quote="That is normal", comment="Say 'common'."
    )
    library.suggest_resource(by=member.user, kind="write", title="A leaflet for grandparents")
    return {"resource": leaflet, "round": round_}


def _impact_records(member, meeting) -> dict:
    """A project with a member involved (named), her words, and a "you said, we did" item raised
    at the meeting, with a quote of its own."""
    from involvement.models import ImpactItem
    from involvement.tests.project_factories import involve, item, project, quote

    welcome = project(title="A new welcome letter")
    welcome.meetings.add(meeting)
    involve(welcome, member, named=True, credited_as="Amira", role="Focus group")
    quote(member=member, project=welcome, words="I wish someone had told me I could bring the baby.")
    entry = item(source=ImpactItem.Source.MEETING, meeting=meeting, project=welcome, is_public=True)
    quote(member=member, impact_item=entry, words="The letter came too late for me.", consent=None)
    return {"project": welcome, "item": entry}


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
        reverse("admin:discussions_post_changelist") + "?needs=held",
        reverse("admin:discussions_post_change", args=[records["post"].pk]),
        reverse("admin:discussions_report_changelist"),
        reverse("admin:discussions_moderationaction_changelist"),
        reverse("admin:discussions_discussionsettings_change", args=[1]),
        reverse("admin:discussions_conversation_changelist"),
        reverse("admin:discussions_conversation_change", args=[records["conversation"].pk]),
        reverse("admin:surveys_survey_changelist"),
        reverse("admin:surveys_survey_change", args=[records["survey"]["survey"].pk]),
        reverse("admin:surveys_section_change", args=[records["survey"]["sections"][2].pk]),
        reverse("admin:surveys_question_change", args=[records["survey"]["helped"].pk]),
        reverse("admin:library_resource_changelist"),
        reverse("admin:library_resource_changelist") + "?review=due",
        reverse("admin:library_resource_change", args=[records["library"]["resource"].pk]),
        reverse("admin:library_resource_add"),
        reverse("admin:library_reviewround_changelist"),
        reverse("admin:library_reviewround_add"),
        reverse("admin:library_reviewround_change", args=[records["library"]["round"].pk]),
        reverse("admin:library_suggestion_changelist"),
        reverse("admin:library_readerfeedback_changelist"),
        reverse("admin:involvement_project_change", args=[records["impact"]["project"].pk]),
        reverse("admin:involvement_impactitem_changelist"),
        reverse("admin:involvement_impactitem_change", args=[records["impact"]["item"].pk]),
        reverse("admin:involvement_reportrun_changelist"),
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
