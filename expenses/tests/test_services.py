"""The claim rules, as the services enforce them for every page, admin action and task."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings

from expenses import rates, services
from expenses.models import Category, ClaimEvent, ExpenseClaim, ExpenseItem, ExpenseRules, Rate
from expenses.parsing import parse_number
from expenses.rules import ClaimError, add_months, claim_deadline
from expenses.tests.factories import (
    ExpenseClaimFactory,
    ExpenseItemFactory,
    FinanceApproverFactory,
    MeetingFactory,
    MemberFactory,
    RateFactory,
    RegistrationFactory,
    attended_meeting,
    london,
)
from expenses.uploads import CleanReceipt
from meetings.models import Meeting, Registration
from members.models import Member
from members.tests.factories import CoordinatorFactory
from outbox.models import Message

pytestmark = pytest.mark.django_db

Status = ExpenseClaim.Status
INVOLVED = Member.PaymentPreference.INVOLVEMENT_PAYMENTS
RECEIPT = CleanReceipt(content=b"%PDF-1.4 test", name="ticket.pdf", content_type="application/pdf")


@pytest.fixture
def claimant(member):
    return MemberFactory(user=member, active=True, payment_preference=INVOLVED)


@pytest.fixture
def approver():
    return FinanceApproverFactory(email="finance@example.org", name="Fay Finance")


def _meeting_on(claimant, day: dt.date, *, hours: int = 2, **fields) -> Meeting:
    start = london(day.year, day.month, day.day, 10)
    return attended_meeting(claimant, starts_at=start, ends_at=start + dt.timedelta(hours=hours), **fields)


def _submitted(claimant, **kwargs) -> ExpenseClaim:
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant, **kwargs))
    services.add_item(claim=claim, category=Category.PARKING, amount="4.50", receipt=RECEIPT)
    return services.submit_claim(claim=claim, declaration=True)


# Who may claim -----------------------------------------------------------------------------


def test_a_member_who_attended_can_start_a_claim(claimant):
    meeting = attended_meeting(claimant)
    claim = services.start_or_get_claim(member=claimant, meeting=meeting)
    assert claim.status == Status.DRAFT
    assert claim.payment_preference == INVOLVED
    assert list(claim.events.values_list("from_status", "to_status")) == [("", Status.DRAFT)]


def test_a_claim_for_an_activity_the_member_did_not_attend_is_refused(claimant):
    meeting = attended_meeting(claimant, status=Registration.Status.NO_SHOW)
    with pytest.raises(ClaimError, match="attendance record does not show you"):
        services.start_or_get_claim(member=claimant, meeting=meeting)
    assert not ExpenseClaim.objects.exists()


def test_a_claim_by_someone_never_registered_is_refused(claimant):
    meeting = MeetingFactory(past=True)
    with pytest.raises(ClaimError, match="registered for and took part in"):
        services.start_or_get_claim(member=claimant, meeting=meeting)


def test_registered_is_enough_while_attendance_is_not_taken(claimant):
    meeting = attended_meeting(claimant, status=Registration.Status.REGISTERED, attendance_taken_at=None)
    assert services.start_or_get_claim(member=claimant, meeting=meeting).pk


def test_registered_is_not_enough_once_attendance_is_taken(claimant):
    meeting = attended_meeting(claimant, status=Registration.Status.REGISTERED)
    with pytest.raises(ClaimError):
        services.start_or_get_claim(member=claimant, meeting=meeting)


def test_no_claim_before_the_activity_has_finished(claimant):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, member=claimant)
    with pytest.raises(ClaimError, match="once the activity has finished"):
        services.start_or_get_claim(member=claimant, meeting=meeting)


def test_no_claim_for_a_cancelled_activity(claimant):
    meeting = attended_meeting(claimant, status=Registration.Status.REGISTERED, attendance_taken_at=None)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    meeting.refresh_from_db()
    with pytest.raises(ClaimError, match="cancelled"):
        services.start_or_get_claim(member=claimant, meeting=meeting)


def test_a_second_claim_for_the_same_activity_is_the_first_one(claimant):
    meeting = attended_meeting(claimant)
    first = services.start_or_get_claim(member=claimant, meeting=meeting)
    second = services.start_or_get_claim(member=claimant, meeting=meeting)
    assert first.pk == second.pk
    assert ExpenseClaim.objects.count() == 1
    assert ExpenseItem.objects.filter(category=Category.INVOLVEMENT_PAYMENT).count() == 1
    assert ClaimEvent.objects.count() == 1


# Payment preference --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preference", "lines"),
    [
        (Member.PaymentPreference.INVOLVEMENT_PAYMENTS, 1),
        (Member.PaymentPreference.EXPENSES_ONLY, 0),
        (Member.PaymentPreference.NO_PAYMENTS, 0),
        ("", 0),
    ],
)
def test_the_involvement_payment_line_follows_the_members_choice(claimant, preference, lines):
    claimant.payment_preference = preference
    claimant.save()
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    assert claim.items.filter(category=Category.INVOLVEMENT_PAYMENT).count() == lines


def test_a_two_hour_meeting_pays_two_hours_at_the_hourly_rate(claimant):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    line = claim.items.get(category=Category.INVOLVEMENT_PAYMENT)
    assert line.amount == Decimal("50.00")
    assert line.rate.unit == Rate.Unit.PER_HOUR
    assert "2 hours at £25.00 an hour" in line.description


def test_expenses_stay_claimable_with_no_payments(claimant):
    claimant.payment_preference = Member.PaymentPreference.NO_PAYMENTS
    claimant.save()
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    services.add_item(claim=claim, category=Category.PARKING, amount="3.00", receipt=RECEIPT)
    assert claim.total == Decimal("3.00")


def test_changing_the_preference_refreshes_a_draft_claim(claimant):
    meeting = attended_meeting(claimant)
    services.start_or_get_claim(member=claimant, meeting=meeting)
    claimant.payment_preference = Member.PaymentPreference.EXPENSES_ONLY
    claimant.save()
    claim = services.start_or_get_claim(member=claimant, meeting=meeting)
    assert claim.payment_preference == Member.PaymentPreference.EXPENSES_ONLY
    assert not claim.items.filter(category=Category.INVOLVEMENT_PAYMENT).exists()


def test_the_involvement_line_cannot_be_removed_by_hand(claimant):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    with pytest.raises(ClaimError, match="payment choice"):
        services.remove_item(item=claim.items.get())


# Items -------------------------------------------------------------------------------------------


def test_mileage_is_miles_times_the_rate(claimant):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    item = services.add_item(claim=claim, category=Category.MILEAGE, miles="12.5")
    assert item.amount == Decimal("5.63")  # 12.5 × 45p = 5.625, half up
    assert item.rate.amount == Decimal("0.45")


@pytest.mark.parametrize(
    ("miles", "message"),
    [("0", "more than 0"), ("-3", "more than 0"), ("1000", "500 or fewer"), ("lots", "as a number"), ("", "how many")],
)
def test_miles_out_of_range_are_refused_by_the_field(claimant, miles, message):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    with pytest.raises(ClaimError, match=message) as error:
        services.add_item(claim=claim, category=Category.MILEAGE, miles=miles)
    assert error.value.field == "miles"
    assert not claim.items.filter(category=Category.MILEAGE).exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "more than £0"),
        ("-5", "more than £0"),
        ("1000.01", "£1,000 or less"),
        ("1e9", "£1,000"),
        ("NaN", "number"),
    ],
)
def test_amounts_out_of_range_are_refused_by_the_field(claimant, amount, message):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    with pytest.raises(ClaimError, match=message) as error:
        services.add_item(claim=claim, category=Category.PARKING, amount=amount)
    assert error.value.field == "amount"


def test_amounts_are_rounded_to_the_penny_half_up(claimant):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    assert services.add_item(claim=claim, category=Category.CHILDCARE, amount="£12.345").amount == Decimal("12.35")


def test_a_taxi_needs_a_reason(claimant):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    with pytest.raises(ClaimError) as error:
        services.add_item(claim=claim, category=Category.TAXI, amount="18.00")
    assert error.value.field == "taxi_reason"
    item = services.add_item(claim=claim, category=Category.TAXI, amount="18.00", taxi_reason="No bus after 9pm")
    assert item.taxi_reason == "No bus after 9pm"


def test_the_involvement_category_cannot_be_added_by_hand(claimant):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    with pytest.raises(ClaimError) as error:
        services.add_item(claim=claim, category=Category.INVOLVEMENT_PAYMENT, amount="500")
    assert error.value.field == "category"


def test_an_item_can_be_changed_and_removed(claimant):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    item = services.add_item(claim=claim, category=Category.PARKING, amount="4.00", receipt=RECEIPT)
    item = services.update_item(item=item, amount="5.00", description="Two hours")
    assert (item.amount, item.description) == (Decimal("5.00"), "Two hours")
    services.remove_item(item=item)
    assert not ExpenseItem.objects.filter(pk=item.pk).exists()


def test_a_submitted_claim_cannot_be_changed(claimant):
    claim = _submitted(claimant)
    with pytest.raises(ClaimError, match="can no longer be changed"):
        services.add_item(claim=claim, category=Category.PARKING, amount="1.00")


# Rates over time ------------------------------------------------------------------------------


def test_a_rate_from_january_applies_to_february_but_not_to_december(claimant):
    Rate.objects.create(kind=Rate.Kind.MILEAGE, unit=Rate.Unit.PER_MILE, amount="0.50", valid_from=dt.date(2025, 1, 1))
    december = services.start_or_get_claim(member=claimant, meeting=_meeting_on(claimant, dt.date(2024, 12, 10)))
    february = services.start_or_get_claim(member=claimant, meeting=_meeting_on(claimant, dt.date(2025, 2, 1)))
    assert services.add_item(claim=december, category=Category.MILEAGE, miles="10").amount == Decimal("4.50")
    assert services.add_item(claim=february, category=Category.MILEAGE, miles="10").amount == Decimal("5.00")


def test_the_rate_day_is_the_local_date_of_the_start(claimant):
    RateFactory(kind=Rate.Kind.INVOLVEMENT, unit=Rate.Unit.PER_ACTIVITY, amount="30.00", valid_from=dt.date(2025, 6, 1))
    # 00:30 on 1 June in London is still 31 May in UTC.
    start = london(2025, 6, 1, 0, 30)
    meeting = attended_meeting(claimant, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    assert rates.involvement_payment(meeting).amount == Decimal("30.00")


def test_a_rate_for_the_kind_of_activity_wins_over_the_general_ones(claimant):
    RateFactory(activity_kind=Meeting.Kind.INTERVIEW_PANEL, unit=Rate.Unit.PER_ACTIVITY, amount="40.00")
    panel = _meeting_on(claimant, dt.date(2025, 3, 4), kind=Meeting.Kind.INTERVIEW_PANEL)
    group = _meeting_on(claimant, dt.date(2025, 3, 5))
    assert rates.involvement_payment(panel).amount == Decimal("40.00")
    assert rates.involvement_payment(group).amount == Decimal("50.00")


@pytest.mark.parametrize(
    ("minutes", "amount", "unit"),
    [
        (60, "25.00", "per_hour"),
        (80, "37.50", "per_hour"),
        (120, "50.00", "per_hour"),
        (150, "75.00", "half_day"),
        (240, "75.00", "half_day"),
        (241, "150.00", "full_day"),
        (420, "150.00", "full_day"),
    ],
)
def test_the_payment_unit_follows_the_length_of_the_activity(claimant, minutes, amount, unit):
    start = london(2025, 3, 4, 10)
    meeting = attended_meeting(claimant, starts_at=start, ends_at=start + dt.timedelta(minutes=minutes))
    payment = rates.involvement_payment(meeting)
    assert (payment.amount, payment.rate.unit) == (Decimal(amount), unit)


def test_only_an_hourly_rate_pays_by_the_hour_for_a_long_day(claimant):
    Rate.objects.filter(kind=Rate.Kind.INVOLVEMENT).exclude(unit=Rate.Unit.PER_HOUR).delete()
    meeting = _meeting_on(claimant, dt.date(2025, 3, 4), hours=6)
    assert rates.involvement_payment(meeting).amount == Decimal("150.00")


def test_no_involvement_rate_means_no_line(claimant):
    Rate.objects.filter(kind=Rate.Kind.INVOLVEMENT).delete()
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    assert not claim.items.exists()


def test_a_capped_involvement_rate_pays_the_cap_and_flags_the_claim(claimant):
    RateFactory(unit=Rate.Unit.FULL_DAY, amount="150.00", cap="100.00")
    claim = services.start_or_get_claim(member=claimant, meeting=_meeting_on(claimant, dt.date(2025, 3, 4), hours=6))
    line = claim.items.get(category=Category.INVOLVEMENT_PAYMENT)
    assert line.amount == Decimal("100.00")
    assert claim.is_over_cap


def test_the_mileage_cap_applies_to_the_whole_claim(claimant):
    Rate.objects.create(
        kind=Rate.Kind.MILEAGE, unit=Rate.Unit.PER_MILE, amount="0.45", cap="20.00", valid_from=dt.date(2025, 1, 1)
    )
    claimant.payment_preference = Member.PaymentPreference.EXPENSES_ONLY
    claimant.save()
    claim = services.start_or_get_claim(member=claimant, meeting=_meeting_on(claimant, dt.date(2025, 3, 4)))
    services.add_item(claim=claim, category=Category.MILEAGE, miles="30")  # £13.50
    services.add_item(claim=claim, category=Category.MILEAGE, miles="30")  # £13.50, but only £6.50 left
    claim.refresh_from_db()
    assert claim.total == Decimal("20.00")
    assert claim.is_over_cap


# Submitting ------------------------------------------------------------------------------------


def test_submitting_needs_the_declaration(claimant):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    with pytest.raises(ClaimError) as error:
        services.submit_claim(claim=claim, declaration=False)
    assert error.value.field == "declaration"


def test_submitting_needs_the_receipts_the_rules_ask_for(claimant):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    services.add_item(claim=claim, category=Category.MILEAGE, miles="10")
    services.add_item(claim=claim, category=Category.PARKING, amount="4.50")
    with pytest.raises(ClaimError, match=r"Add a receipt for: parking \(£4.50\)"):
        services.submit_claim(claim=claim, declaration=True)


def test_an_empty_claim_cannot_be_submitted(claimant):
    claimant.payment_preference = Member.PaymentPreference.EXPENSES_ONLY
    claimant.save()
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    with pytest.raises(ClaimError, match="at least one cost"):
        services.submit_claim(claim=claim, declaration=True)


def test_submitting_twice_changes_nothing_the_second_time(claimant, django_capture_on_commit_callbacks):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.submit_claim(claim=claim, declaration=True)
        second = services.submit_claim(claim=claim, declaration=True)
    assert first.submitted_at == second.submitted_at
    assert claim.events.filter(to_status=Status.SUBMITTED).count() == 1
    assert len(callbacks) == 1


def test_submitting_records_the_members_message_with_the_change(claimant):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    services.submit_claim(claim=claim, declaration=True)
    event = claim.events.get(to_status=Status.SUBMITTED)
    message = Message.objects.get()
    assert (message.kind, message.about, message.recipient) == ("expenses.claim_submitted", event, claimant.user)
    assert message.status == Message.Status.PENDING


def test_a_claim_within_the_deadline_is_not_late(claimant):
    with time_machine.travel(london(2025, 5, 4, 12)):
        claim = services.start_or_get_claim(member=claimant, meeting=_meeting_on(claimant, dt.date(2025, 2, 4)))
        assert not services.submit_claim(claim=claim, declaration=True).is_late


def test_a_claim_after_the_deadline_is_accepted_and_flagged_late(claimant):
    with time_machine.travel(london(2025, 5, 5, 12)):
        claim = services.start_or_get_claim(member=claimant, meeting=_meeting_on(claimant, dt.date(2025, 2, 4)))
        claim = services.submit_claim(claim=claim, declaration=True)
    assert claim.status == Status.SUBMITTED
    assert claim.is_late


def test_the_deadline_handles_short_months():
    assert add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)


def test_a_late_flag_is_not_lost_or_gained_on_resubmission(claimant, approver):
    with time_machine.travel(london(2025, 3, 1, 12)):
        claim = services.start_or_get_claim(member=claimant, meeting=_meeting_on(claimant, dt.date(2025, 2, 4)))
        services.submit_claim(claim=claim, declaration=True)
        services.query_claim(claim=claim, by=approver, message="Which car park?")
    with time_machine.travel(london(2025, 9, 1, 12)):
        claim = services.resubmit_claim(claim=claim, declaration=True, message="The one on Mill Lane")
    assert not claim.is_late
    assert claim.events.last().message == "The one on Mill Lane"


# Deciding ----------------------------------------------------------------------------------------


def test_a_finance_approver_approves_a_submitted_claim(claimant, approver):
    claim = services.approve_claim(claim=_submitted(claimant), by=approver)
    assert (claim.status, claim.approved_by) == (Status.APPROVED, approver)
    assert claim.events.last().by == approver


def test_a_coordinator_alone_cannot_approve(claimant, coordinator):
    claim = _submitted(claimant)
    with pytest.raises(ClaimError, match="Only a finance approver"):
        services.approve_claim(claim=claim, by=coordinator)
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED


@override_settings(EXPENSES_SEPARATION_OF_DUTIES=False)
def test_without_separation_of_duties_a_coordinator_can_approve(claimant, coordinator):
    assert services.approve_claim(claim=_submitted(claimant), by=coordinator).status == Status.APPROVED


def test_nobody_approves_a_claim_they_prepared(claimant):
    preparer = FinanceApproverFactory(email="preparer@example.org")
    preparer.groups.add(*CoordinatorFactory(email="x@example.org").groups.all())
    meeting = attended_meeting(claimant)
    claim = services.start_or_get_claim(member=claimant, meeting=meeting, by=preparer)
    assert claim.prepared_by == preparer
    services.submit_claim(claim=claim, declaration=True, by=preparer)
    with pytest.raises(ClaimError, match="You prepared this claim"):
        services.approve_claim(claim=claim, by=preparer)


def test_nobody_marks_paid_a_claim_they_prepared(claimant, approver):
    preparer = FinanceApproverFactory(email="preparer@example.org")
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant), by=preparer)
    services.submit_claim(claim=claim, declaration=True, by=preparer)
    services.approve_claim(claim=claim, by=approver)
    with pytest.raises(ClaimError, match="You prepared this claim"):
        services.mark_paid(claim=claim, by=preparer, paid_on=dt.date.today(), reference="BACS-1")


def test_a_coordinator_adding_an_item_becomes_the_preparer(claimant, coordinator):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    services.add_item(claim=claim, category=Category.MILEAGE, miles="3", by=coordinator)
    claim.refresh_from_db()
    assert claim.prepared_by == coordinator


def test_nobody_approves_their_own_claim(approver):
    own = MemberFactory(user=approver, active=True)
    claim = _submitted(own)
    with pytest.raises(ClaimError, match="your own claim"):
        services.approve_claim(claim=claim, by=approver)


def test_a_member_cannot_approve(claimant, other_member):
    with pytest.raises(ClaimError):
        services.approve_claim(claim=_submitted(claimant), by=other_member)


def test_bulk_approval_approves_what_it_may_and_says_why_not_for_the_rest(claimant, approver):
    first = _submitted(claimant)
    draft = ExpenseClaimFactory()
    approved, refused = services.approve_claims(claims=[first, draft], by=approver)
    assert [c.pk for c in approved] == [first.pk]
    assert refused[0][0] == draft
    assert "Only a submitted claim" in refused[0][1]


def test_approving_twice_changes_nothing(claimant, approver):
    claim = services.approve_claim(claim=_submitted(claimant), by=approver)
    services.approve_claim(claim=claim, by=approver)
    assert claim.events.filter(to_status=Status.APPROVED).count() == 1


def test_a_query_sends_the_claim_back_with_the_message(claimant, coordinator):
    claim = services.query_claim(claim=_submitted(claimant), by=coordinator, message="Please add the parking ticket.")
    assert claim.status == Status.QUERIED
    assert claim.can_be_edited_by_member
    event = claim.events.last()
    assert (event.from_status, event.to_status, event.message) == (
        Status.SUBMITTED,
        Status.QUERIED,
        "Please add the parking ticket.",
    )


def test_a_query_needs_a_message(claimant, approver):
    with pytest.raises(ClaimError) as error:
        services.query_claim(claim=_submitted(claimant), by=approver, message="  ")
    assert error.value.field == "message"


def test_a_member_cannot_query(claimant, other_member):
    with pytest.raises(ClaimError, match="Only the team"):
        services.query_claim(claim=_submitted(claimant), by=other_member, message="Hmm")


def test_a_rejection_needs_a_reason_and_records_it(claimant, approver):
    claim = _submitted(claimant)
    with pytest.raises(ClaimError):
        services.reject_claim(claim=claim, by=approver, reason="")
    claim = services.reject_claim(claim=claim, by=approver, reason="Parking is free at this venue.")
    assert (claim.status, claim.rejection_reason) == (Status.REJECTED, "Parking is free at this venue.")


def test_only_approved_claims_can_be_marked_paid(claimant, approver):
    claim = _submitted(claimant)
    with pytest.raises(ClaimError, match="Only an approved claim"):
        services.mark_paid(claim=claim, by=approver, paid_on=dt.date.today(), reference="BACS-1")


def test_marking_paid_records_the_date_and_reference(claimant, approver):
    claim = services.approve_claim(claim=_submitted(claimant), by=approver)
    other = FinanceApproverFactory(email="payer@example.org")
    today = dt.date.today()
    claim = services.mark_paid(claim=claim, by=other, paid_on=today, reference=" BACS-2041 ")
    assert (claim.status, claim.paid_on, claim.payment_reference, claim.paid_by) == (
        Status.PAID,
        today,
        "BACS-2041",
        other,
    )
    assert list(claim.events.values_list("to_status", flat=True)) == [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.APPROVED,
        Status.PAID,
    ]


@pytest.mark.parametrize(
    ("days", "reference", "field"), [(1, "BACS-1", "paid_on"), (0, "", "reference"), (0, "x" * 61, "reference")]
)
def test_mark_paid_checks_its_date_and_reference(claimant, approver, days, reference, field):
    claim = services.approve_claim(claim=_submitted(claimant), by=approver)
    with pytest.raises(ClaimError) as error:
        services.mark_paid(
            claim=claim, by=approver, paid_on=dt.date.today() + dt.timedelta(days=days), reference=reference
        )
    assert error.value.field == field


def test_claim_total_is_the_sum_of_its_lines(claimant):
    claim = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    services.add_item(claim=claim, category=Category.MILEAGE, miles="10")
    ExpenseItemFactory(claim=claim, amount=Decimal("3.20"), category=Category.PUBLIC_TRANSPORT)
    assert claim.total == Decimal("57.70")  # 50.00 + 4.50 + 3.20


@pytest.mark.parametrize("typed,expected", [("1,250.00", Decimal("1250.00")), ("£12.50", Decimal("12.50"))])
def test_amounts_accept_thousands_separators_and_pound_signs(typed, expected):
    assert parse_number(typed, field="amount", label="amount") == expected


def test_a_decimal_comma_is_refused_not_read_as_hundreds_of_pounds():
    with pytest.raises(ClaimError, match="full stop for pence"):
        parse_number("4,50", field="amount", label="amount")


# Separation of duties: rejecting and marking paid ------------------------------------------------


def test_with_separation_on_a_coordinator_cannot_reject(claimant, coordinator):
    claim = _submitted(claimant)
    with pytest.raises(ClaimError, match="Only a finance approver can approve, reject or mark paid"):
        services.reject_claim(claim=claim, by=coordinator, reason="No receipt for the taxi.")
    claim.refresh_from_db()
    assert (claim.status, claim.rejection_reason) == (Status.SUBMITTED, "")
    assert not claim.events.filter(to_status=Status.REJECTED).exists()


def test_with_separation_on_a_coordinator_cannot_mark_paid(claimant, coordinator, approver):
    claim = services.approve_claim(claim=_submitted(claimant), by=approver)
    with pytest.raises(ClaimError, match="Only a finance approver can approve, reject or mark paid"):
        services.mark_paid(claim=claim, by=coordinator, paid_on=dt.date.today(), reference="BACS-7")
    claim.refresh_from_db()
    assert (claim.status, claim.payment_reference, claim.paid_by) == (Status.APPROVED, "", None)


def test_with_separation_on_a_coordinator_may_still_query(claimant, coordinator):
    claim = services.query_claim(claim=_submitted(claimant), by=coordinator, message="Which car park?")
    assert claim.status == Status.QUERIED


@override_settings(EXPENSES_SEPARATION_OF_DUTIES=False)
def test_with_separation_off_a_coordinator_may_reject_and_mark_paid(claimant, coordinator):
    rejected = services.reject_claim(claim=_submitted(claimant), by=coordinator, reason="Claimed twice.")
    assert rejected.status == Status.REJECTED
    other = MemberFactory(active=True, payment_preference=INVOLVED)
    approved = services.approve_claim(claim=_submitted(other), by=coordinator)
    paid = services.mark_paid(claim=approved, by=coordinator, paid_on=dt.date.today(), reference="BACS-8")
    assert (paid.status, paid.paid_by) == (Status.PAID, coordinator)


@override_settings(EXPENSES_SEPARATION_OF_DUTIES=False)
def test_with_separation_off_nobody_decides_their_own_claim(coordinator):
    own = MemberFactory(user=coordinator, active=True, payment_preference=INVOLVED)
    claim = _submitted(own)
    with pytest.raises(ClaimError, match="your own claim"):
        services.reject_claim(claim=claim, by=coordinator, reason="Mine.")


# Rates changing mid-year, and the deadline ----------------------------------------------------------


def test_an_involvement_rate_change_on_1_october_pays_each_activity_at_the_rate_of_its_day(claimant):
    Rate.objects.filter(kind=Rate.Kind.INVOLVEMENT).delete()
    RateFactory(unit=Rate.Unit.PER_ACTIVITY, amount="20.00", valid_from=dt.date(2025, 4, 1))
    RateFactory(unit=Rate.Unit.PER_ACTIVITY, amount="25.00", valid_from=dt.date(2025, 10, 1))
    Rate.objects.create(kind=Rate.Kind.MILEAGE, unit=Rate.Unit.PER_MILE, amount="0.55", valid_from=dt.date(2025, 10, 1))

    def payment_on(day: dt.date) -> tuple[Decimal, Decimal]:
        claim = services.start_or_get_claim(member=claimant, meeting=_meeting_on(claimant, day))
        mileage = services.add_item(claim=claim, category=Category.MILEAGE, miles="10")
        return claim.items.get(category=Category.INVOLVEMENT_PAYMENT).amount, mileage.amount

    assert payment_on(dt.date(2025, 9, 30)) == (Decimal("20.00"), Decimal("4.50"))
    assert payment_on(dt.date(2025, 10, 1)) == (Decimal("25.00"), Decimal("5.50"))
    assert payment_on(dt.date(2025, 10, 2)) == (Decimal("25.00"), Decimal("5.50"))


def test_a_september_claim_made_after_the_october_change_keeps_the_september_rate(claimant):
    Rate.objects.filter(kind=Rate.Kind.INVOLVEMENT).delete()
    RateFactory(unit=Rate.Unit.PER_ACTIVITY, amount="20.00", valid_from=dt.date(2025, 4, 1))
    meeting = _meeting_on(claimant, dt.date(2025, 9, 15))
    claim = services.start_or_get_claim(member=claimant, meeting=meeting)
    RateFactory(unit=Rate.Unit.PER_ACTIVITY, amount="25.00", valid_from=dt.date(2025, 10, 1))
    services.add_item(claim=claim, category=Category.PARKING, amount="3.00", receipt=RECEIPT)
    with time_machine.travel(london(2025, 10, 20, 12)):
        claim = services.submit_claim(claim=claim, declaration=True)
    line = claim.items.get(category=Category.INVOLVEMENT_PAYMENT)
    assert (line.amount, line.rate.valid_from) == (Decimal("20.00"), dt.date(2025, 4, 1))


@pytest.mark.parametrize(("months", "late"), [(3, True), (6, False)])
def test_changing_the_claim_deadline_moves_the_late_flag(claimant, months, late):
    rules = ExpenseRules.load()
    rules.claim_deadline_months = months
    rules.save()
    # An activity on 4 February, claimed on 1 June: four months later.
    with time_machine.travel(london(2025, 6, 1, 12)):
        claim = services.start_or_get_claim(member=claimant, meeting=_meeting_on(claimant, dt.date(2025, 2, 4)))
        assert claim_deadline(claim.meeting) == add_months(dt.date(2025, 2, 4), months)
        assert services.submit_claim(claim=claim, declaration=True).is_late is late


def test_the_last_day_of_a_changed_deadline_is_on_time_and_the_next_is_late(claimant):
    rules = ExpenseRules.load()
    rules.claim_deadline_months = 1
    rules.save()
    with time_machine.travel(london(2025, 3, 4, 23, 30)):
        on_time = services.start_or_get_claim(member=claimant, meeting=_meeting_on(claimant, dt.date(2025, 2, 4)))
        assert not services.submit_claim(claim=on_time, declaration=True).is_late
    with time_machine.travel(london(2025, 3, 5, 0, 30)):
        late = services.start_or_get_claim(member=claimant, meeting=_meeting_on(claimant, dt.date(2025, 2, 4)))
        assert services.submit_claim(claim=late, declaration=True).is_late


# The payment choice -------------------------------------------------------------------------------


def test_saving_a_payment_choice_updates_open_claims_but_not_sent_ones(claimant):
    draft = services.start_or_get_claim(member=claimant, meeting=attended_meeting(claimant))
    sent = _submitted(claimant)
    services.set_payment_preference(member=claimant, preference=Member.PaymentPreference.NO_PAYMENTS)
    assert not draft.items.filter(category=Category.INVOLVEMENT_PAYMENT).exists()
    assert sent.items.filter(category=Category.INVOLVEMENT_PAYMENT).exists()
    sent.refresh_from_db()
    assert sent.payment_preference == INVOLVED


def test_a_made_up_payment_choice_is_refused(claimant):
    with pytest.raises(ClaimError, match="Choose one of the options"):
        services.set_payment_preference(member=claimant, preference="bitcoin")
    claimant.refresh_from_db()
    assert claimant.payment_preference == INVOLVED
