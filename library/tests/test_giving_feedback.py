"""Members reviewing a draft: what is waiting for them, the questions and deadline, ratings,
overall feedback and comments on a quoted part; only their own invitations, only while open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from library import services
from library.models import QuestionAnswer, ReviewFeedback
from library.tests.factories import draft_in_review, reviewer
from members.tests.factories import MemberFactory, give_consents
from nhsuk_forms.tests.html import Page

pytestmark = pytest.mark.django_db

REVIEWS = reverse("library:reviews")


@pytest.fixture
def me(member):
    made = MemberFactory(user=member, active=True)
    give_consents(made)
    return made


def review_url(invitation) -> str:
    return reverse("library:review", args=[invitation.pk])


def test_waiting_for_your_review_lists_the_draft_with_its_deadline(member_client, me):
    round_ = draft_in_review(members=[me], title="Bonding with your baby")
    draft_in_review(members=[reviewer()], title="Someone else's draft")

    text = member_client.get(REVIEWS).content.decode()

    assert "Bonding with your baby" in text
    assert "Someone else" not in text
    assert f"{timezone.localtime(round_.deadline):%-d %B %Y}" in text
    assert review_url(round_.invitations.get()) in text


def test_the_review_page_shows_the_draft_the_questions_and_the_deadline(member_client, me):
    round_ = draft_in_review(
        members=[me], title="Bonding with your baby", body="# Bonding takes time\n\nIt can grow slowly."
    )

    page = Page(member_client.get(review_url(round_.invitations.get())).content.decode())

    assert "Bonding takes time" in page.html
    assert "Is the language clear and kind?" in page.html and "Is anything missing?" in page.html
    # A rating for each question, as radios grouped under the question.
    assert len(page.all("input", type="radio", name="rating_1")) == 3
    assert page.all("textarea", name="quote") and page.all("textarea", name="comment")


def test_a_member_gives_ratings_overall_feedback_and_a_comment_on_a_part(member_client, me):
    round_ = draft_in_review(members=[me])
    invitation = round_.invitations.get()

    response = member_client.post(
        review_url(invitation),
        {
            "rating_1": "mostly",
            "rating_2": "not_really",
            "overall": "Kind and clear. It needs the crisis number.",
            "quote": "It is common and it is not your fault.",
            "comment": "This line helped me most. Please keep it.",
        },
    )

    assert response.status_code == 302
    ratings = dict(QuestionAnswer.objects.filter(invitation=invitation).values_list("question", "rating"))
    assert ratings == {"Is the language clear and kind?": "mostly", "Is anything missing?": "not_really"}
    points = list(ReviewFeedback.objects.filter(invitation=invitation).values_list("quote", "comment"))
    assert points == [
        ("", "Kind and clear. It needs the crisis number."),
        ("It is common and it is not your fault.", "This line helped me most. Please keep it."),
    ]
    invitation.refresh_from_db()
    assert invitation.responded_at is not None
    page = member_client.get(review_url(invitation)).content.decode()
    assert "What you have told us so far" in page and "Not answered yet" in page


def test_a_comment_without_the_words_it_is_about_is_sent_back_with_everything_kept(member_client, me):
    round_ = draft_in_review(members=[me])

    response = member_client.post(
        review_url(round_.invitations.get()),
        {"rating_1": "yes", "overall": "Lovely overall.", "comment": "This bit is confusing."},
    )

    assert response.status_code == 200
    page = Page(response.content.decode())
    assert "Copy the words from the draft your comment is about." in page.html
    assert page.all("textarea", name="overall")[0]["text"].strip() == "Lovely overall."
    assert page.all("textarea", name="comment")[0]["text"].strip() == "This bit is confusing."
    assert "checked" in page.all("input", name="rating_1", value="yes")[0]["attrs"]
    assert not ReviewFeedback.objects.exists()


def test_sending_nothing_at_all_says_what_to_do(member_client, me):
    round_ = draft_in_review(members=[me])
    response = member_client.post(review_url(round_.invitations.get()), {})
    assert "Answer a question or write some feedback before sending." in response.content.decode()


def test_an_unknown_rating_is_refused_by_the_field_not_an_error(member_client, me):
    round_ = draft_in_review(members=[me])
    response = member_client.post(review_url(round_.invitations.get()), {"rating_1": "brilliant"})
    assert response.status_code == 200
    assert not QuestionAnswer.objects.exists()


def test_too_long_feedback_is_refused_with_the_text_kept(member_client, me):
    round_ = draft_in_review(members=[me])
    long_text = "word " * 700
    response = member_client.post(review_url(round_.invitations.get()), {"overall": long_text})
    assert "must be 3000 characters or fewer" in response.content.decode()
    assert long_text.strip() in response.content.decode()


def test_a_member_cannot_open_or_answer_another_members_invitation(member_client, me):
    round_ = draft_in_review(members=[reviewer(email="someone.else@example.org")])
    theirs = round_.invitations.get()

    assert member_client.get(review_url(theirs)).status_code == 404
    assert member_client.post(review_url(theirs), {"overall": "Sneaky"}).status_code == 404
    assert not ReviewFeedback.objects.exists()


def test_the_public_log_in_first_and_commissioners_are_refused(anonymous, commissioner_client, me):
    invitation = draft_in_review(members=[me]).invitations.get()
    for url in (REVIEWS, review_url(invitation), reverse("library:my_feedback")):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert commissioner_client.get(url).status_code == 403


def test_after_the_deadline_feedback_is_closed_and_nothing_more_is_taken(member_client, me):
    round_ = draft_in_review(members=[me], deadline=timezone.now() + dt.timedelta(days=1))
    invitation = round_.invitations.get()
    type(round_).objects.filter(pk=round_.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))

    page = member_client.get(review_url(invitation)).content.decode()
    response = member_client.post(review_url(invitation), {"overall": "Late thoughts."})

    assert "This review closed on" in page
    assert 'name="overall"' not in page
    assert "The deadline for this review has passed" in response.content.decode()
    assert not ReviewFeedback.objects.exists()


def test_a_round_closed_early_says_when_it_closed_not_the_old_deadline(member_client, me):
    from common.formatting import long_date

    round_ = draft_in_review(members=[me], deadline=timezone.now() + dt.timedelta(days=30))
    invitation = round_.invitations.get()
    services.submit_feedback(invitation=invitation, ratings={1: "yes"})
    round_ = services.close_review_round(round_=round_)

    page = member_client.get(review_url(invitation)).content.decode()
    listing = member_client.get(REVIEWS).content.decode()

    assert f"This review closed on {long_date(round_.closed_at)}" in page
    assert f"(closed {long_date(round_.closed_at)})" in listing
    assert long_date(round_.deadline) not in page + listing


def test_feedback_by_keyboard_order_puts_the_questions_first(member_client, me):
    round_ = draft_in_review(members=[me])
    page = Page(member_client.get(review_url(round_.invitations.get())).content.decode())
    names = [element["attrs"].get("name") for element in page.elements if element["tag"] in ("input", "textarea")]
    names = [name for name in names if name and name != "csrfmiddlewaretoken"]
    assert names[:6] == ["rating_1"] * 3 + ["rating_2"] * 3
    assert names.index("overall") < names.index("quote") < names.index("comment")


def test_a_reviewer_may_come_back_and_add_more_points_until_the_deadline(me):
    round_ = draft_in_review(members=[me])
    invitation = round_.invitations.get()
    services.submit_feedback(invitation=invitation, ratings={1: "yes"}, overall="First thought.")
    services.submit_feedback(invitation=invitation, ratings={1: "mostly"}, quote="It can grow slowly.", comment="Nice.")

    assert invitation.feedback.count() == 2
    assert QuestionAnswer.objects.get(invitation=invitation, number=1).rating == "mostly"


def test_reviews_page_costs_the_same_queries_with_more_invitations(member_client, me, django_assert_max_num_queries):
    draft_in_review(members=[me])
    member_client.get(REVIEWS)
    with django_assert_max_num_queries(12) as small:
        member_client.get(REVIEWS)
    for number in range(8):
        round_ = draft_in_review(members=[me], title=f"Draft {number}")
        services.submit_feedback(invitation=round_.invitations.get(), ratings={1: "yes"}, overall="ok")
    with django_assert_max_num_queries(len(small.captured_queries)):
        member_client.get(REVIEWS)
    with django_assert_max_num_queries(len(small.captured_queries)):
        Client().get(REVIEWS)
