"""The survey pages in a real Chromium: axe-core finds nothing to fix (WCAG 2.2 A and AA) on every
page a respondent or reviewer sees, at 320px and 1280px, nothing scrolls sideways on a phone, and
a whole survey (with the partners' section, checkboxes, "Other", text and a number) can be
answered, checked, changed and sent with the keyboard alone.

Kept quick: one test per width walks every page in one browser tab.
"""

from __future__ import annotations

import pytest

from .conftest import WIDTHS, log_in
from .test_accessibility import check_page

pytestmark = pytest.mark.browser


@pytest.fixture
def surveys(group_profile):
    from surveys.models import Survey
    from surveys.tests.factories import UserFactory, choice, partners_survey, respondent

    amira = respondent(user=UserFactory(name="Amira Khan", email="amira@example.org"))
    member_survey = partners_survey(title="Your experience of the perinatal service and the support you were offered")
    public = partners_survey(public=True, title="Where and when should support happen?")
    review = partners_survey(status=Survey.Status.REVIEW, title="Helping partners feel included")
    review["survey"].reviewers.add(amira)
    return {"amira": amira, "member": member_survey, "public": public, "review": review, "choice": choice}


def _walk(page, viewport, start: str, world, choice) -> None:
    """Start, every page (with an error first), check your answers, send, thank you."""
    page.goto(start)
    check_page(page, viewport)
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()  # the required question, unanswered
    assert page.title().startswith("Error: ")
    check_page(page, viewport)
    page.get_by_label("A partner", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert "For partners and family" in page.locator("h1").inner_text()
    check_page(page, viewport)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    page.get_by_label("Other – please say").check()
    page.get_by_label("Please say (optional)").fill("My sister")
    check_page(page, viewport)  # with the "Other" box revealed
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert "Check your answers" in page.locator("h1").inner_text()
    check_page(page, viewport)
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert "Your answers have been sent" in page.locator("h1").inner_text()
    check_page(page, viewport)


@pytest.mark.parametrize("viewport", WIDTHS)
def test_survey_pages_for_members_have_no_accessibility_violations(page, context, portal, surveys, viewport):
    log_in(context, portal, surveys["amira"].user)
    page.goto(f"{portal}/surveys/")
    check_page(page, viewport)
    survey = surveys["member"]["survey"]
    _walk(page, viewport, f"{portal}/surveys/{survey.pk}/", surveys["member"], surveys["choice"])
    page.goto(f"{portal}/surveys/{survey.pk}/")
    assert "You have already answered" in page.locator("h1").inner_text()
    check_page(page, viewport)


@pytest.mark.parametrize("viewport", WIDTHS)
def test_public_survey_pages_have_no_accessibility_violations(page, portal, surveys, viewport):
    survey = surveys["public"]["survey"]
    _walk(page, viewport, f"{portal}/surveys/s/{survey.public_key}/", surveys["public"], surveys["choice"])


@pytest.mark.parametrize("viewport", WIDTHS)
def test_member_review_pages_have_no_accessibility_violations(page, context, portal, surveys, viewport):
    log_in(context, portal, surveys["amira"].user)
    survey, question = surveys["review"]["survey"], surveys["review"]["rating"]
    page.goto(f"{portal}/surveys/{survey.pk}/review/")
    check_page(page, viewport)
    page.goto(f"{portal}/surveys/{survey.pk}/review/{question.pk}/")
    check_page(page, viewport)
    with page.expect_navigation():
        page.get_by_role("button", name="Send my comment").click()  # nothing chosen or written
    assert page.title().startswith("Error: ")
    check_page(page, viewport)


def _tab_to(page, describe: str, test: str, limit: int = 80) -> None:
    """Presses Tab until the focused element passes ``test`` (JavaScript, given ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!(el && ({test})); }})()"):
            return
    pytest.fail(f"Tab never reached {describe}")


def _focused_label(text: str) -> str:
    return f"el.labels && el.labels[0] && el.labels[0].innerText.trim() === {text!r}"


def test_a_whole_survey_can_be_answered_with_the_keyboard_alone(page, context, portal, surveys):
    from surveys.models import Answer, Participation, Response

    world = surveys["member"]
    survey = world["survey"]
    log_in(context, portal, surveys["amira"].user)
    page.goto(f"{portal}/surveys/{survey.pk}/")

    _tab_to(page, "Start now", "el.innerText && el.innerText.trim() === 'Start now'")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Page 1: a radio, chosen with the arrow keys inside its group.
    _tab_to(page, "the first answer", _focused_label("A mother or birthing person"))
    page.keyboard.press("ArrowDown")  # moves to and selects "A partner"
    assert page.evaluate("document.activeElement.checked")
    _tab_to(page, "Continue", "el.innerText && el.innerText.trim() === 'Continue'")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Page 2: the partners' section.
    assert "For partners and family" in page.locator("h1").inner_text()
    _tab_to(page, "Agree", _focused_label("Strongly agree"))
    page.keyboard.press("ArrowDown")
    _tab_to(page, "Continue", "el.innerText && el.innerText.trim() === 'Continue'")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Page 3: radios, checkboxes with "Other", words and a number.
    _tab_to(page, "Very good", _focused_label("Very good"))
    page.keyboard.press("Space")
    _tab_to(page, "Home visits", _focused_label("Home visits"))
    page.keyboard.press("Space")
    _tab_to(page, "Other", _focused_label("Other – please say"))
    page.keyboard.press("Space")
    _tab_to(page, "the Other box", _focused_label("Please say (optional)"))
    page.keyboard.type("My sister")
    _tab_to(page, "the words box", "el.tagName === 'TEXTAREA'")
    page.keyboard.type("Thank you for listening.")
    _tab_to(page, "the number box", _focused_label("How many appointments did you have?"))
    page.keyboard.type("6")
    _tab_to(page, "Continue", "el.innerText && el.innerText.trim() === 'Continue'")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Check your answers: change the first answer, come back, send.
    assert "Check your answers" in page.locator("h1").inner_text()
    _tab_to(page, "the first Change link", "el.innerText && el.innerText.includes('Are you answering as')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "the chosen answer", "el.checked === true")
    page.keyboard.press("ArrowDown")  # "A family member"
    _tab_to(page, "Save and go back", "el.innerText && el.innerText.includes('go back to check your answers')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "A family member" in page.locator("main").inner_text()
    _tab_to(page, "Send my answers", "el.innerText && el.innerText.trim() === 'Send my answers'", limit=150)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "Your answers have been sent" in page.locator("h1").inner_text()
    assert Participation.objects.filter(survey=survey, member=surveys["amira"]).exists()
    response = Response.objects.get(survey=survey)
    assert response.member is None
    chosen = set(Answer.objects.filter(response=response).values_list("choice__label", flat=True))
    assert {"A family member", "Agree", "Very good", "Home visits", "Other – please say"} <= chosen
    assert Answer.objects.get(response=response, question=world["words"]).text == "Thank you for listening."
    assert Answer.objects.get(response=response, question=world["helped"], choice__is_other=True).text == "My sister"


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_results_pages_with_charts_have_no_accessibility_violations(page, context, portal, surveys, viewport):
    """Staff and commissioner pages, checked too because the charts and their tables are shared
    with the reports: the SVG's text alternative, the tables and the filter must pass axe."""
    from members.tests.factories import CoordinatorFactory
    from surveys.tests.factories import answer, respondent

    from .test_admin_accessibility import log_in_with_two_step

    world = surveys["member"]
    choice = surveys["choice"]
    for label in ["A partner", "A partner", "A mother or birthing person"]:
        answer(
            world["survey"],
            {
                world["who"]: {"choices": [choice(world["who"], label).pk]},
                world["words"]: {"text": "Kind staff"},
                world["visits"]: {"number": "4"},
            },
            member=respondent(),
        )
    log_in_with_two_step(context, portal, CoordinatorFactory(email="chloe@example.org"))
    survey = world["survey"]
    for path in [
        "/staff/surveys/",
        f"/staff/surveys/{survey.pk}/results/",
        f"/staff/surveys/{survey.pk}/results/?answer={choice(world['who'], 'A partner').pk}",
        f"/staff/surveys/{survey.pk}/summary/",
        f"/staff/surveys/{survey.pk}/questions/{world['words'].pk}/answers/",
        f"/staff/surveys/{survey.pk}/invite/?q=a",
    ]:
        page.goto(f"{portal}{path}")
        check_page(page, viewport)
