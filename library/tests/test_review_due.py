"""Review-due notices: a weekly email to coordinators listing resources due or overdue, exactly
once a week, and a filter in the admin."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from library import messages
from library.models import Resource
from library.tasks import send_review_due_notices
from library.tests.factories import published_resource
from members.tests.factories import CoordinatorFactory, UserFactory
from outbox.models import Message

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2027, 3, 1, 8, tzinfo=dt.UTC)


def published_on(day: dt.datetime, **fields) -> Resource:
    with time_machine.travel(day, tick=False):
        return published_resource(**fields)


@pytest.fixture
def library():
    return {
        "overdue": published_on(MONDAY - dt.timedelta(days=800), title="Worry and anxiety in pregnancy"),
        "due_soon": published_on(MONDAY - dt.timedelta(days=720), title="After a difficult birth"),
        "not_due": published_on(MONDAY - dt.timedelta(days=100), title="Sleep and your mood"),
    }


def test_coordinators_get_the_list_of_resources_due_or_overdue(library, coordinator):
    UserFactory(email="member@example.org")  # not staff: never sent
    with time_machine.travel(MONDAY, tick=False):
        send_review_due_notices()

    assert [message.to for message in mail.outbox] == [["coordinator@example.org"]]
    email = mail.outbox[0]
    assert email.subject.startswith("Library resources due for review this week")
    assert "Worry and anxiety in pregnancy: overdue since" in email.body
    assert "After a difficult birth: due on" in email.body
    assert "Sleep and your mood" not in email.body
    assert reverse("admin:library_resource_change", args=[library["overdue"].pk]) in email.body
    assert Resource.objects.get(pk=library["overdue"].pk).status == Resource.Status.DUE_FOR_REVIEW
    assert Resource.objects.get(pk=library["due_soon"].pk).status == Resource.Status.PUBLISHED


def test_it_goes_exactly_once_a_week_however_often_the_job_runs(library, coordinator):
    CoordinatorFactory(email="second@example.org")
    with time_machine.travel(MONDAY, tick=False):
        send_review_due_notices()
        send_review_due_notices()
    with time_machine.travel(MONDAY + dt.timedelta(days=3), tick=False):
        send_review_due_notices()
    assert sorted(tuple(message.to) for message in mail.outbox) == [
        ("coordinator@example.org",),
        ("second@example.org",),
    ]

    with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
        send_review_due_notices()
    assert len(mail.outbox) == 4
    assert set(Message.objects.filter(kind=messages.REVIEW_DUE).values_list("key", flat=True)) == {
        "2027-W09",
        "2027-W10",
    }


def test_nothing_is_sent_when_nothing_is_due(coordinator):
    published_on(MONDAY - dt.timedelta(days=30))
    with time_machine.travel(MONDAY, tick=False):
        send_review_due_notices()
    assert mail.outbox == []


def test_the_admin_filters_resources_due_for_review(coordinator_client):
    now = dt.datetime.now(dt.UTC)
    published_on(now - dt.timedelta(days=800), title="Worry and anxiety in pregnancy")
    published_on(now - dt.timedelta(days=720), title="After a difficult birth")
    published_on(now - dt.timedelta(days=100), title="Sleep and your mood")
    url = reverse("admin:library_resource_changelist")

    due = coordinator_client.get(url, {"review": "due"}).content.decode()
    overdue = coordinator_client.get(url, {"review": "overdue"}).content.decode()

    assert "Worry and anxiety" in due and "After a difficult birth" in due and "Sleep and your mood" not in due
    assert "Worry and anxiety" in overdue and "After a difficult birth" not in overdue
