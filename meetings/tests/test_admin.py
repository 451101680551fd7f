"""Running meetings from the admin: the list, cancelling and moving (registrants are told), minutes,
planning the year, adding someone to a meeting, and what was sent."""

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingSeries, Registration
from meetings.tests.factories import (
    LONDON,
    ActionFactory,
    MeetingFactory,
    MeetingMessageFactory,
    MemberFactory,
    RegistrationFactory,
    VenueFactory,
    refresh_counts,
    register,
)
from nhsuk_forms.tests.html import Page
from outbox import channels, sending
from outbox import tasks as outbox_tasks
from outbox.models import Message

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/meetings/meeting/"
PLAN_THE_YEAR = "/admin/meetings/meeting/plan-the-year/"


class QueuedTask:
    """Stands in for a Celery task: records what would have been queued."""

    def __init__(self):
        self.calls = []

    def delay(self, *args):
        self.calls.append(args)


@pytest.fixture
def change_notices(monkeypatch):
    """Stands in for the outbox's task: records which messages would be sent after commit."""
    task = QueuedTask()
    monkeypatch.setattr(outbox_tasks, "send_messages", task)
    return task


def notices(meeting) -> list[tuple[str, str]]:
    """The messages the outbox holds about the meeting's registrations, as (kind, key)."""
    about = sending.about_any(Registration, meeting.registrations.values_list("pk", flat=True))
    return sorted(Message.objects.filter(about).values_list("kind", "key"))


def _change_url(meeting) -> str:
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def _form_data(meeting: Meeting, **overrides) -> dict:
    """What the admin's change form posts for this meeting as it is, with `overrides` changed."""
    starts = timezone.localtime(overrides.pop("starts_at", meeting.starts_at))
    ends = timezone.localtime(overrides.pop("ends_at", meeting.ends_at))
    data = {
        "kind": meeting.kind,
        "title": meeting.title,
        "purpose": meeting.purpose,
        "what_to_expect": meeting.what_to_expect,
        "what_to_bring": meeting.what_to_bring,
        "series": meeting.series_id or "",
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": starts.strftime("%H:%M:%S"),
        "ends_at_0": ends.strftime("%Y-%m-%d"),
        "ends_at_1": ends.strftime("%H:%M:%S"),
        "mode": meeting.mode,
        "venue": meeting.venue_id or "",
        "online_link": meeting.online_link,
        "online_joining_notes": meeting.online_joining_notes,
        "capacity": meeting.capacity or "",
        "is_sensitive": "on" if meeting.is_sensitive else "",
        "content_note": meeting.content_note,
        "debrief_lead_name": meeting.debrief_lead_name,
        "debrief_lead_contact": meeting.debrief_lead_contact,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "minutes_status": meeting.minutes_status,
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    data.update(overrides)
    if not data["is_sensitive"]:
        del data["is_sensitive"]
    return data


# --- The list -----------------------------------------------------------------------------


def _changelist_queries(client, url=CHANGELIST) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_meetings_list_needs_the_same_queries_for_few_or_many_meetings(coordinator_client):
    for meeting in MeetingFactory.create_batch(2, capacity=10):
        RegistrationFactory.create_batch(2, meeting=meeting)
        refresh_counts(meeting)
    _changelist_queries(coordinator_client)
    small = _changelist_queries(coordinator_client)

    for meeting in MeetingFactory.create_batch(30, capacity=10):
        RegistrationFactory.create_batch(3, meeting=meeting)
        RegistrationFactory(meeting=meeting, waiting=True)
        refresh_counts(meeting)

    assert _changelist_queries(coordinator_client) == small
    assert _changelist_queries(coordinator_client, CHANGELIST + "?when=past") <= small


def test_the_list_shows_places_taken_and_waiting(coordinator_client):
    meeting = MeetingFactory(title="Spring group meeting", capacity=2)
    register(meeting)
    register(meeting)
    register(meeting)

    page = Page(coordinator_client.get(CHANGELIST).content.decode())

    row = next(e for e in page.all("tr") if "Spring group meeting" in e["text"])
    assert "2 of 2" in row["text"]
    assert page.one("td", cls="field-waiting_count")["text"] == "1"
    assert "Tick who is here" in row["text"]
    assert page.one("a", href=PLAN_THE_YEAR)["text"] == "Plan the year"


def test_the_list_shows_upcoming_meetings_unless_asked_for_past_ones(coordinator_client):
    MeetingFactory(title="Next week's meeting")
    MeetingFactory(title="Last week's meeting", past=True)

    upcoming = coordinator_client.get(CHANGELIST).content.decode()
    past = coordinator_client.get(CHANGELIST + "?when=past").content.decode()
    everything = coordinator_client.get(CHANGELIST + "?when=all").content.decode()

    assert "Next week" in upcoming and "Last week" not in upcoming
    assert "Last week" in past and "Next week" not in past
    assert "Next week" in everything and "Last week" in everything


def test_the_change_form_shows_registrants_needs_and_links_to_attendance(coordinator_client):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, member=MemberFactory(user__name="Amira Khan"), with_needs=True)
    ActionFactory(meeting=meeting, description="Send round the leaflet")

    response = coordinator_client.get(_change_url(meeting))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Amira Khan" in text
    assert "Polish interpreter" in text
    assert "Send round the leaflet" in text
    page = Page(text)
    assert page.one("a", href=reverse("meetings_staff:attendance", args=[meeting.pk]))
    assert page.one("a", href=reverse("admin:meetings_meeting_cancel", args=[meeting.pk]))


# --- Cancelling ---------------------------------------------------------------------------


def test_cancelling_asks_for_a_reason_first_and_changes_nothing_until_confirmed(coordinator_client):
    meeting = MeetingFactory(title="May group meeting")

    response = coordinator_client.post(CHANGELIST, {"action": "cancel_meetings", ACTION_CHECKBOX_NAME: [meeting.pk]})

    assert response.status_code == 200
    text = response.content.decode()
    assert "Yes, cancel and tell everyone" in text
    assert "May group meeting" in text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_the_cancel_action_cancels_through_the_service_and_queues_the_notices(
    coordinator_client, change_notices, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    other = MeetingFactory()
    register(meeting)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = coordinator_client.post(
            CHANGELIST,
            {
                "action": "cancel_meetings",
                ACTION_CHECKBOX_NAME: [meeting.pk],
                "confirm": "yes",
                "reason": "The room is flooded.",
            },
            follow=True,
        )

    assert response.status_code == 200
    assert "Cancelled 1 meeting" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.cancellation_reason == "The room is flooded."
    assert meeting.cancelled_at is not None
    assert meeting.sequence == 1
    assert len(callbacks) == 1
    assert notices(meeting) == [("meetings.cancelled", "")]
    assert len(change_notices.calls) == 1
    other.refresh_from_db()
    assert other.status == Meeting.Status.SCHEDULED


def test_a_meeting_can_be_cancelled_from_its_own_page(
    coordinator_client, change_notices, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    register(meeting)
    url = reverse("admin:meetings_meeting_cancel", args=[meeting.pk])
    assert "Yes, cancel and tell everyone" in coordinator_client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, {"confirm": "yes", "reason": "Not enough people could come."})

    assert response.status_code == 302
    assert response["Location"] == _change_url(meeting)
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert meeting.sequence == 1
    assert notices(meeting) == [("meetings.cancelled", "")]
    assert len(change_notices.calls) == 1


def test_cancelling_a_cancelled_meeting_again_sends_nothing(
    coordinator_client, change_notices, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(cancelled=True)
    RegistrationFactory(meeting=meeting)

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            CHANGELIST,
            {"action": "cancel_meetings", ACTION_CHECKBOX_NAME: [meeting.pk], "confirm": "yes", "reason": "Again"},
        )

    meeting.refresh_from_db()
    assert meeting.sequence == 0
    assert change_notices.calls == []
    assert notices(meeting) == []


# --- Moving a meeting ---------------------------------------------------------------------


def test_changing_the_time_in_the_admin_bumps_the_sequence_and_queues_change_notices(
    coordinator_client, change_notices, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(starts_at=dt.datetime(2026, 12, 8, 10, tzinfo=LONDON))
    register(meeting)
    later = dt.datetime(2026, 12, 8, 13, 30, tzinfo=LONDON)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = coordinator_client.post(
            _change_url(meeting),
            _form_data(meeting, starts_at=later, ends_at=later + dt.timedelta(hours=2), title="Moved meeting"),
        )

    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.starts_at == later
    assert meeting.title == "Moved meeting"
    assert meeting.sequence == 1
    assert len(callbacks) == 1
    assert notices(meeting) == [("meetings.changed", "1")]
    assert len(change_notices.calls) == 1


def test_times_typed_in_the_admin_are_uk_time(coordinator_client, change_notices, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(starts_at=dt.datetime(2026, 12, 8, 10, tzinfo=LONDON))
    data = _form_data(meeting)
    data.update(
        {"starts_at_0": "2027-07-13", "starts_at_1": "10:00:00", "ends_at_0": "2027-07-13", "ends_at_1": "12:00:00"}
    )

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(_change_url(meeting), data)

    meeting.refresh_from_db()
    assert meeting.starts_at == dt.datetime(2027, 7, 13, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "change",
    [
        {"online_link": "https://meet.example.org/new-room", "mode": Meeting.Mode.HYBRID},
        {"venue": "new"},
    ],
)
def test_changing_the_place_or_joining_link_tells_registrants(
    coordinator_client, change_notices, django_capture_on_commit_callbacks, change
):
    meeting = MeetingFactory()
    register(meeting)
    if change.get("venue") == "new":
        change = {"venue": VenueFactory().pk}

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(_change_url(meeting), _form_data(meeting, **change))

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert notices(meeting) == [("meetings.changed", "1")]
    assert len(change_notices.calls) == 1


def test_changing_only_the_wording_tells_nobody(coordinator_client, change_notices, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    register(meeting)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = coordinator_client.post(_change_url(meeting), _form_data(meeting, agenda="Welcome\nTea"))

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda == "Welcome\nTea"
    assert meeting.sequence == 0
    assert callbacks == []
    assert change_notices.calls == []
    assert notices(meeting) == []


def test_saving_the_form_keeps_counts_that_changed_while_it_was_open(coordinator_client, change_notices):
    meeting = MeetingFactory(capacity=10)
    data = _form_data(meeting, title="New title")
    register(meeting)  # someone signs up while the coordinator is editing

    coordinator_client.post(_change_url(meeting), data)

    meeting.refresh_from_db()
    assert meeting.title == "New title"
    assert meeting.registered_count == 1


def test_raising_the_capacity_moves_people_off_the_waiting_list(
    coordinator_client, django_capture_on_commit_callbacks, change_notices
):
    meeting = MeetingFactory(capacity=1)
    register(meeting)
    waiting = register(meeting)
    assert waiting.status == Registration.Status.WAITING

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(_change_url(meeting), _form_data(meeting, capacity=2))

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    promoted = Message.objects.get(sending.about(waiting))
    assert (promoted.kind, promoted.key, promoted.status) == ("meetings.promoted", "1", Message.Status.PENDING)
    assert change_notices.calls == [([promoted.pk],)]
    meeting.refresh_from_db()
    assert (meeting.registered_count, meeting.waiting_count) == (2, 0)


def test_the_times_are_labelled_as_uk_time(coordinator_client):
    text = coordinator_client.get(_change_url(MeetingFactory())).content.decode()

    assert "Europe/London" in text


# --- Minutes ------------------------------------------------------------------------------


def test_publish_minutes_publishes_written_minutes_and_skips_meetings_without(coordinator_client):
    written = MeetingFactory(
        past=True, minutes="We agreed the new leaflet.", minutes_status=Meeting.MinutesStatus.DRAFT
    )
    empty = MeetingFactory(past=True)

    response = coordinator_client.post(
        CHANGELIST + "?when=past",
        {"action": "publish_minutes_action", ACTION_CHECKBOX_NAME: [written.pk, empty.pk]},
        follow=True,
    )

    text = response.content.decode()
    assert "Published the minutes of 1 meeting" in text
    assert "1 meeting(s) have no minutes written yet" in text
    written.refresh_from_db()
    assert written.minutes_status == Meeting.MinutesStatus.PUBLISHED
    assert written.minutes_published_at is not None
    empty.refresh_from_db()
    assert empty.minutes_status == Meeting.MinutesStatus.NONE
    assert empty.minutes_published_at is None


def test_publishing_minutes_from_the_form_records_when(coordinator_client):
    meeting = MeetingFactory(past=True, minutes="Notes", minutes_status=Meeting.MinutesStatus.DRAFT)

    coordinator_client.post(_change_url(meeting), _form_data(meeting, minutes_status=Meeting.MinutesStatus.PUBLISHED))

    meeting.refresh_from_db()
    assert meeting.minutes_are_published
    assert meeting.minutes_published_at is not None


# --- Plan the year ------------------------------------------------------------------------

RULE = {
    "title": "Group meeting",
    "kind": Meeting.Kind.GROUP_MEETING,
    "first_month": "2026-05-01",
    "months": "12",
    "every_n_months": "2",
    "week_of_month": "1",
    "weekday": "0",
    "start_time": "10:00",
    "end_time": "12:00",
    "skip_bank_holidays": "on",
    "mode": Meeting.Mode.IN_PERSON,
    "capacity": "20",
    "online_link": "",
    "debrief_lead_name": "Priya Shah",
    "debrief_lead_contact": "01632 960123",
}


@pytest.fixture
def in_april_2026():
    with time_machine.travel(dt.datetime(2026, 4, 20, 9, tzinfo=dt.UTC), tick=True):
        yield


def _preview(client, venue, **changes):
    response = client.post(PLAN_THE_YEAR, {**RULE, "venue": venue.pk, "preview": "Preview", **changes})
    assert response.status_code == 200
    return Page(response.content.decode())


def test_plan_the_year_previews_the_dates_with_the_bank_holiday_move_and_saves_nothing(
    coordinator_client, in_april_2026
):
    venue = VenueFactory()

    page = _preview(coordinator_client, venue)

    rows = page.one("table", id="plan-preview")
    text = " ".join(rows["text"].split())
    # First Mondays, every second month from May 2026: May's is the Early May bank holiday.
    assert "Monday 11 May 2026, 10am to midday" in text
    assert "Moved a week later because of May Day (the rule gave Monday 4 May 2026)" in text
    assert "Monday 6 July 2026" in text
    assert "Monday 1 March 2027" in text
    assert len([e for e in page.all("input", type="checkbox") if e["attrs"]["name"] == "include"]) == 6
    assert page.one("input", name="save")
    assert not Meeting.objects.exists()
    assert not MeetingSeries.objects.exists()


def test_plan_the_year_saves_the_previewed_meetings_in_one_go(coordinator_client, coordinator, in_april_2026):
    venue = VenueFactory()
    page = _preview(coordinator_client, venue)
    signature = page.one("input", name="plan_signature")["attrs"]["value"]
    dates = [e["attrs"]["value"] for e in page.all("input", type="checkbox") if e["attrs"]["name"] == "include"]

    response = coordinator_client.post(
        PLAN_THE_YEAR,
        {**RULE, "venue": venue.pk, "save": "Save", "plan_signature": signature, "include": dates},
    )

    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    assert response["Location"].startswith(f"{CHANGELIST}?series__id__exact={series.pk}")
    assert series.created_by == coordinator
    assert series.rule.startswith("Every second month, first Monday, 10am to midday")
    meetings = list(series.meetings.order_by("starts_at"))
    assert [timezone.localtime(m.starts_at).date() for m in meetings] == [
        dt.date(2026, 5, 11),
        dt.date(2026, 7, 6),
        dt.date(2026, 9, 7),
        dt.date(2026, 11, 2),
        dt.date(2027, 1, 4),
        dt.date(2027, 3, 1),
    ]
    assert meetings[0].starts_at == dt.datetime(2026, 5, 11, 9, tzinfo=dt.UTC)  # 10am BST
    assert meetings[4].starts_at == dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC)  # 10am GMT
    assert {(m.venue, m.capacity, m.kind, m.debrief_lead_name) for m in meetings} == {
        (venue, 20, Meeting.Kind.GROUP_MEETING, "Priya Shah")
    }
    # The series link in the redirect shows them all.
    listed = coordinator_client.get(response["Location"]).content.decode()
    assert listed.count("Tick who is here") == 6


def test_plan_the_year_leaves_out_dates_unticked_in_the_preview(coordinator_client, in_april_2026):
    venue = VenueFactory()
    page = _preview(coordinator_client, venue)
    signature = page.one("input", name="plan_signature")["attrs"]["value"]

    coordinator_client.post(
        PLAN_THE_YEAR,
        {**RULE, "venue": venue.pk, "save": "Save", "plan_signature": signature, "include": ["2026-07-06"]},
    )

    assert [timezone.localtime(m.starts_at).date() for m in Meeting.objects.all()] == [dt.date(2026, 7, 6)]


def test_plan_the_year_will_not_save_a_rule_changed_since_the_preview(coordinator_client, in_april_2026):
    venue = VenueFactory()
    page = _preview(coordinator_client, venue)
    signature = page.one("input", name="plan_signature")["attrs"]["value"]

    response = coordinator_client.post(
        PLAN_THE_YEAR,
        {**RULE, "venue": venue.pk, "weekday": "1", "save": "Save", "plan_signature": signature, "include": []},
    )

    assert response.status_code == 200
    assert "The rule changed after the preview" in response.content.decode()
    assert not Meeting.objects.exists()


def test_plan_the_year_flags_days_that_already_have_a_meeting(coordinator_client, in_april_2026):
    venue = VenueFactory()
    MeetingFactory(title="Existing meeting", starts_at=dt.datetime(2026, 7, 6, 18, tzinfo=LONDON))

    page = _preview(coordinator_client, venue)

    july = page.one("input", value="2026-07-06")
    assert "checked" not in july["attrs"]
    assert "Already a meeting that day: Existing meeting" in page.one("table", id="plan-preview")["text"]


def test_plan_the_year_explains_mistakes_next_to_the_fields(coordinator_client, in_april_2026):
    response = coordinator_client.post(
        PLAN_THE_YEAR, {**RULE, "venue": "", "start_time": "14:00", "end_time": "12:00", "preview": "Preview"}
    )

    text = response.content.decode()
    assert "The end time must be after the start time." in text
    assert "Choose a venue for meetings in person." in text
    assert Page(text).title.startswith("Error: ")
    assert not Meeting.objects.exists()


def test_plan_the_year_is_for_staff_only(member_client):
    response = member_client.get(PLAN_THE_YEAR)

    assert response.status_code in (302, 403)
    assert not MeetingSeries.objects.exists()


# --- Registrations -----------------------------------------------------------------------------


def test_staff_can_add_someone_to_a_meeting_through_the_registration_service(coordinator_client):
    meeting = MeetingFactory(capacity=1)
    first, second = MemberFactory(active=True), MemberFactory(active=True)

    for member in (first, second):
        response = coordinator_client.post(
            "/admin/meetings/registration/add/",
            {"meeting": meeting.pk, "member": member.pk, "needs_childcare": "on", "dietary": "", "other_needs": ""},
        )
        assert response.status_code == 302, response.content.decode()[:3000]

    statuses = dict(meeting.registrations.values_list("member", "status"))
    assert statuses == {first.pk: Registration.Status.REGISTERED, second.pk: Registration.Status.WAITING}
    assert meeting.registrations.get(member=first).needs_childcare
    meeting.refresh_from_db()
    assert (meeting.registered_count, meeting.waiting_count) == (1, 1)


def test_staff_cannot_add_someone_to_a_cancelled_meeting(coordinator_client):
    meeting = MeetingFactory(cancelled=True)

    response = coordinator_client.post(
        "/admin/meetings/registration/add/", {"meeting": meeting.pk, "member": MemberFactory(active=True).pk}
    )

    assert response.status_code == 200
    assert "This meeting has been cancelled." in response.content.decode()
    assert not Registration.objects.exists()


def test_cancelling_a_registration_in_the_admin_frees_the_place_for_the_next_person(
    coordinator_client, django_capture_on_commit_callbacks, change_notices
):
    meeting = MeetingFactory(capacity=1)
    holder = register(meeting)
    waiting = register(meeting)

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            "/admin/meetings/registration/",
            {"action": "cancel_registrations", ACTION_CHECKBOX_NAME: [holder.pk]},
        )

    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.REGISTERED
    assert notices(meeting) == [("meetings.promoted", "1")]


def test_the_registrations_list_needs_the_same_queries_for_few_or_many(coordinator_client):
    url = "/admin/meetings/registration/"
    RegistrationFactory.create_batch(2, with_needs=True)
    _changelist_queries(coordinator_client, url)
    small = _changelist_queries(coordinator_client, url)

    RegistrationFactory.create_batch(30, with_needs=True)

    assert _changelist_queries(coordinator_client, url) == small


@pytest.mark.parametrize(
    "url",
    [
        "/admin/meetings/venue/",
        "/admin/meetings/venue/add/",
        "/admin/meetings/meetingseries/",
        "/admin/meetings/registration/add/",
        "/admin/meetings/meeting/add/",
    ],
)
def test_the_other_meeting_admin_pages_open(coordinator_client, url):
    VenueFactory()
    assert coordinator_client.get(url).status_code == 200


def test_adding_someone_offers_only_meetings_they_could_still_come_to(coordinator_client):
    MeetingFactory(title="Coming meeting")
    MeetingFactory(title="Gone meeting", past=True)
    MeetingFactory(title="Called-off meeting", cancelled=True)

    response = coordinator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "meetings", "model_name": "registration", "field_name": "meeting", "term": "meeting"},
    )

    assert response.status_code == 200
    assert [r["text"].split(" (")[0] for r in response.json()["results"]] == ["Coming meeting"]


# --- Calendar-only changes bump the SEQUENCE ---------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "seen_in_ics"),
    [
        ("kind", Meeting.Kind.TRAINING, "training session"),
        ("what_to_bring", "Your red book.", "Your red book."),
    ],
)
def test_changing_something_the_calendar_shows_bumps_its_sequence_without_emailing(
    coordinator_client, change_notices, django_capture_on_commit_callbacks, field, value, seen_in_ics
):
    import icalendar

    from meetings.calendar import meeting_ics

    meeting = MeetingFactory()
    register(meeting)
    before = icalendar.Calendar.from_ical(meeting_ics(meeting)).events[0]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = coordinator_client.post(_change_url(meeting), _form_data(meeting, **{field: value}))

    assert response.status_code == 302
    meeting.refresh_from_db()
    after = icalendar.Calendar.from_ical(meeting_ics(meeting)).events[0]
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert after["UID"] == before["UID"]
    assert seen_in_ics in str(after["SUMMARY"]) + str(after["DESCRIPTION"])
    assert callbacks == []
    assert change_notices.calls == []
    assert not Message.objects.exists()


def test_changing_the_joining_notes_bumps_the_sequence(coordinator_client, change_notices):
    meeting = MeetingFactory(online=True)

    coordinator_client.post(_change_url(meeting), _form_data(meeting, online_joining_notes="Join from 9:45."))

    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_a_move_and_a_calendar_change_together_bump_the_sequence_once(coordinator_client, change_notices):
    meeting = MeetingFactory(starts_at=dt.datetime(2026, 12, 8, 10, tzinfo=LONDON))
    later = dt.datetime(2026, 12, 8, 13, tzinfo=LONDON)

    coordinator_client.post(
        _change_url(meeting),
        _form_data(meeting, starts_at=later, ends_at=later + dt.timedelta(hours=2), what_to_bring="A pen."),
    )

    meeting.refresh_from_db()
    assert meeting.sequence == 1


# --- A meeting must be complete before it is saved ------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"is_sensitive": "on", "content_note": ""}, "content_note", "Write a content note"),
        ({"mode": Meeting.Mode.ONLINE, "online_link": ""}, "online_link", "Add the online joining link"),
        ({"mode": Meeting.Mode.HYBRID, "online_link": ""}, "online_link", "Add the online joining link"),
        ({"mode": Meeting.Mode.IN_PERSON, "venue": ""}, "venue", "Choose a venue"),
        ({"mode": Meeting.Mode.HYBRID, "venue": "", "online_link": "https://meet.example.org/x"}, "venue", "venue"),
    ],
)
def test_an_incomplete_meeting_is_explained_next_to_the_field_and_not_saved(
    coordinator_client, change_notices, changes, field, message
):
    meeting = MeetingFactory(title="Before")

    response = coordinator_client.post(_change_url(meeting), _form_data(meeting, title="After", **changes))

    assert response.status_code == 200
    page = Page(response.content.decode())
    errors = " ".join(e["text"] for e in page.all("ul", cls="errorlist"))
    assert message in errors
    assert f"field-{field}" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Before"


def test_adding_an_online_meeting_without_a_link_is_refused_with_a_message(coordinator_client):
    data = _form_data(MeetingFactory.build(venue=None, mode=Meeting.Mode.ONLINE, online_link=""))
    data["title"] = "New online meeting"

    response = coordinator_client.post("/admin/meetings/meeting/add/", data)

    assert response.status_code == 200
    assert "Add the online joining link" in response.content.decode()
    assert not Meeting.objects.filter(title="New online meeting").exists()


# --- What was sent about meetings, and sending it again (the outbox's admin) --------------------

MESSAGES = "/admin/outbox/message/"


def _send_again(client, messages_chosen, *, confirm=True):
    data = {"action": "send_again", ACTION_CHECKBOX_NAME: [m.pk for m in messages_chosen]}
    if confirm:
        data["confirm"] = "yes"
    return client.post(MESSAGES, data, follow=True)


def _reminder(**fields) -> Message:
    """A day-before reminder about a contactable member's place at next week's meeting."""
    from meetings.tests.factories import contactable_member

    registration = register(MeetingFactory(), contactable_member())
    fields.setdefault("sent_at", None)
    return MeetingMessageFactory(about=registration, **fields)


def _held(message: Message, *, ago: dt.timedelta) -> Message:
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, taken_at=timezone.now() - ago)
    message.refresh_from_db()
    return message


def test_what_was_sent_about_meetings_is_visible_but_read_only(coordinator_client):
    _reminder(status=Message.Status.FAILED, reason="SMTP timed out")
    MeetingMessageFactory()

    response = coordinator_client.get(MESSAGES)

    assert response.status_code == 200
    text = response.content.decode()
    assert "SMTP timed out" in text
    assert "Meeting reminder" in text
    assert coordinator_client.get(f"{MESSAGES}add/").status_code == 403
    message = Message.objects.first()
    assert coordinator_client.post(f"{MESSAGES}{message.pk}/change/", {"status": "sent"}).status_code == 403


def test_the_messages_list_needs_the_same_queries_for_few_or_many(coordinator_client):
    MeetingMessageFactory.create_batch(2)
    _changelist_queries(coordinator_client, MESSAGES)
    small = _changelist_queries(coordinator_client, MESSAGES)

    MeetingMessageFactory.create_batch(30)

    assert _changelist_queries(coordinator_client, MESSAGES) == small


def test_send_again_sends_a_reminder_that_ran_out_of_tries(coordinator_client, mailoutbox):
    message = _reminder(status=Message.Status.FAILED, attempts=5, reason="Gave up after 5 tries.")

    response = _send_again(coordinator_client, [message])

    assert "Sent 1 message(s)." in response.content.decode()
    (email,) = mailoutbox
    assert email.to == [message.recipient.email]
    assert email.subject.startswith("Reminder: group meeting on")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENT, 6)
    assert message.sent_again_by is not None

    # Clicking again sends nothing more: it has gone.
    _send_again(coordinator_client, [message])
    assert len(mailoutbox) == 1


def test_send_again_first_says_a_held_message_may_already_have_arrived(coordinator_client, mailoutbox):
    held = _held(_reminder(), ago=dt.timedelta(days=5))

    response = _send_again(coordinator_client, [held], confirm=False)

    assert "may already have arrived" in response.content.decode()
    assert mailoutbox == []
    held.refresh_from_db()
    assert held.status == Message.Status.SENDING


def test_send_again_sends_a_reminder_held_by_a_stopped_worker_but_not_one_still_being_sent(
    coordinator_client, mailoutbox
):
    stuck = _held(_reminder(), ago=channels.longest_send() + dt.timedelta(minutes=1))
    in_flight = _held(_reminder(), ago=dt.timedelta(seconds=10))

    response = _send_again(coordinator_client, [stuck, in_flight])

    text = response.content.decode()
    assert "Sent 1 message(s)." in text
    assert "1 left alone: already sent, not sent on purpose, or still being sent." in text
    assert [m.to for m in mailoutbox] == [[stuck.recipient.email]]
    in_flight.refresh_from_db()
    assert in_flight.status == Message.Status.SENDING


def test_send_again_takes_the_message_with_a_conditional_update(coordinator, mailoutbox):
    """Two coordinators clicking at once (or the sweep) send it once: the second sees it taken."""
    message = _reminder(status=Message.Status.FAILED, attempts=2)
    seen_by_second = Message.objects.get(pk=message.pk)

    assert sending.send_again(message, by=coordinator) == Message.Status.SENT
    assert sending.send_again(seen_by_second, by=coordinator) is None
    assert len(mailoutbox) == 1


def test_send_again_still_asks_for_consent(coordinator_client, mailoutbox):
    from members.services import record_consent

    message = _reminder(status=Message.Status.FAILED, attempts=5)
    record_consent(member=message.about.member, purpose="contact", given=False)

    response = _send_again(coordinator_client, [message])

    assert "1 not sent: the person cannot be contacted this way now." in response.content.decode()
    assert mailoutbox == []


def test_send_again_leaves_sent_messages_alone(coordinator_client, mailoutbox):
    message = _reminder(status=Message.Status.SENT, sent_at=timezone.now())

    response = _send_again(coordinator_client, [message])

    assert "1 left alone: already sent" in response.content.decode()
    assert mailoutbox == []


def test_members_cannot_send_messages_again(member_client):
    message = _reminder(status=Message.Status.FAILED)

    response = member_client.post(
        MESSAGES, {"action": "send_again", "confirm": "yes", ACTION_CHECKBOX_NAME: [message.pk]}
    )

    assert response.status_code == 302  # to the admin login
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED


def test_the_needs_checking_filter_lists_held_and_failed_messages(coordinator_client):
    _held(_reminder(reason="stuck-one"), ago=channels.longest_send() + dt.timedelta(minutes=1))
    _held(_reminder(reason="in-flight-one"), ago=dt.timedelta(seconds=10))
    _reminder(status=Message.Status.FAILED, attempts=5, reason="exhausted-one")
    _reminder(status=Message.Status.RETRYING, attempts=1, reason="will-retry-one")
    _reminder(status=Message.Status.SENT, reason="sent-one")

    text = coordinator_client.get(f"{MESSAGES}?needs_checking=yes").content.decode()

    assert "stuck-one" in text
    assert "exhausted-one" in text
    assert "in-flight-one" not in text
    assert "will-retry-one" not in text
    assert "sent-one" not in text


def test_the_last_failed_try_of_a_meeting_message_is_logged_as_an_error(caplog, settings):
    settings.EMAIL_BACKEND = "outbox.tests.backends.DisconnectingBackend"
    message = _reminder(status=Message.Status.RETRYING, attempts=sending.max_attempts() - 1)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - dt.timedelta(minutes=1))

    with caplog.at_level("WARNING", logger="outbox.sending"):
        assert outbox_tasks.sweep_outbox.apply().get() == {"failed": 1}

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.FAILED, sending.max_attempts())
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1
    assert "gave up after" in errors[0].getMessage()


def test_plan_the_year_skips_the_bank_holidays_of_the_groups_nation(coordinator_client, in_april_2026):
    from meetings.tests.factories import group_profile

    group_profile(uk_nation="SCT")
    venue = VenueFactory()

    # First Monday of August 2026, every month for one month: a bank holiday in Scotland only.
    page = _preview(coordinator_client, venue, first_month="2026-08-01", months="1", every_n_months="1")

    text = " ".join(page.one("table", id="plan-preview")["text"].split())
    assert "Summer Bank Holiday" in text
    assert "10 August 2026" in text
    hint = page.by_id("id_skip_bank_holidays_helptext")
    assert "Bank holidays in Scotland, as set in the group profile." in hint["text"]


def test_plan_the_year_explains_a_missing_joining_link_next_to_the_field(coordinator_client, in_april_2026):
    response = coordinator_client.post(
        PLAN_THE_YEAR, {**RULE, "mode": Meeting.Mode.ONLINE, "online_link": "", "preview": "Preview"}
    )

    assert response.status_code == 200
    assert "Add the online joining link for meetings online." in response.content.decode()
    assert not Meeting.objects.exists()


def test_correcting_a_venues_address_bumps_the_sequence_of_meetings_still_to_come(coordinator_client):
    venue = VenueFactory(name="Riverside Family Centre", address="12 Mill Lane\nRiverside")
    coming = MeetingFactory(venue=venue)
    gone = MeetingFactory(venue=venue, past=True)
    data = {
        "name": venue.name,
        "address": "14 Mill Lane\nRiverside",
        "postcode": venue.postcode,
        "parking": venue.parking,
        "access_notes": venue.access_notes,
        "step_free": "on",
        "baby_changing": "on",
        "children_welcome": "on",
        "directions_url": "",
    }

    response = coordinator_client.post(reverse("admin:meetings_venue_change", args=[venue.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    coming.refresh_from_db()
    gone.refresh_from_db()
    assert (coming.sequence, gone.sequence) == (1, 0)


def test_every_box_on_the_meeting_form_has_a_name_for_screen_readers(coordinator_client):
    """The time half of each date and time, and every box in the actions table (which has column
    headings, not labels), are named; see common/admin_labels.py. The browser test
    tests/browser/test_admin_accessibility.py checks the same with axe."""
    meeting = MeetingFactory()
    ActionFactory(meeting=meeting)
    page = Page(coordinator_client.get(_change_url(meeting)).content.decode())

    def named(name: str) -> str:
        return page.one(name=name)["attrs"].get("aria-label", "")

    assert named("starts_at_0") == "Starts at: date"
    assert named("starts_at_1") == "Starts at: time"
    assert named("ends_at_1") == "Ends at: time"
    for field in ("description", "owner", "status", "due_on", "order"):
        assert named(f"actions-0-{field}"), field
    assert named("actions-0-status") == "Status"
    assert named("actions-0-DELETE") == "Delete"
