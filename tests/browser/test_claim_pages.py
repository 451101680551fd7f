"""The expense claim pages in a real Chromium: axe-core finds nothing to fix (WCAG 2.2 A and AA)
at 320px and 1280px, nothing scrolls sideways on a phone, and a member can make a claim with a
receipt using the keyboard alone.

Kept quick: one test per width walks every claim page in one browser tab.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import WIDTHS, log_in
from .test_accessibility import check_page

pytestmark = pytest.mark.browser


@pytest.fixture
def claims(group_profile):
    """Amira (involvement payments) with: a draft claim with mileage, a parking cost with a receipt
    and a taxi waiting for its receipt; a claim the team queried; a paid one; and an activity
    she has not claimed for yet. Long titles and file names check the 320px layout."""
    from expenses import services
    from expenses.models import Category, ExpenseClaim
    from expenses.tests.factories import (
        ExpenseClaimFactory,
        ExpenseItemFactory,
        FinanceApproverFactory,
        MemberFactory,
        attended_meeting,
        receipt_upload,
    )
    from expenses.uploads import validate_receipt
    from members.models import Member
    from members.tests.factories import give_consents

    amira = MemberFactory(
        user__email="amira@example.org",
        user__name="Amira Khan",
        active=True,
        payment_preference=Member.PaymentPreference.INVOLVEMENT_PAYMENTS,
    )
    give_consents(amira)
    meeting = attended_meeting(amira, title="Group meeting: the new welcome leaflet and the partners' page")
    draft = services.start_or_get_claim(member=amira, meeting=meeting)
    services.add_item(claim=draft, category=Category.MILEAGE, miles="14.5", description="Home to the centre and back")
    services.add_item(
        claim=draft,
        category=Category.PARKING,
        amount="4.50",
        description="Multi-storey car park on Mill Lane",
        receipt=validate_receipt(receipt_upload("jpeg", name="IMG_20260310_101523_car_park_ticket_receipt.jpg")),
    )
    services.add_item(
        claim=draft, category=Category.TAXI, amount="12.80", taxi_reason="No bus before 10am with the pushchair."
    )

    queried = services.start_or_get_claim(member=amira, meeting=attended_meeting(amira, title="Focus group"))
    services.add_item(claim=queried, category=Category.MILEAGE, miles="8")
    services.submit_claim(claim=queried, declaration=True)
    services.query_claim(claim=queried, by=FinanceApproverFactory(), message="Was the 8 miles there and back?")

    paid = ExpenseClaimFactory(member=amira, paid=True, payment_reference="BACS-2201")
    ExpenseItemFactory(claim=paid, with_receipt=True)

    unclaimed = attended_meeting(amira, title="Interview panel: peer support worker")
    assert ExpenseClaim.objects.filter(member=amira).count() == 3
    return {"amira": amira, "draft": draft, "queried": queried, "paid": paid, "unclaimed": unclaimed}


@pytest.mark.parametrize("viewport", WIDTHS)
def test_claim_pages_have_no_accessibility_violations(page, context, portal, claims, viewport):
    draft = claims["draft"]
    parking = draft.items.get(category="parking")
    log_in(context, portal, claims["amira"].user)
    paths = [
        "/expenses/",
        f"/expenses/claims/{draft.pk}/",
        f"/expenses/claims/{claims['queried'].pk}/",
        f"/expenses/claims/{claims['paid'].pk}/",
        f"/expenses/claim/{claims['unclaimed'].pk}/",
        f"/expenses/claims/{draft.pk}/add/mileage/",
        f"/expenses/claims/{draft.pk}/add/taxi/",
        f"/expenses/claims/{draft.pk}/items/{parking.pk}/",
        f"/expenses/claims/{draft.pk}/items/{parking.pk}/remove/",
        f"/expenses/claims/{draft.pk}/delete/",
        "/expenses/preference/",
    ]
    for path in paths:
        page.goto(f"{portal}{path}")
        check_page(page, viewport)
    page.goto(f"{portal}/expenses/claims/{draft.pk}/")
    assert page.locator("#claim-total").inner_text().strip().endswith("£73.83")  # 14.5 × 45p + 4.50 + 12.80 + £50


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_add_cost_form_with_errors_has_no_accessibility_violations(page, context, portal, claims, viewport):
    draft = claims["draft"]
    log_in(context, portal, claims["amira"].user)
    page.goto(f"{portal}/expenses/claims/{draft.pk}/add/public_transport/")
    page.locator("input[name=amount]").fill("-5")
    page.locator("input[name=description]").fill("Return bus ticket")
    page.locator("input[name=receipt]").set_input_files(
        files=[{"name": "ticket.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 not a pdf"}]
    )
    with page.expect_navigation():
        page.locator("#save-cost").click()
    assert page.title().startswith("Error: ")
    assert page.locator(".nhsuk-error-summary").count() == 1
    assert page.locator("input[name=amount]").input_value() == "-5"
    assert page.locator("input[name=description]").input_value() == "Return bus ticket"
    check_page(page, viewport)

    page.goto(f"{portal}/expenses/claims/{draft.pk}/")
    with page.expect_navigation():
        page.locator("#send-claim").click()
    assert page.title().startswith("Error: ")
    check_page(page, viewport)


def tab_to(page, selector: str, *, limit: int = 120) -> None:
    """Presses Tab until the focused element matches ``selector``."""
    focused = "(selector) => !!document.activeElement && document.activeElement.matches(selector)"
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(focused, selector):
            return
    pytest.fail(f"Tab never reached {selector} on {page.url}")


def test_a_member_can_claim_with_a_receipt_using_the_keyboard_alone(page, context, portal, claims, tmp_path: Path):
    from expenses.models import ExpenseClaim
    from expenses.tests.factories import pdf_bytes

    amira, meeting = claims["amira"], claims["unclaimed"]
    ticket = tmp_path / "bus-ticket.pdf"
    ticket.write_bytes(pdf_bytes("Riverside Buses day return 6.40"))
    log_in(context, portal, amira.user)
    page.goto(f"{portal}/expenses/")

    tab_to(page, f'a[href="/expenses/claim/{meeting.pk}/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#start-claim")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    claim = ExpenseClaim.objects.get(member=amira, meeting=meeting)
    assert page.url.endswith(f"/expenses/claims/{claim.pk}/")

    tab_to(page, f'a[href="/expenses/claims/{claim.pk}/add/public_transport/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "input[name=amount]")
    page.keyboard.type("6.40")
    tab_to(page, "input[name=description]")
    page.keyboard.type("Return bus ticket")
    # The file picker is the operating system's; choosing the file once the control has the
    # keyboard focus is what a keyboard user does in it.
    tab_to(page, ".nhsuk-file-upload button, input[name=receipt]")
    page.locator("input[name=receipt]").set_input_files(str(ticket))
    tab_to(page, "#save-cost")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Bus, train or tram added: £6.40." in page.locator("main").inner_text()

    tab_to(page, "input[name=declaration]")
    page.keyboard.press("Space")
    assert page.locator("input[name=declaration]").is_checked()
    tab_to(page, "#send-claim")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.SUBMITTED
    bus = claim.items.get(category="public_transport")
    assert bus.receipt_content_type == "application/pdf" and bus.receipt_name == "bus-ticket.pdf"
    assert "Your claim has been sent." in page.locator("main").inner_text()
