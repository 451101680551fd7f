"""Staff answer each point reviewers made, on one page; each member sees what happened to their
points ("What happened to my feedback") and is told once when staff have answered."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from library import messages, services
from library.models import ReviewFeedback
from library.tests.factories import draft_in_review, reviewer
from outbox import sending
from outbox.models import Message

pytestmark = pytest.mark.django_db

MY_FEEDBACK = reverse("library:my_feedback")


@pytest.fixture
def round_with_points():
    grace, priya = (
        reviewer(email="grace@example.org", name="Grace Obi"),
        reviewer(email="priya@example.org", name="Priya Sandhu"),
    )
    round_ = draft_in_review(members=[grace, priya], title="Bonding with your baby")
    services.submit_feedback(
        invitation=round_.invitations.get(member=grace),
        ratings={1: "mostly"},
        overall="Kind, but it needs the crisis number.",
        quote="That is normal",
        comment="Normal can feel like a judgement.",
    )
    services.submit_feedback(invitation=round_.invitations.get(member=priya), ratings={}, overall="I liked the tone.")
    sending.send_pending()
    mail.outbox.clear()
    return round_, grace, priya


def client_for(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def test_a_coordinator_answers_every_point_on_the_rounds_page(coordinator_client, round_with_points):
    round_, grace, priya = round_with_points
    points = list(ReviewFeedback.objects.filter(round=round_).order_by("pk"))
    page = coordinator_client.get(reverse("admin:library_reviewround_change", args=[round_.pk])).content.decode()
    assert all(point.comment in page for point in points)

    data = {
        "resource": round_.resource_id,
        "deadline_0": f"{round_.deadline:%Y-%m-%d}",
        "deadline_1": f"{round_.deadline:%H:%M:%S}",
        "introduction": "",
        "access": "anyone",
        "participation": "anyone",
        "feedback-TOTAL_FORMS": "3",
        "feedback-INITIAL_FORMS": "3",
        "feedback-MIN_NUM_FORMS": "0",
        "feedback-MAX_NUM_FORMS": "1000",
        "invitations-TOTAL_FORMS": "2",
        "invitations-INITIAL_FORMS": "2",
        "invitations-0-id": round_.invitations.order_by("pk")[0].pk,
        "invitations-0-round": round_.pk,
        "invitations-1-id": round_.invitations.order_by("pk")[1].pk,
        "invitations-1-round": round_.pk,
    }
    answers = [("changed", ""), ("changed_differently", "We wrote 'lots of parents' instead."), ("", "")]
    for index, (point, (response, reason)) in enumerate(zip(points, answers, strict=True)):
        data |= {
            f"feedback-{index}-id": point.pk,
            f"feedback-{index}-round": round_.pk,
            f"feedback-{index}-response": response,
            f"feedback-{index}-response_reason": reason,
        }

    response = coordinator_client.post(reverse("admin:library_reviewround_change", args=[round_.pk]), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(ReviewFeedback.objects.filter(round=round_).order_by("pk").values_list("response", flat=True)) == [
        "changed",
        "changed_differently",
        "",
    ]
    # Grace is told (once, although two of her points were answered); Priya's point waits.
    told = Message.objects.filter(kind=messages.ANSWERED, channel="email")
    assert {message.recipient for message in told} == {grace.user}
    sending.send_pending()
    assert [message.to for message in mail.outbox] == [["grace@example.org"]]
    assert "answered your feedback" in mail.outbox[0].subject
    assert reverse("library:my_feedback") in mail.outbox[0].body


def test_not_changing_something_needs_a_reason_the_member_can_read(round_with_points):
    round_, *_ = round_with_points
    point = ReviewFeedback.objects.filter(round=round_).first()
    with pytest.raises(services.LibraryError, match="Say why"):
        services.respond_to_feedback(feedback=point, response="not_changed", reason=" ", by=None)


def test_the_member_sees_what_happened_to_each_of_their_points(round_with_points):
    round_, grace, priya = round_with_points
    overall, quoted = ReviewFeedback.objects.filter(invitation__member=grace).order_by("pk")
    services.respond_to_feedback(
        feedback=overall, response="changed", reason="Added the crisis line at the end.", by=None
    )
    services.respond_to_feedback(
        feedback=quoted, response="not_changed", reason="Other members found it reassuring.", by=None
    )

    page = client_for(grace).get(MY_FEEDBACK).content.decode()

    assert "Bonding with your baby" in page
    assert "Kind, but it needs the crisis number." in page and "Changed as suggested" in page
    assert "“That is normal”" in page and "Not changed" in page and "Other members found it reassuring." in page
    assert "I liked the tone." not in page  # Priya's point is hers alone
    assert "Not answered yet" in client_for(priya).get(MY_FEEDBACK).content.decode()


def test_each_new_batch_of_answers_is_told_once_and_editing_an_answer_tells_nobody(round_with_points):
    round_, grace, _ = round_with_points
    overall, quoted = ReviewFeedback.objects.filter(invitation__member=grace).order_by("pk")
    services.respond_to_feedback(feedback=overall, response="changed", reason="", by=None)
    services.respond_to_feedback(feedback=quoted, response="changed", reason="", by=None)
    sending.send_pending()
    assert len(mail.outbox) == 1  # the earlier message was overtaken by the later one

    services.respond_to_feedback(feedback=quoted, response="not_changed", reason="On second thoughts, kept.", by=None)
    sending.send_pending()
    assert len(mail.outbox) == 1


def test_my_feedback_page_costs_the_same_queries_with_more_rounds(round_with_points, django_assert_max_num_queries):
    _, grace, _ = round_with_points
    client = client_for(grace)
    client.get(MY_FEEDBACK)
    with django_assert_max_num_queries(12) as small:
        client.get(MY_FEEDBACK)
    for number in range(6):
        round_ = draft_in_review(members=[grace], title=f"Draft {number}")
        services.submit_feedback(invitation=round_.invitations.get(), ratings={}, overall=f"Point {number}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(MY_FEEDBACK)
