"""The resource library in a real Chromium: axe-core finds nothing to fix (WCAG 2.2 A and AA) on
the public library (browsing and a search), a resource page, an earlier version, the review
page and "what happened to my feedback", at 320px and 1280px with nothing scrolling sideways;
and a member gives feedback on a draft with the keyboard alone.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import NARROW, WIDTHS, log_in
from .test_accessibility import check_page

pytestmark = pytest.mark.browser


@pytest.fixture
def library(group_profile):
    """A published leaflet (two versions, sources, a named credit, an Easy Read and a Polish
    version) and a draft in review with Amira invited; Beth's answered feedback on another."""
    from library import services
    from library.models import Format, Language, Resource, Source, Topic
    from library.tests.factories import credit, publish, published_resource, resource, reviewer

    topic, _ = Topic.objects.get_or_create(slug="depression", defaults={"name": "Depression"})
    amira = reviewer(email="amira@example.org", name="Amira Khan")
    beth = reviewer(email="beth@example.org", name="Beth Jones")
    leaflet = resource(
        title="Feeling low after having a baby: when it is more than the baby blues and where to get help",
        topics=[topic],
    )
    Source.objects.create(
        resource=leaflet,
        title="Antenatal and postnatal mental health: clinical management and service guidance (CG192)",
        publisher="NICE",
        url="https://www.nice.org.uk/guidance/cg192",
    )
    credit(leaflet, amira, named=True, credited_as="Amira")
    credit(leaflet, beth)
    publish(leaflet)
    services.move_resource(resource=leaflet, to=Resource.Status.DRAFT)
    publish(leaflet, change_note="Added the crisis line.")
    published_resource(title="Feeling low (Easy Read)", format=Format.EASY_READ, original=leaflet, topics=[topic])
    published_resource(title="Przygnębienie po urodzeniu dziecka", language=Language.POLISH, original=leaflet)
    for number in range(11):
        published_resource(title=f"Leaflet {number:02d}", topics=[topic])

    round_ = services.start_review_round(
        resource=resource(title="Bonding with your baby when you are unwell"),
        questions=["Is the language clear and kind?", "Is anything missing?", "Could anything upset someone?"],
        deadline=timezone.now() + dt.timedelta(days=7),
        members=[amira, beth],
        introduction="Please look at the tone above all.",
    )
    answered = round_.invitations.get(member=beth)
    point = services.submit_feedback(
        invitation=answered, ratings={1: "mostly"}, quote="That is normal", comment="Normal can feel like a judgement."
    )[0]
    services.respond_to_feedback(
        feedback=point, response="changed_differently", reason="We wrote 'lots of parents' instead.", by=None
    )
    return {
        "amira": amira,
        "beth": beth,
        "leaflet": leaflet,
        "invitation": round_.invitations.get(member=amira),
        "answered": answered,
    }


@pytest.mark.parametrize("viewport", WIDTHS)
def test_library_pages_have_no_accessibility_violations(page, context, portal, library, viewport):
    leaflet = library["leaflet"]
    for path in [
        "/library/",
        "/library/?q=baby&topic=depression",
        "/library/?page=2",
        f"/library/{leaflet.pk}/",
        f"/library/{leaflet.pk}/versions/1/",
    ]:
        page.goto(f"{portal}{path}")
        check_page(page, viewport)

    log_in(context, portal, library["amira"].user)
    for path in [f"/library/review/{library['invitation'].pk}/", "/library/review/", "/library/suggest/"]:
        page.goto(f"{portal}{path}")
        check_page(page, viewport)

    log_in(context, portal, library["beth"].user)
    for path in ["/library/review/feedback/", f"/library/review/{library['answered'].pk}/"]:
        page.goto(f"{portal}{path}")
        check_page(page, viewport)


@pytest.mark.parametrize("viewport", [pytest.param(NARROW, id="phone-320px")])
def test_reader_feedback_with_an_error_has_no_accessibility_violations(page, portal, library, viewport):
    page.goto(f"{portal}/library/{library['leaflet'].pk}/")
    page.locator("textarea[name=missing]").fill("The number for nights.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send feedback").click()
    assert page.title().startswith("Error: ")
    assert page.locator("textarea[name=missing]").input_value() == "The number for nights."
    check_page(page, viewport)


def _tab_to(page, test: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({test}); }})()"):
            return
    pytest.fail(f"Tab never reached an element where {test}")


def test_a_member_gives_feedback_with_the_keyboard_alone(page, context, portal, library):
    from library.models import QuestionAnswer, ReviewFeedback

    invitation = library["invitation"]
    log_in(context, portal, library["amira"].user)
    page.goto(f"{portal}/library/review/{invitation.pk}/")

    _tab_to(page, "el.name === 'rating_1'")
    page.keyboard.press("Space")  # "Yes"
    page.keyboard.press("Tab")  # on to the next question's radios
    assert page.evaluate("document.activeElement.name") == "rating_2"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # "Mostly"
    _tab_to(page, "el.name === 'overall'")
    page.keyboard.type("Kind and clear. It needs the crisis number.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "quote"
    page.keyboard.type("It is not your fault.")
    page.keyboard.press("Tab")
    page.keyboard.type("This line helped me most.")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Send my feedback')")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "Thank you. Your feedback has been sent" in page.content()
    ratings = dict(QuestionAnswer.objects.filter(invitation=invitation).values_list("number", "rating"))
    assert ratings == {1: "yes", 2: "mostly"}
    assert list(ReviewFeedback.objects.filter(invitation=invitation).values_list("quote", "comment")) == [
        ("", "Kind and clear. It needs the crisis number."),
        ("It is not your fault.", "This line helped me most."),
    ]
