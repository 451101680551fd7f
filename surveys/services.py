"""The writes that matter for surveys: answering, member review (comments, and the invitation
to review), invitations and reminders, and keeping scale questions' choices right.

Sending answers (`submit_response`) is different for each audience, because anonymity is made
here (docs/decisions/0012-anonymous-survey-answers.md):

- **members, with names**: one transaction. The member's draft response becomes their sent
  response with a conditional update, so sending twice sends once; their `Participation` is
  recorded alongside.
- **members, anonymous**: two transactions. First the `Participation` row ("has answered", unique
  per member: a second attempt is refused by the database, not by a check in Python), committed
  on its own; then, in a separate transaction, a response with no member, no time and a random
  key, with its answers. Nothing written in the second points at the first.
- **public link**: one transaction with the response and answers; no person at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Member

from . import messages
from .models import Answer, Choice, Invitation, Participation, Question, Response, ReviewComment, Survey
from .rules import OTHER_LABEL, SCALES, AnswerProblem, Draft, answer_rows, has_answers, is_answered
from .selectors import ANSWERING_STATUSES, Structure


class SurveyError(Exception):
    """Why answers cannot be sent, in words the respondent can read."""


class AlreadyAnswered(SurveyError):
    pass


def sync_choices(*, question: Question) -> None:
    """Scale questions get their fixed choices, and "Other – please say" is there exactly when it
    is offered. Called whenever staff save a question. Never removes a choice that has answers
    (the admin locks the question before that could happen).

    Once the survey has answers (the same test that locks it) a scale's choices are left as they
    are: a reworded label is an allowed wording fix (docs/decisions/0012a), not a reason to add a
    second scale or to drop choices a saved draft points at."""
    if question.kind in SCALES:
        labels = SCALES[question.kind]
        existing = list(question.choices.filter(is_other=False).order_by("order", "pk"))
        if [choice.label for choice in existing] != labels and not has_answers(question.section.survey):
            question.choices.all().delete()
            Choice.objects.bulk_create(
                [Choice(question=question, label=label, order=index) for index, label in enumerate(labels, 1)]
            )
        return
    other = question.choices.filter(is_other=True)
    wants_other = question.allow_other and question.kind in (Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE)
    if wants_other and not other.exists():
        Choice.objects.create(question=question, label=OTHER_LABEL, order=999, is_other=True)
    elif not wants_other:
        other.filter(answers__isnull=True).delete()


def _answer_rows(structure: Structure, draft: Draft) -> list[dict]:
    """Every answer to save, from the sections this person saw; required questions checked."""
    rows: list[dict] = []
    for section in structure.visible(draft):
        for question in section.questions.all():
            entry = draft.get(str(question.pk))
            if question.required and not is_answered(entry):
                raise SurveyError(f"Answer “{question.text}”: it is required.")
            try:
                rows += answer_rows(question, entry or {}, structure.choices)
            except AnswerProblem as problem:
                raise SurveyError(str(problem)) from None
    return rows


def _save_answers(response: Response, rows: list[dict]) -> None:
    Answer.objects.bulk_create([Answer(response=response, **row) for row in rows])


def _refuse_unless_open(survey: Survey) -> None:
    if not survey.is_open():
        raise SurveyError("This survey is not open for answers.")


def _refuse_unless_may_answer(member: Member | None) -> None:
    if member is None or member.status not in ANSWERING_STATUSES:
        raise SurveyError("Only members of the group can answer this survey.")


def save_draft(*, survey: Survey, member: Member, draft: Draft) -> Response:
    """Keeps a named survey's answers so far, to finish later. Refused once sent."""
    _refuse_unless_open(survey)
    if survey.audience != Survey.Audience.MEMBERS:
        raise SurveyError("Answers to an anonymous survey are not saved until you send them.")
    _refuse_unless_may_answer(member)
    with transaction.atomic():
        response, _ = Response.objects.get_or_create(survey=survey, member=member)
        updated = Response.objects.filter(pk=response.pk, submitted_on__isnull=True).update(draft=draft)
        if not updated:
            raise AlreadyAnswered("You have already sent your answers to this survey.")
        response.draft = draft
    return response


def draft_for(survey: Survey, member: Member) -> Draft:
    """A named survey's saved answers so far (empty if none)."""
    response = Response.objects.filter(survey=survey, member=member, submitted_on__isnull=True).first()
    return dict(response.draft) if response else {}


def has_answered(survey: Survey, member: Member | None) -> bool:
    return member is not None and Participation.objects.filter(survey=survey, member=member).exists()


def submit_response(*, structure: Structure, draft: Draft, member: Member | None = None) -> Response:
    """Sends someone's answers (see the module docstring for how each audience is kept).

    Raises `SurveyError` for answers that do not fit the survey (the message says which), and
    `AlreadyAnswered` for a member's second response.
    """
    survey = structure.survey
    _refuse_unless_open(survey)
    rows = _answer_rows(structure, draft)
    today = timezone.localdate()

    if survey.audience == Survey.Audience.PUBLIC:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, submitted_on=today)
            _save_answers(response, rows)
        return response

    _refuse_unless_may_answer(member)

    if survey.audience == Survey.Audience.MEMBERS:
        with transaction.atomic():
            response, _ = Response.objects.get_or_create(survey=survey, member=member)
            sent = Response.objects.filter(pk=response.pk, submitted_on__isnull=True).update(
                submitted_on=today, draft={}
            )
            if not sent:
                raise AlreadyAnswered("You have already sent your answers to this survey.")
            _save_answers(response, rows)
            Participation.objects.get_or_create(survey=survey, member=member)
        return response

    # Anonymous: "has answered" first, committed on its own; then the answers, unlinked.
    try:
        with transaction.atomic():
            participation = Participation.objects.create(survey=survey, member=member)
    except IntegrityError:
        raise AlreadyAnswered("You have already sent your answers to this survey.") from None
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, submitted_on=today)
            _save_answers(response, rows)
    except Exception:
        # The answers were not saved, so the member has not answered: let them try again.
        Participation.objects.filter(pk=participation.pk).delete()
        raise
    return response


def add_review_comment(*, question: Question, member: Member, concerns: list[str], comment: str) -> ReviewComment:
    """A member's comment on a draft question, while the survey is in member review."""
    survey = question.section.survey
    if survey.status != Survey.Status.REVIEW:
        raise SurveyError("This survey is no longer in member review, so comments are closed.")
    return ReviewComment.objects.create(question=question, member=member, concerns=concerns, comment=comment.strip())


def invite_reviewers(*, survey: Survey, send_after_commit: bool = True) -> int:
    """While the survey is in member review, queues the review invitation to each chosen
    reviewer (once per reviewer per survey, ever: the outbox's unique key). Called whenever staff
    save the survey, so putting it into review invites everyone chosen, and a reviewer added
    later is invited then. Members taking a break or who have left are not asked. Returns how
    many active reviewers there are (each asked once, now or before)."""
    if survey.status != Survey.Status.REVIEW:
        return 0
    with transaction.atomic():
        reviewers = list(
            survey.reviewers.filter(status=Member.Status.ACTIVE, erased_at__isnull=True).select_related("user")
        )
        messages.queue_review_invitations(survey, reviewers, send_after_commit=send_after_commit)
    return len(reviewers)


def invite_members(*, survey: Survey, members: Iterable[Member]) -> int:
    """Invites members to an open member survey and queues their invitations (once each, ever).
    Members who have left, are taking a break or have not finished joining are not invited.
    Returns how many were newly invited."""
    if not survey.is_for_members:
        raise SurveyError("Public surveys are shared by their link, not by invitation.")
    if not survey.is_open():
        # An invitation built before the opening date would be dropped as "not open" when sent.
        raise SurveyError("Invite members once the survey is open (from its opening date, if it has one).")
    wanted = [member.pk for member in members]
    with transaction.atomic():
        eligible = Member.objects.filter(pk__in=wanted, status=Member.Status.ACTIVE, erased_at__isnull=True)
        before = set(Invitation.objects.filter(survey=survey).values_list("member_id", flat=True))
        Invitation.objects.bulk_create(
            [Invitation(survey=survey, member_id=pk) for pk in eligible.values_list("pk", flat=True)],
            ignore_conflicts=True,
        )
        invitations = Invitation.objects.filter(survey=survey, member__in=eligible).select_related("member__user")
        messages.queue_invitations(invitations)
        after = Invitation.objects.filter(survey=survey).count()
    return after - len(before)


def send_reminders(*, survey: Survey, send_after_commit: bool = True) -> int:
    """Queues the one reminder for invited members who have not answered. Whether someone has
    answered comes from `Participation` only, never from the answers. Returns how many."""
    _refuse_unless_open(survey)
    with transaction.atomic():
        waiting = (
            Invitation.objects.filter(survey=survey, member__status=Member.Status.ACTIVE)
            .exclude(member__survey_participations__survey=survey)
            .select_related("member__user")
        )
        invitations = list(waiting)
        messages.queue_reminders(invitations, send_after_commit=send_after_commit)
        Invitation.objects.filter(pk__in=[i.pk for i in invitations], reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        )
    return len(invitations)


@transaction.atomic
def copy_survey(*, survey: Survey) -> Survey:
    """A new draft with the same sections, questions, choices and conditions, for asking
    something different once the original's questions are locked by its answers."""
    copy = Survey.objects.create(
        title=f"Copy of {survey.title}"[:200],
        intro=survey.intro,
        audience=survey.audience,
        minutes_to_complete=survey.minutes_to_complete,
        who_sees_answers=survey.who_sees_answers,
    )
    choice_map: dict[int, Choice] = {}
    sections = list(survey.sections.order_by("order", "pk").prefetch_related("show_when"))
    new_sections = {}
    for section in sections:
        new_sections[section.pk] = copy.sections.create(title=section.title, intro=section.intro, order=section.order)
        for question in section.questions.order_by("order", "pk"):
            new_question = Question.objects.create(
                section=new_sections[section.pk],
                order=question.order,
                text=question.text,
                hint=question.hint,
                kind=question.kind,
                required=question.required,
                allow_other=question.allow_other,
                number_min=question.number_min,
                number_max=question.number_max,
            )
            for choice in question.choices.order_by("order", "pk"):
                choice_map[choice.pk] = Choice.objects.create(
                    question=new_question, label=choice.label, order=choice.order, is_other=choice.is_other
                )
    for section in sections:
        new_sections[section.pk].show_when.set(
            [choice_map[c.pk] for c in section.show_when.all() if c.pk in choice_map]
        )
    return copy
