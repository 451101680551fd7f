"""Factories and helpers for library tests.

``published_resource(**fields)`` makes a resource and publishes it through the services;
``draft_in_review(members=[...])`` opens a review round on a draft; ``reviewer(**user)`` is an
active member who consents to everything (email and text), ready to be invited.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from library import services
from library.models import Credit, Format, Resource, ReviewRound, Topic
from members.models import Member
from members.tests.factories import MemberFactory, UserFactory, give_consents

BODY = (
    "# What it is\n\nMany parents feel low after a birth. It is common and it is not your fault. "
    "You can get help from your midwife, your health visitor or your doctor.\n\n"
    "# What helps\n\n- Talk to someone you trust.\n- Rest when you can.\n- Ask us about talking therapy.\n\n"
    "We will listen to you and we will help you choose what happens next."
)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


def resource(**fields) -> Resource:
    """A resource saved through the services (a draft unless ``status`` says otherwise)."""
    fields.setdefault("title", "Feeling low after having a baby")
    fields.setdefault("summary", "Many parents feel low after a birth. This explains the signs and where to get help.")
    fields.setdefault("body", BODY)
    fields.setdefault("status", Resource.Status.DRAFT)
    fields.setdefault("format", Format.LEAFLET)
    return services.create_resource(**fields)


def publish(item: Resource, *, by=None, change_note: str = "") -> Resource:
    if item.status not in (Resource.Status.APPROVED, Resource.Status.DUE_FOR_REVIEW):
        services.move_resource(resource=item, to=Resource.Status.APPROVED)
    services.publish_resource(resource=item, by=by, change_note=change_note)
    item.refresh_from_db()
    return item


def published_resource(**fields) -> Resource:
    return publish(resource(**fields))


def reviewer(*, email: str = "", name: str = "", **member_fields) -> Member:
    """An active member who consents to everything and chose email and text messages."""
    user = {key: value for key, value in (("email", email), ("name", name)) if value}
    member = MemberFactory(user=UserFactory(**user), active=True, reachable=True, **member_fields)
    give_consents(member)
    return member


def draft_in_review(*, members, deadline=None, **fields) -> ReviewRound:
    item = resource(**fields)
    return services.start_review_round(
        resource=item,
        questions=["Is the language clear and kind?", "Is anything missing?"],
        deadline=deadline or timezone.now() + dt.timedelta(days=7),
        members=members,
    )


def credit(item: Resource, member: Member, *, named: bool = False, credited_as: str = "") -> Credit:
    made = services.add_credit(resource=item, member=member)
    if named:
        made = services.set_credit_preference(credit=made, named=True, credited_as=credited_as)
    return made


def group_profile(**changes):
    """The group profile, with any fields changed (saving it clears the cached copy)."""
    from django.apps import apps

    GroupProfile = apps.get_model("involvement", "GroupProfile")
    profile, _ = GroupProfile.objects.get_or_create(pk=1)
    for name, value in changes.items():
        setattr(profile, name, value)
    profile.save()
    return profile
