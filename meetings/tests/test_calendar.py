"""The .ics file: parsed back with icalendar and checked field by field."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from meetings.calendar import ics_filename, meeting_ics
from meetings.services import cancel_meeting, change_meeting
from meetings.tests.factories import LONDON, MeetingFactory, VenueFactory, group_profile, london

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def riverside():
    return group_profile(short_name="Riverside group", name="Riverside Perinatal Mental Health Involvement Group")


def parse(ics: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(ics)
    events = calendar.events
    assert len(events) == 1
    return calendar, events[0]


def test_a_meeting_is_published_with_a_london_timezone_and_a_stable_uid():
    meeting = MeetingFactory(starts_at=london(2027, 3, 9, 10), ends_at=london(2027, 3, 9, 12))

    calendar, event = parse(meeting_ics(meeting))

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.timezones] == ["Europe/London"]
    assert event["UID"] == f"meeting-{meeting.pk}@localhost"
    assert event["DTSTAMP"]
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    # The same meeting always has the same UID, so calendars update one entry.
    assert parse(meeting_ics(meeting))[1]["UID"] == event["UID"]
    assert parse(meeting_ics(MeetingFactory()))[1]["UID"] != event["UID"]


@pytest.mark.parametrize(
    ("start", "utc_hour"),
    [
        (london(2027, 3, 9, 10), 10),  # winter: GMT, London = UTC
        (london(2027, 6, 8, 10), 9),  # summer: BST, London = UTC + 1
        (london(2027, 3, 30, 10), 9),  # the Tuesday after the clocks go forward
        (london(2027, 11, 2, 10), 10),  # the Tuesday after the clocks go back
    ],
)
def test_times_are_written_in_london_time_with_the_zone(start, utc_hour):
    meeting = MeetingFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2))

    ics = meeting_ics(meeting)
    _, event = parse(ics)

    assert f"DTSTART;TZID=Europe/London:{start:%Y%m%d}T100000".encode() in ics
    assert f"DTEND;TZID=Europe/London:{start:%Y%m%d}T120000".encode() in ics
    assert event.start == start
    assert event.start.tzinfo.key == "Europe/London"
    assert event.start.astimezone(dt.UTC).hour == utc_hour
    assert event.end == start + dt.timedelta(hours=2)


def test_the_timezone_definition_knows_both_summer_and_winter_time():
    meeting = MeetingFactory(starts_at=london(2027, 3, 30, 10))

    calendar, _ = parse(meeting_ics(meeting))

    (timezone,) = calendar.timezones
    offsets = {(component.name, component["TZOFFSETTO"].td) for component in timezone.subcomponents}
    assert ("DAYLIGHT", dt.timedelta(hours=1)) in offsets
    assert ("STANDARD", dt.timedelta(0)) in offsets


def test_a_change_bumps_the_sequence_and_keeps_the_uid():
    meeting = MeetingFactory(starts_at=london(2027, 3, 9, 10))
    _, before = parse(meeting_ics(meeting))

    meeting = change_meeting(meeting=meeting, starts_at=london(2027, 3, 16, 10), ends_at=london(2027, 3, 16, 12))
    _, after = parse(meeting_ics(meeting))

    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1 == 1
    assert after.start == london(2027, 3, 16, 10)


def test_a_cancelled_meeting_says_cancelled():
    meeting = MeetingFactory(starts_at=london(2027, 3, 9, 10))
    meeting = cancel_meeting(meeting=meeting, reason="The room is being repaired.")

    calendar, event = parse(meeting_ics(meeting))

    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert event["UID"] == f"meeting-{meeting.pk}@localhost"
    assert "cancelled" in event["DESCRIPTION"]
    assert "The room is being repaired." in event["DESCRIPTION"]


def test_the_title_is_the_groups_short_name_and_the_kind_never_the_meetings_own_title():
    meeting = MeetingFactory(
        sensitive=True,
        title="Mental health after birth trauma",
        purpose="To talk about birth trauma and mental health care after it.",
    )

    ics = meeting_ics(meeting, for_registered_member=True)
    _, event = parse(ics)

    assert event["SUMMARY"] == "Riverside group: focus group"
    assert b"trauma" not in ics.lower()
    assert b"mental health" not in ics.lower()


def test_the_description_says_what_to_bring_but_never_what_the_meeting_is_about():
    # Staff write the purpose freely ("our mental health services"), and calendars are shared.
    meeting = MeetingFactory(purpose="To review our perinatal mental health leaflets.", what_to_bring="A pen.")

    ics = meeting_ics(meeting)
    _, event = parse(ics)

    assert event["SUMMARY"] == "Riverside group: group meeting"
    assert "leaflets" not in event["DESCRIPTION"]
    assert b"mental health" not in ics.lower()
    assert "What to bring: A pen." in event["DESCRIPTION"]
    assert f"/meetings/{meeting.pk}/" in event["DESCRIPTION"]
    assert event["URL"].endswith(f"/meetings/{meeting.pk}/")


def test_the_location_is_the_venue_and_its_address():
    venue = VenueFactory(name="Riverside Family Centre", address="12 Mill Lane\nRiverside", postcode="RT1 2AB")
    meeting = MeetingFactory(venue=venue)

    _, event = parse(meeting_ics(meeting))

    assert event["LOCATION"] == "Riverside Family Centre, 12 Mill Lane, Riverside, RT1 2AB"


def test_an_online_meeting_is_located_online():
    _, event = parse(meeting_ics(MeetingFactory(online=True)))

    assert event["LOCATION"] == "Online"


def test_a_hybrid_meeting_is_at_the_venue_or_online():
    _, event = parse(meeting_ics(MeetingFactory(hybrid=True)))

    assert event["LOCATION"].endswith("(or online)")
    assert "Mill Lane" in event["LOCATION"]


def test_the_joining_link_is_only_in_a_registered_members_file():
    meeting = MeetingFactory(online=True, online_link="https://meet.example.org/secret-room")

    anyone = meeting_ics(meeting)
    registered = meeting_ics(meeting, for_registered_member=True)

    assert b"secret-room" not in anyone
    assert "https://meet.example.org/secret-room" in parse(registered)[1]["DESCRIPTION"]


def test_an_in_person_meeting_never_carries_a_joining_link():
    meeting = MeetingFactory(online_link="https://meet.example.org/left-over")

    assert b"left-over" not in meeting_ics(meeting, for_registered_member=True)


def test_the_file_name_is_discreet():
    meeting = MeetingFactory(sensitive=True, starts_at=london(2027, 3, 9, 10))

    assert ics_filename(meeting) == "riverside-group-2027-03-09.ics"


def test_the_file_name_uses_the_london_date():
    # 00:30 on 1 July in London is still 30 June in UTC.
    meeting = MeetingFactory(starts_at=dt.datetime(2027, 7, 1, 0, 30, tzinfo=LONDON))

    assert ics_filename(meeting).endswith("2027-07-01.ics")


@pytest.mark.parametrize(
    "name", ["Mental Health Mums", "Perinatal mental  health group", "PSYCHIATRIC unit friends", "Psychosis peers"]
)
def test_the_groups_short_name_must_be_discreet(name):
    from django.apps import apps
    from django.core.exceptions import ValidationError

    profile = apps.get_model("involvement", "GroupProfile")(short_name=name)

    with pytest.raises(ValidationError) as error:
        profile.full_clean()

    assert "lock screens and shared calendars" in " ".join(error.value.message_dict["short_name"])


def test_a_neutral_short_name_is_accepted():
    from django.apps import apps

    profile = apps.get_model("involvement", "GroupProfile")(short_name="Riverside group")

    profile.full_clean()  # no error
