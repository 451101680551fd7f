"""A member's own data: the download holds everything, and erasure leaves nothing that identifies them.

Here rather than in members/tests because every app adds its part (the registry filled in each
app's ``AppConfig.ready``), so the member it builds has meetings and expense claims too. No
processes are started, so it is not marked ``integration``."""

import datetime
import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse

from expenses.tests.factories import ExpenseClaimFactory, ExpenseItemFactory
from meetings.models import Registration
from meetings.tests.factories import MeetingFactory, MeetingMessageFactory, RegistrationFactory, register
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
from outbox.models import Message

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

    # Meetings: a meeting they came to, with needs in their own words and a message that bounced.
    registration = RegistrationFactory(
        member=member,
        meeting=MeetingFactory(past=True, title="Spring group meeting"),
        status=Registration.Status.ATTENDED,
        interpreter_language="Quillfeather sign",
        dietary=f"No nuts, please ({NAME})",
        other_needs=f"{NAME} will bring her baby; call {PHONE} if the room changes",
    )
    MeetingMessageFactory(
        about=registration,
        status=Message.Status.FAILED,
        sent_at=None,
        to=EMAIL,
        reason=f"550 Mailbox <{EMAIL}> unavailable",
    )
    # Expenses: a submitted claim (kept for audit) and a draft (deleted), each with an item.
    claim = ExpenseClaimFactory(member=member, submitted=True)
    ExpenseItemFactory(claim=claim, description=f"Bus fare for {NAME}")
    draft = ExpenseItemFactory(claim=ExpenseClaimFactory(member=member), description=f"Draft for {NAME}").claim
    # Staff have worked on each in the admin: log lines name them as they were then.
    for record in (registration, claim, draft):
        log_admin_change(coordinator, record)
    return member


def log_admin_change(user, record) -> LogEntry:
    """An admin log line as the admin writes one: the record's name at the time, and what changed."""
    entry = LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=False),
        object_id=str(record.pk),
        object_repr=str(record)[:200],
        action_flag=CHANGE,
        change_message=f"Changed notes for {record}",
    )
    assert NAME in entry.object_repr, entry.object_repr  # __str__ names the member: the point of the test
    return entry


def _staff_client(coordinator):
    activate_totp(coordinator)
    client = Client()
    client.force_login(coordinator)
    return client


# --- Download my data ------------------------------------------------------------------------


def test_member_export_json_contains_every_field_held(rich_member):
    export = json.loads(json.dumps(member_export_json(rich_member)))  # and it is valid JSON

    for field in Member._meta.concrete_fields:
        # The id, account and equality key are internal links, not details about the member.
        if field.name in ("id", "user", "equality_key"):
            continue
        assert field.name in export["profile"], field.name
    assert export["account"]["name"] == NAME
    assert export["account"]["email"] == EMAIL
    assert export["profile"]["phone"] == PHONE
    assert export["profile"]["topics"] == ["Birth trauma", "Anxiety"]
    for field in EqualityMonitoring._meta.concrete_fields:
        if field.name in ("id", "key"):
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
    # …including copies in other apps, the change history and the admin's log.
    found = set(_found_anywhere(NAME))
    for place in (
        "members_historicaluser.name",
        "django_admin_log.object_repr",
        "meetings_registration.other_needs",
        "expenses_expenseitem.description",
    ):
        assert place in found, place
    assert {"outbox_message.to", "outbox_message.reason"} <= set(_found_anywhere(EMAIL))


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
    answers_key = rich_member.equality_answers.key

    erase_member(member=rich_member)

    assert Member.objects.count() == members
    assert EqualityMonitoring.objects.count() == equality
    # The answers stay in the totals, but nothing leads from the member to them any more.
    rich_member.refresh_from_db()
    assert rich_member.equality_answers is None
    assert not Member.objects.filter(equality_key=answers_key).exists()
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


# --- Meetings' part (meetings/privacy.py) ----------------------------------------------------


def test_the_data_download_has_the_members_meeting_registrations_and_needs(rich_member):
    RegistrationFactory(meeting=MeetingFactory(past=True))  # someone else's

    section = member_export_json(rich_member)["meeting_registrations"]

    # The spring meeting, and the two meetings their expense claims are for.
    assert len(section) == 3
    exported = next(entry for entry in section if entry["meeting"] == "Spring group meeting")

    assert exported["meeting"] == "Spring group meeting"
    assert exported["status"] == "Attended"
    assert exported["interpreter_language"] == "Quillfeather sign"
    assert exported["dietary"] == f"No nuts, please ({NAME})"
    assert exported["other_needs"].startswith(f"{NAME} will bring her baby")
    assert "messages" not in exported, "messages are listed once, in their own section"
    (message,) = [m for m in member_export_json(rich_member)["messages"] if m["message"] == "Meeting reminder"]
    assert message["channel"] == "Email"
    assert message["status"] == "Could not be sent"


def test_the_data_page_shows_the_meetings_section(rich_member):
    client = Client()
    client.force_login(rich_member.user)
    html = client.get(reverse("members:data")).content.decode()
    assert "Meetings you signed up for" in html
    assert "Spring group meeting" in html


def test_erasure_gives_up_future_places_so_the_next_person_waiting_gets_one(
    rich_member, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(capacity=1)
    place = register(meeting, member=rich_member)
    waiting = register(meeting)
    assert (place.status, waiting.status) == (Registration.Status.REGISTERED, Registration.Status.WAITING)

    with django_capture_on_commit_callbacks() as callbacks:
        erase_member(member=rich_member)

    place.refresh_from_db()
    waiting.refresh_from_db()
    meeting.refresh_from_db()
    assert place.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.REGISTERED
    assert (meeting.registered_count, meeting.waiting_count) == (1, 0)
    assert len(callbacks) >= 1  # the promotion notice is queued for after the commit


def test_erasure_keeps_past_attendance_but_not_the_needs_or_mail_errors(rich_member):
    registration = rich_member.registrations.get(meeting__title="Spring group meeting")
    erase_member(member=rich_member)

    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED  # attendance totals stay right
    assert (registration.interpreter_language, registration.dietary, registration.other_needs) == ("", "", "")
    message = Message.objects.get(about_id=registration.pk, kind="meetings.reminder")
    assert (message.to, message.body_text) == ("", "")
    assert message.reason == "Not sent: the person's data was erased."
    assert message.status == Message.Status.SKIPPED  # not sent again to an address that is gone


def test_erasure_removes_the_cached_copy_of_the_members_sessions(rich_member, settings):
    from django.core.cache import cache

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # as in production
    client = Client()
    client.force_login(rich_member.user)
    key = "django.contrib.sessions.cached_db" + client.session.session_key
    assert cache.get(key) is not None

    erase_member(member=rich_member)

    assert cache.get(key) is None
    assert Session.objects.count() == 0
