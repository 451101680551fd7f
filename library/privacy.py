"""A member's part in the library, in their data download, and what erasure does to it.

Registered from `LibraryConfig.ready` with `members.privacy`.

Erasure:

* **Credits** are deleted, so their name (if they agreed to be named) goes from every version
  of every resource at once. The count of members who co-produced a published version stays
  as it was published: it names nobody.
* **Review feedback** keeps staff's responses (the resource's history) but loses the member's
  own words: each point they made and the passage they quoted are replaced by a note.
  Ratings stay (they are only "Yes", "Mostly", "Not really").
* **Invitations to rounds still open** are removed, so no reminder goes.
* **Suggestions** they made stay for staff, without saying who made them.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from members.models import Member
from members.privacy import iso

from .models import Credit, ReviewFeedback, ReviewInvitation, Suggestion

REMOVED = "(Removed when the member's data was erased.)"


def export_library(member: Member) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    invitations = ReviewInvitation.objects.filter(member=member).select_related("round__resource")
    invitations = invitations.prefetch_related("answers", "feedback").order_by("invited_at", "pk")
    for invitation in invitations:
        rows.append(
            {
                "what": "Review invitation",
                "resource": invitation.round.resource.title,
                "invited_at": iso(invitation.invited_at),
                "deadline": iso(invitation.round.deadline),
                "responded_at": iso(invitation.responded_at),
                "ratings": [
                    {"question": answer.question, "rating": answer.get_rating_display()}
                    for answer in invitation.answers.all()
                ],
                "feedback": [
                    {
                        "quote": point.quote,
                        "comment": point.comment,
                        "given_at": iso(point.created_at),
                        "response": point.get_response_display(),
                        "response_reason": point.response_reason,
                    }
                    for point in invitation.feedback.all()
                ],
            }
        )
    for credit in Credit.objects.filter(member=member).select_related("resource").order_by("pk"):
        rows.append(
            {
                "what": "Credit",
                "resource": credit.resource.title,
                "role": credit.get_role_display(),
                "agreed_to_be_named": credit.named,
                "name_shown": credit.credited_as,
            }
        )
    for suggestion in Suggestion.objects.filter(suggested_by=member.user).order_by("suggested_at"):
        rows.append(
            {
                "what": "Suggestion",
                "title": suggestion.title,
                "details": suggestion.details,
                "suggested_at": iso(suggestion.suggested_at),
                "status": suggestion.get_status_display(),
            }
        )
    return rows


def erase_library(member: Member) -> list:
    touched = list(Suggestion.objects.filter(suggested_by=member.user))
    Suggestion.objects.filter(suggested_by=member.user).update(suggested_by=None)
    Credit.objects.filter(member=member).delete()
    ReviewFeedback.objects.filter(invitation__member=member).update(quote="", comment=REMOVED)
    ReviewInvitation.objects.filter(
        member=member, round__closed_at__isnull=True, round__deadline__gt=timezone.now()
    ).delete()
    return touched
