"""The demo group that `make run` loads (``seed_demo``): members at every stage, meetings that give
the scheduler real work at once, two years of expense claims, and safe to load again.

The group is seeded once for this module (the ``demo_group`` fixture in conftest.py) and each
test runs in its own savepoint, so the tests may change it freely. It lives here, not in each
app, because the demo group is the project's (``involvement.demo`` seeds every app).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from common.uploads import PDF, PNG, sniff
from expenses.demo import DEMO_MEMBER_EMAIL, seed_expenses
from expenses.models import ClaimEvent, ExpenseClaim, ExpenseItem
from expenses.views import claimable_registrations
from involvement.models import GroupProfile, Signpost
from meetings.models import Meeting, Registration
from meetings.tasks import send_due_debriefs, send_due_reminders
from members.consent import can_contact, contactable_members
from members.models import Consent, EqualityMonitoring, Member, MemberAccessLog, TrainingRecord, User
from outbox.models import Message
from outbox.sending import about_any

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_group")]

ClaimStatus = ExpenseClaim.Status


def _seed_again() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def _run_the_message_jobs() -> tuple[dict, dict]:
    return send_due_reminders.apply().get(), send_due_debriefs.apply().get()


# --- Members ------------------------------------------------------------------------------------


def test_the_demo_has_members_at_every_stage_with_a_mix_of_channels_needs_and_consents():
    assert set(Member.objects.values_list("status", flat=True)) == set(Member.Status.values)
    for channel in ("email", "sms", "phone", "post"):
        assert Member.objects.filter(**{f"contact_by_{channel}": True}).exists(), channel
        assert contactable_members("news", channel).exists(), channel
    assert Member.objects.filter(needs_bsl=True).exists()
    assert Member.objects.filter(needs_interpreter=True).exclude(interpreter_language="").exists()
    assert Member.objects.exclude(access_other="").exists()
    assert Consent.objects.filter(method="phone", recorded_by__email="coordinator@demo.example").exists()
    assert Consent.objects.filter(method="paper").exists()
    assert Consent.objects.filter(purpose="contact", given=False).exists()
    assert EqualityMonitoring.objects.count() >= 3
    assert TrainingRecord.objects.filter(recorded_by__email="coordinator@demo.example").exists()
    # Someone registered on paper, without an email address.
    paper = Member.objects.get(user__email__isnull=True, user__name="Joan Bright")
    assert can_contact(paper, "news", "post") and not can_contact(paper, "news", "email")
    # The demo log-in member has finished joining; someone else stopped half-way.
    assert Member.objects.get(user__email="member@demo.example").onboarding_done
    assert Member.objects.get(user__email="hannah.lewis@demo.example").next_onboarding_step == "respect"


def test_withdrawn_then_given_again_is_contactable_and_withdrawn_is_not():
    assert can_contact(Member.objects.get(user__email="sam.taylor@demo.example"), "news", "email")
    assert not can_contact(Member.objects.get(user__email="rhian.evans@demo.example"), "news", "email")


def test_the_home_page_says_what_the_group_is_and_how_to_join(anonymous):
    response = anonymous.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Riverside Perinatal Involvement Group</h1>" in html
    assert "Babies and children are welcome" in html
    assert f'href="{reverse("account_signup")}"' in html


# --- Meetings -----------------------------------------------------------------------------------


def test_the_demo_has_a_reminder_and_a_debrief_due_and_the_jobs_send_them():
    reminders, debriefs = _run_the_message_jobs()

    assert reminders.get(Message.Status.SENT, 0) >= 1
    assert debriefs.get(Message.Status.SENT, 0) >= 1
    sent = Message.objects.filter(status=Message.Status.SENT)
    coffee = Registration.objects.filter(meeting__title="Online coffee morning").values_list("pk", flat=True)
    evening = Registration.objects.filter(meeting__title="Evening check-in").values_list("pk", flat=True)
    assert sent.filter(about_any(Registration, coffee), kind="meetings.reminder").exists()
    assert sent.filter(about_any(Registration, evening), kind="meetings.debrief").exists()
    recipients = {address for message in mail.outbox for address in message.to}
    assert "member@demo.example" in recipients
    assert all("mental health" not in message.subject.lower() for message in mail.outbox)


# --- Expenses -----------------------------------------------------------------------------------


def test_the_demo_has_claims_in_every_state_over_two_years_with_receipts():
    states = dict(ExpenseClaim.objects.values_list("status").annotate(n=Count("id")))
    assert set(states) == set(ClaimStatus.values), states

    # About two years: the oldest activity claimed for is between 22 and 24 months ago, the newest
    # in the last two months, and both years have claims in them.
    starts = list(ExpenseClaim.objects.values_list("meeting__starts_at", flat=True))
    ages = [timezone.now() - start for start in starts]
    assert dt.timedelta(days=670) <= max(ages) <= dt.timedelta(days=731), max(ages)
    assert min(ages) <= dt.timedelta(days=60), min(ages)
    year = dt.timedelta(days=365)
    assert sum(age > year for age in ages) >= 5 and sum(age <= year for age in ages) >= 5

    with_receipts = ExpenseItem.objects.exclude(receipt="")
    assert with_receipts.count() > 10
    kinds = set()
    for item in with_receipts[:20]:
        with item.receipt.open("rb") as handle:
            kinds.add(sniff(handle.read(32)))
    assert kinds == {PNG, PDF}


def test_the_demo_member_sees_every_claim_state_and_has_an_activity_left_to_claim_for():
    member = Member.objects.get(user__email=DEMO_MEMBER_EMAIL)
    states = set(ExpenseClaim.objects.filter(member=member).values_list("status", flat=True))
    assert states == set(ClaimStatus.values)
    assert claimable_registrations(member).exists()
    queried = ExpenseClaim.objects.get(member=member, status=ClaimStatus.QUERIED)
    assert queried.events.filter(to_status=ClaimStatus.QUERIED).exclude(message="").exists()


def test_demo_claim_history_is_dated_in_order_and_paid_claims_have_references():
    for claim in ExpenseClaim.objects.filter(status=ClaimStatus.PAID).prefetch_related("events"):
        times = [event.at for event in claim.events.all()]
        assert times == sorted(times)
        assert claim.payment_reference and claim.paid_on and claim.approved_by_id
        assert claim.paid_on >= timezone.localdate(claim.approved_at)
    assert ExpenseClaim.objects.filter(is_late=True).exists()


# --- Loading it again ---------------------------------------------------------------------------


def _counts() -> dict[str, int]:
    models = [
        User,
        Member,
        Consent,
        TrainingRecord,
        EqualityMonitoring,
        MemberAccessLog,
        GroupProfile,
        Signpost,
        Meeting,
        Registration,
        Message,
        ExpenseClaim,
        ExpenseItem,
        ClaimEvent,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["member history"] = Member.history.count()
    return counts


def test_loading_the_demo_again_duplicates_nothing_and_sends_nothing_more():
    _run_the_message_jobs()
    before, sent_before = _counts(), len(mail.outbox)

    _seed_again()
    assert seed_expenses() == 0
    _run_the_message_jobs()

    assert _counts() == before
    assert len(mail.outbox) == sent_before
    assert User.objects.filter(groups__name="Coordinators").count() == 1
    assert User.objects.filter(groups__name="Commissioners").count() == 1
