"""The rules of a survey, in one place: scales, which sections show, what a valid condition is,
when questions are locked, and which status changes are allowed.

Draft answers (``Draft``) are what the pages hold while someone answers: a dict from the
question id (as a string, since it travels through JSON in the session or a draft response) to
``{"choices": [choice ids], "other": "words", "text": "words", "number": "12"}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from .models import Choice, Question, Response, Section, Survey  # noqa: F401

Draft = dict[str, dict[str, Any]]

SCALES: dict[str, list[str]] = {
    Question.Kind.AGREEMENT: ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"],
    Question.Kind.RATING: ["1 (lowest)", "2", "3", "4", "5 (highest)"],
    Question.Kind.EXPERIENCE: ["Very good", "Good", "Neither good nor poor", "Poor", "Very poor", "Don't know"],
}
OTHER_LABEL = "Other – please say"

# Status changes staff may make. Going back to draft is allowed only while nobody has answered.
ALLOWED_STATUS_CHANGES: dict[str, set[str]] = {
    Survey.Status.DRAFT: {Survey.Status.REVIEW, Survey.Status.OPEN},
    Survey.Status.REVIEW: {Survey.Status.DRAFT, Survey.Status.OPEN},
    Survey.Status.OPEN: {Survey.Status.CLOSED},
    Survey.Status.CLOSED: {Survey.Status.OPEN},
}

LOCKED_MESSAGE = (
    "People have started answering this survey, so its questions are locked. You may only fix the "
    "wording (spelling, or clearer words that mean the same). To ask something different, copy the "
    "survey and change the copy."
)


def has_answers(survey: Survey) -> bool:
    """Answers exist (sent, or a named draft saved to finish later): the questions are locked."""
    return Response.objects.filter(survey=survey).exists()


def status_problem(survey: Survey, new_status: str, *, old_status: str, question_count: int) -> str | None:
    """Why the survey cannot move from ``old_status`` to ``new_status``, or None."""
    if new_status == old_status:
        return None
    if new_status not in ALLOWED_STATUS_CHANGES.get(old_status, set()):
        return (
            f"A survey cannot go from “{Survey.Status(old_status).label}” to “{Survey.Status(new_status).label}”. "
            "The order is draft, then member review (if you want it), then open, then closed."
        )
    if new_status in (Survey.Status.REVIEW, Survey.Status.OPEN) and question_count == 0:
        return "Add at least one question first."
    return None


def condition_problem(
    *, survey_id: int | None, own_position: int, choices: Iterable[Choice], positions: dict[int, int]
) -> str | None:
    """Why a section's "show only when" choices are not allowed, or None.

    ``positions`` gives each section's place in the survey as it will be saved (by section id),
    ``own_position`` the place of the section being checked. The choices must all belong to one
    question, in an earlier section of the same survey. Pointing at the section itself or a later
    one would make a loop (or ask about an answer not given yet), so it is refused.
    """
    choices = list(choices)
    if not choices:
        return None
    if len({choice.question_id for choice in choices}) > 1:
        return "Choose answers to one question only."
    question = choices[0].question
    if question.section.survey_id != survey_id:
        return "Choose answers from a question in this survey."
    theirs = positions.get(question.section_id)
    if theirs is None or theirs >= own_position:
        return (
            "A section can only depend on a question in an earlier section. "
            "This would make a loop or ask about an answer not given yet."
        )
    return None


def chosen_ids(draft: Draft, question_id: int) -> set[int]:
    return {int(value) for value in draft.get(str(question_id), {}).get("choices", [])}


def visible_sections(sections: Sequence[Section], conditions: dict[int, set[int]], draft: Draft) -> list[Section]:
    """The sections this person sees, in order, given their answers so far.

    ``conditions`` maps a section id to the choice ids that show it (empty or missing: always
    shown). Only answers in sections that are themselves shown count, so hiding a section hides
    everything that depended on it.
    """
    shown: list[Section] = []
    picked: set[int] = set()
    for section in sections:
        needed = conditions.get(section.pk) or set()
        if needed and not (needed & picked):
            continue
        shown.append(section)
        for question in section.questions.all():
            picked |= chosen_ids(draft, question.pk)
    return shown


def is_answered(entry: dict[str, Any] | None) -> bool:
    if not entry:
        return False
    return bool(entry.get("choices") or str(entry.get("text", "")).strip() or str(entry.get("number", "")).strip())


def answer_in_words(*, choice: Choice | None, text: str = "", number: Decimal | None = None) -> str:
    """One answer as people read it (check your answers, the CSV, the data download): a choice's
    label ("Other: <words>" when Other has words), a number without trailing zeros, or the words."""
    if choice is not None:
        return f"Other: {text}" if choice.is_other and text else choice.label
    if number is not None:
        return f"{number.normalize():f}"
    return text


class AnswerProblem(Exception):
    """Answers that cannot be saved, with a message a respondent can read."""


def answer_rows(question: Question, entry: dict[str, Any], choices: dict[int, Choice]) -> list[dict[str, Any]]:
    """The Answer rows for one question's draft entry, checked again against the question (a draft
    can be stale or tampered with). Raises AnswerProblem for anything that does not fit."""
    if not is_answered(entry):
        return []
    if question.has_choices:
        ids = [int(value) for value in entry.get("choices", [])]
        if not question.is_multiple and len(ids) > 1:
            raise AnswerProblem(f"Choose only one answer to “{question.text}”.")
        rows = []
        for choice_id in ids:
            choice = choices.get(choice_id)
            if choice is None or choice.question_id != question.pk:
                raise AnswerProblem(f"One of your answers to “{question.text}” is not one of its choices.")
            other = str(entry.get("other", "")) if choice.is_other else ""
            if len(other) > question.text_limit:
                raise AnswerProblem(f"Your answer to “{question.text}” is too long.")
            rows.append({"question": question, "choice": choice, "text": other.strip()})
        return rows
    if question.kind == Question.Kind.NUMBER:
        try:
            number = Decimal(str(entry.get("number", "")).strip())
        except InvalidOperation:
            raise AnswerProblem(f"Your answer to “{question.text}” must be a number.") from None
        if not number.is_finite() or abs(number) >= Decimal("1e10"):
            raise AnswerProblem(f"Your answer to “{question.text}” must be a number.")
        return [{"question": question, "number": number.quantize(Decimal("0.01"))}]
    text = str(entry.get("text", "")).strip()
    if len(text) > question.text_limit:
        raise AnswerProblem(f"Your answer to “{question.text}” is too long.")
    return [{"question": question, "text": text}]
