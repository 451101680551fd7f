"""Who took part in a meeting: one answer for debriefs and expense claims."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Registration
from meetings.tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _took_part(*registrations) -> set[int]:
    ids = {registration.pk for registration in registrations}
    return set(Registration.objects.took_part().filter(pk__in=ids).values_list("pk", flat=True))


def test_before_the_register_is_taken_everyone_with_a_place_took_part():
    meeting = MeetingFactory(past=True)
    registered = RegistrationFactory(meeting=meeting)
    attended = RegistrationFactory(meeting=meeting, attended=True)
    others = [
        RegistrationFactory(meeting=meeting, waiting=True),
        RegistrationFactory(meeting=meeting, apologies=True),
        RegistrationFactory(meeting=meeting, cancelled=True),
    ]
    assert _took_part(registered, attended, *others) == {registered.pk, attended.pk}


def test_once_the_register_is_taken_only_those_marked_attended_took_part():
    meeting = MeetingFactory(past=True, attendance_taken_at=timezone.now())
    attended = RegistrationFactory(meeting=meeting, attended=True)
    no_show = RegistrationFactory(meeting=meeting, no_show=True)
    still_registered = RegistrationFactory(meeting=meeting)
    assert _took_part(attended, no_show, still_registered) == {attended.pk}


def test_nobody_took_part_in_a_meeting_still_to_finish_or_cancelled():
    upcoming = RegistrationFactory(meeting=MeetingFactory())
    cancelled = RegistrationFactory(meeting=MeetingFactory(past=True, cancelled=True), attended=True)
    assert _took_part(upcoming, cancelled) == set()


def test_took_part_can_be_asked_as_of_another_moment():
    meeting = MeetingFactory(past=True)
    registration = RegistrationFactory(meeting=meeting)
    before_it_ended = meeting.ends_at - dt.timedelta(minutes=1)
    assert not Registration.objects.took_part(now=before_it_ended).filter(pk=registration.pk).exists()
    assert Registration.objects.took_part(now=meeting.ends_at).filter(pk=registration.pk).exists()
