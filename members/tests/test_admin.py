"""The coordinators' side of members, in the Django admin.

Who may use it: coordinators (staff in the Coordinators group, with two-step set up).
Members and commissioners are refused everywhere here.
"""

import csv
import datetime
import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.admin_forms import DUPLICATE_EMAIL
from members.models import Consent, ConsentText, Member, MemberAccessLog, TrainingRecord, User
from members.services import new_consent_version, publish_consent_text, record_consent
from members.tests.admin_post import admin_form_post
from members.tests.factories import (
    EqualityMonitoringFactory,
    MemberFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    UserFactory,
    give_consents,
)
from members.tests.totp import activate_totp
from outbox import sending
from outbox.models import Message

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/members/member/"
REGISTER = "/admin/members/member/register/"
CONTACT_LIST = "/admin/members/member/contact-list/"
ACCESS_LOG = "/admin/members/memberaccesslog/"
NEW_PASSWORD = "a-long-and-memorable-phrase"


def _change_url(member):
    return reverse("admin:members_member_change", args=[member.pk])


def _listed(response) -> set[int]:
    return {member.pk for member in response.context["cl"].result_list}


def _member(name, email, **kwargs):
    return MemberFactory(user=UserFactory(name=name, email=email), **kwargs)


def _registration(**overrides):
    data = {
        "name": "Joan Bright",
        "email": "joan.bright@example.org",
        "status": "active",
        "phone": "07700 900 456",
        "postal_address": "",
        "postcode": "",
        "channels": ["email", "sms"],
        "contact_frequency": "",
        "preferred_language": "",
        "method": "phone",
        "keep_details": "yes",
        "contact": "yes",
        "anonymised_words": "no",
        "photos": "no",
        "respect_agreement": "yes",
        "access_needs": ["needs_large_print"],
        "interpreter_language": "",
        "access_other": "",
        "heard_about": "clinician",
    }
    data.update(overrides)
    return data


# --- Finding members -------------------------------------------------------------------------


def test_search_finds_members_by_name_email_and_phone(coordinator_client):
    amira = _member("Amira Khan", "amira@example.org", phone="07700900111")
    beth = _member("Beth Jones", "beth.j@example.org", phone="07700900222")

    assert _listed(coordinator_client.get(CHANGELIST, {"q": "amira"})) == {amira.pk}
    assert _listed(coordinator_client.get(CHANGELIST, {"q": "beth.j@example"})) == {beth.pk}
    assert _listed(coordinator_client.get(CHANGELIST, {"q": "07700900222"})) == {beth.pk}


@pytest.mark.parametrize("typed", ["07700 900 111", "+44 7700 900111", "900111"])
def test_search_finds_a_phone_number_however_it_is_typed(coordinator_client, typed):
    amira = _member("Amira Khan", "amira@example.org", phone="07700900111")
    _member("Beth Jones", "beth.j@example.org", phone="07700900222")

    assert _listed(coordinator_client.get(CHANGELIST, {"q": typed})) == {amira.pk}


def test_status_filter_lists_only_that_status(coordinator_client):
    paused = _member("Pat Paused", "pat@example.org", paused=True)
    _member("Ann Active", "ann@example.org", active=True)

    assert _listed(coordinator_client.get(CHANGELIST, {"status__exact": "paused"})) == {paused.pk}


@pytest.mark.parametrize("channel", ["email", "sms", "phone", "post"])
def test_contact_channel_filter_lists_only_members_who_chose_that_channel(coordinator_client, channel):
    chosen = _member("Chose It", "chose@example.org", **{"contact_by_email": False, f"contact_by_{channel}": True})
    _member("Did Not", "not@example.org", contact_by_email=False)

    assert _listed(coordinator_client.get(CHANGELIST, {"channel": channel})) == {chosen.pk}


@pytest.mark.parametrize(
    "need, fields",
    [
        ("large_print", {"needs_large_print": True}),
        ("easy_read", {"needs_easy_read": True}),
        ("bsl", {"needs_bsl": True}),
        ("interpreter", {"needs_interpreter": True, "interpreter_language": "Polish"}),
        ("step_free", {"needs_step_free": True}),
        ("childcare", {"needs_childcare": True}),
        ("other", {"access_other": "A quiet room to feed my baby"}),
        ("any", {"needs_bsl": True}),
    ],
)
def test_access_need_filter_lists_only_members_with_that_need(coordinator_client, need, fields):
    with_need = _member("Has Need", "need@example.org", **fields)
    _member("No Needs", "none@example.org")

    assert _listed(coordinator_client.get(CHANGELIST, {"need": need})) == {with_need.pk}


def test_joined_date_filter(coordinator_client):
    recent = _member("New Joiner", "new@example.org")
    _member("Long Standing", "old@example.org", joined_at=timezone.now() - datetime.timedelta(days=400))
    # What the filter's "Past 7 days" link sends.
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) - datetime.timedelta(days=7)

    response = coordinator_client.get(CHANGELIST, {"joined_at__gte": str(since)})
    assert _listed(response) == {recent.pk}


def test_recruitment_source_filter(coordinator_client):
    from_charity = _member("Via Charity", "charity@example.org", heard_about=Member.HeardAbout.CHARITY)
    _member("Via Friend", "friend@example.org", heard_about=Member.HeardAbout.FRIEND)

    assert _listed(coordinator_client.get(CHANGELIST, {"heard_about__exact": "charity"})) == {from_charity.pk}


def test_consent_state_filters(coordinator_client):
    consenting = _member("Says Yes", "yes@example.org")
    give_consents(consenting)
    withdrawn = _member("Said Yes Then No", "withdrawn@example.org")
    give_consents(withdrawn)
    record_consent(member=withdrawn, purpose="contact", given=False)
    undecided = _member("Not Decided", "undecided@example.org")

    assert _listed(coordinator_client.get(CHANGELIST, {"consent": "contact"})) == {consenting.pk}
    assert _listed(coordinator_client.get(CHANGELIST, {"consent": "no_contact"})) == {withdrawn.pk, undecided.pk}
    assert _listed(coordinator_client.get(CHANGELIST, {"consent": "review"})) == set()

    old = ConsentText.objects.get(purpose="photos", version=1)
    publish_consent_text(
        text=new_consent_version(purpose="photos", title=old.title, summary=old.summary, body=old.body + " Updated.")
    )
    assert _listed(coordinator_client.get(CHANGELIST, {"consent": "review"})) == {consenting.pk, withdrawn.pk}


def test_member_list_links_to_registration_and_contact_list(coordinator_client):
    html = coordinator_client.get(CHANGELIST).content.decode()
    assert f'href="{REGISTER}"' in html
    assert f'href="{CONTACT_LIST}"' in html
    # "Add member" goes to the same registration page: there is one way in for staff.
    assert coordinator_client.get("/admin/members/member/add/")["Location"] == REGISTER


def test_member_list_queries_do_not_grow_with_members(coordinator_client, django_assert_max_num_queries):
    def add_members(count, start):
        for n in range(start, start + count):
            member = _member(f"Member {n}", f"m{n}@example.org", phone=f"0770090{n:04d}", needs_bsl=n % 2 == 0)
            give_consents(member)

    add_members(3, 0)
    with CaptureQueriesContext(__import__("django.db", fromlist=["connection"]).connection) as small:
        assert coordinator_client.get(CHANGELIST).status_code == 200
    add_members(30, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = coordinator_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 33


# --- The member page -------------------------------------------------------------------------


def test_opening_a_member_page_writes_an_access_log_row(coordinator_client, coordinator):
    member = _member("Amira Khan", "amira@example.org")

    assert coordinator_client.get(_change_url(member)).status_code == 200

    entry = MemberAccessLog.objects.get()
    assert (entry.staff, entry.member, entry.action) == (coordinator, member, "viewed")


def test_member_page_shows_consent_history_newest_first_with_how_and_who(coordinator_client, coordinator):
    member = _member("Amira Khan", "amira@example.org")
    record_consent(member=member, purpose="contact", given=True, method=Consent.Method.PHONE, recorded_by=coordinator)
    later = record_consent(member=member, purpose="contact", given=False)
    Consent.objects.filter(pk=later.pk).update(recorded_at=timezone.now() + datetime.timedelta(minutes=1))

    response = coordinator_client.get(_change_url(member))
    html = response.content.decode()

    inline = next(f for f in response.context["inline_admin_formsets"] if f.opts.model is Consent)
    decisions = [form.instance for form in inline.formset.forms]
    assert [(c.given, c.method) for c in decisions] == [(False, "online"), (True, "phone")]
    assert "Chloe Coordinator" in html
    assert "By phone" in html
    assert "Withdrawn" in html
    # Read-only: no inputs for consent records, and no way to add, change or delete them.
    assert not (inline.has_add_permission or inline.has_change_permission or inline.has_delete_permission)
    assert 'name="consents-0-given"' not in html


def test_member_page_shows_access_needs_and_training(coordinator_client):
    member = _member("Amira Khan", "amira@example.org", needs_bsl=True, access_other="Breaks every 30 minutes")
    TrainingRecordFactory(member=member, course=TrainingCourseFactory(name="Interview panel training"))

    html = coordinator_client.get(_change_url(member)).content.decode()
    assert 'name="needs_bsl" id="id_needs_bsl" checked' in html
    assert "Breaks every 30 minutes" in html
    assert "Interview panel training" in html


def test_member_page_never_shows_equality_answers(coordinator_client):
    member = _member("Amira Khan", "amira@example.org")
    EqualityMonitoringFactory(member=member, ethnicity="asian", religion="muslim")

    html = coordinator_client.get(_change_url(member)).content.decode()
    assert "Asian or Asian British" not in html
    assert "Muslim" not in html
    assert "equality" not in html.lower()
    # …and the answers have no admin pages of their own.
    assert coordinator_client.get("/admin/members/equalitymonitoring/").status_code == 404


def test_consent_records_have_no_admin_pages_to_edit_or_delete_them(coordinator_client):
    member = _member("Amira Khan", "amira@example.org")
    consent = give_consents(member)[0]
    assert coordinator_client.get("/admin/members/consent/").status_code == 404
    assert coordinator_client.get(f"/admin/members/consent/{consent.pk}/delete/").status_code == 404


def test_opening_a_members_account_page_is_written_to_the_access_log_too(coordinator_client, coordinator):
    member = _member("Amira Khan", "amira@example.org")

    assert coordinator_client.get(reverse("admin:members_user_change", args=[member.user.pk])).status_code == 200
    coordinator_client.get(reverse("admin:members_user_change", args=[coordinator.pk]))  # not a member: no row

    entry = MemberAccessLog.objects.get()
    assert (entry.staff, entry.member, entry.action) == (coordinator, member, "viewed account")


def test_opening_a_members_account_history_is_written_to_the_access_log(coordinator_client, coordinator):
    member = _member("Amira Khan", "amira@example.org")

    assert coordinator_client.get(reverse("admin:members_user_history", args=[member.user.pk])).status_code == 200
    coordinator_client.get(reverse("admin:members_user_history", args=[coordinator.pk]))  # not a member: no row

    entry = MemberAccessLog.objects.get()
    assert (entry.staff, entry.member, entry.action) == (coordinator, member, "viewed account history")


def test_member_history_shows_changes_to_their_name_and_email_too(coordinator_client, coordinator):
    member = _member("Amira Khan", "amira@example.org")
    page = coordinator_client.get(reverse("admin:members_user_change", args=[member.user.pk]))
    response = coordinator_client.post(
        reverse("admin:members_user_change", args=[member.user.pk]), admin_form_post(page, name="Amira Shah")
    )
    assert response.status_code == 302

    history = coordinator_client.get(reverse("admin:members_member_history", args=[member.pk]))
    html = " ".join(history.content.decode().split())
    section = html[html.index('id="account-history"') :]
    assert "<strong>Name:</strong> Amira Khan &rarr; Amira Shah" in section
    assert "Chloe Coordinator" in section


def test_history_shows_who_changed_what_and_is_written_to_the_access_log(coordinator_client, coordinator):
    member = _member("Amira Khan", "amira@example.org")
    page = coordinator_client.get(_change_url(member))
    response = coordinator_client.post(_change_url(member), admin_form_post(page, phone="07700 900 999"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "07700900999"

    history = coordinator_client.get(reverse("admin:members_member_history", args=[member.pk]))
    html = " ".join(history.content.decode().split())
    assert ">Chloe Coordinator</a>" in html
    assert "<strong>Phone:</strong> &nbsp;&rarr;&nbsp;&nbsp;07700900999" in html
    assert "Joined at" not in html  # saving the page changes only what was changed
    actions = list(
        MemberAccessLog.objects.filter(member=member).order_by("viewed_at", "pk").values_list("action", flat=True)
    )
    assert actions == ["viewed", "changed", "viewed history"]


def test_training_added_on_the_member_page_is_recorded_by_the_coordinator(coordinator_client, coordinator):
    member = _member("Amira Khan", "amira@example.org")
    course = TrainingCourseFactory(name="Sharing your story safely")
    page = coordinator_client.get(_change_url(member))
    post = admin_form_post(page)
    post.update(
        {
            "training-TOTAL_FORMS": "1",
            "training-0-course": str(course.pk),
            "training-0-completed_on": "2026-03-10",
            "training-0-member": str(member.pk),
        }
    )

    response = coordinator_client.post(_change_url(member), post)

    assert response.status_code == 302
    record = TrainingRecord.objects.get(member=member)
    assert (record.course, record.completed_on, record.recorded_by) == (course, datetime.date(2026, 3, 10), coordinator)


# --- Registering someone by phone or on paper ------------------------------------------------


def test_registration_page_asks_each_consent_question_and_how_it_was_given(coordinator_client):
    response = coordinator_client.get(REGISTER)

    assert response.status_code == 200
    html = response.content.decode()
    for name in ["keep_details", "contact", "anonymised_words", "photos", "respect_agreement", "method"]:
        assert f'name="{name}"' in html, name
    assert "By phone" in html and "On paper" in html


def test_phone_registration_creates_the_member_with_consents_recorded_by_the_coordinator(
    coordinator_client, coordinator
):
    response = coordinator_client.post(REGISTER, _registration())

    user = User.objects.get(email="joan.bright@example.org")
    member = user.member
    assert response.status_code == 302
    assert response["Location"] == _change_url(member)
    assert user.name == "Joan Bright"
    assert not user.has_usable_password()
    assert member.status == Member.Status.ACTIVE
    assert member.phone == "07700900456"
    assert (member.contact_by_email, member.contact_by_sms, member.contact_by_phone) == (True, True, False)
    assert member.needs_large_print and member.heard_about == "clinician"
    consents = {c.purpose: c for c in member.consents.all()}
    assert set(consents) == {"keep_details", "contact", "anonymised_words", "photos", "respect_agreement"}
    assert {(c.given, c.method, c.recorded_by) for p, c in consents.items() if p in ("keep_details", "contact")} == {
        (True, "phone", coordinator)
    }
    assert consents["photos"].given is False and consents["photos"].recorded_by == coordinator
    assert EmailAddress.objects.get(user=user).verified
    # Online onboarding carries on after the steps done with the coordinator.
    assert member.next_onboarding_step == "access"
    assert LogEntry.objects.filter(object_id=str(member.pk), action_flag=1).exists()


def test_registration_on_paper_records_method_paper(coordinator_client):
    coordinator_client.post(REGISTER, _registration(method="paper", respect_agreement="not_yet"))

    member = Member.objects.get(user__email="joan.bright@example.org")
    assert set(member.consents.values_list("method", flat=True)) == {"paper"}
    assert not member.consents.filter(purpose="respect_agreement").exists()
    assert member.next_onboarding_step == "respect"


def test_registration_sends_a_welcome_email_whose_link_sets_a_password_and_logs_in(
    coordinator_client, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(REGISTER, _registration())

    assert (
        "A welcome email with a link to set a password is on its way"
        in coordinator_client.get(response["Location"]).content.decode()
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["joan.bright@example.org"]
    assert message.subject == "Set up your account – Involvement group"
    assert "mental health" not in (message.subject + message.body).lower()
    assert message.body.startswith("Hello Joan Bright,")
    assert "as you told us by phone" in message.body
    assert "Contacting me about the group: yes" in message.body
    assert "Photos at events: no" in message.body
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert '<html lang="en-GB">' in html and "Choose a password" in html
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body).group(1)
    assert link in html

    visitor = Client()
    response = visitor.get(link)
    assert response.status_code == 302
    set_password_page = response["Location"]
    assert visitor.get(set_password_page).status_code == 200
    response = visitor.post(set_password_page, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    response = visitor.post(reverse("account_login"), {"login": "joan.bright@example.org", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert visitor.session["_auth_user_id"] == str(User.objects.get(email="joan.bright@example.org").pk)


def test_welcome_email_is_an_account_email_sent_even_without_consent_to_contact(
    coordinator_client, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(REGISTER, _registration(contact="no"))

    assert len(mail.outbox) == 1
    assert "Contacting me about the group: no" in mail.outbox[0].body


def test_registration_without_an_email_address_works_and_sends_nothing(
    coordinator_client, coordinator, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = coordinator_client.post(
            REGISTER,
            _registration(
                email="", channels=["post", "phone"], postal_address="2 Mill Lane\nRiverside", postcode="rt1 2ab"
            ),
        )
    assert queued == []

    assert response.status_code == 302
    member = Member.objects.get(user__name="Joan Bright")
    assert member.user.email is None
    assert member.postcode == "RT1 2AB"
    assert not EmailAddress.objects.filter(user=member.user).exists()
    assert member.consents.filter(method="phone", recorded_by=coordinator).count() == 5
    assert mail.outbox == []
    assert "cannot log in" in coordinator_client.get(response["Location"]).content.decode()


def test_two_people_can_be_registered_without_email_addresses(coordinator_client):
    coordinator_client.post(REGISTER, _registration(email="", channels=["sms"]))
    coordinator_client.post(REGISTER, _registration(name="Kay Moss", email="", channels=["sms"]))
    assert Member.objects.filter(user__email__isnull=True).count() == 2


def test_the_welcome_email_is_recorded_with_the_registration_and_sent_once_after_it(
    coordinator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        coordinator_client.post(REGISTER, _registration())
    # Nothing is sent during the request: the message is recorded, and one job queued for after the commit.
    assert mail.outbox == []
    assert len(queued) == 1
    member = Member.objects.get(user__email="joan.bright@example.org")
    message = Message.objects.get(kind="members.welcome")
    assert (message.about, message.recipient, message.status) == (member, member.user, Message.Status.PENDING)

    assert sending.send_pending() == {Message.Status.SENT: 1}
    assert sending.send_pending() == {}  # a retry, a second worker, the sweep
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.sent_at is not None


@pytest.mark.parametrize("email, recorded", [("kay.moss@example.org", 1), (None, 0)])
def test_the_registration_service_itself_records_the_welcome_email(coordinator, email, recorded):
    from members.services import register_member_by_staff

    member = register_member_by_staff(
        name="Kay Moss",
        email=email,
        recorded_by=coordinator,
        method="paper",
        decisions={"keep_details": True, "contact": False},
    )

    welcomes = Message.objects.filter(kind="members.welcome")
    assert welcomes.count() == recorded
    if recorded:
        assert (welcomes.get().about, welcomes.get().purpose) == (member, "account")


def test_a_welcome_email_the_mail_server_could_not_take_is_tried_again_with_a_working_link(
    coordinator_client, settings
):
    settings.EMAIL_BACKEND = "outbox.tests.backends.DisconnectingBackend"
    coordinator_client.post(REGISTER, _registration())
    start = timezone.now()

    sending.send_pending(now=start)
    message = Message.objects.get(kind="members.welcome")
    assert message.status == Message.Status.RETRYING

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sending.send_pending(now=start + datetime.timedelta(minutes=3))
    (email,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", email.body).group(1)
    assert Client().get(link).status_code == 302  # the link is made as the email goes, so it works


def test_no_welcome_email_goes_to_someone_erased_before_it_was_sent(coordinator_client, coordinator):
    from members.privacy import erase_member

    coordinator_client.post(REGISTER, _registration())
    erase_member(member=Member.objects.get(user__email="joan.bright@example.org"), erased_by=coordinator)

    sending.send_pending()

    assert Message.objects.get(kind="members.welcome").status == Message.Status.SKIPPED
    assert mail.outbox == []


def test_duplicate_email_gets_a_field_error_and_keeps_what_was_typed(coordinator_client):
    UserFactory(email="joan.bright@example.org")

    response = coordinator_client.post(REGISTER, _registration(email="Joan.Bright@example.org"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["email"] == [DUPLICATE_EMAIL]
    html = response.content.decode()
    assert 'value="Joan Bright"' in html
    assert 'value="07700 900 456"' in html
    assert User.objects.filter(name="Joan Bright").count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"phone": "12345"}, "phone", "Enter a UK phone number"),
        ({"name": "x" * 5000}, "name", "150 characters or fewer"),
        ({"name": "🌸🌸🌸"}, "name", "Enter their name using letters"),
        ({"keep_details": "no"}, "keep_details", "does not agree to us keeping their details"),
        ({"email": "", "channels": ["email"]}, "email", "untick email"),
        ({"phone": "", "channels": ["sms"]}, "phone", "untick text message"),
        ({"channels": ["post"]}, "postal_address", "untick post"),
        ({"method": ""}, "method", "by phone or on paper"),
        ({"email": "not-an-email"}, "email", "correct format"),
    ],
)
def test_bad_registration_input_gets_a_clear_message_by_the_field(coordinator_client, overrides, field, message):
    response = coordinator_client.post(REGISTER, _registration(**overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Please correct" in response.content.decode()
    assert not Member.objects.exists()


# --- Contact lists ---------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_contact_list_contains_only_members_who_currently_consent_on_that_channel(coordinator_client):
    yes = _member("Ann Yes", "ann@example.org")
    give_consents(yes)
    no_contact = _member("Bea NoContact", "bea@example.org")
    give_consents(no_contact, keep_details=True, contact=False)
    other_channel = _member("Cat Post", "cat@example.org", contact_by_email=False, contact_by_post=True)
    give_consents(other_channel)
    paused = _member("Dee Paused", "dee@example.org", paused=True)
    give_consents(paused)

    response = coordinator_client.post(CONTACT_LIST, {"channel": "email"})

    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="contacts-email-{today}.csv"'
    assert _csv(response) == [["Name", "Email"], ["Ann Yes", "ann@example.org"]]

    record_consent(member=yes, purpose="contact", given=False)
    assert _csv(coordinator_client.post(CONTACT_LIST, {"channel": "email"})) == [["Name", "Email"]]


def test_contact_list_has_the_columns_each_channel_needs(coordinator_client):
    member = _member("Ann Yes", "ann@example.org", reachable=True, needs_large_print=True)
    give_consents(member)

    assert _csv(coordinator_client.post(CONTACT_LIST, {"channel": "sms"})) == [
        ["Name", "Mobile phone"],
        ["Ann Yes", "07700900123"],
    ]
    assert _csv(coordinator_client.post(CONTACT_LIST, {"channel": "post"})) == [
        ["Name", "Postal address", "Postcode", "Large print", "Easy Read"],
        ["Ann Yes", "1 Example Street, Riverside", "RT1 1AA", "Yes", ""],
    ]


def test_contact_list_cells_cannot_run_as_spreadsheet_formulas(coordinator_client):
    member = _member('=HYPERLINK("http://evil.example","click")', "ann@example.org")
    give_consents(member)

    rows = _csv(coordinator_client.post(CONTACT_LIST, {"channel": "email"}))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","click")'


def test_contact_list_export_is_written_to_the_access_log(coordinator_client, coordinator):
    member = _member("Ann Yes", "ann@example.org")
    give_consents(member)

    coordinator_client.post(CONTACT_LIST, {"channel": "email"})

    entry = MemberAccessLog.objects.get(member=member)
    assert (entry.staff, entry.action) == (coordinator, "exported in email list")


def test_contact_list_page_shows_counts_and_asks_for_a_channel(coordinator_client):
    member = _member("Ann Yes", "ann@example.org")
    give_consents(member)

    response = coordinator_client.get(CONTACT_LIST)
    assert response.status_code == 200
    assert ("Email", 1) in response.context["counts"]
    response = coordinator_client.post(CONTACT_LIST, {})
    assert response.status_code == 200
    assert response.context["form"].errors["channel"] == ["Choose the channel the list is for"]


# --- The access log --------------------------------------------------------------------------


def test_coordinators_can_read_the_access_log_but_not_change_it(coordinator_client, coordinator):
    member = _member("Amira Khan", "amira@example.org")
    coordinator_client.get(_change_url(member))
    entry = MemberAccessLog.objects.get()

    response = coordinator_client.get(ACCESS_LOG)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amira Khan" in html and "Chloe Coordinator" in html
    assert coordinator_client.get(f"{ACCESS_LOG}{entry.pk}/change/").status_code == 200  # read-only view
    assert coordinator_client.post(f"{ACCESS_LOG}{entry.pk}/change/", {"action": "nothing"}).status_code == 403
    assert coordinator_client.get(f"{ACCESS_LOG}add/").status_code == 403
    assert coordinator_client.post(f"{ACCESS_LOG}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert MemberAccessLog.objects.get().action == "viewed"


# --- Who may use these pages -----------------------------------------------------------------


def _admin_pages(member):
    return [
        CHANGELIST,
        _change_url(member),
        reverse("admin:members_member_history", args=[member.pk]),
        REGISTER,
        CONTACT_LIST,
        ACCESS_LOG,
        "/admin/members/consenttext/",
    ]


@pytest.mark.parametrize("who", ["member", "commissioner", "anonymous"])
def test_members_commissioners_and_visitors_cannot_open_the_member_admin(request, who):
    target = _member("Amira Khan", "amira@example.org")
    client = Client()
    if who != "anonymous":
        user = request.getfixturevalue(who)
        activate_totp(user)  # so nothing but the admin's own check stands in the way
        client.force_login(user)

    for url in _admin_pages(target):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    response = client.post(REGISTER, _registration())
    assert response.status_code == 302
    assert not User.objects.filter(email="joan.bright@example.org").exists()
    response = client.post(CONTACT_LIST, {"channel": "email"})
    assert response.status_code == 302
    assert not MemberAccessLog.objects.exists()


def test_staff_without_the_coordinator_role_are_refused(db):
    staff = UserFactory(email="helper@example.org", is_staff=True)
    activate_totp(staff)
    client = Client()
    client.force_login(staff)
    target = _member("Amira Khan", "amira@example.org")

    for url in [*_admin_pages(target)]:
        assert client.get(url).status_code == 403, url
    assert not MemberAccessLog.objects.exists()


# --- Consent texts ---------------------------------------------------------------------------


def test_publishing_a_new_version_says_how_many_members_will_be_asked_to_review(coordinator_client):
    for n in range(3):
        give_consents(_member(f"Member {n}", f"m{n}@example.org"))
    left = _member("Has Left", "left@example.org", left=True)
    give_consents(left)
    latest = ConsentText.objects.get(purpose="contact", version=1)

    # "Draft a new version" opens the add form filled in from the latest version.
    page = coordinator_client.get(reverse("admin:members_consenttext_change", args=[latest.pk]))
    assert f"/admin/members/consenttext/add/?from={latest.pk}" in page.content.decode()
    add = coordinator_client.get(f"/admin/members/consenttext/add/?from={latest.pk}")
    assert add.context["adminform"].form.initial["body"] == latest.body
    response = coordinator_client.post(
        "/admin/members/consenttext/add/",
        {"purpose": "contact", "title": latest.title, "summary": latest.summary, "body": "New wording."},
    )
    draft = ConsentText.objects.get(purpose="contact", version=2)
    assert response.status_code == 302
    assert draft.body == "New wording." and not draft.is_published

    publish_url = reverse("admin:members_consenttext_publish", args=[draft.pk])
    confirm = coordinator_client.get(publish_url)
    assert confirm.context["review_count"] == 3
    assert not ConsentText.objects.get(pk=draft.pk).is_published

    response = coordinator_client.post(publish_url, follow=True)
    draft.refresh_from_db()
    assert draft.is_published
    assert "3 members will be asked to review" in response.content.decode()


def test_publish_action_publishes_selected_drafts(coordinator_client):
    old = ConsentText.objects.get(purpose="photos", version=1)
    draft = new_consent_version(purpose="photos", title=old.title, summary=old.summary, body="Changed.")

    response = coordinator_client.post(
        "/admin/members/consenttext/",
        {"action": "publish_drafts", "_selected_action": [draft.pk]},
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.is_published
    assert "is published" in response.content.decode()


def test_a_draft_can_be_edited_but_a_published_text_cannot(coordinator_client):
    published = ConsentText.objects.get(purpose="keep_details", version=1)
    draft = new_consent_version(purpose="keep_details", title="Draft", summary="Draft summary", body="Draft body")
    edit = {"title": "Edited", "summary": "Edited summary", "body": "Edited body"}

    draft_page = coordinator_client.get(reverse("admin:members_consenttext_change", args=[draft.pk])).content.decode()
    assert reverse("admin:members_consenttext_publish", args=[draft.pk]) in draft_page
    response = coordinator_client.post(reverse("admin:members_consenttext_change", args=[draft.pk]), edit)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "Edited body"

    page = coordinator_client.get(reverse("admin:members_consenttext_change", args=[published.pk]))
    assert page.status_code == 200
    assert 'name="body"' not in page.content.decode()
    response = coordinator_client.post(reverse("admin:members_consenttext_change", args=[published.pk]), edit)
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.body != "Edited body"
    response = coordinator_client.post(
        reverse("admin:members_consenttext_delete", args=[published.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ConsentText.objects.filter(pk=published.pk).exists()


def test_training_courses_are_listed_with_how_often_completed(coordinator_client):
    course = TrainingCourseFactory(name="Induction for panel members")
    TrainingRecordFactory(course=course)
    TrainingRecordFactory(course=course, member=MemberFactory())

    response = coordinator_client.get("/admin/members/trainingcourse/")
    assert response.status_code == 200
    assert {c.name: c.completed_count for c in response.context["cl"].result_list}["Induction for panel members"] == 2
