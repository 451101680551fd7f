"""The group feed in a real Chromium: axe-core finds nothing to fix (WCAG 2.2 A and AA) on the
feed, a thread, compose, "Ask the team" and the staff inbox and queue, at 320px and 1280px, with
nothing scrolling sideways on a phone; a post with a content note stays folded until opened; and
a member can write a post and reply with the keyboard alone.
"""

from __future__ import annotations

import pytest

from .conftest import NARROW, WIDTHS, log_in
from .test_accessibility import check_page
from .test_admin_accessibility import log_in_with_two_step

pytestmark = pytest.mark.browser


@pytest.fixture
def feed(group_profile):
    """Amira (taking part, agreed to everything), a coordinator, pinned news, a question with
    replies, a story behind a content note, a post waiting for a moderator, and a conversation
    with the team."""
    from discussions import services
    from discussions.tests.factories import CoordinatorFactory, TopicFactory, feed_member, new_member

    amira = feed_member(user=None, user__email="amira@example.org", user__name="Amira Khan")
    beth = feed_member(user=None, user__email="beth@example.org", user__name="Beth Jones")
    newcomer = new_member(user=None, user__email="nia@example.org", user__name="Nia Newcomer")
    coordinator = CoordinatorFactory(email="chloe@example.org", name="Chloe Coordinator")
    topic = TopicFactory(name="Meetings and events", slug="meetings-and-events")
    news = services.start_post(
        user=coordinator, member=None, kind="news", title="The new welcome leaflet is out", pinned=True,
        body="Thank you to the **eight members** who helped. [Read it online](https://example.org/leaflet).",
    )  # fmt: skip
    question = services.start_post(
        user=amira.user, member=amira, kind="question", topic=topic,
        title="Does anyone else find the first appointment letter confusing?",
        body="I read mine three times and still did not know if I could bring my baby.",
    )  # fmt: skip
    services.reply_to(thread=question, user=beth.user, member=beth, body="Not just you. I rang to ask in the end.")
    services.reply_to(thread=question, user=coordinator, member=None, body="Thank you both. Babies are welcome.")
    story = services.start_post(
        user=beth.user, member=beth, kind="story", title="What helped me", content_note="a difficult birth",
        body="It took me a long time to say how frightened I was.",
    )  # fmt: skip
    held = services.start_post(user=newcomer.user, member=newcomer, kind="discussion", title="Hello", body="New here")
    services.report_post(post=story, user=amira.user, reason="upsetting")
    conversation = services.ask_the_team(user=amira.user, subject="A question about expenses", body="Can I claim?")
    services.write_message(conversation=conversation, user=coordinator, body="Yes, keep the ticket.")
    return {
        "amira": amira, "beth": beth, "coordinator": coordinator, "news": news, "question": question,
        "story": story, "held": held, "conversation": conversation,
    }  # fmt: skip


@pytest.mark.parametrize("viewport", WIDTHS)
def test_discussion_pages_have_no_accessibility_violations(page, context, portal, feed, viewport):
    log_in(context, portal, feed["amira"].user)
    for path in [
        "/discussions/",
        "/discussions/?topic=meetings-and-events",
        f"/discussions/{feed['question'].pk}/",
        f"/discussions/{feed['story'].pk}/",
        "/discussions/new/",
        f"/discussions/posts/{feed['question'].replies.first().pk}/report/",
        "/discussions/alerts/",
        "/discussions/team/",
        "/discussions/team/new/",
        f"/discussions/team/{feed['conversation'].pk}/",
    ]:
        page.goto(f"{portal}{path}")
        check_page(page, viewport)

    page.goto(f"{portal}/discussions/{feed['story'].pk}/")
    words = page.get_by_text("It took me a long time")
    assert not words.is_visible()
    page.locator("summary").click()
    assert words.is_visible()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_staff_inbox_and_queue_have_no_accessibility_violations(page, context, portal, feed, viewport):
    log_in_with_two_step(context, portal, feed["coordinator"])
    for path in [
        "/staff/discussions/",
        f"/staff/discussions/posts/{feed['held'].pk}/",
        f"/staff/discussions/posts/{feed['story'].pk}/",
        "/staff/discussions/inbox/?show=all",
        f"/staff/discussions/inbox/{feed['conversation'].pk}/",
    ]:
        page.goto(f"{portal}{path}")
        check_page(page, viewport)


@pytest.mark.parametrize("viewport", [pytest.param(NARROW, id="phone-320px")])
def test_compose_with_errors_has_no_accessibility_violations(page, context, portal, feed, viewport):
    log_in(context, portal, feed["amira"].user)
    page.goto(f"{portal}/discussions/new/")
    page.locator("textarea[name=body]").fill("Words I typed")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.title().startswith("Error: ")
    assert page.locator("textarea[name=body]").input_value() == "Words I typed"
    check_page(page, viewport)


def _tab_to(page, check: str, what: str, limit: int = 120) -> None:
    """Presses Tab until ``check`` (JavaScript about ``el``, the focused element) is true."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({check}); }})()"):
            return
    pytest.fail(f"Tab never reached {what}")


def test_a_member_posts_and_replies_with_the_keyboard_alone(page, context, portal, feed):
    from discussions.models import Post

    log_in(context, portal, feed["beth"].user)
    page.goto(f"{portal}/discussions/")

    _tab_to(page, "el.textContent.trim() === 'Write a post'", "the Write a post link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "el.name === 'kind'", "the kind of post")
    page.keyboard.press("Space")
    _tab_to(page, "el.name === 'title'", "the title box")
    page.keyboard.type("Parking at the hospital")
    _tab_to(page, "el.name === 'body'", "the post box")
    page.keyboard.type("Does anyone know if the car park is free for meetings?")
    _tab_to(page, "el.type === 'submit' && el.textContent.trim() === 'Post'", "the Post button")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    post = Post.objects.get(title="Parking at the hospital")
    assert post.is_published and post.author == feed["beth"].user
    assert page.url.rstrip("/").endswith(f"/discussions/{post.pk}")

    page.goto(f"{portal}/discussions/{feed['question'].pk}/")
    _tab_to(page, "el.name === 'body'", "the reply box")
    page.keyboard.type("The letter is being rewritten, I heard.")
    _tab_to(page, "el.type === 'submit' && el.textContent.trim() === 'Send reply'", "the Send reply button")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert feed["question"].replies.filter(body="The letter is being rewritten, I heard.").exists()
    assert "Your reply has been added." in page.locator(".nhsuk-notification-banner").inner_text()
