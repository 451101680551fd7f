"""Demo expense claims: every state over two years, with real receipts, made once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from expenses.demo import DEMO_MEMBER_EMAIL, receipt_pdf, receipt_png, seed_expenses
from expenses.models import ClaimEvent, ExpenseClaim, ExpenseItem
from expenses.uploads import PDF, PNG, sniff

pytestmark = pytest.mark.django_db

Status = ExpenseClaim.Status


@pytest.fixture
def demo():
    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", stdout=quiet)


def test_the_demo_has_claims_in_every_state_over_two_years_with_receipts(demo):
    states = dict(ExpenseClaim.objects.values_list("status").annotate(n=Count("id")))
    assert set(states) == set(Status.values), states

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


def test_the_demo_member_sees_every_state_and_has_an_activity_left_to_claim_for(demo):
    from expenses.views import claimable_registrations
    from members.models import Member

    member = Member.objects.get(user__email=DEMO_MEMBER_EMAIL)
    states = set(ExpenseClaim.objects.filter(member=member).values_list("status", flat=True))
    assert states == set(Status.values)
    assert claimable_registrations(member).exists()
    queried = ExpenseClaim.objects.get(member=member, status=Status.QUERIED)
    assert queried.events.filter(to_status=Status.QUERIED).exclude(message="").exists()


def test_demo_history_is_dated_in_order_and_paid_claims_have_references(demo):
    for claim in ExpenseClaim.objects.filter(status=Status.PAID).prefetch_related("events"):
        times = [event.at for event in claim.events.all()]
        assert times == sorted(times)
        assert claim.payment_reference and claim.paid_on and claim.approved_by_id
        assert claim.paid_on >= timezone.localdate(claim.approved_at)
    assert ExpenseClaim.objects.filter(is_late=True).exists()


def test_seeding_the_demo_again_adds_no_claims(demo):
    before = (ExpenseClaim.objects.count(), ExpenseItem.objects.count(), ClaimEvent.objects.count())
    assert seed_expenses() == 0
    assert (ExpenseClaim.objects.count(), ExpenseItem.objects.count(), ClaimEvent.objects.count()) == before


def test_with_no_meetings_the_demo_makes_no_claims():
    assert seed_expenses() == 0
    assert not ExpenseClaim.objects.exists()


def test_demo_receipts_are_real_files():
    assert sniff(receipt_png(["Car park", "GBP 4.50"])[:32]) == PNG
    assert sniff(receipt_pdf(["Bus (return)", "GBP 6.40"])[:32]) == PDF
