"""Emails to a member about their own claim: submitted, queried, approved, rejected and paid, each
in plain English with what to do next; sent only when the member may be contacted (a member
taking a break still hears about their own money); and exactly once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from expenses import emails, services, tasks
from expenses.models import Category, ClaimEmail, ExpenseClaim
from expenses.tasks import send_claim_status_email
from expenses.tests.factories import FinanceApproverFactory, MemberFactory, attended_meeting, london
from meetings.models import Meeting
from meetings.tests.factories import group_profile
from members.models import Member
from members.services import record_consent
from members.tests.factories import give_consents

pytestmark = pytest.mark.django_db

Status = ExpenseClaim.Status
TODAY = london(2026, 3, 20, 9)


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


def submitted(claim):
    return services.submit_claim(claim=claim, declaration=True)


def only_message():
    (message,) = mail.outbox
    return message, message.body, message.alternatives[0][0]


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
    assert "When to expect the money: " + emails.PAYMENT_TIMESCALE in text
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
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_paid(claim=claim, by=approver, paid_on=dt.date(2026, 3, 20), reference="BACS-0042")

    message, text, html = only_message()
    assert message.subject == "Your expense claim has been paid – Riverside group"
    assert "Amount: £54.50" in text
    assert "Paid on: Friday 20 March 2026" in text
    assert "Payment reference: BACS-0042" in text
    assert "BACS-0042" in html and "Friday 20 March 2026" in html


def test_a_member_who_withdrew_consent_to_be_contacted_gets_no_claim_emails(
    amira, claim, approver, celery_eager, django_capture_on_commit_callbacks
):
    record_consent(member=amira, purpose="contact", given=False)
    with django_capture_on_commit_callbacks(execute=True):
        submitted(claim)
        services.query_claim(claim=claim, by=approver, message="Which car park?")
        services.reject_claim(claim=claim, by=approver, reason="No receipt.")
    assert mail.outbox == []


def test_the_email_job_says_when_a_member_may_not_be_emailed(amira, claim):
    record_consent(member=amira, purpose="contact", given=False)
    submitted(claim)
    assert send_claim_status_email(claim.pk, Status.SUBMITTED) == "member may not be emailed"
    assert mail.outbox == []


def test_a_member_who_left_gets_no_claim_emails(amira, claim):
    submitted(claim)
    Member.objects.filter(pk=amira.pk).update(status=Member.Status.LEFT)
    assert send_claim_status_email(claim.pk, Status.SUBMITTED) == "member may not be emailed"
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


def test_the_same_email_job_run_twice_sends_once(claim):
    submitted(claim)
    assert send_claim_status_email(claim.pk, Status.SUBMITTED) == "sent"
    cache.clear()  # "once" is kept in the database, not in the cache
    assert send_claim_status_email(claim.pk, Status.SUBMITTED) == "already sent"
    assert len(mail.outbox) == 1
    event = emails.latest_event(claim, Status.SUBMITTED)
    delivery = ClaimEmail.objects.get(event=event)
    assert delivery.state == ClaimEmail.State.SENT and delivery.finished_at is not None


def test_a_job_finding_the_email_being_sent_by_another_sends_nothing(claim):
    submitted(claim)
    event = emails.latest_event(claim, Status.SUBMITTED)
    ClaimEmail.objects.create(event=event, state=ClaimEmail.State.SENDING, started_at=timezone.now())
    assert send_claim_status_email(claim.pk, Status.SUBMITTED) == "already sent"
    assert mail.outbox == []


def test_an_email_abandoned_by_a_dead_worker_is_sent_by_a_later_job(claim):
    submitted(claim)
    event = emails.latest_event(claim, Status.SUBMITTED)
    long_ago = timezone.now() - tasks.ABANDONED_AFTER - dt.timedelta(minutes=1)
    ClaimEmail.objects.create(event=event, state=ClaimEmail.State.SENDING, started_at=long_ago)
    assert send_claim_status_email(claim.pk, Status.SUBMITTED) == "sent"
    assert len(mail.outbox) == 1


def test_an_email_the_member_may_not_have_is_recorded_and_not_tried_again(amira, claim):
    submitted(claim)
    Member.objects.filter(pk=amira.pk).update(status=Member.Status.LEFT)
    assert send_claim_status_email(claim.pk, Status.SUBMITTED) == "member may not be emailed"
    assert ClaimEmail.objects.get().state == ClaimEmail.State.NOT_SENT
    assert send_claim_status_email(claim.pk, Status.SUBMITTED) == "already sent"


def test_a_claim_sent_again_after_a_question_is_acknowledged_again(claim, approver):
    submitted(claim)
    assert send_claim_status_email(claim.pk, Status.SUBMITTED) == "sent"
    services.query_claim(claim=claim, by=approver, message="Which car park?")
    services.submit_claim(claim=claim, declaration=True, message="The one on Mill Lane.")
    assert send_claim_status_email(claim.pk, Status.SUBMITTED) == "sent"
    assert len(mail.outbox) == 2


def test_no_email_once_the_claim_has_moved_on(claim, approver):
    submitted(claim)
    services.approve_claim(claim=claim, by=approver)
    assert send_claim_status_email(claim.pk, Status.SUBMITTED) == "claim has moved on"
    assert send_claim_status_email(999999, Status.SUBMITTED) == "no such claim"
    assert mail.outbox == []


def test_a_failed_send_is_tried_again_and_then_sent(claim, monkeypatch):
    submitted(claim)
    calls = []
    real_send = emails.send_claim_status_email

    def fail_first(claim, status):
        calls.append(status)
        if len(calls) == 1:
            raise ConnectionRefusedError("mail server down")
        return real_send(claim, status)

    monkeypatch.setattr(emails, "send_claim_status_email", fail_first)
    with pytest.raises(ConnectionRefusedError):
        send_claim_status_email(claim.pk, Status.SUBMITTED)
    assert send_claim_status_email(claim.pk, Status.SUBMITTED) == "sent"
    assert len(mail.outbox) == 1


def test_the_task_retries_when_the_mail_server_is_down():
    assert OSError in send_claim_status_email.autoretry_for
    assert send_claim_status_email.max_retries == 5


def test_there_is_no_email_for_a_draft(claim):
    with pytest.raises(ValueError):
        emails.send_claim_status_email(claim, Status.DRAFT)


def test_email_money_is_pounds_and_pence_with_thousands():
    assert emails.money(Decimal("1234.5")) == "£1,234.50"
    assert emails.money(None) == "£0.00"
