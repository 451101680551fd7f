"""Migration 0003: typed action owners become a member of staff, or "the group".

A typed owner that is exactly one staff account's name or email address is linked to it; a
member's name, a job title or anything unclear becomes the group, so no member's name is kept.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.utils import timezone

BEFORE = [("meetings", "0002_outbox_and_promotion_count")]
AFTER = [("meetings", "0003_action_owner")]

staff_owner_for = importlib.import_module("meetings.migrations.0003_action_owner").staff_owner_for

STAFF = [(1, "Chloe Adeyemi", "chloe@example.org"), (2, "Sam Taylor", "sam.one@example.org"), (3, "Sam Taylor", "")]


@pytest.mark.parametrize(
    ("typed", "owner"),
    [
        ("Chloe Adeyemi", 1),
        ("  chloe   ADEYEMI ", 1),
        ("Chloe@Example.org", 1),
        ("Grace Obi", None),  # a member, or anyone who is not staff
        ("Service manager", None),
        ("Chloe", None),  # part of a name is not a match
        ("Sam Taylor", None),  # two staff share the name: we cannot tell which
        ("", None),
    ],
)
def test_a_typed_owner_links_only_to_exactly_one_staff_account(typed, owner):
    assert staff_owner_for(typed, STAFF) == owner


# --- The whole migration, against the database ----------------------------------------------




@pytest.fixture
def old_apps(migrator):
    return migrator.to(BEFORE)


def test_typed_owners_link_to_staff_and_everyone_else_becomes_the_group(old_apps, migrator):
    User = old_apps.get_model("members", "User")
    Meeting = old_apps.get_model("meetings", "Meeting")
    Action = old_apps.get_model("meetings", "Action")
    chloe = User.objects.create(email="chloe@example.org", name="Chloe Adeyemi", is_staff=True)
    femi = User.objects.create(email="femi.okafor@example.org", name="Femi Okafor", is_staff=True)
    User.objects.create(email="grace@example.org", name="Grace Obi", is_staff=False)
    User.objects.create(email="sam.one@example.org", name="Sam Taylor", is_staff=True)
    User.objects.create(email="sam.two@example.org", name="Sam Taylor", is_staff=True)
    starts = timezone.now() - dt.timedelta(days=30)
    meeting = Meeting.objects.create(title="Group meeting", starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    typed = {
        "by name": "  chloe   adeyemi ",
        "by email": "FEMI.OKAFOR@example.org",
        "a member": "Grace Obi",
        "a job title": "Service manager",
        "two staff share the name": "Sam Taylor",
    }
    for description, owner in typed.items():
        Action.objects.create(meeting=meeting, description=description, owner=owner)

    new_apps = migrator.to(AFTER)

    owners = dict(new_apps.get_model("meetings", "Action").objects.values_list("description", "owner_id"))
    assert owners == {
        "by name": chloe.pk,
        "by email": femi.pk,
        "a member": None,
        "a job title": None,
        "two staff share the name": None,
    }


def test_going_back_types_the_owners_again(old_apps, migrator):
    User = old_apps.get_model("members", "User")
    Meeting = old_apps.get_model("meetings", "Meeting")
    Action = old_apps.get_model("meetings", "Action")
    User.objects.create(email="chloe@example.org", name="Chloe Adeyemi", is_staff=True)
    starts = timezone.now() - dt.timedelta(days=30)
    meeting = Meeting.objects.create(title="Group meeting", starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    Action.objects.create(meeting=meeting, description="Book the room", owner="Chloe Adeyemi")
    Action.objects.create(meeting=meeting, description="Read the draft", owner="Grace Obi")
    migrator.to(AFTER)

    back = migrator.to(BEFORE)

    owners = dict(back.get_model("meetings", "Action").objects.values_list("description", "owner"))
    assert owners == {"Book the room": "Chloe Adeyemi", "Read the draft": "The group"}
