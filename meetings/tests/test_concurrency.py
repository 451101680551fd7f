"""Registration under concurrency, against PostgreSQL with one connection per thread.

SQLite takes one writer at a time, so it cannot show the race; these tests skip without
PostgreSQL (see conftest.py).
"""

from __future__ import annotations

import pytest

from common.tests.concurrency import at_the_same_moment
from meetings.models import Meeting, Registration
from meetings.services import cancel_registration, register_for_meeting
from meetings.tests.factories import MeetingFactory, contactable_member, register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_members_taking_the_last_place_at_once_leaves_one_registered_and_one_waiting():
    meeting = MeetingFactory(capacity=1)
    first, second = contactable_member(), contactable_member()

    results = at_the_same_moment(
        lambda: register_for_meeting(member=first, meeting=Meeting.objects.get(pk=meeting.pk)),
        lambda: register_for_meeting(member=second, meeting=Meeting.objects.get(pk=meeting.pk)),
    )

    assert sorted(registration.status for registration in results) == ["registered", "waiting"]
    assert sorted(Registration.objects.filter(meeting=meeting).values_list("status", flat=True)) == [
        "registered",
        "waiting",
    ]
    meeting.refresh_from_db()
    assert (meeting.registered_count, meeting.waiting_count) == (1, 1)


def test_many_members_at_once_never_overfill_a_meeting():
    meeting = MeetingFactory(capacity=3)
    members = [contactable_member() for _ in range(8)]

    at_the_same_moment(
        *[
            (lambda member=member: register_for_meeting(member=member, meeting=Meeting.objects.get(pk=meeting.pk)))
            for member in members
        ]
    )

    meeting.refresh_from_db()
    statuses = list(Registration.objects.filter(meeting=meeting).values_list("status", flat=True))
    assert statuses.count("registered") == meeting.registered_count == 3
    assert statuses.count("waiting") == meeting.waiting_count == 5


def test_a_freed_place_taken_by_a_newcomer_at_the_same_moment_goes_to_one_person_only():
    meeting = MeetingFactory(capacity=1)
    leaving = register(meeting)
    waiting = register(meeting)
    newcomer = contactable_member()

    at_the_same_moment(
        lambda: cancel_registration(registration=Registration.objects.get(pk=leaving.pk)),
        lambda: register_for_meeting(member=newcomer, meeting=Meeting.objects.get(pk=meeting.pk)),
    )

    meeting.refresh_from_db()
    registered = Registration.objects.filter(meeting=meeting, status=Registration.Status.REGISTERED)
    assert registered.count() == meeting.registered_count == 1
    # Whichever ran first, the person already waiting is not jumped by the newcomer.
    assert registered.get().pk == waiting.pk
