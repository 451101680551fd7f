"""A member's own claims in the browser's place (Django's test client): the list, the payment
choice, starting a claim from an activity, adding costs with receipts, bad input, sending,
answering a question, seeing the payment, and everyone else refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from expenses import services
from expenses.models import Category, ClaimEvent, ExpenseClaim, ExpenseItem, ExpenseRules, ItemFormToken
from expenses.rules import can_claim
from expenses.tests.factories import (
    ExpenseClaimFactory,
    ExpenseItemFactory,
    FinanceApproverFactory,
    MeetingFactory,
    MemberFactory,
    RegistrationFactory,
    attended_meeting,
    jpeg_bytes,
    pdf_bytes,
    receipt_upload,
    upload,
)
from expenses.uploads import validate_receipt
from expenses.views import claimable_registrations
from meetings.models import Registration
from members.models import Member
from members.tests.factories import give_consents
from members.tests.totp import activate_totp
from nhsuk_forms.tests.html import Page

pytestmark = pytest.mark.django_db

Status = ExpenseClaim.Status
PAYMENTS = Member.PaymentPreference.INVOLVEMENT_PAYMENTS
EXPENSES_ONLY = Member.PaymentPreference.EXPENSES_ONLY


# --- People and claims ------------------------------------------------------------------------


@pytest.fixture
def claimant(member):
    """The member persona as an active member who wants involvement payments, contactable by email."""
    record = MemberFactory(user=member, active=True, payment_preference=PAYMENTS)
    give_consents(record)
    return record


@pytest.fixture
def other_claimant(other_member):
    return MemberFactory(user=other_member, active=True, payment_preference=EXPENSES_ONLY)


@pytest.fixture
def meeting(claimant):
    """A 2-hour group meeting last week that the claimant attended (£50 at £25 an hour)."""
    return attended_meeting(claimant, title="Group meeting: the welcome leaflet")


@pytest.fixture
def claim(claimant, meeting):
    return services.start_or_get_claim(member=claimant, meeting=meeting, by=claimant.user)


@pytest.fixture
def client_of():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def claimant_client(claimant, client_of):
    return client_of(claimant.user)



def claim_url(claim: ExpenseClaim) -> str:
    return reverse("expenses:claim", args=[claim.pk])


def add_url(claim: ExpenseClaim, category: str) -> str:
    return reverse("expenses:add_item", args=[claim.pk, category])


def stored_receipts() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "receipts"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def main_text(response) -> str:
    return " ".join(Page(response.content.decode()).main()["text"].split())


def error_for(response, field_id: str) -> str:
    page = Page(response.content.decode())
    return " ".join(page.by_id(f"{field_id}-error")["text"].split())


def value_of(response, name: str) -> str:
    page = Page(response.content.decode())
    (element,) = [e for e in page.all() if e["attrs"].get("name") == name and e["tag"] in ("input", "textarea")]
    return element["attrs"].get("value", "") if element["tag"] == "input" else element["text"].strip("\n")


def member_lines(claim: ExpenseClaim):
    return claim.items.exclude(category=Category.INVOLVEMENT_PAYMENT)


# --- The claims list ---------------------------------------------------------------------------


def test_the_claims_list_shows_each_claim_with_its_status_total_and_payment(claimant, claimant_client):
    draft = ExpenseClaimFactory(member=claimant)
    ExpenseItemFactory(claim=draft, amount=Decimal("4.50"))
    paid = ExpenseClaimFactory(member=claimant, paid=True, payment_reference="BACS-7731", paid_on=dt.date(2026, 2, 3))
    ExpenseItemFactory(claim=paid, amount=Decimal("12.00"))
    ExpenseItemFactory(claim=paid, amount=Decimal("3.25"), category=Category.PUBLIC_TRANSPORT)

    response = claimant_client.get(reverse("expenses:claims"))

    assert response.status_code == 200
    text = main_text(response)
    assert "Draft" in text and "£4.50" in text
    assert "Paid" in text and "£15.25" in text
    assert "3 February 2026, reference BACS-7731" in text
    assert claim_url(draft) in response.content.decode()


def test_the_claims_list_offers_the_past_activities_the_member_can_claim_for(claimant, claimant_client):
    attended = attended_meeting(claimant, title="Attended and not claimed")
    not_taken_yet = attended_meeting(
        claimant, title="Attendance not taken yet", status=Registration.Status.REGISTERED, attendance_taken_at=None
    )
    attended_meeting(claimant, title="Did not come", status=Registration.Status.NO_SHOW)
    attended_meeting(claimant, title="Sent apologies", status=Registration.Status.APOLOGIES)
    claimed = attended_meeting(claimant, title="Already claimed")
    ExpenseClaimFactory(member=claimant, meeting=claimed)
    RegistrationFactory(member=claimant, meeting=MeetingFactory(title="Coming up next week"))
    cancelled = MeetingFactory(past=True, cancelled=True, title="Was cancelled")
    RegistrationFactory(member=claimant, meeting=cancelled)
    attended_meeting(MemberFactory(active=True), title="Someone else's meeting")

    text = main_text(claimant_client.get(reverse("expenses:claims")))

    assert "Claim for Attended and not claimed" in text
    assert "Claim for Attendance not taken yet" in text
    not_offered = ("Did not come", "Sent apologies", "Claim for Already claimed", "Coming up", "Was cancelled")
    for title in (*not_offered, "Someone else"):
        assert title not in text
    content = claimant_client.get(reverse("expenses:claims")).content.decode()
    assert reverse("expenses:start", args=[attended.pk]) in content
    assert reverse("expenses:start", args=[not_taken_yet.pk]) in content


def test_the_activities_offered_are_exactly_those_the_services_accept(claimant):
    for status in Registration.Status.values:
        attended_meeting(claimant, status=status)
        attended_meeting(claimant, status=status, attendance_taken_at=None)
    attended_meeting(claimant, starts_at=timezone.now() + dt.timedelta(days=3))

    offered = {registration.meeting_id for registration in claimable_registrations(claimant)}
    accepted = {
        registration.meeting_id
        for registration in Registration.objects.filter(member=claimant).select_related("meeting")
        if can_claim(member=claimant, meeting=registration.meeting)
    }
    assert offered == accepted
    assert len(offered) == 3  # attended (taken), registered and attended (not taken yet)


def test_a_member_with_nothing_to_claim_is_told_so_kindly(claimant_client):
    text = main_text(claimant_client.get(reverse("expenses:claims")))
    assert "There is nothing new to claim for." in text
    assert "You have not made any claims yet." in text


def test_the_claims_list_is_paginated(claimant, claimant_client):
    for _ in range(12):
        ExpenseClaimFactory(member=claimant)
    first = claimant_client.get(reverse("expenses:claims"))
    second = claimant_client.get(reverse("expenses:claims") + "?page=2")
    assert main_text(first).count("Activity date") == 10
    assert main_text(second).count("Activity date") == 2
    assert claimant_client.get(reverse("expenses:claims") + "?page=banana").status_code == 200


# --- The payment choice -----------------------------------------------------------------------


def test_the_payment_choice_page_shows_the_benefits_note_beside_the_choice(claimant_client):
    rules = ExpenseRules.load()
    response = claimant_client.get(reverse("expenses:preference"))
    assert response.status_code == 200
    text = main_text(response)
    assert rules.tax_and_benefits_text.split("\n")[0] in text
    assert "Expenses and involvement payments" in text and "Expenses only" in text and "No payments" in text
    assert rules.benefits_advice_url in response.content.decode()


def test_a_member_changes_their_payment_choice(claimant, claimant_client):
    response = claimant_client.post(reverse("expenses:preference"), {"payment_preference": EXPENSES_ONLY})
    assert response.status_code == 302
    assert response.url == reverse("expenses:claims")
    claimant.refresh_from_db()
    assert claimant.payment_preference == EXPENSES_ONLY


def test_a_payment_choice_must_be_one_of_the_options(claimant, claimant_client):
    response = claimant_client.post(reverse("expenses:preference"), {"payment_preference": "lots"})
    assert response.status_code == 200
    assert Page(response.content.decode()).title.startswith("Error: ")
    claimant.refresh_from_db()
    assert claimant.payment_preference == PAYMENTS


def test_changing_the_choice_from_a_claim_returns_there_and_updates_the_involvement_payment(claim, claimant_client):
    assert claim.items.filter(category=Category.INVOLVEMENT_PAYMENT).get().amount == Decimal("50.00")
    back = claim_url(claim)
    response = claimant_client.post(reverse("expenses:preference"), {"payment_preference": EXPENSES_ONLY, "next": back})
    assert response.url == back
    # Saving the choice (a POST) updates the open claim; opening the claim page writes nothing.
    assert not claim.items.filter(category=Category.INVOLVEMENT_PAYMENT).exists()
    claim.refresh_from_db()
    assert claim.payment_preference == EXPENSES_ONLY


def test_opening_a_claim_changes_nothing_even_if_the_choice_changed_elsewhere(claim, claimant, claimant_client):
    # Changed some other way (the admin, onboarding): the claim page only reads, and says so.
    Member.objects.filter(pk=claimant.pk).update(payment_preference=EXPENSES_ONLY)
    before = claim.updated_at
    with CaptureQueriesContext(connection) as queries:
        response = claimant_client.get(claim_url(claim))
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and "django_session" not in q["sql"]
    ]
    assert writes == []
    claim.refresh_from_db()
    assert claim.updated_at == before
    assert claim.items.filter(category=Category.INVOLVEMENT_PAYMENT).exists()
    assert "You have since changed your choice to “Expenses only”" in main_text(response)
    # Sending the claim brings it up to date first.
    services.add_item(claim=claim, category=Category.MILEAGE, miles="10", by=claimant.user)
    services.submit_claim(claim=claim, declaration=True, by=claimant.user)
    assert not claim.items.filter(category=Category.INVOLVEMENT_PAYMENT).exists()


def test_the_profile_links_to_the_one_payment_choice_page_with_the_groups_benefits_note(claimant, claimant_client):
    rules = ExpenseRules.load()
    rules.tax_and_benefits_text = "Payments over £20 a week may affect Universal Credit. Ask before you choose."
    rules.benefits_advice_name = "Citizens Advice Riverside"
    rules.benefits_advice_url = "https://advice.example/benefits"
    rules.save()
    profile = Page(claimant_client.get(reverse("members:profile")).content.decode())
    change = f"{reverse('expenses:preference')}?next={reverse('members:profile')}"
    assert change in {a["attrs"]["href"] for a in profile.all("a")}

    page = claimant_client.get(change)
    text = main_text(page)
    assert "Payments over £20 a week may affect Universal Credit. Ask before you choose." in text
    assert "Free, independent advice about benefits from Citizens Advice Riverside" in text
    assert 'href="https://advice.example/benefits"' in page.content.decode()
    assert Page(page.content.decode()).one("a", "nhsuk-back-link")["attrs"]["href"] == reverse("members:profile")

    saved = claimant_client.post(change, {"payment_preference": EXPENSES_ONLY, "next": reverse("members:profile")})
    assert saved.url == reverse("members:profile")
    claimant.refresh_from_db()
    assert claimant.payment_preference == EXPENSES_ONLY


def test_the_old_profile_payments_address_goes_to_the_one_page(claimant_client):
    response = claimant_client.get(reverse("members:profile_change", args=["payments"]))
    assert response.status_code == 302
    assert response.url == f"{reverse('expenses:preference')}?next={reverse('members:profile')}"


def test_the_payment_choice_never_returns_to_another_site(claimant_client):
    response = claimant_client.post(
        reverse("expenses:preference"), {"payment_preference": EXPENSES_ONLY, "next": "https://evil.example/expenses/"}
    )
    assert response.url == reverse("expenses:claims")


# --- Starting a claim ------------------------------------------------------------------------


def test_starting_a_claim_shows_the_activity_and_creates_nothing_until_the_member_starts(
    claimant, meeting, claimant_client
):
    url = reverse("expenses:start", args=[meeting.pk])
    response = claimant_client.get(url)
    assert response.status_code == 200
    text = main_text(response)
    assert meeting.title in text
    assert "involvement payment of £50.00" in text
    assert not ExpenseClaim.objects.exists()

    response = claimant_client.post(url)
    claim = ExpenseClaim.objects.get()
    assert response.url == claim_url(claim)
    assert (claim.member, claim.meeting, claim.status) == (claimant, meeting, Status.DRAFT)


def test_starting_a_claim_twice_makes_one_claim_and_the_second_opens_the_first(meeting, claimant_client):
    url = reverse("expenses:start", args=[meeting.pk])
    first = claimant_client.post(url)
    second = claimant_client.post(url)
    again = claimant_client.get(url)
    claim = ExpenseClaim.objects.get()
    assert first.url == second.url == again.url == claim_url(claim)
    assert ClaimEvent.objects.filter(claim=claim).count() == 1


@pytest.mark.parametrize(
    ("status", "taken", "message"),
    [
        (Registration.Status.NO_SHOW, True, "Our attendance record does not show you at this activity"),
        (Registration.Status.APOLOGIES, False, "You can only claim for an activity you were registered for"),
    ],
)
def test_a_member_cannot_claim_for_an_activity_they_did_not_attend(claimant, claimant_client, status, taken, message):
    meeting = attended_meeting(claimant, status=status, **({} if taken else {"attendance_taken_at": None}))
    url = reverse("expenses:start", args=[meeting.pk])
    for response in (claimant_client.get(url), claimant_client.post(url)):
        assert response.status_code == 200
        assert message in main_text(response)
        assert "Start your claim" not in main_text(response)
    assert not ExpenseClaim.objects.exists()


def test_a_member_cannot_claim_before_the_activity_has_happened(claimant, claimant_client):
    meeting = MeetingFactory()
    RegistrationFactory(member=claimant, meeting=meeting)
    response = claimant_client.post(reverse("expenses:start", args=[meeting.pk]))
    assert "You can claim once the activity has finished." in main_text(response)
    assert not ExpenseClaim.objects.exists()


def test_a_claim_for_an_activity_that_does_not_exist_is_not_found(claimant_client):
    assert claimant_client.get(reverse("expenses:start", args=[999999])).status_code == 404


# --- The claim page --------------------------------------------------------------------------


def test_the_claim_page_fills_in_the_activity_and_the_members_details(claimant, claim, claimant_client):
    response = claimant_client.get(claim_url(claim))
    assert response.status_code == 200
    text = main_text(response)
    assert claim.meeting.title in text
    assert timezone.localdate(claim.meeting.starts_at).strftime("%-d %B %Y") in text
    assert claimant.user.email in text
    assert "Expenses and involvement payments" in text
    assert "Involvement payment" in text and "2 hours at £25.00 an hour" in text
    assert "£50.00" in text
    assert "Draft" in text


def test_with_expenses_only_there_is_no_involvement_payment_line(claimant, meeting, claimant_client):
    claimant.payment_preference = EXPENSES_ONLY
    claimant.save()
    claimant_client.post(reverse("expenses:start", args=[meeting.pk]))
    claim = ExpenseClaim.objects.get()
    assert not claim.items.exists()
    text = main_text(claimant_client.get(claim_url(claim)))
    assert "There is no involvement payment on this claim because of your payment choice." in text


# --- Adding costs ------------------------------------------------------------------------------


def test_mileage_is_worked_out_from_the_miles_and_shown(claim, claimant_client):
    form = claimant_client.get(add_url(claim, "mileage"))
    assert "We pay 45p a mile" in main_text(form)
    response = claimant_client.post(add_url(claim, "mileage"), {"miles": "12.5", "description": "Home and back"})
    assert response.status_code == 302
    item = member_lines(claim).get()
    assert (item.category, item.miles, item.amount) == (Category.MILEAGE, Decimal("12.5"), Decimal("5.63"))
    page = claimant_client.get(claim_url(claim))
    text = main_text(page)
    assert "12.5 miles at 45p a mile" in text
    assert "£5.63" in text and "£55.63" in text
    assert "Mileage added: 12.5 miles at 45p a mile comes to £5.63." in text


@pytest.mark.parametrize(
    ("category", "kind"),
    [("public_transport", "pdf"), ("parking", "jpeg"), ("childcare", "png"), ("carer", "heic"), ("other", "jpeg_gps")],
)
def test_a_cost_is_added_with_its_receipt(claim, claimant_client, category, kind):
    response = claimant_client.post(
        add_url(claim, category),
        {"amount": "£7.20", "description": "Return ticket", "receipt": receipt_upload(kind)},
    )
    assert response.status_code == 302, main_text(response)
    item = member_lines(claim).get()
    assert (item.category, item.amount, item.description) == (category, Decimal("7.20"), "Return ticket")
    assert item.receipt and item.receipt_name
    assert item.receipt.name.split("/")[-1] != item.receipt_name  # stored under a random name
    page = claimant_client.get(claim_url(claim)).content.decode()
    assert reverse("receipts:download", args=[item.pk]) in page


def test_a_taxi_needs_a_reason(claim, claimant_client):
    response = claimant_client.post(add_url(claim, "taxi"), {"amount": "14.00", "taxi_reason": "  "})
    assert response.status_code == 200
    assert "Tell us why you needed a taxi" in error_for(response, "id_taxi_reason")
    assert value_of(response, "amount") == "14.00"
    assert not member_lines(claim).exists()

    response = claimant_client.post(
        add_url(claim, "taxi"), {"amount": "14.00", "taxi_reason": "No bus before 10am", "receipt": receipt_upload()}
    )
    assert response.status_code == 302
    assert member_lines(claim).get().taxi_reason == "No bus before 10am"
    assert "Why a taxi: No bus before 10am" in main_text(claimant_client.get(claim_url(claim)))


def test_another_cost_needs_to_say_what_it_was_for(claim, claimant_client):
    response = claimant_client.post(add_url(claim, "other"), {"amount": "3.00"})
    assert "Tell us what the cost was for." in error_for(response, "id_description")
    assert not member_lines(claim).exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "Enter the amount you spent."),
        ("-5", "The amount must be more than £0."),
        ("0", "The amount must be more than £0."),
        ("0.00", "The amount must be more than £0."),
        ("abc", "Enter the amount as a number, like 12.50."),
        ("NaN", "Enter the amount as a number, like 12.50."),
        ("Infinity", "Enter the amount as a number, like 12.50."),
        ("1e9", "The amount must be £1,000 or less."),
        ("250000", "The amount must be £1,000 or less."),
        ("9" * 400, "The amount must be £1,000 or less."),
        ("4,50", "Use a full stop between pounds and pence, like 4.50."),
        ("£1,250", "The amount must be £1,000 or less."),
    ],
)
def test_a_bad_amount_gets_a_message_by_the_field_and_keeps_what_was_typed(claim, claimant_client, amount, message):
    before = stored_receipts()
    response = claimant_client.post(
        add_url(claim, "parking"),
        {"amount": amount, "description": "Multi-storey on Mill Lane", "receipt": receipt_upload()},
    )
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.title.startswith("Error: ")
    assert message in error_for(response, "id_amount")
    assert value_of(response, "amount") == amount
    assert value_of(response, "description") == "Multi-storey on Mill Lane"
    assert "Please choose your file again." in main_text(response)
    assert not member_lines(claim).exists()
    assert stored_receipts() == before


@pytest.mark.parametrize(
    ("miles", "message"),
    [
        ("1000", "The miles must be 500 or fewer for one journey."),
        ("0", "The miles must be more than 0."),
        ("-3", "The miles must be more than 0."),
        ("twelve", "Enter the miles as a number, like 12.50."),
        ("12,5", "Use a full stop for part of a mile, like 12.5."),
        ("", "Enter how many miles you travelled."),
    ],
)
def test_bad_miles_get_a_message_by_the_field_and_keep_what_was_typed(claim, claimant_client, miles, message):
    response = claimant_client.post(add_url(claim, "mileage"), {"miles": miles, "description": "Home and back"})
    assert response.status_code == 200
    assert message in error_for(response, "id_miles")
    assert value_of(response, "miles") == miles
    assert value_of(response, "description") == "Home and back"
    assert not member_lines(claim).exists()


def _exe_renamed_pdf():
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200  # a Windows .exe
    return upload("receipt.pdf", program, "application/pdf")


def _html_file():
    return upload("receipt.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "text/html")


def _html_renamed_jpeg():
    return upload("receipt.jpg", b"<html><body onload=alert(1)>receipt</body></html>", "image/jpeg")


def _huge_photo():
    # 50 MB that starts like a JPEG: refused on its size before it is read.
    return upload("IMG_2041.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (50 * 1024 * 1024), "image/jpeg")


def _broken_photo():
    return upload("photo.jpg", b"\xff\xd8\xff\xe0" + b"not really a photo" * 10, "image/jpeg")


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (_exe_renamed_pdf, "The receipt must be a photo (JPEG, PNG or HEIC) or a PDF."),
        (_html_file, "The receipt must be a photo (JPEG, PNG or HEIC) or a PDF."),
        (_html_renamed_jpeg, "The receipt must be a photo (JPEG, PNG or HEIC) or a PDF."),
        (_huge_photo, "The file must be smaller than 10 MB. Yours is 50 MB"),
        (_broken_photo, "We could not open this photo."),
        (lambda: upload("empty.pdf", b"", "application/pdf"), "The file you chose is empty."),
    ],
    ids=["exe-renamed-pdf", "html", "html-renamed-jpeg", "50mb-photo", "broken-photo", "empty"],
)
def test_a_bad_receipt_gets_a_message_by_the_field_and_nothing_is_stored(claim, claimant_client, make_file, message):
    before = stored_receipts()
    response = claimant_client.post(
        add_url(claim, "public_transport"),
        {"amount": "3.20", "description": "Bus into town", "receipt": make_file()},
    )
    assert response.status_code == 200
    assert message in error_for(response, "id_receipt")
    assert value_of(response, "amount") == "3.20"
    assert value_of(response, "description") == "Bus into town"
    assert not member_lines(claim).exists()
    assert stored_receipts() == before


def test_a_long_description_gets_a_message_and_keeps_every_word(claim, claimant_client):
    text = "A very long description " * 20
    response = claimant_client.post(add_url(claim, "parking"), {"amount": "2.00", "description": text})
    assert "must be 200 characters or fewer" in error_for(response, "id_description")
    assert value_of(response, "description") == text
    assert not member_lines(claim).exists()


def test_sending_the_same_add_form_twice_adds_the_cost_once(claim, claimant_client):
    token = Page(claimant_client.get(add_url(claim, "parking")).content.decode()).one("input", name="token")
    data = {"token": token["attrs"]["value"], "amount": "4.50", "description": "Car park"}
    first = claimant_client.post(add_url(claim, "parking"), data)
    second = claimant_client.post(add_url(claim, "parking"), data)
    assert first.status_code == second.status_code == 302
    assert member_lines(claim).count() == 1

    # A fresh form (a new token) adds a second cost, as the member meant.
    fresh = Page(claimant_client.get(add_url(claim, "parking")).content.decode()).one("input", name="token")
    claimant_client.post(add_url(claim, "parking"), {**data, "token": fresh["attrs"]["value"]})
    assert member_lines(claim).count() == 2


def test_the_same_add_form_sent_twice_adds_once_even_if_the_cache_is_cleared_between(claim, claimant_client):
    from django.core.cache import cache

    token = Page(claimant_client.get(add_url(claim, "parking")).content.decode()).one("input", name="token")
    data = {"token": token["attrs"]["value"], "amount": "4.50", "description": "Car park"}
    assert claimant_client.post(add_url(claim, "parking"), data).status_code == 302
    cache.clear()
    second = claimant_client.post(add_url(claim, "parking"), data)
    assert second.status_code == 302
    assert member_lines(claim).count() == 1
    assert ItemFormToken.objects.filter(token=token["attrs"]["value"]).get().item == member_lines(claim).get()


def test_the_same_form_token_is_refused_by_the_services_too(claim, claimant):
    token = "5f0c4d2a9b8e4f3aa1b2c3d4e5f60718"
    first = services.add_item(claim=claim, category=Category.PARKING, amount="4.50", form_token=token)
    with pytest.raises(services.AlreadyAdded) as again:
        services.add_item(claim=claim, category=Category.PARKING, amount="4.50", form_token=token)
    assert again.value.item == first
    assert member_lines(claim).count() == 1


def test_a_form_refused_by_the_services_can_be_sent_again_with_the_same_token(claim, claimant_client, monkeypatch):
    token = Page(claimant_client.get(add_url(claim, "parking")).content.decode()).one("input", name="token")
    data = {"token": token["attrs"]["value"], "amount": "4.50"}
    real_add = services.add_item

    def refuse_once(**kwargs):
        monkeypatch.setattr(services, "add_item", real_add)
        raise services.ClaimError("The amount must be more than £0.", field="amount")

    monkeypatch.setattr(services, "add_item", refuse_once)
    refused = claimant_client.post(add_url(claim, "parking"), data)
    assert "The amount must be more than £0." in error_for(refused, "id_amount")
    assert claimant_client.post(add_url(claim, "parking"), data).status_code == 302
    assert member_lines(claim).count() == 1


def test_an_unknown_kind_of_cost_is_not_found(claim, claimant_client):
    assert claimant_client.get(add_url(claim, "involvement_payment")).status_code == 404
    assert claimant_client.get(add_url(claim, "holiday")).status_code == 404


# --- Changing and removing costs -----------------------------------------------------------------


def test_a_receipt_can_be_added_to_a_cost_later(claim, claimant_client):
    item = services.add_item(claim=claim, category=Category.PARKING, amount="4.50")
    page = main_text(claimant_client.get(claim_url(claim)))
    assert "Receipt needed" in page
    url = reverse("expenses:change_item", args=[claim.pk, item.pk])
    form = claimant_client.get(url)
    assert value_of(form, "amount") == "4.50"
    response = claimant_client.post(url, {"amount": "4.80", "receipt": receipt_upload("pdf")})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.amount == Decimal("4.80") and item.receipt_content_type == "application/pdf"
    assert "Receipt needed" not in main_text(claimant_client.get(claim_url(claim)))


def test_a_receipt_can_be_removed(claim, claimant_client, django_capture_on_commit_callbacks):
    item = services.add_item(claim=claim, category=Category.PARKING, amount="4.50", receipt=None)
    url = reverse("expenses:change_item", args=[claim.pk, item.pk])
    claimant_client.post(url, {"amount": "4.50", "receipt": receipt_upload()})
    item.refresh_from_db()
    assert item.receipt
    with django_capture_on_commit_callbacks(execute=True):
        claimant_client.post(url, {"amount": "4.50", "remove_receipt": "on"})
    item.refresh_from_db()
    assert not item.receipt


def test_a_bad_change_keeps_what_was_typed_and_changes_nothing(claim, claimant_client):
    item = services.add_item(claim=claim, category=Category.MILEAGE, miles="10")
    url = reverse("expenses:change_item", args=[claim.pk, item.pk])
    response = claimant_client.post(url, {"miles": "1,000"})
    assert "500 or fewer" in error_for(response, "id_miles")
    assert value_of(response, "miles") == "1,000"
    item.refresh_from_db()
    assert item.miles == Decimal("10.0")


def test_the_involvement_payment_line_cannot_be_changed_or_removed_by_hand(claim, claimant_client):
    line = claim.items.get(category=Category.INVOLVEMENT_PAYMENT)
    assert claimant_client.get(reverse("expenses:change_item", args=[claim.pk, line.pk])).status_code == 404
    assert claimant_client.get(reverse("expenses:remove_item", args=[claim.pk, line.pk])).status_code == 404
    assert claimant_client.post(reverse("expenses:remove_item", args=[claim.pk, line.pk])).status_code == 302
    assert claim.items.filter(pk=line.pk).exists()


def test_removing_a_cost_asks_first_and_removing_it_twice_is_harmless(claim, claimant_client):
    item = services.add_item(claim=claim, category=Category.PARKING, amount="4.50")
    url = reverse("expenses:remove_item", args=[claim.pk, item.pk])
    assert "Remove this cost?" in main_text(claimant_client.get(url))
    assert ExpenseItem.objects.filter(pk=item.pk).exists()
    first = claimant_client.post(url)
    second = claimant_client.post(url, follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert not ExpenseItem.objects.filter(pk=item.pk).exists()
    assert claimant_client.get(url).status_code == 404


def messages_after(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_removing_a_cost_a_second_time_says_it_was_already_removed(claim, claimant_client):
    item = services.add_item(claim=claim, category=Category.PARKING, amount="4.50")
    url = reverse("expenses:remove_item", args=[claim.pk, item.pk])
    assert messages_after(claimant_client.post(url, follow=True)) == ["Parking (£4.50) removed."]
    again = claimant_client.post(url, follow=True)
    assert messages_after(again) == ["That cost was already removed from your claim."]
    assert "has been removed" not in main_text(again)


def test_the_service_says_when_a_cost_was_already_removed(claim):
    item = services.add_item(claim=claim, category=Category.PARKING, amount="4.50")
    stale = ExpenseItem.objects.get(pk=item.pk)
    assert services.remove_item(item=item) is True
    assert services.remove_item(item=stale) is False


def test_removing_the_involvement_payment_says_it_was_not_removed(claim, claimant_client):
    line = claim.items.get(category=Category.INVOLVEMENT_PAYMENT)
    response = claimant_client.post(reverse("expenses:remove_item", args=[claim.pk, line.pk]), follow=True)
    assert messages_after(response) == [
        "The involvement payment was not removed: it follows your payment choice. "
        "To stop it, change your payment choice."
    ]
    assert claim.items.filter(pk=line.pk).exists()


def test_removing_another_members_cost_through_your_own_claim_is_not_found(claim, claimant_client, other_claimant):
    theirs = ExpenseItemFactory(claim=ExpenseClaimFactory(member=other_claimant))
    url = reverse("expenses:remove_item", args=[claim.pk, theirs.pk])
    assert claimant_client.get(url).status_code == 404
    assert claimant_client.post(url).status_code == 404
    assert ExpenseItem.objects.filter(pk=theirs.pk).exists()


# --- Deleting a draft ----------------------------------------------------------------------------


def delete_url(claim: ExpenseClaim) -> str:
    return reverse("expenses:delete_claim", args=[claim.pk])


def test_a_member_deletes_a_draft_they_opened_by_mistake(claim, claimant_client, django_capture_on_commit_callbacks):
    item = services.add_item(
        claim=claim, category=Category.PARKING, amount="4.50", receipt=validate_receipt(receipt_upload())
    )
    receipt = Path(item.receipt.path)
    assert receipt.exists()
    page = Page(claimant_client.get(claim_url(claim)).content.decode())
    assert page.by_id("delete-draft")["attrs"]["href"] == delete_url(claim)
    assert "Delete this draft" in page.by_id("delete-draft")["text"]

    asking = main_text(claimant_client.get(delete_url(claim)))
    assert "Are you sure you want to delete this draft?" in asking
    assert "receipts" in asking
    assert ExpenseClaim.objects.filter(pk=claim.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = claimant_client.post(delete_url(claim))
    assert response.status_code == 302 and response.url == reverse("expenses:claims")
    listed = claimant_client.get(response.url)
    assert messages_after(listed) == ["Your draft claim for Group meeting: the welcome leaflet has been deleted."]
    assert not ExpenseClaim.objects.filter(pk=claim.pk).exists()
    assert not ExpenseItem.objects.filter(claim_id=claim.pk).exists()
    assert not ClaimEvent.objects.filter(claim_id=claim.pk).exists()
    assert not receipt.exists()
    # The activity can be claimed for again.
    assert claim.meeting in [registration.meeting for registration in claimable_registrations(claim.member)]


def test_another_member_cannot_delete_a_draft(claim, other_claimant, client_of):
    client = client_of(other_claimant.user)
    assert client.get(delete_url(claim)).status_code == 404
    assert client.post(delete_url(claim)).status_code == 404
    assert ExpenseClaim.objects.filter(pk=claim.pk).exists()


@pytest.mark.parametrize("trait", ["submitted", "queried", "approved", "rejected", "paid"])
def test_a_claim_that_was_sent_cannot_be_deleted(claimant, claimant_client, trait):
    claim = ExpenseClaimFactory(member=claimant, **{trait: True})
    assert "delete-draft" not in claimant_client.get(claim_url(claim)).content.decode()
    for method in ("get", "post"):
        response = getattr(claimant_client, method)(delete_url(claim), follow=True)
        assert response.redirect_chain[-1][0] == claim_url(claim)
        assert "so it cannot be deleted" in " ".join(messages_after(response))
    assert ExpenseClaim.objects.filter(pk=claim.pk).exists()
    with pytest.raises(services.ClaimError, match="cannot be deleted"):
        services.delete_draft_claim(claim=claim, by=claimant.user)


def test_someone_logged_out_is_sent_to_log_in_to_delete_a_draft(anonymous, claim):
    for method in ("get", "post"):
        response = getattr(anonymous, method)(delete_url(claim))
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert ExpenseClaim.objects.filter(pk=claim.pk).exists()


def test_coordinators_cannot_delete_a_members_draft(claim, coordinator, client_of):
    activate_totp(coordinator)
    client = client_of(coordinator)
    assert client.get(delete_url(claim)).status_code == 403
    assert client.post(delete_url(claim)).status_code == 403
    assert ExpenseClaim.objects.filter(pk=claim.pk).exists()
    with pytest.raises(services.ClaimError, match="Only the member who made a claim"):
        services.delete_draft_claim(claim=claim, by=coordinator)
    assert ExpenseClaim.objects.filter(pk=claim.pk).exists()


def test_deleting_a_draft_twice_is_harmless(claim, claimant):
    services.delete_draft_claim(claim=claim, by=claimant.user)
    services.delete_draft_claim(claim=claim, by=claimant.user)
    assert not ExpenseClaim.objects.filter(pk=claim.pk).exists()


# --- Sending the claim --------------------------------------------------------------------------


def test_sending_needs_the_declaration(claim, claimant_client):
    services.add_item(claim=claim, category=Category.MILEAGE, miles="10")
    response = claimant_client.post(reverse("expenses:submit", args=[claim.pk]), {})
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.title.startswith("Error: ")
    assert "Confirm the declaration to send your claim." in error_for(response, "id_declaration")
    assert page.one("a", href="#id_declaration_0")
    tampered = claimant_client.post(reverse("expenses:submit", args=[claim.pk]), {"declaration": "yes please"})
    assert "Confirm the declaration to send your claim." in error_for(tampered, "id_declaration")
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT


def test_the_declaration_is_one_fieldset_with_clear_wording(claim, claimant_client):
    page = Page(claimant_client.get(claim_url(claim)).content.decode())
    (checkbox,) = [e for e in page.all("input", type="checkbox") if e["attrs"]["name"] == "declaration"]
    fieldsets = [p for p in checkbox["parents"] if p["tag"] == "fieldset"]
    assert len(fieldsets) == 1
    assert "Declaration" in page.one("legend")["text"]
    label = " ".join(page.one("label", **{"for": checkbox["attrs"]["id"]})["text"].split())
    assert label.startswith("I confirm that I took part in this activity")


def test_a_claim_with_a_missing_receipt_is_not_sent_and_says_which(claim, claimant_client):
    item = services.add_item(claim=claim, category=Category.PARKING, amount="4.50")
    response = claimant_client.post(reverse("expenses:submit", args=[claim.pk]), {"declaration": "confirmed"})
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.one("a", href="#your-costs")
    assert "Add a receipt for: parking (£4.50)." in main_text(response)
    assert reverse("expenses:change_item", args=[claim.pk, item.pk]) in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT


def test_a_member_sends_a_claim_and_is_emailed_once_even_if_they_press_twice(
    claim, claimant_client, celery_eager, django_capture_on_commit_callbacks
):
    services.add_item(claim=claim, category=Category.MILEAGE, miles="10")
    url = reverse("expenses:submit", args=[claim.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = claimant_client.post(url, {"declaration": "confirmed"})
        second = claimant_client.post(url, {"declaration": "confirmed"})
    assert first.url == second.url == claim_url(claim)
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED and claim.declaration_accepted_at
    assert claim.events.filter(to_status=Status.SUBMITTED).count() == 1
    (message,) = mail.outbox
    assert message.subject.startswith("We have your expense claim")

    page = claimant_client.get(claim_url(claim))
    text = main_text(page)
    assert "Your claim has been sent." in text
    assert "You sent the claim to the team." in text
    assert "Add a cost" not in text and "Send claim" not in text


def test_save_as_draft_keeps_the_claim_and_says_so(claim, claimant_client):
    response = claimant_client.post(reverse("expenses:submit", args=[claim.pk]), {"action": "draft"}, follow=True)
    assert "Your claim is saved. You can come back and send it at any time." in main_text(response)
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT


def test_a_sent_claim_cannot_be_changed(claim, claimant_client):
    item = services.add_item(claim=claim, category=Category.MILEAGE, miles="10")
    services.submit_claim(claim=claim, declaration=True)
    for url, data in [
        (add_url(claim, "parking"), {"amount": "4.00"}),
        (reverse("expenses:change_item", args=[claim.pk, item.pk]), {"miles": "20"}),
        (reverse("expenses:remove_item", args=[claim.pk, item.pk]), {}),
    ]:
        response = claimant_client.post(url, data, follow=True)
        assert response.status_code == 200
        assert "so it cannot be changed" in main_text(response)
    item.refresh_from_db()
    assert item.miles == Decimal("10.0")
    assert member_lines(claim).count() == 1


# --- A question from the team, and payment -----------------------------------------------------------


def test_a_member_answers_a_question_adds_a_receipt_and_sends_the_claim_back(
    claim, claimant_client, celery_eager, django_capture_on_commit_callbacks
):
    item = services.add_item(claim=claim, category=Category.PARKING, amount="4.50", receipt=None)
    ExpenseRules.objects.filter(pk=1).update(receipt_required_for=[])
    services.submit_claim(claim=claim, declaration=True)
    approver = FinanceApproverFactory()
    services.query_claim(claim=claim, by=approver, message="Could you add the parking ticket, please?")

    page = main_text(claimant_client.get(claim_url(claim)))
    assert "We have a question about your claim" in page
    assert "Could you add the parking ticket, please?" in page
    assert "Your reply to the team (optional)" in page

    change = reverse("expenses:change_item", args=[claim.pk, item.pk])
    assert claimant_client.post(change, {"amount": "4.50", "receipt": receipt_upload("pdf")}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = claimant_client.post(
            reverse("expenses:submit", args=[claim.pk]),
            {"declaration": "confirmed", "message": "I have added the ticket."},
        )
    assert response.url == claim_url(claim)
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED
    resent = claim.events.order_by("-at", "-pk").first()
    assert (resent.from_status, resent.message) == (Status.QUERIED, "I have added the ticket.")
    text = main_text(claimant_client.get(claim_url(claim)))
    assert "The team asked you a question." in text
    assert "You sent the claim back to the team." in text
    assert "I have added the ticket." in text
    assert [m.subject.split(" – ")[0] for m in mail.outbox] == ["We have your expense claim"]


def test_a_reply_that_is_too_long_keeps_every_word(claim, claimant_client):
    services.add_item(claim=claim, category=Category.MILEAGE, miles="10")
    services.submit_claim(claim=claim, declaration=True)
    services.query_claim(claim=claim, by=FinanceApproverFactory(), message="Which route did you take?")
    reply = "I went the long way round because of the roadworks. " * 50
    response = claimant_client.post(
        reverse("expenses:submit", args=[claim.pk]), {"declaration": "confirmed", "message": reply}
    )
    assert "Your reply must be 2000 characters or fewer" in error_for(response, "id_message")
    assert value_of(response, "message") == reply.strip("\n")
    claim.refresh_from_db()
    assert claim.status == Status.QUERIED


def test_a_rejected_claim_shows_the_reason_and_who_to_contact(claimant, claimant_client):
    claim = ExpenseClaimFactory(member=claimant, rejected=True, rejection_reason="We cannot pay for meals.")
    text = main_text(claimant_client.get(claim_url(claim)))
    assert "We cannot pay this claim" in text
    assert "We cannot pay for meals." in text
    assert "please get in touch" in text


def test_a_paid_claim_shows_when_it_was_paid_and_the_reference(claimant, claimant_client):
    claim = ExpenseClaimFactory(member=claimant, paid=True, paid_on=dt.date(2026, 3, 2), payment_reference="BACS-2201")
    ExpenseItemFactory(claim=claim, amount=Decimal("9.99"))
    text = main_text(claimant_client.get(claim_url(claim)))
    assert "Paid on 2 March 2026" in text
    assert "Payment reference BACS-2201" in text
    assert "Amount £9.99" in text


def test_an_approved_claim_says_what_will_be_paid_and_when(claimant, claimant_client):
    claim = ExpenseClaimFactory(member=claimant, approved=True)
    ExpenseItemFactory(claim=claim, amount=Decimal("6.00"))
    text = main_text(claimant_client.get(claim_url(claim)))
    assert "We will pay you £6.00." in text
    assert "usually takes up to 2 weeks" in text


# --- Who may see a claim -------------------------------------------------------------------------


def _claim_urls(claim: ExpenseClaim, item: ExpenseItem) -> list[tuple[str, str]]:
    return [
        ("get", claim_url(claim)),
        ("post", reverse("expenses:submit", args=[claim.pk])),
        ("get", add_url(claim, "parking")),
        ("post", add_url(claim, "parking")),
        ("get", reverse("expenses:change_item", args=[claim.pk, item.pk])),
        ("post", reverse("expenses:change_item", args=[claim.pk, item.pk])),
        ("get", reverse("expenses:remove_item", args=[claim.pk, item.pk])),
        ("post", reverse("expenses:remove_item", args=[claim.pk, item.pk])),
        ("get", reverse("expenses:delete_claim", args=[claim.pk])),
        ("post", reverse("expenses:delete_claim", args=[claim.pk])),
    ]


@pytest.fixture
def someone_elses_claim(other_claimant):
    claim = ExpenseClaimFactory(member=other_claimant)
    item = ExpenseItemFactory(claim=claim, with_receipt=True)
    return claim, item


def test_a_member_cannot_see_or_change_another_members_claim(claimant_client, someone_elses_claim):
    claim, item = someone_elses_claim
    for method, url in _claim_urls(claim, item):
        response = getattr(claimant_client, method)(url, {"amount": "1.00", "declaration": "confirmed"})
        assert response.status_code == 404, (method, url)
    assert claimant_client.get(reverse("receipts:download", args=[item.pk])).status_code == 404
    assert claimant_client.post(reverse("expenses:start", args=[claim.meeting.pk])).status_code == 200
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT and claim.items.count() == 1
    assert ExpenseClaim.objects.count() == 1


def test_a_commissioner_is_refused_every_claim_page(commissioner, client_of, someone_elses_claim):
    claim, item = someone_elses_claim
    activate_totp(commissioner)
    client = client_of(commissioner)
    pages = [("get", reverse("expenses:claims")), ("get", reverse("expenses:preference"))]
    pages += [("get", reverse("expenses:start", args=[claim.meeting.pk]))]
    for method, url in pages + _claim_urls(claim, item):
        assert getattr(client, method)(url).status_code == 403, (method, url)


def test_someone_logged_out_is_sent_to_log_in_from_every_claim_page(anonymous, someone_elses_claim):
    claim, item = someone_elses_claim
    pages = [("get", reverse("expenses:claims")), ("get", reverse("expenses:preference"))]
    pages += [("post", reverse("expenses:start", args=[claim.meeting.pk]))]
    for method, url in pages + _claim_urls(claim, item):
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302, (method, url)
        assert response.url.startswith(reverse("account_login")), (method, url)


def test_a_staff_account_without_a_member_record_has_no_claim_pages(coordinator, client_of):
    activate_totp(coordinator)
    assert client_of(coordinator).get(reverse("expenses:claims")).status_code == 403


# --- Queries stay flat as data grows ------------------------------------------------------------------


def _queries(client, url: str) -> int:
    client.get(url)  # the first request fills caches (group profile, rules) that later ones reuse
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _claims_with_items(member, count: int) -> list[ExpenseClaim]:
    claims = []
    for _ in range(count):
        claim = ExpenseClaimFactory(member=member, paid=True)
        ExpenseItemFactory(claim=claim, with_receipt=True)
        ExpenseItemFactory(claim=claim, mileage=True)
        claims.append(claim)
        attended_meeting(member)  # one more activity to claim for
    return claims


def test_the_claims_list_makes_the_same_number_of_queries_for_more_claims(claimant, claimant_client):
    _claims_with_items(claimant, 2)
    few = _queries(claimant_client, reverse("expenses:claims"))
    _claims_with_items(claimant, 20)
    many = _queries(claimant_client, reverse("expenses:claims"))
    assert many == few
    assert few <= 14


def test_the_claim_page_makes_the_same_number_of_queries_for_more_costs(claim, claimant_client):
    ExpenseRules.objects.filter(pk=1).update(receipt_required_for=[])
    services.add_item(claim=claim, category=Category.MILEAGE, miles="10")
    few = _queries(claimant_client, claim_url(claim))
    for index in range(15):
        services.add_item(claim=claim, category=Category.PARKING, amount=f"{index + 1}.00", description=f"Park {index}")
        ExpenseItemFactory(claim=claim, with_receipt=True)
    services.submit_claim(claim=claim, declaration=True)
    services.query_claim(claim=claim, by=FinanceApproverFactory(), message="Which car park?")
    many = _queries(claimant_client, claim_url(claim))
    assert many == few
    assert few <= 16


def test_the_add_cost_form_and_receipts_use_real_files(claim, claimant_client):
    # A sanity check that the factories' files are what the upload checks expect.
    assert jpeg_bytes().startswith(b"\xff\xd8\xff") and pdf_bytes().startswith(b"%PDF-")
    response = claimant_client.get(add_url(claim, "parking"))
    page = Page(response.content.decode())
    form = page.one("form", enctype="multipart/form-data")
    assert form
    receipt = page.one("input", name="receipt")
    assert "application/pdf" in receipt["attrs"]["accept"]


# --- Receipts for mileage ---------------------------------------------------------------------------


def test_mileage_offers_a_receipt_and_it_is_optional_unless_the_rules_ask(claim, claimant_client):
    page = claimant_client.get(add_url(claim, "mileage"))
    form = Page(page.content.decode())
    assert form.one("input", name="receipt")["attrs"]["type"] == "file"
    assert "Optional." in main_text(page)
    assert "You do not need a receipt." in main_text(page)
    response = claimant_client.post(add_url(claim, "mileage"), {"miles": "10"})
    assert response.status_code == 302
    assert services.submit_claim(claim=claim, declaration=True).status == Status.SUBMITTED


def test_when_the_rules_need_a_receipt_for_mileage_the_member_can_add_one_and_send(claim, claimant_client):
    rules = ExpenseRules.load()
    rules.receipt_required_for = [*rules.receipt_required_for, Category.MILEAGE]
    rules.save()
    page = claimant_client.get(add_url(claim, "mileage"))
    assert "we need it before you send the claim" in main_text(page)
    assert "You do not need a receipt." not in main_text(page)

    # Added without one, the claim cannot be sent and says why.
    claimant_client.post(add_url(claim, "mileage"), {"miles": "10"})
    mileage = claim.items.get(category=Category.MILEAGE)
    with pytest.raises(services.ClaimError, match="Add a receipt for: mileage"):
        services.submit_claim(claim=claim, declaration=True)

    # The member adds the fuel receipt to the mileage line, and then it can be sent.
    change = reverse("expenses:change_item", args=[claim.pk, mileage.pk])
    assert Page(claimant_client.get(change).content.decode()).one("input", name="receipt")
    response = claimant_client.post(change, {"miles": "10", "receipt": receipt_upload("jpeg", name="fuel.jpg")})
    assert response.status_code == 302
    mileage.refresh_from_db()
    assert mileage.receipt and mileage.receipt_name == "fuel.jpg"
    assert mileage.amount == Decimal("4.50")
    response = claimant_client.post(reverse("expenses:submit", args=[claim.pk]), {"declaration": ["confirmed"]})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED


def test_a_mileage_receipt_can_be_added_with_the_miles(claim, claimant_client):
    response = claimant_client.post(
        add_url(claim, "mileage"), {"miles": "12.5", "receipt": receipt_upload("pdf", name="fuel.pdf")}
    )
    assert response.status_code == 302
    mileage = claim.items.get(category=Category.MILEAGE)
    assert mileage.receipt_content_type == "application/pdf"
    assert mileage.amount == Decimal("5.63")  # 12.5 miles at 45p, to the penny
