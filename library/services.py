"""The writes that matter for the library: saving and publishing resources, review rounds,
feedback and staff's responses, credits, suggestions and what readers tell us.

Keyword-only functions, called alike by the admin, the member pages, the periodic jobs, the
demo data and the tests. Writes that touch several rows run in one transaction; publishing and
answering feedback lock the row they change first, so two coordinators saving at once cannot
make two versions with one number or tell a member twice. Messages are recorded in the outbox in
the same transaction (``library.messages``) and sent after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from common.group import group_profile
from common.sanitise import markdown_to_html, plain_text
from common.uploads import CheckedUpload
from members.models import Member, User

from . import messages
from .models import (
    Credit,
    QuestionAnswer,
    Rating,
    ReaderFeedback,
    Resource,
    ResourceFile,
    ResourceVersion,
    ReviewFeedback,
    ReviewInvitation,
    ReviewRound,
    Suggestion,
)
from .reading_age import reading_age_of_resource

Status = Resource.Status

# Where a resource may go next from each status (publishing and review rounds have their own
# functions; archiving is allowed from anywhere).
NEXT_STATUSES: dict[str, set[str]] = {
    Status.IDEA: {Status.DRAFT},
    Status.DRAFT: {Status.IN_REVIEW, Status.APPROVED, Status.IDEA},
    Status.IN_REVIEW: {Status.DRAFT, Status.APPROVED},
    Status.APPROVED: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.DRAFT, Status.DUE_FOR_REVIEW},
    Status.DUE_FOR_REVIEW: {Status.DRAFT, Status.PUBLISHED},
    Status.ARCHIVED: {Status.DRAFT},
}
# Resources are reviewed at least every three years (the PIF TICK's longest interval).
LONGEST_REVIEW_MONTHS = 36


class LibraryError(Exception):
    """Why a library change cannot be made, in words a coordinator or member can read."""


# --- Resources ------------------------------------------------------------------------------


def save_resource(*, resource: Resource) -> Resource:
    """Saves a resource staff have edited, with its reading age worked out again from its words."""
    resource.reading_age = reading_age_of_resource(summary=resource.summary, body=resource.body)
    resource.save()
    return resource


def create_resource(*, title: str, topics: Iterable = (), **fields) -> Resource:
    """A new resource (an idea unless ``status`` says otherwise), saved through `save_resource`."""
    resource = Resource(title=title, **fields)
    save_resource(resource=resource)
    if topics:
        resource.topics.set(topics)
    return resource


def add_file(*, resource: Resource, upload: CheckedUpload, description: str = "") -> ResourceFile:
    """Stores a checked upload with the resource under a random private name. It is public only
    once the resource is next published; until then only staff and invited reviewers see it."""
    item = ResourceFile(
        resource=resource,
        name=upload.name,
        content_type=upload.content_type,
        size=len(upload.content),
        description=description,
    )
    item.file.save(f"file{upload.extension}", ContentFile(upload.content), save=False)
    item.save()
    return item


def delete_file(*, item: ResourceFile) -> None:
    """Removes a file, and its bytes once the change is committed."""
    storage, name = item.file.storage, item.file.name
    item.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def move_resource(*, resource: Resource, to: str) -> Resource:
    """Moves a resource along the workflow (idea → draft → in review → approved → published →
    due for review → archived). Publishing goes through `publish_resource`."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if to == resource.status:
        return resource
    if to == Status.PUBLISHED:
        raise LibraryError("Use “Publish” to publish a resource: it keeps the version and sets the review date.")
    if to != Status.ARCHIVED and to not in NEXT_STATUSES[resource.status]:
        raise LibraryError(
            f"A resource that is “{resource.get_status_display()}” cannot go straight to “{Status(to).label}”."
        )
    resource.status = to
    resource.save(update_fields=["status", "updated_at"])
    return resource


def review_interval_months() -> int:
    """How often resources are reviewed: the group profile's interval (default 24 months),
    never more than three years."""
    return min(int(group_profile().resource_review_months), LONGEST_REVIEW_MONTHS)


def review_due_date(published_on: dt.date) -> dt.date:
    """When a resource published on this day is next due for review (`review_interval_months`)."""
    return published_on + relativedelta(months=review_interval_months())


def _update_search_vector(version: ResourceVersion) -> None:
    # PostgreSQL full-text search: title first, then summary, then body. SQLite searches the
    # words themselves instead (see library.search), so there is nothing to keep there.
    if connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("body_text", weight="C", config="english")
    )
    ResourceVersion.objects.filter(pk=version.pk).update(search_vector=vector)


@transaction.atomic
def publish_resource(*, resource: Resource, by: User | None = None, change_note: str = "") -> ResourceVersion:
    """Publishes the resource as it stands: keeps a new version (title, summary, body as
    readers see it), stamps the review-due date, names in the credits only the members who agree
    to be named at this moment, and makes its files public.

    Only an approved resource, or one due for review whose review found nothing to change, can
    be published."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.status not in (Status.APPROVED, Status.DUE_FOR_REVIEW):
        raise LibraryError(
            f"Only an approved resource can be published. This one is “{resource.get_status_display()}”."
        )
    if not (resource.summary.strip() and (resource.body.strip() or resource.files.exists())):
        raise LibraryError("Add a summary, and the words or a file, before publishing.")
    now = timezone.now()
    today = timezone.localdate(now)
    number = (resource.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    body_html = markdown_to_html(resource.body)
    credits = list(resource.credits.all())
    version = ResourceVersion.objects.create(
        resource=resource,
        number=number,
        title=resource.title,
        summary=resource.summary,
        body_html=body_html,
        body_text=plain_text(body_html),
        reading_age=reading_age_of_resource(summary=resource.summary, body=resource.body),
        published_at=now,
        published_by=by,
        review_due_on=review_due_date(today),
        change_note=change_note,
        credit_count=len(credits),
    )
    version.named_credits.set([credit for credit in credits if credit.named and credit.credited_as.strip()])
    _update_search_vector(version)
    resource.current_version = version
    resource.status = Status.PUBLISHED
    resource.first_published_at = resource.first_published_at or now
    resource.last_reviewed_on = today
    resource.review_due_on = version.review_due_on
    resource.reading_age = version.reading_age
    resource.save()
    resource.files.filter(published_at__isnull=True).update(published_at=now)
    return version


def mark_due_for_review(*, today: dt.date | None = None) -> int:
    """Moves published resources whose review date has come to "due for review" (they stay
    public until the new version is out). Returns how many moved. Safe to run twice."""
    today = today or timezone.localdate()
    return Resource.objects.filter(status=Status.PUBLISHED, review_due_on__lte=today).update(
        status=Status.DUE_FOR_REVIEW, updated_at=timezone.now()
    )


# --- Review rounds --------------------------------------------------------------------------


def _clean_questions(questions: Iterable[str]) -> list[str]:
    cleaned = [" ".join(question.split()) for question in questions]
    return [question for question in cleaned if question]


@transaction.atomic
def start_review_round(
    *,
    resource: Resource,
    questions: Iterable[str],
    deadline: dt.datetime,
    members: Iterable[Member],
    by: User | None = None,
    introduction: str = "",
) -> ReviewRound:
    """Opens a review round on a draft: invites the members (each is sent an invitation through
    the outbox, by email and by text for those who chose it) and moves the resource to "in member
    review". Members taking a break, who left or were erased are never invited."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    questions = _clean_questions(questions)
    if not questions:
        raise LibraryError("Ask reviewers at least one question.")
    if deadline <= timezone.now():
        raise LibraryError("The deadline must be in the future.")
    if resource.status in (Status.IDEA, Status.ARCHIVED):
        raise LibraryError("Write a draft first: an idea or an archived resource cannot be reviewed.")
    round_ = ReviewRound.objects.create(
        resource=resource, questions=questions, deadline=deadline, created_by=by, introduction=introduction
    )
    invite_members(round_=round_, members=members)
    if resource.status != Status.IN_REVIEW:
        # A published resource under review keeps its public words: the public read its current
        # version, while the working copy is in review.
        resource.status = Status.IN_REVIEW
        resource.save(update_fields=["status", "updated_at"])
    return round_


def invite_members(*, round_: ReviewRound, members: Iterable[Member]) -> list[ReviewInvitation]:
    """Adds members to a round (once each) and queues their invitations. Returns the new ones."""
    if not round_.is_open:
        raise LibraryError("This review round has closed, so nobody more can be invited.")
    eligible = Member.objects.filter(
        pk__in=[member.pk for member in members],
        status=Member.Status.ACTIVE,
        erased_at__isnull=True,
    ).select_related("user")
    already = set(round_.invitations.values_list("member_id", flat=True))
    new = [ReviewInvitation(round=round_, member=member) for member in eligible if member.pk not in already]
    ReviewInvitation.objects.bulk_create(new, ignore_conflicts=True)
    created = list(
        round_.invitations.filter(member__in=[invitation.member for invitation in new]).select_related("member__user")
    )
    messages.queue_invitations(created)
    return created


@transaction.atomic
def close_review_round(*, round_: ReviewRound) -> ReviewRound:
    """Closes a round early: no more feedback, no more reminders."""
    round_ = ReviewRound.objects.select_for_update().get(pk=round_.pk)
    if round_.closed_at is None:
        round_.closed_at = timezone.now()
        round_.save(update_fields=["closed_at"])
    return round_


@transaction.atomic
def submit_feedback(
    *,
    invitation: ReviewInvitation,
    ratings: dict[int, str],
    overall: str = "",
    quote: str = "",
    comment: str = "",
) -> list[ReviewFeedback]:
    """Records a reviewer's ratings and the points they made (overall, and on a quoted passage).

    They can come back and add more until the deadline; a rating given again replaces the last
    one. Taking part adds them to the resource's credits (not named unless they say so)."""
    invitation = ReviewInvitation.objects.select_for_update().select_related("round").get(pk=invitation.pk)
    round_ = invitation.round
    if not round_.is_open:
        raise LibraryError("The deadline for this review has passed, so feedback can no longer be added.")
    if quote.strip() and not comment.strip():
        raise LibraryError("Say what you think about the part you quoted.")
    for number, rating in ratings.items():
        if not 1 <= number <= len(round_.questions) or rating not in Rating.values:
            raise LibraryError("Choose an answer for each question from the ones given.")
        QuestionAnswer.objects.update_or_create(
            invitation=invitation,
            number=number,
            defaults={"question": round_.questions[number - 1], "rating": rating},
        )
    points = []
    if overall.strip():
        points.append(ReviewFeedback.objects.create(invitation=invitation, round=round_, comment=overall.strip()))
    if comment.strip() and quote.strip():
        points.append(
            ReviewFeedback.objects.create(
                invitation=invitation, round=round_, quote=quote.strip(), comment=comment.strip()
            )
        )
    if not ratings and not points:
        raise LibraryError("Answer a question or write some feedback before sending.")
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["responded_at"])
    Credit.objects.get_or_create(
        resource_id=round_.resource_id, member_id=invitation.member_id, defaults={"role": Credit.Role.REVIEWED}
    )
    return points


@transaction.atomic
def respond_to_feedback(*, feedback: ReviewFeedback, response: str, reason: str, by: User | None) -> ReviewFeedback:
    """Records what staff did about one point. The reviewer is told (once for each time new
    answers are given) and sees the response on their "What happened to my feedback" page.
    Changing an answer already given does not message them again."""
    if response not in ReviewFeedback.Response.values:
        raise LibraryError("Choose what happened to this point.")
    if response != ReviewFeedback.Response.CHANGED and not reason.strip():
        raise LibraryError("Say why: the member will read this.")
    invitation = ReviewInvitation.objects.select_for_update().get(pk=feedback.invitation_id)
    feedback = ReviewFeedback.objects.select_for_update().get(pk=feedback.pk)
    newly_answered = not feedback.response
    feedback.response = response
    feedback.response_reason = reason.strip()
    feedback.responded_at = timezone.now()
    feedback.responded_by = by
    feedback.save(update_fields=["response", "response_reason", "responded_at", "responded_by"])
    if newly_answered:
        invitation.answered_count += 1
        invitation.save(update_fields=["answered_count"])
        messages.queue_feedback_answered(invitation)
    return feedback


# --- Credits ----------------------------------------------------------------------------------


@transaction.atomic
def set_credit_preference(*, credit: Credit, named: bool, credited_as: str = "") -> Credit:
    """Records whether a member agrees to be named in a resource's credits, and how.

    Saying yes counts from the next time the resource is published (consent at the time of
    publishing); saying no takes their name off every version at once."""
    credit = Credit.objects.select_for_update().get(pk=credit.pk)
    credited_as = " ".join(credited_as.split())[:80]
    if named and not credited_as:
        raise LibraryError("Write the name you would like us to use.")
    credit.named = named
    credit.credited_as = credited_as if named else ""
    credit.named_decided_at = timezone.now()
    credit.save(update_fields=["named", "credited_as", "named_decided_at"])
    if not named:
        for version in credit.named_in_versions.all():
            version.named_credits.remove(credit)
    return credit


def add_credit(*, resource: Resource, member: Member, role: str = Credit.Role.CO_WROTE) -> Credit:
    """Records that a member took part (staff add co-writers and designers this way)."""
    credit, _ = Credit.objects.get_or_create(resource=resource, member=member, defaults={"role": role})
    return credit


# --- The public -------------------------------------------------------------------------------


def give_reader_feedback(*, resource: Resource, useful: str, missing: str = "") -> ReaderFeedback:
    """Keeps a reader's answers about a public resource: the answers and the date, nothing else."""
    if not resource.is_public:
        raise LibraryError("Only published resources take feedback.")
    if useful not in ReaderFeedback.Useful.values:
        raise LibraryError("Say whether this was useful.")
    version = resource.current_version
    return ReaderFeedback.objects.create(
        resource=resource,
        version_number=version.number if version else None,
        useful=useful,
        missing=missing.strip(),
        given_on=timezone.localdate(),
    )


def suggest_resource(*, by: User, kind: str, title: str, details: str = "") -> Suggestion:
    """Keeps a member's or a coordinator's suggestion for staff to look at in the admin."""
    return Suggestion.objects.create(suggested_by=by, kind=kind, title=title.strip(), details=details.strip())


@transaction.atomic
def turn_suggestion_into_idea(*, suggestion: Suggestion) -> Resource:
    """Makes an idea in the library from a suggestion (once: a second call returns the same one)."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.resource_id:
        return suggestion.resource
    resource = create_resource(
        title=suggestion.title,
        status=Status.IDEA,
        why_needed=f"Suggested on {timezone.localdate(suggestion.suggested_at):%d %B %Y}"
        f" ({suggestion.get_kind_display().lower()}). {suggestion.details}".strip(),
    )
    suggestion.resource = resource
    suggestion.status = Suggestion.Status.IDEA
    suggestion.save(update_fields=["resource", "status"])
    return resource
