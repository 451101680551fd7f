"""The staff pages for the room: the meetings list, "tick who is here", and the attendee list (CSV)."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting, Registration
from meetings.tests.factories import MeetingFactory, MemberFactory, RegistrationFactory, refresh_counts
from members.tests.totp import client_with_two_step
from nhsuk_forms.tests.html import Page

pytestmark = pytest.mark.django_db


def _person(name: str, **kwargs):
    return MemberFactory(active=True, user__name=name, **kwargs)


@pytest.fixture
def meeting():
    meeting = MeetingFactory(past=True, title="March group meeting")
    RegistrationFactory(meeting=meeting, member=_person("Amira Khan"), with_needs=True)
    RegistrationFactory(meeting=meeting, member=_person("Beth Jones"), needs_bsl=True)
    RegistrationFactory(meeting=meeting, member=_person("Cara Lewis"))
    RegistrationFactory(meeting=meeting, member=_person("Dana Wood"), waiting=True)
    RegistrationFactory(meeting=meeting, member=_person("Erin Apologies"), apologies=True)
    RegistrationFactory(meeting=meeting, member=_person("Fern Cancelled"), cancelled=True)
    return refresh_counts(meeting)


def _registration(meeting, name) -> Registration:
    return meeting.registrations.get(member__user__name=name)


def _attendance_url(meeting) -> str:
    return reverse("meetings_staff:attendance", args=[meeting.pk])


def _csv_url(meeting) -> str:
    return reverse("meetings_staff:attendees_csv", args=[meeting.pk])


# --- Tick who is here ----------------------------------------------------------------------


def test_coordinator_sees_everyone_with_a_place_and_their_needs(coordinator_client, meeting):
    response = coordinator_client.get(_attendance_url(meeting))

    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.title.startswith("Tick who is here: March group meeting")
    labels = [" ".join(e["text"].split()) for e in page.all("label", cls="nhsuk-checkboxes__label")]
    assert labels == ["Amira Khan", "Beth Jones", "Cara Lewis"]
    amira = _registration(meeting, "Amira Khan")
    box = page.one("input", value=str(amira.pk))
    hint = " ".join(page.by_id(box["attrs"]["aria-describedby"])["text"].split())
    assert "childcare or bringing a baby" in hint
    assert "Polish interpreter" in hint
    assert "step-free access" in hint
    assert "food and drink: vegetarian" in hint
    assert "A seat near the door, please." in hint
    beth = _registration(meeting, "Beth Jones")
    assert "BSL interpreter" in page.by_id(f"{page.one('input', value=str(beth.pk))['attrs']['id']}-hint")["text"]
    cara = _registration(meeting, "Cara Lewis")
    assert "No needs given" in page.by_id(f"{page.one('input', value=str(cara.pk))['attrs']['id']}-hint")["text"]
    # Waiting, apologies and cancelled are not in the room.
    assert "Dana Wood" not in " ".join(labels)
    assert "(1 on the waiting list)" in page.main()["text"]


def test_ticking_who_is_here_marks_them_attended_and_the_rest_as_not_attending(coordinator_client, meeting):
    amira, beth, cara = (_registration(meeting, name) for name in ("Amira Khan", "Beth Jones", "Cara Lewis"))

    response = coordinator_client.post(_attendance_url(meeting), {"attended": [amira.pk, cara.pk]}, follow=True)

    assert response.redirect_chain[-1][0] == _attendance_url(meeting)
    assert "Attendance saved: 2 here, 1 not here." in response.content.decode()
    statuses = dict(meeting.registrations.values_list("member__user__name", "status"))
    assert statuses == {
        "Amira Khan": Registration.Status.ATTENDED,
        "Beth Jones": Registration.Status.NO_SHOW,
        "Cara Lewis": Registration.Status.ATTENDED,
        "Dana Wood": Registration.Status.WAITING,
        "Erin Apologies": Registration.Status.APOLOGIES,
        "Fern Cancelled": Registration.Status.CANCELLED,
    }
    meeting.refresh_from_db()
    assert meeting.attendance_taken_at is not None
    # Attending or not, each still held a place; the waiting list is unchanged.
    assert (meeting.registered_count, meeting.waiting_count) == (3, 1)
    # Saved ticks show ticked when the page opens again.
    page = Page(response.content.decode())
    assert "checked" in page.one("input", value=str(amira.pk))["attrs"]
    assert "checked" not in page.one("input", value=str(beth.pk))["attrs"]


def test_attendance_can_be_corrected(coordinator_client, meeting):
    amira, beth = _registration(meeting, "Amira Khan"), _registration(meeting, "Beth Jones")
    coordinator_client.post(_attendance_url(meeting), {"attended": [amira.pk]})

    coordinator_client.post(_attendance_url(meeting), {"attended": [beth.pk]})

    amira.refresh_from_db()
    beth.refresh_from_db()
    assert amira.status == Registration.Status.NO_SHOW
    assert beth.status == Registration.Status.ATTENDED


def test_nobody_ticked_marks_everyone_as_not_attending(coordinator_client, meeting):
    coordinator_client.post(_attendance_url(meeting), {})

    assert set(meeting.registrations.filter(status__in=Registration.HOLDS_PLACE).values_list("status", flat=True)) == {
        Registration.Status.NO_SHOW
    }


def test_someone_from_another_meeting_cannot_be_ticked(coordinator_client, meeting):
    stranger = RegistrationFactory(meeting=MeetingFactory(past=True))

    response = coordinator_client.post(_attendance_url(meeting), {"attended": [stranger.pk]})

    assert response.status_code == 200
    assert Page(response.content.decode()).title.startswith("Error: ")
    stranger.refresh_from_db()
    assert stranger.status == Registration.Status.REGISTERED
    assert not meeting.registrations.filter(status=Registration.Status.NO_SHOW).exists()


def test_attendance_cannot_be_taken_for_a_cancelled_meeting(coordinator_client):
    meeting = MeetingFactory(past=True, cancelled=True)
    registration = RegistrationFactory(meeting=meeting)

    response = coordinator_client.post(_attendance_url(meeting), {"attended": [registration.pk]})

    assert response.status_code == 200
    assert "This meeting was cancelled" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_a_meeting_not_started_yet_says_so(coordinator_client):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting)

    response = coordinator_client.get(_attendance_url(meeting))

    text = " ".join(Page(response.content.decode()).main()["text"].split())
    assert "This meeting has not started yet" in text
    assert "Nobody is marked as not attending until the meeting starts." in text
    assert "Anyone not ticked keeps their place." in text
    assert "Anyone not ticked is marked as not attending." not in text


@pytest.fixture
def upcoming():
    """A meeting next week, capacity 3, full: Amira, Beth and Cara have places, Dana waits."""
    meeting = MeetingFactory(title="May group meeting", capacity=3, online=True)
    for name in ("Amira Khan", "Beth Jones", "Cara Lewis"):
        RegistrationFactory(meeting=meeting, member=_person(name))
    RegistrationFactory(meeting=meeting, member=_person("Dana Wood"), waiting=True)
    return refresh_counts(meeting)


def test_ticking_people_as_they_arrive_before_the_start_leaves_the_others_registered(coordinator_client, upcoming):
    amira = _registration(upcoming, "Amira Khan")

    response = coordinator_client.post(_attendance_url(upcoming), {"attended": [amira.pk]}, follow=True)

    assert "Saved: 1 here so far. Nobody is marked as not attending until the meeting starts." in (
        response.content.decode()
    )
    statuses = dict(upcoming.registrations.values_list("member__user__name", "status"))
    assert statuses == {
        "Amira Khan": Registration.Status.ATTENDED,
        "Beth Jones": Registration.Status.REGISTERED,
        "Cara Lewis": Registration.Status.REGISTERED,
        "Dana Wood": Registration.Status.WAITING,
    }
    upcoming.refresh_from_db()
    # The register is not complete yet, so the debrief still goes to everyone registered.
    assert upcoming.attendance_taken_at is None
    assert (upcoming.registered_count, upcoming.waiting_count) == (3, 1)


def test_someone_not_yet_ticked_keeps_their_joining_link_and_can_still_cancel(coordinator_client, upcoming, client):
    from meetings.services import cancel_registration, register_for_meeting

    amira, beth = _registration(upcoming, "Amira Khan"), _registration(upcoming, "Beth Jones")
    coordinator_client.post(_attendance_url(upcoming), {"attended": [amira.pk]})

    client.force_login(beth.member.user)
    page = client.get(reverse("meetings:detail", args=[upcoming.pk])).content.decode()
    assert upcoming.online_link in page

    # Signing up again keeps her place (never the waiting list of a full meeting)...
    assert register_for_meeting(member=beth.member, meeting=upcoming).status == Registration.Status.REGISTERED
    # ...and cancelling gives it to the first person waiting.
    promoted = cancel_registration(registration=beth)
    assert promoted == _registration(upcoming, "Dana Wood")
    assert promoted.status == Registration.Status.REGISTERED


def test_unticking_someone_before_the_start_puts_them_back_as_registered(coordinator_client, upcoming):
    amira = _registration(upcoming, "Amira Khan")
    coordinator_client.post(_attendance_url(upcoming), {"attended": [amira.pk]})

    coordinator_client.post(_attendance_url(upcoming), {"attended": []})

    amira.refresh_from_db()
    assert amira.status == Registration.Status.REGISTERED


def test_once_the_meeting_has_started_anyone_not_ticked_did_not_attend(coordinator, upcoming):
    amira, beth = _registration(upcoming, "Amira Khan"), _registration(upcoming, "Beth Jones")
    with time_machine.travel(upcoming.starts_at - dt.timedelta(minutes=10), tick=False):
        coordinator_client = client_with_two_step(coordinator)
        coordinator_client.post(_attendance_url(upcoming), {"attended": [amira.pk]})  # before the start

    with time_machine.travel(upcoming.starts_at + dt.timedelta(minutes=10), tick=False):
        response = coordinator_client.post(_attendance_url(upcoming), {"attended": [amira.pk, beth.pk]}, follow=True)

    assert "Attendance saved: 2 here, 1 not here." in response.content.decode()
    statuses = dict(upcoming.registrations.values_list("member__user__name", "status"))
    assert statuses["Amira Khan"] == statuses["Beth Jones"] == Registration.Status.ATTENDED
    assert statuses["Cara Lewis"] == Registration.Status.NO_SHOW
    upcoming.refresh_from_db()
    assert upcoming.attendance_taken_at is not None


def test_the_attendance_page_is_never_cached(coordinator_client, meeting):
    response = coordinator_client.get(_attendance_url(meeting))

    assert "no-store" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in coordinator_client.get(_csv_url(meeting))["Cache-Control"]


# --- Attendance from the admin --------------------------------------------------------------


def _admin_action(client, action: str, registrations) -> str:
    response = client.post(
        "/admin/meetings/registration/?when=all",
        {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in registrations]},
        follow=True,
    )
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_coordinators_mark_attendance_from_the_registrations_admin(coordinator_client, meeting):
    amira, beth = _registration(meeting, "Amira Khan"), _registration(meeting, "Beth Jones")

    attended = _admin_action(coordinator_client, "mark_attended", [amira])
    absent = _admin_action(coordinator_client, "mark_not_attended", [beth])

    assert "Marked 1 registration(s) as attended." in attended
    assert "Marked 1 registration(s) as did not attend." in absent
    amira.refresh_from_db()
    beth.refresh_from_db()
    assert (amira.status, beth.status) == (Registration.Status.ATTENDED, Registration.Status.NO_SHOW)
    meeting.refresh_from_db()
    assert (meeting.registered_count, meeting.waiting_count) == (3, 1)


def test_the_admin_will_not_mark_anyone_absent_before_the_meeting_starts(coordinator_client, upcoming):
    amira, beth = _registration(upcoming, "Amira Khan"), _registration(upcoming, "Beth Jones")

    text = _admin_action(coordinator_client, "mark_not_attended", [beth])
    arrived = _admin_action(coordinator_client, "mark_attended", [amira])

    assert "1 not changed: This meeting has not started yet, so nobody can be marked as not attending." in text
    beth.refresh_from_db()
    assert beth.status == Registration.Status.REGISTERED
    # Arriving early is fine.
    assert "Marked 1 registration(s) as attended." in arrived
    amira.refresh_from_db()
    assert amira.status == Registration.Status.ATTENDED


def test_the_admin_will_not_mark_attendance_for_someone_without_a_place(coordinator_client, meeting):
    dana = _registration(meeting, "Dana Wood")  # waiting

    text = _admin_action(coordinator_client, "mark_attended", [dana])

    assert "1 not changed: did not have a place (on the waiting list)." in text
    dana.refresh_from_db()
    assert dana.status == Registration.Status.WAITING


def test_an_unknown_meeting_is_not_found(coordinator_client):
    assert coordinator_client.get(reverse("meetings_staff:attendance", args=[987654])).status_code == 404
    assert coordinator_client.get(reverse("meetings_staff:attendees_csv", args=[987654])).status_code == 404


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_attendance_page_needs_the_same_queries_for_3_or_40_people(
    coordinator_client, django_assert_max_num_queries
):
    meeting = MeetingFactory(past=True)
    for _ in range(3):
        RegistrationFactory(meeting=meeting, with_needs=True)
    _queries_for(coordinator_client, _attendance_url(meeting))  # warm the caches (group profile, sessions)
    small = _queries_for(coordinator_client, _attendance_url(meeting))

    for _ in range(37):
        RegistrationFactory(meeting=meeting, with_needs=True)
    RegistrationFactory.create_batch(20, meeting=MeetingFactory(past=True))
    with django_assert_max_num_queries(small):
        response = coordinator_client.get(_attendance_url(meeting))

    assert len(Page(response.content.decode()).all("input", cls="nhsuk-checkboxes__input")) == 40
    assert small <= 10


# --- The attendee list (CSV) --------------------------------------------------------------


def _rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_attendee_list_has_names_status_and_needs_for_the_venue(coordinator_client, meeting):
    later = _person("Gina Later")
    RegistrationFactory(meeting=meeting, member=later, waiting=True)

    response = coordinator_client.get(_csv_url(meeting))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="attendees-')
    assert "no-store" in response["Cache-Control"]
    assert _rows(response) == [
        ["Name", "Status", "Needs for this meeting"],
        [
            "Amira Khan",
            "Registered",
            "childcare or bringing a baby; Polish interpreter; step-free access; food and drink: vegetarian; "
            "A seat near the door, please.",
        ],
        ["Beth Jones", "Registered", "BSL interpreter"],
        ["Cara Lewis", "Registered", ""],
        ["Dana Wood", "On the waiting list (1)", ""],
        ["Gina Later", "On the waiting list (2)", ""],
    ]


def test_the_attendee_list_shows_attendance_once_taken(coordinator_client, meeting):
    amira = _registration(meeting, "Amira Khan")
    coordinator_client.post(_attendance_url(meeting), {"attended": [amira.pk]})

    rows = _rows(coordinator_client.get(_csv_url(meeting)))

    assert [row[:2] for row in rows[1:4]] == [
        ["Amira Khan", "Attended"],
        ["Beth Jones", "Did not attend"],
        ["Cara Lewis", "Did not attend"],
    ]


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\tTab"])
def test_cells_that_a_spreadsheet_would_run_are_made_harmless(coordinator_client, dangerous):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, member=_person(dangerous), other_needs=dangerous)

    rows = _rows(coordinator_client.get(_csv_url(meeting)))

    assert rows[1][0] == "'" + dangerous
    assert rows[1][2] == "'" + dangerous


def test_the_attendee_list_needs_the_same_queries_for_3_or_40_people(coordinator_client):
    meeting = MeetingFactory()
    RegistrationFactory.create_batch(3, meeting=meeting, with_needs=True)
    _queries_for(coordinator_client, _csv_url(meeting))
    small = _queries_for(coordinator_client, _csv_url(meeting))

    RegistrationFactory.create_batch(30, meeting=meeting, with_needs=True)
    RegistrationFactory.create_batch(7, meeting=meeting, waiting=True)

    assert _queries_for(coordinator_client, _csv_url(meeting)) == small
    assert len(_rows(coordinator_client.get(_csv_url(meeting)))) == 41


# --- The staff meetings list --------------------------------------------------------------


def test_the_staff_list_shows_upcoming_meetings_with_links_to_attendance(coordinator_client, meeting):
    upcoming = MeetingFactory(title="May group meeting", capacity=12)
    cancelled = MeetingFactory(title="Cancelled focus group", cancelled=True)

    response = coordinator_client.get(reverse("meetings_staff:meeting_list"))

    assert response.status_code == 200
    page = Page(response.content.decode())
    text = " ".join(page.main()["text"].split())
    assert "May group meeting" in text
    assert "0 of 12 places taken" in text
    assert "Cancelled focus group" in text
    assert "March group meeting" not in text  # that one is past
    links = {e["attrs"]["href"] for e in page.all("a")}
    assert _attendance_url(upcoming) in links
    assert _csv_url(upcoming) in links
    assert _attendance_url(cancelled) not in links


def test_the_staff_list_shows_past_meetings_on_request(coordinator_client, meeting):
    response = coordinator_client.get(reverse("meetings_staff:meeting_list") + "?when=past")

    text = " ".join(Page(response.content.decode()).main()["text"].split())
    assert "March group meeting" in text
    assert "3 registered, 1 waiting" in text


def test_the_staff_list_needs_the_same_queries_for_few_or_many_meetings(coordinator_client):
    MeetingFactory.create_batch(2)
    url = reverse("meetings_staff:meeting_list")
    _queries_for(coordinator_client, url)
    small = _queries_for(coordinator_client, url)

    for meeting in MeetingFactory.create_batch(30):
        RegistrationFactory.create_batch(2, meeting=meeting)

    assert _queries_for(coordinator_client, url) == small


def test_coordinators_have_a_staff_meetings_link_in_the_header(coordinator_client, member_client):
    staff_nav = Page(coordinator_client.get(reverse("meetings_staff:meeting_list")).content.decode())
    link = staff_nav.one("a", cls="nhsuk-header__navigation-link", href=reverse("meetings_staff:meeting_list"))
    assert "Meetings (staff)" in link["text"]
    assert link["attrs"].get("aria-current") == "page"

    member_nav = Page(member_client.get("/").content.decode())
    assert not member_nav.all("a", href=reverse("meetings_staff:meeting_list"))


# --- Who may use these pages --------------------------------------------------------------

STAFF_PAGES = ["attendance", "attendees_csv", "meeting_list"]


def _url(name, meeting) -> str:
    return reverse(f"meetings_staff:{name}", args=[] if name == "meeting_list" else [meeting.pk])


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_anonymous_visitors_are_asked_to_log_in(anonymous, meeting, name):
    response = anonymous.get(_url(name, meeting))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_members_are_refused(member_client, meeting, name):
    assert member_client.get(_url(name, meeting)).status_code == 403


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_commissioners_are_refused(commissioner, meeting, name):
    assert client_with_two_step(commissioner).get(_url(name, meeting)).status_code == 403


def test_staff_without_the_coordinator_role_are_refused(meeting):
    from members.tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    assert client_with_two_step(staff).get(_attendance_url(meeting)).status_code == 403


def test_members_cannot_record_attendance(member_client, meeting):
    amira = _registration(meeting, "Amira Khan")

    response = member_client.post(_attendance_url(meeting), {"attended": [amira.pk]})

    assert response.status_code == 403
    amira.refresh_from_db()
    assert amira.status == Registration.Status.REGISTERED
    assert Meeting.objects.get(pk=meeting.pk).attendance_taken_at is None
