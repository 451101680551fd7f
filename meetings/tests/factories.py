"""Factories for meetings tests, shared by every meetings test module.

Members come from ``members.tests.factories``; the helpers here add what meetings need on top
(a member who can be emailed about meetings, a registration with its counts kept in step).
"""

from __future__ import annotations

import datetime as dt

import factory
from django.apps import apps
from django.utils import timezone

from common.formatting import LONDON
from meetings.models import Action, Meeting, MeetingSeries, Registration, Venue
from members.tests.factories import MemberFactory, UserFactory, give_consents
from outbox.models import Channel, Message

__all__ = [
    "LONDON",
    "ActionFactory",
    "MeetingFactory",
    "MeetingSeriesFactory",
    "MeetingMessageFactory",
    "MemberFactory",
    "RegistrationFactory",
    "UserFactory",
    "VenueFactory",
    "contactable_member",
    "give_consents",
    "group_profile",
    "london",
    "refresh_counts",
    "register",
    "signpost",
]


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware datetime for a wall-clock time in Europe/London (BST or GMT as it falls)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def _next_week_at_ten() -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=7)
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Riverside Family Centre {n}")
    address = "12 Mill Lane\nRiverside"
    postcode = "RT1 2AB"
    step_free = True
    parking = "Free parking behind the building."
    baby_changing = True
    children_welcome = True
    access_notes = "Ring the bell at the side door; the meeting room is on the ground floor."


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSeries

    title = "Group meetings"
    rule = "Every other month on the first Tuesday, 10am to 12pm"


class MeetingFactory(factory.django.DjangoModelFactory):
    """A scheduled in-person group meeting next week, 10am to 12pm London time.

    Pass ``starts_at`` alone and the meeting lasts two hours. Traits: ``online`` (with a
    joining link), ``hybrid``, ``sensitive`` (content note and debrief lead), ``cancelled``,
    ``past`` (last week), ``full`` (capacity 1; register someone to fill it).
    """

    class Meta:
        model = Meeting

    kind = Meeting.Kind.GROUP_MEETING
    title = factory.Sequence(lambda n: f"Group meeting {n}")
    purpose = "To hear what families think of the new leaflets and plan the next quarter."
    what_to_expect = "A friendly meeting with tea, coffee and biscuits. Babies are welcome."
    what_to_bring = "Nothing, but bring your glasses if you need them to read."
    agenda = "Welcome\nThe new leaflets\nAny other business"
    starts_at = factory.LazyFunction(_next_week_at_ten)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    mode = Meeting.Mode.IN_PERSON
    venue = factory.Maybe(
        factory.LazyAttribute(lambda o: o.mode != Meeting.Mode.ONLINE),
        yes_declaration=factory.SubFactory(VenueFactory),
        no_declaration=None,
    )
    online_link = factory.Maybe(
        factory.LazyAttribute(lambda o: o.mode != Meeting.Mode.IN_PERSON),
        yes_declaration="https://meet.example.org/riverside-group-4821",
        no_declaration="",
    )
    capacity = None
    debrief_lead_name = "Priya Shah"
    debrief_lead_contact = "01632 960123"

    class Params:
        online = factory.Trait(mode=Meeting.Mode.ONLINE, online_joining_notes="Join from 9:50 to test your sound.")
        hybrid = factory.Trait(mode=Meeting.Mode.HYBRID)
        sensitive = factory.Trait(
            is_sensitive=True,
            kind=Meeting.Kind.FOCUS_GROUP,
            title="Experiences of birth trauma",
            content_note="We will talk about difficult birth experiences. You can step out at any time.",
            debrief_lead_name="Dr Morgan Ellis",
            debrief_lead_contact="01632 960456",
        )
        cancelled = factory.Trait(
            status=Meeting.Status.CANCELLED,
            cancelled_at=factory.LazyFunction(timezone.now),
            cancellation_reason="The room is no longer available.",
        )
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: _next_week_at_ten() - dt.timedelta(days=14)),
        )
        full = factory.Trait(capacity=1)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration (status registered). It does NOT update the meeting's counts: use
    `register()` (or the services) when the counts matter, or call `refresh_counts(meeting)`.
    """

    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(MemberFactory, active=True)
    status = Registration.Status.REGISTERED
    waiting_since = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status == Registration.Status.WAITING),
        yes_declaration=factory.LazyFunction(timezone.now),
        no_declaration=None,
    )

    class Params:
        waiting = factory.Trait(status=Registration.Status.WAITING)
        attended = factory.Trait(status=Registration.Status.ATTENDED)
        no_show = factory.Trait(status=Registration.Status.NO_SHOW)
        apologies = factory.Trait(status=Registration.Status.APOLOGIES)
        cancelled = factory.Trait(status=Registration.Status.CANCELLED)
        with_needs = factory.Trait(
            needs_childcare=True,
            needs_step_free=True,
            interpreter_language="Polish",
            dietary="vegetarian",
            other_needs="A seat near the door, please.",
        )


class ActionFactory(factory.django.DjangoModelFactory):
    """An agreed action. The group owns it unless ``owner`` (a staff user) is given, or the
    ``staff_owned`` trait makes one."""

    class Meta:
        model = Action

    meeting = factory.SubFactory(MeetingFactory, past=True)
    description = factory.Sequence(lambda n: f"Share the leaflet draft {n} with the team")
    owner = None

    class Params:
        staff_owned = factory.Trait(owner=factory.SubFactory(UserFactory, is_staff=True, name="Priya Shah"))


class MeetingMessageFactory(factory.django.DjangoModelFactory):
    """An outbox message about a registration, to its member: a sent email reminder, a day
    before, unless told otherwise. Pass ``about=registration``."""

    class Meta:
        model = Message

    about = factory.SubFactory(RegistrationFactory)
    recipient = factory.LazyAttribute(lambda o: o.about.member.user)
    kind = "meetings.reminder"
    key = "1"
    channel = Channel.EMAIL
    purpose = "meetings"
    status = Message.Status.SENT
    attempts = 1
    sent_at = factory.LazyFunction(timezone.now)


def contactable_member(**kwargs):
    """An active member who has given every consent and chose email: `can_contact` says yes
    for meetings by email."""
    kwargs.setdefault("active", True)
    member = MemberFactory(**kwargs)
    give_consents(member)
    return member


def refresh_counts(meeting: Meeting) -> Meeting:
    """Brings the meeting's registered_count / waiting_count in step with its registrations."""
    from meetings.services import _refresh_counts

    _refresh_counts(meeting)
    return meeting


def register(meeting: Meeting, member=None, **kwargs) -> Registration:
    """A registration through the real service (so counts and the waiting list are right).

    With no member, makes a contactable one.
    """
    from meetings.services import register_for_meeting

    return register_for_meeting(member=member or contactable_member(), meeting=meeting, **kwargs)


# The group profile and signposts belong to the `involvement` app, which meetings must not
# import; tests reach them through the app registry instead.


def group_profile(**changes):
    """The group profile, with any fields changed (saving it clears the cached copy)."""
    GroupProfile = apps.get_model("involvement", "GroupProfile")
    profile, _ = GroupProfile.objects.get_or_create(pk=1)
    for field, value in changes.items():
        setattr(profile, field, value)
    profile.save()
    return profile


def signpost(*, kind: str = "support", **fields):
    """A signpost: ``kind="support"`` (after meetings) or ``"crisis"`` (urgent help)."""
    Signpost = apps.get_model("involvement", "Signpost")
    fields.setdefault("name", "Riverside Parents Peer Support")
    fields.setdefault("description", "A weekly drop-in for parents, run by parents.")
    return Signpost.objects.create(kind=kind, **fields)
