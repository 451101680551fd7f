"""A coordinator enters a claim for a member in the admin, and separation of duties holds after:
the preparer cannot approve, reject or mark it paid (with the rule on); a finance approver can."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone

from expenses import services
from expenses.models import Category, ExpenseClaim, ItemFormToken
from expenses.tests.factories import (
    FinanceApproverFactory,
    MeetingFactory,
    MemberFactory,
    RegistrationFactory,
    attended_meeting,
    receipt_upload,
)
from meetings.models import Registration
from members.tests.totp import client_with_two_step
from nhsuk_forms.tests.html import Page, text

pytestmark = pytest.mark.django_db

Status = ExpenseClaim.Status
CHANGELIST = reverse("admin:expenses_expenseclaim_changelist")
PREPARE = reverse("admin:expenses_prepare")




@pytest.fixture
def approver():
    return FinanceApproverFactory(email="fay@example.org", name="Fay Finance")


@pytest.fixture
def amira():
    return MemberFactory(
        active=True, user__name="Amira Khan", user__email="amira@example.org", payment_preference="involvement_payments"
    )


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _act(client, action: str, claim: ExpenseClaim, **data):
    return client.post(
        CHANGELIST,
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [claim.pk], "confirm": "yes", **data},
        follow=True,
    )


def _prepare_url(claim: ExpenseClaim) -> str:
    return reverse("admin:expenses_prepare_claim", args=[claim.pk])


def _token(client, claim: ExpenseClaim) -> str:
    return Page(client.get(_prepare_url(claim)).content.decode()).one("input", name="token")["attrs"]["value"]


def _add(client, claim: ExpenseClaim, **fields):
    return client.post(_prepare_url(claim), {"action": "add", "token": _token(client, claim), **fields})


def _prepared_and_sent(client, member, meeting) -> ExpenseClaim:
    """Everything a coordinator does for a paper claim: member, activity, costs, send."""
    response = client.post(PREPARE, {"member": member.pk, "meeting": meeting.pk})
    claim = ExpenseClaim.objects.get(member=member, meeting=meeting)
    assert response["Location"] == _prepare_url(claim)
    assert _add(client, claim, category="parking", amount="4.50", receipt=receipt_upload("pdf")).status_code == 302
    assert _add(client, claim, category="mileage", miles="10").status_code == 302
    response = client.post(_prepare_url(claim), {"action": "send", "declaration": "on"})
    assert response.status_code == 302
    claim.refresh_from_db()
    return claim


# Reaching it ---------------------------------------------------------------------------------------


def test_the_queue_links_to_entering_a_claim_for_a_member(coordinator_client):
    page = Page(coordinator_client.get(CHANGELIST).content.decode())
    assert any(a["attrs"].get("href") == PREPARE and text(a) == "Enter a claim for a member" for a in page.all("a"))


def test_members_and_commissioners_cannot_enter_claims(member, commissioner, amira):
    claim_meeting = attended_meeting(amira)
    for user in (member, commissioner):
        response = client_with_two_step(user).post(PREPARE, {"member": amira.pk, "meeting": claim_meeting.pk})
        assert response.status_code in (302, 403)
    assert not ExpenseClaim.objects.exists()


# Choosing the member and the activity ---------------------------------------------------------------


def test_choosing_a_member_lists_only_the_activities_they_can_claim_for(coordinator_client, amira):
    attended = attended_meeting(amira, title="Leaflet review")
    missed = attended_meeting(amira, title="Missed session", status=Registration.Status.NO_SHOW)
    not_taken = MeetingFactory(
        title="Walk and talk",
        starts_at=timezone.now() - dt.timedelta(days=3, hours=2),
        ends_at=timezone.now() - dt.timedelta(days=3),
    )
    RegistrationFactory(member=amira, meeting=not_taken)
    future = MeetingFactory(title="Next month")
    RegistrationFactory(member=amira, meeting=future)

    page = coordinator_client.get(PREPARE, {"member": amira.pk}).content.decode()
    assert "Amira Khan (amira@example.org)" in page
    assert "Leaflet review" in page and "Walk and talk" in page
    assert "Missed session" not in page and "Next month" not in page
    assert missed.pk and future.pk and attended.pk


def test_an_activity_the_member_did_not_attend_is_refused_with_a_message(coordinator_client, amira):
    missed = attended_meeting(amira, title="Missed session", status=Registration.Status.NO_SHOW)
    response = coordinator_client.post(PREPARE, {"member": amira.pk, "meeting": missed.pk})
    assert response.status_code == 200
    assert "Choose one of the activities listed." in response.content.decode()
    assert "There is no finished activity this member attended" in response.content.decode()
    attended_meeting(amira, title="Leaflet review")
    response = coordinator_client.post(PREPARE, {"member": amira.pk, "meeting": missed.pk})
    assert "Choose one of the activities listed." in response.content.decode()
    assert "Leaflet review" in response.content.decode()
    assert not ExpenseClaim.objects.exists()


def test_nonsense_input_gets_a_message_not_an_error(coordinator_client, amira):
    assert "Choose one of the members listed." in coordinator_client.get(PREPARE, {"member": "x"}).content.decode()
    response = coordinator_client.post(PREPARE, {"member": amira.pk, "meeting": "abc"})
    assert response.status_code == 200
    claim = services.start_or_get_claim(member=amira, meeting=attended_meeting(amira))
    response = coordinator_client.post(_prepare_url(claim), {"action": "add", "category": "parking", "amount": "-5"})
    assert response.status_code == 200
    assert "The amount must be more than £0." in response.content.decode()
    response = coordinator_client.post(_prepare_url(claim), {"action": "add", "category": "mileage", "miles": "1000"})
    assert "The miles must be 500 or fewer" in response.content.decode()
    response = coordinator_client.post(_prepare_url(claim), {"action": "remove", "item": "nope"})
    assert response.status_code == 302
    assert not claim.items.exclude(category=Category.INVOLVEMENT_PAYMENT).exists()


def test_an_existing_claim_for_the_activity_is_opened_not_duplicated(coordinator_client, amira, coordinator):
    meeting = attended_meeting(amira)
    own = services.start_or_get_claim(member=amira, meeting=meeting, by=amira.user)
    response = coordinator_client.post(PREPARE, {"member": amira.pk, "meeting": meeting.pk})
    assert response["Location"] == _prepare_url(own)
    assert ExpenseClaim.objects.count() == 1
    own.refresh_from_db()
    assert own.prepared_by == coordinator


# End to end ------------------------------------------------------------------------------------------


def test_a_coordinator_prepares_a_claim_and_a_finance_approver_decides_it(
    coordinator_client, coordinator, approver, amira
):
    meeting = attended_meeting(amira, title="Leaflet review")
    claim = _prepared_and_sent(coordinator_client, amira, meeting)

    assert claim.status == Status.SUBMITTED
    assert claim.prepared_by == coordinator
    assert claim.total == Decimal("59.00")  # £50 involvement payment + £4.50 parking + 10 miles at 45p
    parking = claim.items.get(category=Category.PARKING)
    assert parking.receipt and parking.receipt_content_type == "application/pdf"
    history = list(claim.events.values_list("to_status", "by"))
    assert history == [(Status.DRAFT, coordinator.pk), (Status.SUBMITTED, coordinator.pk)]

    # The preparer cannot approve, reject or mark it paid; the admin says why.
    response = _act(coordinator_client, "approve_claims", claim)
    assert any("Only a finance approver" in m for m in _messages(response))
    response = _act(coordinator_client, "reject_claims", claim, reason="No receipt")
    assert any(f"Claim #{claim.pk} was not rejected" in m for m in _messages(response))
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED

    # A finance approver can.
    finance = client_with_two_step(approver)
    response = _act(finance, "approve_claims", claim)
    assert f"Approved 1 claim: #{claim.pk}." in _messages(response)
    claim.refresh_from_db()
    assert (claim.status, claim.approved_by) == (Status.APPROVED, approver)

    response = _act(
        coordinator_client, "mark_claims_paid", claim, paid_on=timezone.localdate().isoformat(), reference="BACS-1"
    )
    assert any(f"Claim #{claim.pk} was not marked paid" in m for m in _messages(response))
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED

    _act(finance, "mark_claims_paid", claim, paid_on=timezone.localdate().isoformat(), reference="BACS-1")
    claim.refresh_from_db()
    assert (claim.status, claim.payment_reference, claim.paid_by) == (Status.PAID, "BACS-1", approver)


def test_a_finance_approver_who_prepared_a_claim_cannot_decide_it_but_another_can(amira):
    preparer = FinanceApproverFactory(email="pat@example.org")
    other = FinanceApproverFactory(email="olu@example.org")
    client = client_with_two_step(preparer)
    claim = _prepared_and_sent(client, amira, attended_meeting(amira))
    response = _act(client, "approve_claims", claim)
    assert any("You prepared this claim" in m for m in _messages(response))
    _act(client_with_two_step(other), "approve_claims", claim)
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED


def test_with_separation_of_duties_off_the_preparing_coordinator_may_decide(
    coordinator_client, coordinator, amira, settings
):
    settings.EXPENSES_SEPARATION_OF_DUTIES = False
    claim = _prepared_and_sent(coordinator_client, amira, attended_meeting(amira))
    _act(coordinator_client, "approve_claims", claim)
    claim.refresh_from_db()
    assert (claim.status, claim.approved_by) == (Status.APPROVED, coordinator)


def test_sending_needs_the_declaration_and_the_receipts(coordinator_client, amira):
    claim = services.start_or_get_claim(member=amira, meeting=attended_meeting(amira))
    _add(coordinator_client, claim, category="taxi", amount="12.00", taxi_reason="No bus on Sundays")
    response = coordinator_client.post(_prepare_url(claim), {"action": "send"})
    assert "Confirm the member has agreed the declaration." in response.content.decode()
    response = coordinator_client.post(_prepare_url(claim), {"action": "send", "declaration": "on"})
    assert "Add a receipt for: taxi (£12.00)." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT


def test_the_same_cost_form_sent_twice_adds_once(coordinator_client, amira):
    claim = services.start_or_get_claim(member=amira, meeting=attended_meeting(amira))
    data = {"action": "add", "token": _token(coordinator_client, claim), "category": "parking", "amount": "3.00"}
    assert coordinator_client.post(_prepare_url(claim), data).status_code == 302
    assert coordinator_client.post(_prepare_url(claim), data).status_code == 302
    assert claim.items.filter(category=Category.PARKING).count() == 1
    assert ItemFormToken.objects.filter(claim=claim).count() == 1


def test_a_sent_claim_cannot_be_changed_from_the_entry_page(coordinator_client, amira):
    claim = _prepared_and_sent(coordinator_client, amira, attended_meeting(amira))
    before = claim.total
    response = coordinator_client.post(
        _prepare_url(claim), {"action": "add", "category": "parking", "amount": "3.00"}, follow=True
    )
    assert any("can no longer be changed" in m for m in _messages(response))
    assert claim.total == before
