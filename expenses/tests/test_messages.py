"""Messages to a member about their own claim: submitted, queried, approved, rejected and paid, each
in plain English with what to do next; by email, and by text for members who chose it; recorded
in the outbox with the change and sent once, after the commit, only when the member may be
contacted (a member taking a break still hears about their own money)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import responses
import time_machine
from django.core import mail
from django.db import transaction

from expenses import messages, services
from expenses.models import Category, ClaimEvent, ExpenseClaim
from expenses.tests.factories import FinanceApproverFactory, MemberFactory, attended_meeting, london
from meetings.models import Meeting
from meetings.tests.factories import group_profile
from members.models import Member
from members.services import record_consent
from members.tests.factories import give_consents
from outbox import sending
from outbox import tasks as outbox_tasks
from outbox.models import Message

pytestmark = pytest.mark.django_db

Status = ExpenseClaim.Status
Sent = Message.Status
TODAY = london(2026, 3, 20, 9)
NOTIFY_URL = "https://api.notifications.service.gov.uk/v2/notifications/sms"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def riverside(today):
    return group_profile(
        short_name="Riverside group",
        name="Riverside Perinatal Involvement Group",
        contact_phone="0300 123 4567",
        contact_email="involvement@riverside.example",
    )


@pytest.fixture
def amira():
    member = MemberFactory(
        user__email="amira@example.org",
        user__name="Amira",
        active=True,
        payment_preference=Member.PaymentPreference.INVOLVEMENT_PAYMENTS,
    )
    give_consents(member)
    return member


@pytest.fixture
def approver():
    return FinanceApproverFactory(email="finance@example.org")


@pytest.fixture
def claim(amira):
    """A claim for a 2-hour focus group on Tuesday 10 March 2026: £50 involvement payment and 10 miles."""
    meeting = attended_meeting(
        amira,
        kind=Meeting.Kind.FOCUS_GROUP,
        title="Experiences of birth trauma",
        starts_at=london(2026, 3, 10, 10),
    )
    claim = services.start_or_get_claim(member=amira, meeting=meeting)
    services.add_item(claim=claim, category=Category.MILEAGE, miles="10")
    return claim


@pytest.fixture
def notify(settings):
    """GOV.UK Notify set up; only its HTTP API is mocked."""
    settings.NOTIFY_API_KEY = f"portal_test-{uuid.uuid4()}-{uuid.uuid4()}"
    settings.NOTIFY_SMS_TEMPLATE_ID = str(uuid.uuid4())
    settings.NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
    with responses.RequestsMock() as api:
        yield api


@pytest.fixture
def broker_down(monkeypatch):
    """Queueing the outbox's task fails, as it does when Redis is unreachable."""

    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(outbox_tasks.send_messages, "delay", refuse)


def submitted(claim):
    return services.submit_claim(claim=claim, declaration=True)


def only_message():
    (message,) = mail.outbox
    return message, message.body, message.alternatives[0][0]


def claim_messages(claim, status=None):
    events = ClaimEvent.objects.filter(claim=claim)
    if status:
        events = events.filter(to_status=status)
    return Message.objects.filter(sending.about_any(ClaimEvent, events.values_list("pk", flat=True)))


# --- What each message says -------------------------------------------------------------------


def test_a_submitted_claim_is_acknowledged_with_what_happens_next(
    claim, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(claim)

    message, text, html = only_message()
    assert message.to == ["amira@example.org"]
    assert message.subject == "We have your expense claim – Riverside group"
    assert "We have your expense claim for the focus group on Tuesday 10 March 2026." in text
    assert "- Involvement payment: £50.00" in text
    assert "- Mileage: £4.50" in text
    assert "Total: £54.50" in text
    assert "What happens next" in text and "You do not need to do anything else." in text
    assert f"/expenses/claims/{claim.pk}/" in text
    assert "Hello Amira," in text and "0300 123 4567" in text
    assert "What happens next" in html and f"/expenses/claims/{claim.pk}/" in html
    # Discreet: the activity's own title (it may name something painful) is never in the email.
    assert "birth trauma" not in message.subject + text + html
    recorded = claim_messages(claim).get()
    assert (recorded.kind, recorded.status, recorded.channel) == ("expenses.claim_submitted", Sent.SENT, "email")


def test_a_queried_claim_email_gives_the_question_and_how_to_answer(
    claim, approver, celery_eager, django_capture_on_commit_callbacks
):
    submitted(claim)
    with django_capture_on_commit_callbacks(execute=True):
        services.query_claim(claim=claim, by=approver, message="Was the 10 miles there and back?")

    message, text, html = only_message()
    assert message.subject == "A question about your expense claim – Riverside group"
    assert "Our question:\nWas the 10 miles there and back?" in text
    assert "How to answer: open your claim" in text
    assert "send the claim back to us with a reply" in text
    assert f"/expenses/claims/{claim.pk}/" in text
    assert "Was the 10 miles there and back?" in html and "Open your claim" in html


def test_an_approved_claim_email_gives_the_amount_and_when_to_expect_it(
    claim, approver, celery_eager, django_capture_on_commit_callbacks
):
    submitted(claim)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_claim(claim=claim, by=approver)

    message, text, html = only_message()
    assert message.subject == "Your expense claim is approved – Riverside group"
    assert "We will pay you £54.50." in text
    assert "When to expect the money: " + messages.PAYMENT_TIMESCALE in text
    assert "<strong>£54.50</strong>" in html


def test_a_rejected_claim_email_gives_the_reason_and_who_to_contact(
    claim, approver, celery_eager, django_capture_on_commit_callbacks
):
    submitted(claim)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_claim(claim=claim, by=approver, reason="This activity was online, so there was no travel.")

    message, text, html = only_message()
    assert message.subject == "An update on your expense claim – Riverside group"
    assert "we cannot pay your expense claim for the focus group on Tuesday 10 March 2026" in text
    assert "The reason:\nThis activity was online, so there was no travel." in text
    assert "please contact us on 0300 123 4567 or at involvement@riverside.example" in text
    assert "Who to contact" in html and "mailto:involvement@riverside.example" in html


def test_a_paid_claim_email_gives_the_date_reference_and_amount(
    claim, approver, celery_eager, django_capture_on_commit_callbacks
):
    submitted(claim)
    services.approve_claim(claim=claim, by=approver)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_paid(claim=claim, by=approver, paid_on=dt.date(2026, 3, 20), reference="BACS-0042")

    message, text, html = only_message()
    assert message.subject == "Your expense claim has been paid – Riverside group"
    assert "Amount: £54.50" in text
    assert "Paid on: Friday 20 March 2026" in text
    assert "Payment reference: BACS-0042" in text
    assert "BACS-0042" in html and "Friday 20 March 2026" in html


# --- By text, for members who chose it ----------------------------------------------------------


def test_a_member_who_chose_texts_is_told_by_text_and_by_email(
    amira, claim, approver, notify, celery_eager, django_capture_on_commit_callbacks
):
    Member.objects.filter(pk=amira.pk).update(contact_by_sms=True, phone="07700900123")
    notify.post(NOTIFY_URL, json={"id": "notify-1"}, status=201)
    submitted(claim)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_claim(claim=claim, by=approver)

    sms = json.loads(notify.calls[0].request.body)
    assert sms["phone_number"] == "07700900123"
    assert sms["personalisation"]["message"] == (
        "Your expense claim is approved. We will pay you £54.50, usually within 2 weeks.\n– Riverside group"
    )
    assert [m.subject for m in mail.outbox] == ["Your expense claim is approved – Riverside group"]
    approved = claim_messages(claim, Status.APPROVED)
    assert sorted(approved.values_list("channel", "status")) == [("email", Sent.SENT), ("sms", Sent.SENT)]


def test_a_member_who_chose_only_texts_gets_no_email(amira, claim, settings):
    settings.NOTIFY_API_KEY = ""
    Member.objects.filter(pk=amira.pk).update(contact_by_email=False, contact_by_sms=True, phone="07700900123")

    submitted(claim)
    sending.send_pending()

    (text,) = claim_messages(claim)
    assert (text.channel, text.status) == ("sms", Sent.NO_SERVICE), "listed for a coordinator to phone"
    assert mail.outbox == []


# --- Only to members who may be contacted ---------------------------------------------------------


def test_a_member_who_withdrew_consent_to_be_contacted_gets_no_claim_messages(
    amira, claim, approver, celery_eager, django_capture_on_commit_callbacks
):
    record_consent(member=amira, purpose="contact", given=False)
    with django_capture_on_commit_callbacks(execute=True):
        submitted(claim)
        services.query_claim(claim=claim, by=approver, message="Which car park?")
        services.reject_claim(claim=claim, by=approver, reason="No receipt.")

    assert mail.outbox == []
    assert set(claim_messages(claim).values_list("status", flat=True)) == {Sent.SKIPPED}
    assert "no consent" in claim_messages(claim).first().reason


def test_consent_withdrawn_after_the_change_still_stops_the_message(amira, claim):
    submitted(claim)  # recorded, not sent yet
    record_consent(member=amira, purpose="contact", given=False)

    sending.send_pending()

    assert claim_messages(claim).get().status == Sent.SKIPPED
    assert mail.outbox == []


def test_a_member_who_left_gets_no_claim_messages(amira, claim):
    submitted(claim)
    Member.objects.filter(pk=amira.pk).update(status=Member.Status.LEFT)

    sending.send_pending()

    assert claim_messages(claim).get().status == Sent.SKIPPED
    assert mail.outbox == []


def test_a_member_taking_a_break_still_hears_about_their_claim(
    amira, claim, approver, celery_eager, django_capture_on_commit_callbacks
):
    Member.objects.filter(pk=amira.pk).update(status=Member.Status.PAUSED)
    submitted(claim)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_claim(claim=claim, by=approver)
    message, text, _ = only_message()
    assert message.subject.startswith("Your expense claim is approved")


# --- Exactly once -----------------------------------------------------------------------------------


def test_approving_twice_in_a_row_makes_one_message(claim, approver, celery_eager, django_capture_on_commit_callbacks):
    submitted(claim)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_claim(claim=claim, by=approver)
        services.approve_claim(claim=claim, by=approver)  # a double click, a second tab

    assert claim_messages(claim, Status.APPROVED).count() == 1
    assert [m.subject.split(" – ")[0] for m in mail.outbox] == ["Your expense claim is approved"]


def test_the_same_change_recorded_twice_is_one_message_sent_once(claim):
    claim = submitted(claim)
    event = claim.events.get(to_status=Status.SUBMITTED)
    first = messages.claim_status_changed(claim=claim, event=event)
    assert messages.claim_status_changed(claim=claim, event=event) == first

    assert sending.send_pending() == {Sent.SENT: 1}
    assert sending.send_pending() == {}, "a second worker, or the sweep, finds nothing to send"
    assert len(mail.outbox) == 1


def test_a_claim_sent_again_after_a_question_is_acknowledged_again(claim, approver):
    submitted(claim)
    sending.send_pending()
    services.query_claim(claim=claim, by=approver, message="Which car park?")
    sending.send_pending()
    services.submit_claim(claim=claim, declaration=True, message="The one on Mill Lane.")
    sending.send_pending()

    assert [m.subject.split(" – ")[0] for m in mail.outbox] == [
        "We have your expense claim",
        "A question about your expense claim",
        "We have your expense claim",
    ]
    assert claim_messages(claim, Status.SUBMITTED).count() == 2


def test_a_message_is_not_sent_once_the_claim_has_moved_on(claim, approver):
    submitted(claim)
    services.approve_claim(claim=claim, by=approver)  # before any worker sent "we have your claim"

    sending.send_pending()

    acknowledgement = claim_messages(claim, Status.SUBMITTED).get()
    assert acknowledgement.status == Sent.SKIPPED
    assert "moved on" in acknowledgement.reason
    assert [m.subject.split(" – ")[0] for m in mail.outbox] == ["Your expense claim is approved"]


def test_there_is_no_message_for_a_new_draft(claim):
    draft = claim.events.get(to_status=Status.DRAFT)
    assert messages.claim_status_changed(claim=claim, event=draft) == []
    assert not Message.objects.exists()


def test_the_message_is_recorded_with_the_change_and_rolled_back_with_it(claim, approver):
    submitted(claim)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.approve_claim(claim=claim, by=approver)
        raise RuntimeError("the page failed after approving")

    assert not claim_messages(claim, Status.APPROVED).exists()
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED


# --- The broker is down ---------------------------------------------------------------------------


def test_a_claim_approved_while_the_broker_is_down_is_approved_and_the_sweep_sends_the_email(
    claim, approver, broker_down, django_capture_on_commit_callbacks
):
    submitted(claim)
    sending.send_pending()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_claim(claim=claim, by=approver)  # the task cannot be queued: logged, not raised

    claim.refresh_from_db()
    assert claim.status == Status.APPROVED
    assert claim_messages(claim, Status.APPROVED).get().status == Sent.PENDING
    assert len(mail.outbox) == 1

    assert sending.sweep() == {Sent.SENT: 1}
    assert mail.outbox[-1].subject.startswith("Your expense claim is approved")
