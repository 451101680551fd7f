"""A member's surveys in their data download, and what erasure does to them.

Registered from `SurveysConfig.ready` with `members.privacy`.

The download holds the member's answers to surveys **with names** (and any draft saved to
finish later), the anonymous surveys they answered (that they answered, never the answers:
those cannot be found, which is the point), the surveys they were invited to, and their
comments as a reviewer.

Erasure removes drafts, and takes the member off their sent named responses (the answers stay
in the results as anonymous ones) and off their review comments (the comment stays: it is about
a question). "Has answered" and invitation rows stay, pointing at the now-anonymous member
record, so counts of who was invited and who answered stay right.
"""

from __future__ import annotations

from typing import Any

from members.models import Member
from members.privacy import iso

from .models import Answer, Invitation, Participation, Response, ReviewComment
from .rules import answer_in_words


def _answers_in_words(responses: list[Response]) -> dict:
    """Each response's answers as question and answer in words, in one query for them all."""
    answers = (
        Answer.objects.filter(response__in=[response.pk for response in responses])
        .select_related("question", "choice")
        .order_by("question__section__order", "question__order", "question_id", "choice__order")
    )
    found: dict = {response.pk: [] for response in responses}
    for answer in answers:
        value = answer_in_words(choice=answer.choice, text=answer.text, number=answer.number)
        found[answer.response_id].append({"question": answer.question.text, "answer": value})
    return found


def export_surveys(member: Member) -> dict[str, Any]:
    named = list(Response.objects.filter(member=member).select_related("survey").order_by("survey__created_at", "pk"))
    answers = _answers_in_words(named) if named else {}
    anonymous = (
        Participation.objects.filter(member=member, survey__audience__in=["anonymous", "public"])
        .select_related("survey")
        .order_by("survey__created_at")
    )
    return {
        "answers_with_your_name": [
            {
                "survey": response.survey.title,
                "sent_on": iso(response.submitted_on),
                "answers": answers[response.pk],
                "saved_to_finish_later": response.draft if not response.is_submitted else {},
            }
            for response in named
        ],
        "anonymous_surveys_you_answered": [
            {
                "survey": participation.survey.title,
                "note": "Your answers are anonymous. Nothing links them to you, so they cannot be included.",
            }
            for participation in anonymous
        ],
        "invitations": [
            {"survey": invitation.survey.title, "invited_at": iso(invitation.invited_at)}
            for invitation in Invitation.objects.filter(member=member).select_related("survey").order_by("invited_at")
        ],
        "review_comments": [
            {
                "question": comment.question.text,
                "concerns": comment.concern_labels,
                "comment": comment.comment,
                "written_at": iso(comment.created_at),
            }
            for comment in ReviewComment.objects.filter(member=member).select_related("question")
        ],
    }


def erase_surveys(member: Member) -> None:
    Response.objects.filter(member=member, submitted_on__isnull=True).delete()
    Response.objects.filter(member=member).update(member=None)
    ReviewComment.objects.filter(member=member).update(member=None)
