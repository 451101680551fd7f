"""The staff side in the admin: the approval queue, decisions through the services, exports and rules."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from expenses import services
from expenses.models import Category, ExpenseClaim, ExpenseRules, Rate
from expenses.tests.factories import (
    ExpenseClaimFactory,
    ExpenseItemFactory,
    FinanceApproverFactory,
    MemberFactory,
    attended_meeting,
    london,
)
from expenses.uploads import CleanReceipt
from members.roles import FINANCE_APPROVERS
from members.tests.totp import client_with_two_step
from nhsuk_forms.tests.html import Page, text

pytestmark = pytest.mark.django_db

Status = ExpenseClaim.Status
CHANGELIST = "admin:expenses_expenseclaim_changelist"
RECEIPT = CleanReceipt(content=b"%PDF-1.4 ticket", name="ticket.pdf", content_type="application/pdf")



@pytest.fixture
def approver():
    return FinanceApproverFactory(email="fay@example.org", name="Fay Finance")


@pytest.fixture
def finance_client(approver):
    return client_with_two_step(approver)


@pytest.fixture
def claimant():
    return MemberFactory(
        active=True, user__name="Amira Khan", user__email="amira@example.org", payment_preference="involvement_payments"
    )


def _submitted(member=None, *, by=None, **meeting_fields) -> ExpenseClaim:
    member = member or MemberFactory(active=True, payment_preference="involvement_payments")
    claim = services.start_or_get_claim(member=member, meeting=attended_meeting(member, **meeting_fields), by=by)
    services.add_item(claim=claim, category=Category.PARKING, amount="4.50", receipt=RECEIPT, by=by)
    services.add_item(claim=claim, category=Category.MILEAGE, miles="10", by=by)
    return services.submit_claim(claim=claim, declaration=True, by=by)


def _act(client, action: str, claims, **data):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [c.pk for c in claims], "index": 0, **data},
        follow=True,
    )


def _confirm(client, action: str, claims, **data):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [c.pk for c in claims], "confirm": "yes", **data},
        follow=True,
    )


def _page_text(response) -> str:
    return text(Page(response.content.decode()).one("body"))


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Permissions -------------------------------------------------------------------------------------


def test_finance_approvers_can_view_and_change_claims_but_not_delete_them():
    codenames = set(Group.objects.get(name=FINANCE_APPROVERS).permissions.values_list("codename", flat=True))
    assert {"view_expenseclaim", "change_expenseclaim", "view_expenseitem", "view_rate"} <= codenames
    assert "delete_expenseclaim" not in codenames


def test_the_queue_opens_for_a_finance_approver(finance_client):
    assert finance_client.get(reverse(CHANGELIST)).status_code == 200


def test_the_queue_is_closed_to_members_and_commissioners(member, commissioner):
    for user in (member, commissioner):
        response = client_with_two_step(user).get(reverse(CHANGELIST))
        assert response.status_code == 302
        assert "/login/" in response["Location"]


# The queue ------------------------------------------------------------------------------------------


def test_the_queue_shows_payee_activity_status_and_total(finance_client, claimant):
    claim = _submitted(claimant)
    row = _page_text(finance_client.get(reverse(CHANGELIST)))
    assert f"#{claim.pk}" in row
    assert "Amira Khan" in row
    assert claim.meeting.title in row
    assert "£59.00" in row  # involvement 50.00 + parking 4.50 + mileage 4.50


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "submitted"}, {"submitted"}),
        ({"status__exact": "approved"}, {"approved"}),
        ({"is_late__exact": "1"}, {"late"}),
        ({"is_over_cap__exact": "1"}, {"over cap"}),
    ],
)
def test_the_queue_filters(finance_client, query, expected):
    claims = {
        "submitted": ExpenseClaimFactory(submitted=True),
        "approved": ExpenseClaimFactory(approved=True),
        "late": ExpenseClaimFactory(submitted=True, is_late=True),
        "over cap": ExpenseClaimFactory(submitted=True, is_over_cap=True),
    }
    response = finance_client.get(reverse(CHANGELIST), query)
    shown = set(response.context["cl"].result_list.values_list("pk", flat=True))
    assert shown == {claims[name].pk for name in expected} | (
        {claims["late"].pk, claims["over cap"].pk} if query == {"status__exact": "submitted"} else set()
    )


def test_the_queue_lists_newest_submissions_first_and_drafts_last(finance_client):
    draft = ExpenseClaimFactory()
    older = ExpenseClaimFactory(submitted=True, submitted_at=london(2025, 3, 1, 9))
    newer = ExpenseClaimFactory(submitted=True, submitted_at=london(2025, 3, 2, 9))
    response = finance_client.get(reverse(CHANGELIST), {"status__exact": "all"})
    assert list(response.context["cl"].result_list) == [newer, older, draft]


def test_the_queue_opens_on_submitted_claims_and_all_shows_every_status(finance_client):
    draft = ExpenseClaimFactory()
    submitted = ExpenseClaimFactory(submitted=True)
    approved = ExpenseClaimFactory(approved=True)
    response = finance_client.get(reverse(CHANGELIST))
    assert list(response.context["cl"].result_list) == [submitted]
    changelist = response.context["cl"]
    status_filter = next(spec for spec in changelist.filter_specs if spec.title == "status")
    assert [c["display"] for c in status_filter.choices(changelist) if c["selected"]] == ["Submitted"]
    everything = finance_client.get(reverse(CHANGELIST), {"status__exact": "all"})
    assert set(everything.context["cl"].result_list) == {draft, submitted, approved}


def test_an_action_from_the_unfiltered_queue_acts_on_the_ticked_claims_of_any_status(finance_client, approver):
    claim = ExpenseClaimFactory(approved=True)
    _confirm(finance_client, "mark_claims_paid", [claim], paid_on=dt.date.today().isoformat(), reference="BACS-9")
    claim.refresh_from_db()
    assert claim.status == Status.PAID


def test_the_queue_filters_by_activity(finance_client):
    first, second = ExpenseClaimFactory(submitted=True), ExpenseClaimFactory(submitted=True)
    response = finance_client.get(reverse(CHANGELIST), {"meeting__id__exact": first.meeting_id})
    assert list(response.context["cl"].result_list) == [first]
    assert second.meeting.title in response.content.decode()  # offered as a filter choice


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(CHANGELIST)).status_code == 200
    return len(queries)


def test_the_queue_needs_the_same_queries_for_3_or_30_claims(finance_client):
    def make(n):
        for _ in range(n):
            claim = ExpenseClaimFactory(submitted=True)
            ExpenseItemFactory.create_batch(2, claim=claim)

    make(3)
    _queue_queries(finance_client)  # the first request also caches the group profile and signposts
    few = _queue_queries(finance_client)
    make(27)
    many = _queue_queries(finance_client)
    assert many == few


# The claim page ----------------------------------------------------------------------------------


def test_the_claim_page_shows_items_receipts_attendance_rates_and_history(finance_client, claimant):
    claim = _submitted(claimant)
    parking = claim.items.get(category=Category.PARKING)
    response = finance_client.get(reverse("admin:expenses_expenseclaim_change", args=[claim.pk]))
    content = _page_text(response)
    assert reverse("receipts:download", args=[parking.pk]) in response.content.decode()
    assert "Download ticket.pdf" in content
    assert "Attended (attendance taken" in content
    assert "Mileage, per mile: £0.45 per mile from 2024-04-01" in content
    assert "Involvement payment: £25.00 per hour from 2024-04-01" in content
    assert "New → Draft" in content and "Draft → Submitted" in content
    assert "10.0 miles" in content
    assert 'value="Approve"' in response.content.decode()
    assert 'name="_save"' not in response.content.decode()


def test_a_missing_receipt_is_pointed_out(finance_client):
    claim = ExpenseClaimFactory(submitted=True)
    ExpenseItemFactory(claim=claim, category=Category.TAXI, amount=Decimal("12.00"))
    content = _page_text(finance_client.get(reverse("admin:expenses_expenseclaim_change", args=[claim.pk])))
    assert "Missing" in content


def test_a_coordinator_sees_why_they_cannot_approve(coordinator, claimant):
    claim = _submitted(claimant)
    response = client_with_two_step(coordinator).get(reverse("admin:expenses_expenseclaim_change", args=[claim.pk]))
    content = response.content.decode()
    assert "Only a finance approver can approve" in content
    assert 'value="Approve"' not in content
    assert 'value="Ask the member a question"' in content


# Decisions --------------------------------------------------------------------------------------------


def test_bulk_approve_approves_every_submitted_claim_chosen(finance_client, approver):
    claims = [_submitted(), _submitted()]
    response = _act(finance_client, "approve_claims", claims)
    assert f"Approved 2 claims: #{claims[0].pk}, #{claims[1].pk}." in _messages(response)
    for claim in claims:
        claim.refresh_from_db()
        assert (claim.status, claim.approved_by) == (Status.APPROVED, approver)


def test_bulk_approve_says_which_claims_it_could_not_approve(finance_client):
    draft = ExpenseClaimFactory()
    response = _act(finance_client, "approve_claims", [draft])
    assert any(f"Claim #{draft.pk} was not approved: Only a submitted claim" in m for m in _messages(response))


def test_a_coordinator_cannot_approve_through_the_admin(coordinator):
    claim = _submitted()
    response = _act(client_with_two_step(coordinator), "approve_claims", [claim])
    assert any("Only a finance approver" in m for m in _messages(response))
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED


def test_a_coordinator_cannot_reject_or_mark_paid_through_the_admin(coordinator, approver):
    client = client_with_two_step(coordinator)
    submitted, approved = _submitted(), services.approve_claim(claim=_submitted(), by=approver)
    response = _confirm(client, "reject_claims", [submitted], reason="Not covered.")
    assert any(f"Claim #{submitted.pk} was not rejected: Only a finance approver" in m for m in _messages(response))
    response = _confirm(client, "mark_claims_paid", [approved], paid_on=dt.date.today().isoformat(), reference="BACS-3")
    assert any(f"Claim #{approved.pk} was not marked paid: Only a finance approver" in m for m in _messages(response))
    submitted.refresh_from_db()
    approved.refresh_from_db()
    assert (submitted.status, approved.status) == (Status.SUBMITTED, Status.APPROVED)
    assert approved.payment_reference == ""


def test_an_approver_who_prepared_a_claim_cannot_approve_it_through_the_admin(approver, finance_client):
    claim = _submitted(by=approver)
    response = _act(finance_client, "approve_claims", [claim])
    assert any("You prepared this claim" in m for m in _messages(response))
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED


def test_without_separation_of_duties_a_coordinator_approves(coordinator, settings):
    settings.EXPENSES_SEPARATION_OF_DUTIES = False
    claim = _submitted()
    _act(client_with_two_step(coordinator), "approve_claims", [claim])
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED


def test_query_asks_for_a_message_first_then_sends_it_back(finance_client, approver):
    claim = _submitted()
    page = _act(finance_client, "query_claims", [claim])
    assert page.templates[0].name == "admin/expenses/expenseclaim/decision.html"
    assert "Your question for the member" in page.content.decode()
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED

    _confirm(finance_client, "query_claims", [claim], message="Which car park was it?")
    claim.refresh_from_db()
    assert claim.status == Status.QUERIED
    event = claim.events.last()
    assert (event.by, event.message) == (approver, "Which car park was it?")


def test_query_without_a_message_shows_the_error_and_changes_nothing(finance_client):
    claim = _submitted()
    response = _confirm(finance_client, "query_claims", [claim], message="")
    assert "This field is required." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED


def test_reject_asks_for_a_reason(finance_client):
    claim = _submitted()
    assert "Why the claim is not approved" in _act(finance_client, "reject_claims", [claim]).content.decode()
    _confirm(finance_client, "reject_claims", [claim], reason="Parking is free at this venue.")
    claim.refresh_from_db()
    assert (claim.status, claim.rejection_reason) == (Status.REJECTED, "Parking is free at this venue.")


def test_mark_paid_asks_for_the_date_and_reference(finance_client, approver):
    claim = services.approve_claim(claim=_submitted(), by=FinanceApproverFactory(email="other@example.org"))
    assert "Payment reference" in _act(finance_client, "mark_claims_paid", [claim]).content.decode()
    today = dt.date.today()
    _confirm(finance_client, "mark_claims_paid", [claim], paid_on=today.isoformat(), reference="BACS-3001")
    claim.refresh_from_db()
    assert (claim.status, claim.paid_on, claim.payment_reference, claim.paid_by) == (
        Status.PAID,
        today,
        "BACS-3001",
        approver,
    )


def test_mark_paid_refuses_a_claim_not_approved(finance_client):
    claim = _submitted()
    response = _confirm(
        finance_client, "mark_claims_paid", [claim], paid_on=dt.date.today().isoformat(), reference="BACS-1"
    )
    assert any("Only an approved claim can be marked paid" in m for m in _messages(response))


def test_deciding_from_the_claim_page_comes_back_to_it(finance_client):
    claim = _submitted()
    response = finance_client.post(
        reverse(CHANGELIST),
        {"action": "approve_claims", helpers.ACTION_CHECKBOX_NAME: [claim.pk], "_from_claim": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:expenses_expenseclaim_change", args=[claim.pk])
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED


def test_claims_cannot_be_added_or_deleted_in_the_admin(finance_client, coordinator):
    claim = ExpenseClaimFactory(submitted=True)
    client = client_with_two_step(coordinator)
    assert client.get(reverse("admin:expenses_expenseclaim_add")).status_code == 403
    assert client.get(reverse("admin:expenses_expenseclaim_delete", args=[claim.pk])).status_code == 403


# Finance export and remittance ---------------------------------------------------------------------------


def test_the_finance_export_page_offers_last_month(finance_client):
    response = finance_client.get(reverse("admin:expenses_finance_export"))
    assert response.status_code == 200
    assert "Download the CSV" in response.content.decode()


def test_the_finance_export_downloads_a_csv(finance_client, approver):
    claim = ExpenseClaimFactory(approved=True, approved_by=approver, approved_at=london(2025, 3, 10, 12))
    ExpenseItemFactory(claim=claim, amount=Decimal("12.50"))
    response = finance_client.get(
        reverse("admin:expenses_finance_export"), {"start": "2025-03-01", "end": "2025-03-31", "basis": "approved"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="expenses-approved-2025-03-01-to-2025-03-31.csv"'
    assert response.content.decode("utf-8-sig").splitlines()[-1] == "Grand total,12.50"


def test_the_finance_export_refuses_an_end_before_the_start(finance_client):
    response = finance_client.get(
        reverse("admin:expenses_finance_export"), {"start": "2025-03-31", "end": "2025-03-01", "basis": "approved"}
    )
    assert "The end date must be on or after the start date." in response.content.decode()


def test_the_finance_export_is_closed_to_members(member):
    response = client_with_two_step(member).get(reverse("admin:expenses_finance_export"))
    assert response.status_code == 302


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_remittance_view_gives_the_members_pdf(finance_client, claimant):
    claim = ExpenseClaimFactory(member=claimant, paid=True, payment_reference="BACS-555")
    ExpenseItemFactory(claim=claim, amount=Decimal("7.25"))
    url = reverse("admin:expenses_remittance", args=[claimant.pk])
    assert "Download the PDF" in finance_client.get(url).content.decode()
    response = finance_client.get(url, {"pdf": "1", "start": "", "end": ""})
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Amira Khan" in text and "BACS-555" in text and "Total paid: £7.25" in text


def test_the_remittance_action_makes_a_pdf_for_one_members_paid_claims(finance_client, claimant):
    paid = ExpenseClaimFactory(member=claimant, paid=True, payment_reference="BACS-9")
    ExpenseItemFactory(claim=paid, amount=Decimal("3.00"))
    response = _act(finance_client, "remittance_summary", [paid])
    assert response["Content-Type"] == "application/pdf"
    assert "Total paid: £3.00" in _pdf_text(response.content)


def test_the_remittance_action_needs_one_member(finance_client):
    response = _act(
        finance_client, "remittance_summary", [ExpenseClaimFactory(paid=True), ExpenseClaimFactory(paid=True)]
    )
    assert "Choose claims of one member to make their remittance summary." in _messages(response)


# Rates and rules --------------------------------------------------------------------------------------


def test_the_rules_open_straight_on_the_one_set(coordinator):
    response = client_with_two_step(coordinator).get(reverse("admin:expenses_expenserules_changelist"))
    assert response["Location"] == reverse("admin:expenses_expenserules_change", args=[1])


def test_the_rules_choose_receipts_with_checkboxes(coordinator):
    client = client_with_two_step(coordinator)
    rules = ExpenseRules.load()
    response = client.post(
        reverse("admin:expenses_expenserules_change", args=[rules.pk]),
        {
            "receipt_required_for": ["taxi", "childcare"],
            "claim_deadline_months": "6",
            "tax_and_benefits_text": rules.tax_and_benefits_text,
            "benefits_advice_name": "Citizens Advice",
            "benefits_advice_url": "https://www.citizensadvice.org.uk/benefits/",
        },
    )
    assert response.status_code == 302
    rules.refresh_from_db()
    assert (rules.receipt_required_for, rules.claim_deadline_months) == (["taxi", "childcare"], 6)


def test_a_rate_used_by_a_claim_cannot_be_changed_or_deleted(coordinator):
    claim = ExpenseClaimFactory()
    item = ExpenseItemFactory(claim=claim, mileage=True)
    client = client_with_two_step(coordinator)
    page = client.get(reverse("admin:expenses_rate_change", args=[item.rate_id])).content.decode()
    assert 'name="amount"' not in page
    assert client.get(reverse("admin:expenses_rate_delete", args=[item.rate_id])).status_code == 403


def test_the_cap_of_a_rate_used_by_a_claim_cannot_be_changed(coordinator):
    item = ExpenseItemFactory(claim=ExpenseClaimFactory(), mileage=True)
    Rate.objects.filter(pk=item.rate_id).update(cap=Decimal("20.00"))
    client = client_with_two_step(coordinator)
    url = reverse("admin:expenses_rate_change", args=[item.rate_id])
    assert 'name="cap"' not in client.get(url).content.decode()
    client.post(
        url, {"cap": "5.00", "amount": "0.01", "kind": "mileage", "unit": "per_mile", "valid_from": "2020-01-01"}
    )
    rate = Rate.objects.get(pk=item.rate_id)
    assert (rate.cap, rate.amount) == (Decimal("20.00"), Decimal("0.45"))


def test_the_cap_of_an_unused_rate_can_still_be_set(coordinator):
    rate = Rate.objects.create(kind="mileage", unit="per_mile", amount=Decimal("0.45"), valid_from=dt.date(2030, 1, 1))
    client = client_with_two_step(coordinator)
    url = reverse("admin:expenses_rate_change", args=[rate.pk])
    assert 'name="cap"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "kind": "mileage",
            "activity_kind": "",
            "unit": "per_mile",
            "amount": "0.45",
            "cap": "30.00",
            "valid_from": "2030-01-01",
        },
    )
    assert response.status_code == 302
    rate.refresh_from_db()
    assert rate.cap == Decimal("30.00")


def test_a_new_rate_from_a_date_can_be_added(coordinator):
    response = client_with_two_step(coordinator).post(
        reverse("admin:expenses_rate_add"),
        {
            "kind": "mileage",
            "activity_kind": "",
            "unit": "per_mile",
            "amount": "0.50",
            "cap": "",
            "valid_from": "2025-01-01",
        },
    )
    assert response.status_code == 302
    assert Rate.objects.filter(kind="mileage", valid_from=dt.date(2025, 1, 1), amount=Decimal("0.50")).exists()
