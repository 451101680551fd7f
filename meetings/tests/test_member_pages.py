"""The meeting pages members and the public see: the lists, a meeting's page, registering, the
waiting list, apologies, cancelling, the calendar download and "My meetings".

Personas: Amira (``amira``, logged in as ``member_client``) and Beth (``beth``) are members;
``anonymous``, a ``commissioner`` and a ``coordinator`` without a member record are the others.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.formatting import date_and_time_range
from meetings.calendar import ics_filename
from meetings.models import Action, Meeting, Registration, Venue
from meetings.tests.factories import (
    ActionFactory,
    MeetingFactory,
    MemberFactory,
    RegistrationFactory,
    london,
    refresh_counts,
    register,
)
from members.models import Member, User
from members.tests.totp import activate_totp
from nhsuk_forms.tests.html import Page

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/riverside-group-4821"
FULL_COPY = "This meeting is full. Join the waiting list and we will email you if a place comes up."


# --- People and places --------------------------------------------------------------------


@pytest.fixture
def amira(member):
    return MemberFactory(user=member, active=True)


@pytest.fixture
def beth(other_member):
    return MemberFactory(user=other_member, active=True)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def beth_client(beth):
    return _client_for(beth.user)


@pytest.fixture
def commissioner_client(commissioner):
    # With two-step set up, so the request reaches the view instead of the set-up page.
    activate_totp(commissioner)
    return _client_for(commissioner)


@pytest.fixture
def coordinator_client(coordinator):
    activate_totp(coordinator)
    return _client_for(coordinator)


@pytest.fixture
def meeting(db):
    """A hybrid group meeting next week with ten places."""
    return MeetingFactory(hybrid=True, capacity=10, title="Group meeting: the new leaflets")


def url(name: str, meeting: Meeting | None = None) -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk] if meeting else [])


def register_post(client, meeting, **data):
    """The detail page's form: the needs fields, plus the marker that they were sent."""
    return client.post(url("register", meeting), {"needs_sent": "1", **data})


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def registration_of(member, meeting) -> Registration:
    return Registration.objects.get(member=member, meeting=meeting)


# --- Times --------------------------------------------------------------------------------


def test_times_are_shown_in_london_time_with_the_day_of_the_week():
    summer = london(2026, 5, 12, 10)
    assert date_and_time_range(summer, summer + dt.timedelta(hours=2)) == "Tuesday 12 May 2026, 10am to midday"
    # Stored in UTC; shown in GMT in winter.
    winter = dt.datetime(2026, 1, 13, 14, 30, tzinfo=dt.UTC)
    assert date_and_time_range(winter, winter + dt.timedelta(minutes=90)) == "Tuesday 13 January 2026, 2:30pm to 4pm"
    evening = london(2026, 6, 3, 19)
    assert date_and_time_range(evening, evening + dt.timedelta(hours=5)) == (
        "Wednesday 3 June 2026, 7pm to Thursday 4 June 2026, midnight"
    )


# --- The lists ----------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC), tick=False)
def test_anyone_can_see_the_meetings_coming_up(anonymous):
    MeetingFactory(
        title="Group meeting: May",
        starts_at=london(2026, 5, 12, 10),
        mode=Meeting.Mode.HYBRID,
        capacity=12,
        registered_count=4,
    )
    MeetingFactory(title="Last month's meeting", starts_at=london(2026, 4, 14, 10))

    response = anonymous.get(url("upcoming"))

    assert response.status_code == 200
    page = main_html(response)
    assert "Group meeting: May" in page
    assert "Group meeting" in page  # the kind
    assert "Tuesday 12 May 2026, 10am to midday" in page
    assert "In person and online" in page
    assert "Riverside Family Centre" in page
    assert "8 places left" in page
    assert "Last month&#x27;s meeting" not in page
    assert "Log in" in page  # how to sign up
    assert "Register" not in page


def test_past_meetings_are_listed_most_recent_first_without_cancelled_ones(anonymous):
    now = timezone.now()
    MeetingFactory(title="Older meeting", starts_at=now - dt.timedelta(days=60))
    MeetingFactory(title="Recent meeting", starts_at=now - dt.timedelta(days=7))
    MeetingFactory(title="Called-off meeting", starts_at=now - dt.timedelta(days=30), cancelled=True)
    MeetingFactory(title="Future meeting")

    page = main_html(anonymous.get(url("past")))

    assert page.index("Recent meeting") < page.index("Older meeting")
    assert "Called-off meeting" not in page
    assert "Future meeting" not in page


def test_the_lists_are_paginated_with_nhs_pagination(anonymous):
    start = timezone.now() + dt.timedelta(days=1)
    for day in range(23):
        MeetingFactory(title=f"Meeting number {day:02d}", starts_at=start + dt.timedelta(days=day))

    first = Page(anonymous.get(url("upcoming")).content.decode())
    assert len(first.all("div", cls="nhsuk-card")) == 10
    nav = first.one("nav", cls="nhsuk-pagination")
    assert nav["attrs"]["aria-label"] == "Pages of meetings coming up"
    assert first.one("a", cls="nhsuk-pagination__next")["attrs"]["href"] == "?page=2"

    last = anonymous.get(url("upcoming"), {"page": "3"})
    assert len(Page(last.content.decode()).all("div", cls="nhsuk-card")) == 3
    assert "Meeting number 22" in last.content.decode()
    assert "(page 3 of 3)" in Page(last.content.decode()).title

    # A page number that is not a number, or too big, shows a real page instead of an error.
    assert anonymous.get(url("upcoming"), {"page": "x"}).status_code == 200
    assert "Meeting number 22" in anonymous.get(url("upcoming"), {"page": "99"}).content.decode()


def test_members_get_a_register_button_on_the_list_and_others_do_not(
    amira, member_client, anonymous, commissioner_client, meeting
):
    button = f'action="{url("register", meeting)}"'
    assert button in member_client.get(url("upcoming")).content.decode()
    assert button not in anonymous.get(url("upcoming")).content.decode()
    assert button not in commissioner_client.get(url("upcoming")).content.decode()


def test_the_list_shows_a_members_own_place_instead_of_the_button(amira, member_client, meeting):
    register(meeting, amira)

    page = main_html(member_client.get(url("upcoming")))

    assert "You have a place" in page
    assert f'action="{url("register", meeting)}"' not in page


def test_a_full_meeting_on_the_list_offers_the_waiting_list(amira, member_client, beth):
    full = MeetingFactory(full=True)
    register(full, beth)

    page = main_html(member_client.get(url("upcoming")))

    assert "Full: you can join the waiting list" in page
    assert "Join the waiting list" in page


# --- A meeting's page ---------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC), tick=False)
def test_the_meeting_page_says_what_when_where_and_what_to_expect(anonymous):
    meeting = MeetingFactory(starts_at=london(2026, 5, 12, 10), venue__directions_url="https://maps.example.org/centre")

    response = anonymous.get(url("detail", meeting))

    assert response.status_code == 200
    page = main_html(response)
    for text in (
        meeting.title,
        "Group meeting",
        "What it is for",
        "To hear what families think of the new leaflets",
        "Tuesday 12 May 2026, 10am to midday",
        "Riverside Family Centre",
        "12 Mill Lane",
        "Step-free access",
        "Parking: Free parking behind the building.",
        "Baby-changing facilities",
        "Babies and children are welcome",
        "Ring the bell at the side door",
        'href="https://maps.example.org/centre"',
        "What to expect",
        "tea, coffee and biscuits",
        "Agenda",
        "<li>The new leaflets</li>",
    ):
        assert text in page, text


def test_a_sensitive_meetings_content_note_comes_before_anything_else(anonymous):
    meeting = MeetingFactory(sensitive=True)

    page = main_html(anonymous.get(url("detail", meeting)))

    note = page.index("We will talk about difficult birth experiences")
    assert page.index("nhsuk-card--warning") < note
    for later in ("<h1", "When", "What it is for", "Agenda", "Getting there"):
        assert note < page.index(later), later


def test_an_ordinary_meeting_has_no_content_note(anonymous, meeting):
    assert "Content note" not in main_html(anonymous.get(url("detail", meeting)))


def test_an_unknown_meeting_is_not_found(anonymous, amira, member_client):
    assert anonymous.get("/meetings/999999/").status_code == 404
    assert anonymous.get("/meetings/999999/calendar.ics").status_code == 404
    assert member_client.post("/meetings/999999/register/").status_code == 404
    assert member_client.post("/meetings/999999/apologies/").status_code == 404
    assert member_client.post("/meetings/999999/cancel/").status_code == 404


def test_a_cancelled_meeting_says_so_and_offers_no_sign_up(amira, member_client):
    meeting = MeetingFactory(cancelled=True)

    page = main_html(member_client.get(url("detail", meeting)))

    assert "This meeting has been cancelled" in page
    assert "The room is no longer available." in page
    assert f'action="{url("register", meeting)}"' not in page


def test_after_the_meeting_its_published_minutes_and_actions_are_shown_to_members(amira, member_client):
    meeting = MeetingFactory(
        past=True,
        minutes="We agreed the leaflet needs a page for partners.",
        minutes_status=Meeting.MinutesStatus.PUBLISHED,
    )
    ActionFactory(meeting=meeting, description="Draft the partners page", status="in_progress")
    ActionFactory(meeting=meeting, description="Book the next room", staff_owned=True, status="done")

    page = main_html(member_client.get(url("detail", meeting)))

    assert "We agreed the leaflet needs a page for partners." in page
    assert "Draft the partners page" in page
    assert "Who: The group" in page
    assert "Who: Priya Shah" in page
    assert '<strong class="nhsuk-tag nhsuk-tag--blue">In progress</strong>' in page
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Done</strong>' in page


def test_draft_minutes_are_not_shown(amira, member_client):
    meeting = MeetingFactory(past=True, minutes="Not agreed yet.", minutes_status=Meeting.MinutesStatus.DRAFT)
    ActionFactory(meeting=meeting, description="A draft action")

    page = main_html(member_client.get(url("detail", meeting)))

    assert "Not agreed yet." not in page
    assert "A draft action" not in page
    assert "The minutes will appear here once the group has agreed them." in page


# --- The online joining link --------------------------------------------------------------


def test_a_registered_member_sees_the_joining_link(amira, member_client, meeting):
    register(meeting, amira)

    page = main_html(member_client.get(url("detail", meeting)))

    assert f'href="{LINK}"' in page
    assert "Please do not share this link." in page


def test_a_member_who_attended_still_sees_the_joining_link(amira, member_client):
    meeting = MeetingFactory(hybrid=True)
    RegistrationFactory(meeting=meeting, member=amira, attended=True)

    assert LINK in member_client.get(url("detail", meeting)).content.decode()


@pytest.mark.parametrize("status", ["waiting", "apologies", "cancelled", "no_show"])
def test_a_member_without_a_place_does_not_see_the_joining_link(amira, member_client, meeting, status):
    RegistrationFactory(meeting=meeting, member=amira, status=status)

    assert LINK not in member_client.get(url("detail", meeting)).content.decode()


def test_the_joining_link_is_hidden_from_everyone_else(
    amira, beth, beth_client, anonymous, commissioner_client, coordinator_client, meeting
):
    register(meeting, amira)
    for client in (anonymous, beth_client, commissioner_client, coordinator_client):
        for page in (url("detail", meeting), url("upcoming"), url("calendar", meeting)):
            response = client.get(page)
            assert response.status_code == 200, page
            assert LINK not in response.content.decode(), page
    page = main_html(anonymous.get(url("detail", meeting)))
    assert "When you have a place, the joining link will appear here" in page


def test_the_joining_link_never_appears_on_the_lists(amira, member_client):
    meeting = MeetingFactory(online=True, past=True)
    RegistrationFactory(meeting=meeting, member=amira, attended=True)
    upcoming = MeetingFactory(online=True)
    register(upcoming, amira)

    assert LINK not in member_client.get(url("upcoming")).content.decode()
    assert LINK not in member_client.get(url("past")).content.decode()
    assert LINK not in member_client.get(url("mine")).content.decode()


# --- Registering --------------------------------------------------------------------------


def test_a_member_registers_with_what_they_need(amira, member_client, meeting):
    response = register_post(
        member_client,
        meeting,
        needs=["needs_childcare", "needs_step_free"],
        interpreter_language="Polish",
        dietary="vegetarian",
        other_needs="A seat near the door",
    )

    assert response.status_code == 302
    assert response["Location"] == url("detail", meeting)
    registration = registration_of(amira, meeting)
    assert registration.status == Registration.Status.REGISTERED
    assert registration.needs_childcare and registration.needs_step_free and not registration.needs_bsl
    assert registration.interpreter_language == "Polish"
    assert registration.dietary == "vegetarian"
    assert registration.other_needs == "A seat near the door"
    meeting.refresh_from_db()
    assert meeting.registered_count == 1
    assert any("You have a place at Group meeting: the new leaflets on" in text for text in texts(response))


def test_the_needs_form_is_prefilled_from_the_members_profile(member, member_client, meeting):
    MemberFactory(user=member, active=True, needs_childcare=True, needs_interpreter=True, interpreter_language="Urdu")

    page = Page(member_client.get(url("detail", meeting)).content.decode())

    assert "checked" in page.one("input", value="needs_childcare")["attrs"]
    assert "checked" not in page.one("input", value="needs_bsl")["attrs"]
    assert page.one("input", name="interpreter_language")["attrs"]["value"] == "Urdu"


def test_needs_the_form_has_no_box_for_are_prefilled_into_anything_else(member, member_client, meeting):
    MemberFactory(
        user=member,
        active=True,
        needs_large_print=True,
        needs_easy_read=True,
        access_other="I need to sit near a door.",
    )

    page = Page(member_client.get(url("register", meeting)).content.decode())

    other = page.one("textarea", name="other_needs")
    assert " ".join(other["text"].split()) == "Large print Easy Read I need to sit near a door."


def test_the_one_click_button_keeps_the_profiles_other_needs(member, member_client, meeting):
    amira = MemberFactory(user=member, active=True, needs_easy_read=True, access_other="A quiet room to feed my baby.")

    member_client.post(url("register", meeting))

    assert registration_of(amira, meeting).other_needs == "Easy Read\nA quiet room to feed my baby."


def test_the_register_page_shows_a_sensitive_meetings_content_note_first(amira, member_client):
    meeting = MeetingFactory(sensitive=True)

    page = main_html(member_client.get(url("register", meeting)))

    note = page.index("We will talk about difficult birth experiences")
    assert note < page.index("<form")
    assert note < page.index("<h1")


def test_the_one_click_button_on_the_list_uses_the_profiles_needs(member, member_client, meeting):
    amira = MemberFactory(user=member, active=True, needs_step_free=True)

    member_client.post(url("register", meeting))

    registration = registration_of(amira, meeting)
    assert registration.status == Registration.Status.REGISTERED
    assert registration.needs_step_free


def test_a_full_meeting_offers_the_waiting_list_and_puts_the_member_on_it(amira, member_client, beth):
    meeting = MeetingFactory(full=True)
    register(meeting, beth)

    page = main_html(member_client.get(url("detail", meeting)))
    assert FULL_COPY in page
    assert "Join the waiting list" in page

    response = register_post(member_client, meeting)

    registration = registration_of(amira, meeting)
    assert registration.status == Registration.Status.WAITING
    assert any("added you to the waiting list. You are number 1 on the list." in text for text in texts(response))
    page = main_html(member_client.get(url("detail", meeting)))
    assert "you are on the waiting list: you are number 1" in page


def test_registering_twice_keeps_one_place(amira, member_client, meeting):
    register_post(member_client, meeting)
    second = register_post(member_client, meeting)

    assert Registration.objects.filter(member=amira, meeting=meeting).count() == 1
    meeting.refresh_from_db()
    assert meeting.registered_count == 1
    assert "We have updated what you need for this meeting." in " ".join(texts(second))


def test_a_member_can_change_what_they_need_after_registering(amira, member_client, meeting):
    register(meeting, amira, needs={"dietary": "vegan"})

    response = member_client.get(url("register", meeting))
    page = Page(response.content.decode())
    assert "Change what you need" in page.title
    assert page.one("input", name="dietary")["attrs"]["value"] == "vegan"

    register_post(member_client, meeting, dietary="halal", needs=["needs_bsl"])

    registration = registration_of(amira, meeting)
    assert registration.dietary == "halal" and registration.needs_bsl
    assert registration.status == Registration.Status.REGISTERED


def test_too_much_text_is_explained_next_to_the_field_and_kept(amira, member_client, meeting):
    long_text = "x" * 5000

    response = register_post(member_client, meeting, other_needs=long_text, dietary="vegan")

    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.title.startswith("Error: ")
    message = "Anything else must be 1000 characters or fewer. You have typed 5000."
    assert message in page.one("div", cls="nhsuk-error-summary")["text"]
    assert message in page.by_id("id_other_needs-error")["text"]
    assert page.one("textarea", name="other_needs")["text"].strip() == long_text
    assert page.one("input", name="dietary")["attrs"]["value"] == "vegan"
    assert not Registration.objects.filter(member=amira).exists()


def test_a_cancelled_meeting_cannot_be_registered_for(amira, member_client):
    meeting = MeetingFactory(cancelled=True)

    response = register_post(member_client, meeting)

    assert response.status_code == 302
    assert texts(response) == ["This meeting has been cancelled."]
    assert not Registration.objects.filter(member=amira).exists()


def test_a_past_meeting_cannot_be_registered_for_or_changed(amira, member_client):
    meeting = MeetingFactory(past=True)
    RegistrationFactory(meeting=meeting, member=amira)

    response = member_client.post(url("register", meeting), follow=True)
    assert response.status_code == 200
    assert "already started" in " ".join(texts(response))

    for name in ("apologies", "cancel"):
        response = member_client.post(url(name, meeting))
        assert "already started, so you cannot change your plans" in " ".join(texts(response)), name
    assert registration_of(amira, meeting).status == Registration.Status.REGISTERED


def test_a_member_who_has_left_cannot_register(member, member_client, meeting):
    leaver = MemberFactory(user=member, left=True)

    response = register_post(member_client, meeting)
    assert "You have left the group, so you cannot sign up for meetings." in texts(response)
    response = member_client.post(url("apologies", meeting))
    assert "You have left the group" in " ".join(texts(response))
    assert not Registration.objects.filter(member=leaver).exists()

    page = main_html(member_client.get(url("detail", meeting)))
    assert f'action="{url("register", meeting)}"' not in page
    assert "You have left the group" in page
    response = member_client.get(url("register", meeting))
    assert response.status_code == 302
    assert "You have left the group, so you cannot sign up for meetings." in texts(response)


def test_the_forms_need_the_csrf_token(amira, member, meeting):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    for name in ("register", "apologies", "cancel"):
        assert client.post(url(name, meeting)).status_code == 403
    assert not Registration.objects.filter(member=amira).exists()


def test_the_actions_only_accept_posts(amira, member_client, meeting):
    assert member_client.get(url("apologies", meeting)).status_code == 405
    assert member_client.get(url("cancel", meeting)).status_code == 405


# --- Cancelling and apologies -------------------------------------------------------------


def test_cancelling_frees_the_place_for_the_first_person_waiting(amira, member_client, beth):
    meeting = MeetingFactory(full=True)
    register(meeting, amira)
    register(meeting, beth)
    third = register(meeting)

    response = member_client.post(url("cancel", meeting))

    assert registration_of(amira, meeting).status == Registration.Status.CANCELLED
    assert registration_of(beth, meeting).status == Registration.Status.REGISTERED
    third.refresh_from_db()
    assert third.status == Registration.Status.WAITING
    meeting.refresh_from_db()
    assert (meeting.registered_count, meeting.waiting_count) == (1, 1)
    assert any("You have cancelled your place at" in text for text in texts(response))


def test_cancelling_twice_is_harmless(amira, member_client, meeting):
    register(meeting, amira)

    member_client.post(url("cancel", meeting))
    second = member_client.post(url("cancel", meeting))

    assert registration_of(amira, meeting).status == Registration.Status.CANCELLED
    assert texts(second)[-1] == "You are not signed up for this meeting, so there is nothing to cancel."


def test_a_member_can_leave_the_waiting_list(amira, member_client, beth):
    meeting = MeetingFactory(full=True)
    register(meeting, beth)
    register(meeting, amira)

    page = main_html(member_client.get(url("detail", meeting)))
    assert "Leave the waiting list" in page

    response = member_client.post(url("cancel", meeting))

    assert registration_of(amira, meeting).status == Registration.Status.CANCELLED
    assert texts(response) == [f"You have left the waiting list for {meeting.title}."]
    meeting.refresh_from_db()
    assert meeting.waiting_count == 0


def test_a_member_can_register_again_after_cancelling(amira, member_client, meeting):
    register(meeting, amira)
    member_client.post(url("cancel", meeting))

    page = main_html(member_client.get(url("detail", meeting)))
    assert "You cancelled your place at this meeting." in page

    register_post(member_client, meeting)
    assert registration_of(amira, meeting).status == Registration.Status.REGISTERED


def test_a_member_sends_apologies(amira, member_client, meeting):
    response = member_client.post(url("apologies", meeting))

    assert registration_of(amira, meeting).status == Registration.Status.APOLOGIES
    assert any("We have noted your apologies" in text for text in texts(response))
    again = member_client.post(url("apologies", meeting))
    assert texts(again)[-1] == "We already have your apologies for this meeting."
    assert "You sent your apologies for this meeting." in main_html(member_client.get(url("detail", meeting)))


def test_apologies_from_someone_with_a_place_pass_it_on(amira, member_client, beth):
    meeting = MeetingFactory(full=True)
    register(meeting, amira)
    register(meeting, beth)

    member_client.post(url("apologies", meeting))

    assert registration_of(amira, meeting).status == Registration.Status.APOLOGIES
    assert registration_of(beth, meeting).status == Registration.Status.REGISTERED


def test_a_member_cannot_cancel_another_members_place(amira, beth, beth_client, meeting):
    register(meeting, amira)

    response = beth_client.post(url("cancel", meeting))

    assert registration_of(amira, meeting).status == Registration.Status.REGISTERED
    assert texts(response) == ["You are not signed up for this meeting, so there is nothing to cancel."]
    beth_client.post(url("apologies", meeting))
    assert registration_of(amira, meeting).status == Registration.Status.REGISTERED


# --- Who may use the member-only pages ----------------------------------------------------


MEMBER_ONLY = [("post", "register"), ("get", "register"), ("post", "apologies"), ("post", "cancel"), ("get", "mine")]


@pytest.mark.parametrize(("method", "name"), MEMBER_ONLY)
def test_logged_out_people_are_asked_to_log_in(anonymous, meeting, method, name):
    target = url(name) if name == "mine" else url(name, meeting)

    response = getattr(anonymous, method)(target)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Registration.objects.exists()


@pytest.mark.parametrize(("method", "name"), MEMBER_ONLY)
def test_commissioners_and_staff_without_a_member_record_are_refused(
    commissioner_client, coordinator_client, meeting, method, name
):
    target = url(name) if name == "mine" else url(name, meeting)
    for client in (commissioner_client, coordinator_client):
        assert getattr(client, method)(target).status_code == 403
    assert not Registration.objects.exists()


def test_commissioners_see_the_public_pages_without_sign_up(commissioner_client, meeting):
    page = main_html(commissioner_client.get(url("detail", meeting)))

    assert "Only members of the group can sign up for meetings." in page
    assert f'action="{url("register", meeting)}"' not in page


# --- Add to calendar ----------------------------------------------------------------------


def _calendar(response) -> icalendar.Event:
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]


def test_anyone_can_download_the_meeting_for_their_calendar(anonymous, meeting):
    response = anonymous.get(url("calendar", meeting))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="{ics_filename(meeting)}"'
    event = _calendar(response)
    assert event.decoded("dtstart") == meeting.starts_at
    assert LINK not in response.content.decode()


def test_a_registered_members_calendar_file_has_the_joining_link(amira, member_client, meeting):
    register(meeting, amira)

    response = member_client.get(url("calendar", meeting))

    assert LINK in str(_calendar(response).get("description"))


def test_a_waiting_members_calendar_file_has_no_joining_link(amira, member_client, beth):
    meeting = MeetingFactory(full=True, hybrid=True)
    register(meeting, beth)
    register(meeting, amira)

    assert LINK not in member_client.get(url("calendar", meeting)).content.decode()


# --- My meetings --------------------------------------------------------------------------


def test_my_meetings_lists_places_waiting_lists_and_meetings_been_to(amira, member_client, beth):
    has_place = MeetingFactory(title="A meeting I have a place at")
    register(has_place, amira)
    full = MeetingFactory(full=True, title="A full meeting")
    register(full, beth)
    register(full, MemberFactory(active=True))
    register(full, amira)
    been = MeetingFactory(past=True, title="A meeting I came to")
    RegistrationFactory(meeting=been, member=amira, attended=True)
    cancelled = MeetingFactory(title="A meeting I cancelled")
    RegistrationFactory(meeting=cancelled, member=amira, cancelled=True)
    other = MeetingFactory(title="Beth's meeting")
    register(other, beth)

    response = member_client.get(url("mine"))

    assert response.status_code == 200
    page = main_html(response)
    assert page.index("Meetings you have a place at") < page.index("A meeting I have a place at")
    assert page.index("Waiting lists you are on") < page.index("A full meeting")
    assert "You are number 2 on the waiting list." in page
    assert page.index("Meetings you have been to") < page.index("A meeting I came to")
    assert "A meeting I cancelled" not in page
    assert "Beth&#x27;s meeting" not in page


def test_my_meetings_when_there_is_nothing_yet(amira, member_client):
    page = main_html(member_client.get(url("mine")))

    assert "You do not have a place at any meetings coming up." in page
    assert "You are not on any waiting lists." in page


# --- Queries stay flat as the data grows ---------------------------------------------------


def _people(count: int) -> list[Member]:
    users = User.objects.bulk_create(User(email=f"crowd{i}@example.org", name=f"Crowd {i}") for i in range(count))
    return Member.objects.bulk_create(Member(user=user, status=Member.Status.ACTIVE) for user in users)


def _meetings(count: int, registrations_each: int, *, past: bool, crowd: list[Member], me: Member) -> Meeting:
    start = timezone.now() + dt.timedelta(days=-400 if past else 2)
    meetings = [
        MeetingFactory(title=f"Meeting {i}", starts_at=start + dt.timedelta(days=i), capacity=100, hybrid=i % 2 == 0)
        for i in range(count)
    ]
    status = Registration.Status.ATTENDED if past else Registration.Status.REGISTERED
    Registration.objects.bulk_create(
        Registration(meeting=meeting, member=person, status=status)
        for meeting in meetings
        for person in crowd[:registrations_each]
    )
    Registration.objects.bulk_create(Registration(meeting=meeting, member=me, status=status) for meeting in meetings)
    for meeting in meetings:
        refresh_counts(meeting)
    if not past and meetings:
        # Some waiting, so the waiting positions are worked out too.
        Registration.objects.filter(meeting=meetings[0], member__in=crowd[:registrations_each]).update(
            status=Registration.Status.WAITING, waiting_since=timezone.now()
        )
        Registration.objects.filter(meeting=meetings[0], member=me).update(
            status=Registration.Status.WAITING, waiting_since=timezone.now() + dt.timedelta(seconds=1)
        )
    return meetings[0]


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_page_queries_do_not_grow_with_meetings_or_registrations(
    amira, member_client, anonymous, django_assert_max_num_queries
):
    crowd = _people(30)
    small_future = _meetings(5, 0, past=False, crowd=crowd, me=amira)
    _meetings(5, 0, past=True, crowd=crowd, me=amira)
    viewers = {"anonymous": anonymous, "member": member_client}

    def pages(first: Meeting) -> dict[tuple[str, str], str]:
        paths = {"upcoming": url("upcoming"), "past": url("past"), "detail": url("detail", first)}
        paths["calendar"] = url("calendar", first)
        found = {(who, name): path for who in viewers for name, path in paths.items()}
        found[("member", "mine")] = url("mine")
        return found

    small = {key: _queries(viewers[key[0]], path) for key, path in pages(small_future).items()}

    big_future = _meetings(50, 30, past=False, crowd=crowd, me=amira)
    _meetings(50, 30, past=True, crowd=crowd, me=amira)

    for key, path in pages(big_future).items():
        limit = small[key]
        assert limit <= 15, f"{key} makes {limit} queries"
        with django_assert_max_num_queries(limit):
            assert viewers[key[0]].get(path).status_code == 200


def test_a_past_meeting_page_needs_the_same_queries_for_few_or_many_actions(amira, member_client, anonymous):
    meeting = MeetingFactory(past=True, minutes="We talked about the leaflets.", minutes_status="published")
    ActionFactory.create_batch(2, meeting=meeting)
    RegistrationFactory(meeting=meeting, member=amira, attended=True)
    path = url("detail", meeting)
    small = {who: _queries(client, path) for who, client in (("member", member_client), ("anonymous", anonymous))}

    ActionFactory.create_batch(40, meeting=meeting)
    RegistrationFactory.create_batch(20, meeting=meeting, attended=True)

    for who, client in (("member", member_client), ("anonymous", anonymous)):
        assert _queries(client, path) <= small[who], who
    assert main_html(member_client.get(path)).count("Share the leaflet draft") == 42


# --- Demo data ----------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC), tick=False)
def test_the_demo_meetings_cover_two_years_and_every_kind_and_are_safe_to_load_twice():
    from meetings.demo import seed_meetings

    demo_member = MemberFactory(user__email="member@demo.example", active=True)
    for _ in range(6):
        MemberFactory(active=True)
    MemberFactory(left=True)

    seed_meetings()
    counts = (Meeting.objects.count(), Registration.objects.count(), Action.objects.count())
    seed_meetings()
    assert (Meeting.objects.count(), Registration.objects.count(), Action.objects.count()) == counts

    past_group = Meeting.objects.filter(kind=Meeting.Kind.GROUP_MEETING, ends_at__lt=timezone.now())
    assert past_group.count() == 12  # every other month for two years
    assert past_group.filter(minutes_status=Meeting.MinutesStatus.PUBLISHED).count() == 11
    assert not past_group.filter(attendance_taken_at__isnull=True).exists()
    assert Registration.objects.filter(meeting__in=past_group, status=Registration.Status.ATTENDED).count() > 50
    assert Action.objects.filter(meeting__in=past_group).count() == 36
    assert not Registration.objects.filter(member__status=Member.Status.LEFT).exists()

    upcoming = Meeting.objects.filter(starts_at__gt=timezone.now())
    assert {
        Meeting.Kind.GROUP_MEETING,
        Meeting.Kind.FOCUS_GROUP,
        Meeting.Kind.INTERVIEW_PANEL,
        Meeting.Kind.TRAINING,
    } <= set(upcoming.values_list("kind", flat=True))
    assert upcoming.filter(kind=Meeting.Kind.GROUP_MEETING, mode=Meeting.Mode.HYBRID).exists()
    assert upcoming.filter(kind=Meeting.Kind.FOCUS_GROUP, mode=Meeting.Mode.ONLINE).exists()
    assert upcoming.filter(kind=Meeting.Kind.INTERVIEW_PANEL, mode=Meeting.Mode.IN_PERSON).exists()
    assert upcoming.filter(is_sensitive=True).exclude(content_note="").exists()
    full = [meeting for meeting in upcoming if meeting.is_full]
    assert full and full[0].waiting_count > 0
    for meeting in Meeting.objects.all():
        assert "mental health" not in meeting.title.lower()
        held = meeting.registrations.filter(status__in=Registration.HOLDS_PLACE).count()
        assert meeting.registered_count == held, meeting
    # The demo log-in has a place, a place in a queue, and meetings they came to.
    mine = Registration.objects.filter(member=demo_member)
    assert mine.filter(status=Registration.Status.REGISTERED).exists()
    assert mine.filter(status=Registration.Status.WAITING).exists()
    assert mine.filter(status=Registration.Status.ATTENDED).exists()
    assert Venue.objects.filter(name="Riverside Family Centre", step_free=True, baby_changing=True).exists()
