"""Who can read published minutes and actions, and who an action's owner can be.

Minutes and actions are for the group: staff, and members who have finished joining. The
public and commissioners only see that a meeting took place. Owners are staff or "The group",
so the minutes never name a member as an owner.

Personas: ``amira`` (an active member, ``member_client``), ``anonymous``, ``commissioner``
and ``coordinator`` (staff, no member record), each with two-step set up where they need it.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import GROUP_OWNER, Action, Meeting
from meetings.tests.factories import ActionFactory, MeetingFactory, MemberFactory, UserFactory
from members.models import Member
from members.tests.factories import CommissionerFactory
from members.tests.totp import client_with_two_step
from nhsuk_forms.tests.html import Page

pytestmark = pytest.mark.django_db

MINUTES = "Grace Obi told us the welcome letter came too late. We agreed to send it sooner."
ACTION = "Ask the team to post the welcome letter in the first week"
NEUTRAL = "This meeting has taken place. The minutes are shared with members of the group."


@pytest.fixture
def amira(member):
    return MemberFactory(user=member, active=True)


@pytest.fixture
def commissioner_client(commissioner):
    return client_with_two_step(commissioner)


@pytest.fixture
def past_meeting(db):
    meeting = MeetingFactory(
        past=True,
        title="Group meeting: March",
        minutes=MINUTES,
        minutes_status=Meeting.MinutesStatus.PUBLISHED,
    )
    ActionFactory(meeting=meeting, description=ACTION, staff_owned=True)
    ActionFactory(meeting=meeting, description="Bring the new letter back to the group")
    return meeting


def detail(client, meeting) -> str:
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def assert_no_minutes(page: str) -> None:
    assert "Grace Obi" not in page
    assert "welcome letter came too late" not in page
    assert ACTION not in page
    assert "What we agreed to do" not in page
    assert "Who:" not in page
    assert NEUTRAL in page


def assert_minutes(page: str) -> None:
    assert MINUTES in page
    assert "What we agreed to do" in page
    assert ACTION in page
    assert NEUTRAL not in page


# --- Who reads the minutes ----------------------------------------------------------------


def test_anonymous_visitor_sees_only_that_the_meeting_took_place(anonymous, past_meeting):
    page = detail(anonymous, past_meeting)

    assert_no_minutes(page)
    assert "Group meeting: March" in page
    log_in = Page(page).one("a", href=f"/accounts/login/?next=/meetings/{past_meeting.pk}/")
    assert log_in["text"] == "log in to read the minutes"


def test_commissioner_sees_no_minutes_or_actions(commissioner_client, past_meeting):
    page = detail(commissioner_client, past_meeting)

    assert_no_minutes(page)
    assert "log in to read the minutes" not in page


def test_commissioner_who_is_also_staff_sees_no_minutes(past_meeting):
    client = client_with_two_step(CommissionerFactory(is_staff=True))

    assert_no_minutes(detail(client, past_meeting))


def test_commissioner_who_was_once_a_member_sees_no_minutes(past_meeting):
    commissioner = CommissionerFactory()
    MemberFactory(user=commissioner, active=True)

    assert_no_minutes(detail(client_with_two_step(commissioner), past_meeting))


def test_member_sees_the_minutes_and_actions(amira, member_client, past_meeting):
    assert_minutes(detail(member_client, past_meeting))


def test_member_taking_a_break_still_sees_the_minutes(amira, member_client, past_meeting):
    Member.objects.filter(pk=amira.pk).update(status=Member.Status.PAUSED)

    assert_minutes(detail(member_client, past_meeting))


@pytest.mark.parametrize("status", [Member.Status.INTERESTED, Member.Status.LEFT])
def test_someone_still_joining_or_who_has_left_sees_no_minutes(amira, member_client, past_meeting, status):
    Member.objects.filter(pk=amira.pk).update(status=status)

    assert_no_minutes(detail(member_client, past_meeting))


def test_coordinator_sees_the_minutes_and_actions(coordinator_client, past_meeting):
    assert_minutes(detail(coordinator_client, past_meeting))


def test_draft_minutes_stay_hidden_from_the_public_without_saying_they_exist(anonymous):
    meeting = MeetingFactory(past=True, minutes="Not agreed yet.", minutes_status=Meeting.MinutesStatus.DRAFT)

    page = detail(anonymous, meeting)

    assert "Not agreed yet." not in page
    assert "The minutes will appear here" not in page
    assert NEUTRAL in page


def test_the_past_meetings_list_promises_minutes_only_to_those_who_can_read_them(
    anonymous, amira, member_client, past_meeting
):
    url = reverse("meetings:past")

    assert "The minutes are shared with members of the group." in anonymous.get(url).content.decode()
    assert "Open a meeting to read its minutes" not in anonymous.get(url).content.decode()
    assert "Open a meeting to read its minutes" in member_client.get(url).content.decode()


# --- Who owns an action -------------------------------------------------------------------


def test_an_action_with_no_owner_belongs_to_the_group(amira, member_client, past_meeting):
    page = detail(member_client, past_meeting)

    assert "Who: The group" in page
    assert "Who: Priya Shah" in page
    assert Action(description="x").owner_name == GROUP_OWNER == "The group"


def test_only_staff_can_own_an_action(past_meeting):
    action = Action(meeting=past_meeting, description="Book the room", owner=UserFactory(is_staff=False))

    with pytest.raises(ValidationError) as error:
        action.full_clean()

    assert "owner" in error.value.message_dict


def test_an_action_whose_owner_account_is_deleted_goes_back_to_the_group(past_meeting):
    action = past_meeting.actions.get(description=ACTION)

    action.owner.delete()

    action.refresh_from_db()
    assert action.owner is None
    assert action.owner_name == "The group"


def test_the_admin_offers_staff_or_the_group_as_owners(coordinator, coordinator_client, past_meeting):
    MemberFactory(user__name="Grace Obi", active=True)

    response = coordinator_client.get(reverse("admin:meetings_meeting_change", args=[past_meeting.pk]))

    page = Page(response.content.decode())
    select = page.one("select", name="actions-0-owner")
    options = [option["text"].strip() for option in page.all("option") if any(p is select for p in option["parents"])]
    assert options[0] == "The group"
    assert "Chloe Coordinator" in options
    assert "Priya Shah" in options
    assert "Grace Obi" not in options
