"""A member's own data: the download holds everything, and erasure leaves nothing that identifies them."""

import datetime
import json

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse

from members.models import Consent, EqualityMonitoring, ErasureRecord, Member, MemberAccessLog, TrainingRecord, User
from members.privacy import erase_member, member_export_json
from members.services import record_consent
from members.tests.admin_post import admin_form_post
from members.tests.factories import (
    DEFAULT_PASSWORD,
    EqualityMonitoringFactory,
    MemberFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    UserFactory,
    give_consents,
)
from members.tests.totp import activate_totp

pytestmark = pytest.mark.django_db

NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine.q@example.org"
PHONE = "07700900987"
ADDRESS = "7 Larkspur Close"


@pytest.fixture
def rich_member(coordinator):
    """A member with something in every part of their record, seen and edited by staff."""
    member = MemberFactory(
        user=UserFactory(name=NAME, email=EMAIL),
        active=True,
        pronouns="she/her",
        phone=PHONE,
        postal_address=f"{ADDRESS}\nRiverside",
        postcode="RT9 9ZZ",
        contact_by_sms=True,
        contact_by_post=True,
        contact_frequency=Member.Frequency.MONTHLY,
        needs_interpreter=True,
        interpreter_language="Quillfeather sign",
        access_other=f"Please call {NAME} before meetings",
        preferred_language="Polish",
        relationship=Member.Relationship.BIRTHING_PERSON,
        topics=[Member.Topic.BIRTH_TRAUMA, Member.Topic.ANXIETY],
        topics_other=f"{NAME}'s own words about her experience",
        heard_about=Member.HeardAbout.OTHER,
        heard_about_other=f"A leaflet handed to {NAME}",
        payment_preference=Member.PaymentPreference.EXPENSES_ONLY,
    )
    give_consents(member)
    record_consent(member=member, purpose="photos", given=False, method=Consent.Method.PHONE, recorded_by=coordinator)
    EqualityMonitoringFactory(member=member)
    TrainingRecordFactory(member=member, course=TrainingCourseFactory(name="Induction"), recorded_by=coordinator)
    return member


def _staff_client(coordinator):
    activate_totp(coordinator)
    client = Client()
    client.force_login(coordinator)
    return client


# --- Download my data ------------------------------------------------------------------------


def test_member_export_json_contains_every_field_held(rich_member):
    export = json.loads(json.dumps(member_export_json(rich_member)))  # and it is valid JSON

    for field in Member._meta.concrete_fields:
        if field.name in ("id", "user"):
            continue
        assert field.name in export["profile"], field.name
    assert export["account"]["name"] == NAME
    assert export["account"]["email"] == EMAIL
    assert export["profile"]["phone"] == PHONE
    assert export["profile"]["topics"] == ["Birth trauma", "Anxiety"]
    for field in EqualityMonitoring._meta.concrete_fields:
        if field.name in ("id", "member"):
            continue
        assert field.name in export["equality"], field.name
    assert export["equality"]["ethnicity"] == "Mixed or multiple ethnic groups"


def test_member_export_json_contains_consent_history_and_training(rich_member):
    export = member_export_json(rich_member)

    history = export["consent_history"]
    assert len(history) == rich_member.consents.count() == 6
    phone_record = next(entry for entry in history if entry["how"] == "By phone")
    assert phone_record == {
        "purpose": "Photos at events",
        "version": 1,
        "given": False,
        "recorded_at": phone_record["recorded_at"],
        "how": "By phone",
        "recorded_by": "Chloe Coordinator",
    }
    photos_now = next(entry for entry in export["consents_now"] if entry["purpose"] == "Photos at events")
    assert photos_now["given"] is False
    assert export["training"] == [{"course": "Induction", "completed_on": datetime.date.today().isoformat()}]


# --- Erase my data ---------------------------------------------------------------------------

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)  # EmailField is a CharField


def _found_anywhere(needle: str) -> list[str]:
    """Every table and column in the database whose text contains `needle`, and any session."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            rows = model._base_manager.annotate(_as_text=Cast(field.attname, models.TextField())).filter(
                _as_text__icontains=needle
            )
            if rows.exists():
                found.append(f"{model._meta.db_table}.{field.column}")
    for session in Session.objects.all():
        if needle.lower() in str(session.get_decoded()).lower():
            found.append(f"django_session {session.session_key}")
    return found


NEEDLES = [NAME, "Zephyrine", "Quillfeather", EMAIL, "zephyrine.q", PHONE, "07700 900987", ADDRESS]


def test_the_search_finds_the_details_before_erasure(rich_member):
    # The check below means something only if it can find the details when they are there.
    for needle in NEEDLES:
        if needle != "07700 900987":
            assert _found_anywhere(needle), needle


def test_erasure_leaves_no_personal_detail_anywhere_in_the_database(rich_member, coordinator):
    staff = _staff_client(coordinator)
    # Staff have opened and edited the record (history rows, admin log, access log)…
    page = staff.get(reverse("admin:members_member_change", args=[rich_member.pk]))
    assert page.status_code == 200
    staff.post("/admin/members/member/contact-list/", {"channel": "email"})
    response = staff.post(
        reverse("admin:members_member_change", args=[rich_member.pk]),
        admin_form_post(page, pronouns="she/they"),
    )
    assert response.status_code == 302
    assert Member.history.filter(id=rich_member.pk).count() >= 2
    # …and the member is logged in somewhere.
    member_client = Client()
    member_client.force_login(rich_member.user)
    member_client.get("/")

    erase_member(member=rich_member, erased_by=coordinator, requested_by_member=False)

    for needle in NEEDLES:
        assert _found_anywhere(needle) == [], needle


def test_erasure_keeps_aggregate_counts_right(rich_member, other_member):
    MemberFactory(user=other_member)
    members, equality, consents, training = (
        Member.objects.count(),
        EqualityMonitoring.objects.count(),
        Consent.objects.count(),
        TrainingRecord.objects.count(),
    )

    erase_member(member=rich_member)

    assert Member.objects.count() == members
    assert EqualityMonitoring.objects.count() == equality
    assert EqualityMonitoring.objects.filter(member__isnull=True).count() == 1
    assert Consent.objects.count() == consents
    assert TrainingRecord.objects.count() == training
    rich_member.refresh_from_db()
    assert rich_member.status == Member.Status.LEFT
    assert rich_member.erased_at is not None
    assert ErasureRecord.objects.filter(member=rich_member, requested_by_member=True).exists()


def test_erasure_keeps_the_access_log_but_without_details(rich_member, coordinator):
    staff = _staff_client(coordinator)
    staff.get(reverse("admin:members_member_change", args=[rich_member.pk]))
    erase_member(member=rich_member)

    assert MemberAccessLog.objects.filter(member=rich_member).exists()
    html = staff.get("/admin/members/memberaccesslog/").content.decode()
    assert NAME not in html
    assert f"Erased member {rich_member.pk}" in html


def test_the_erased_member_cannot_log_in(rich_member):
    user = rich_member.user
    user.set_password(DEFAULT_PASSWORD)
    user.save()
    client = Client()
    assert client.login(email=EMAIL, password=DEFAULT_PASSWORD)
    client.logout()

    erase_member(member=rich_member)

    assert not client.login(email=EMAIL, password=DEFAULT_PASSWORD)
    client.post(reverse("account_login"), {"login": EMAIL, "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in client.session
    user = User.objects.get(pk=user.pk)
    assert not user.is_active and not user.has_usable_password() and user.email is None


def test_erasure_ends_the_members_sessions(rich_member):
    client = Client()
    client.force_login(rich_member.user)
    assert Session.objects.count() == 1

    erase_member(member=rich_member)

    assert Session.objects.count() == 0
    assert "_auth_user_id" not in client.session
