"""Reading surveys: a survey's whole structure in a fixed number of queries, and the surveys a
member may answer or review."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from members.models import Member

from .models import Choice, Question, Section, Survey
from .rules import Draft, visible_sections

# Members who may answer member surveys: those who have finished joining (a member taking a
# break gets no messages, but may still answer if they choose to).
ANSWERING_STATUSES = (Member.Status.ACTIVE, Member.Status.PAUSED)


@dataclass
class Structure:
    """A survey's sections, questions and choices, loaded once (four queries)."""

    survey: Survey
    sections: list[Section]
    conditions: dict[int, set[int]] = field(default_factory=dict)
    questions: dict[int, Question] = field(default_factory=dict)
    choices: dict[int, Choice] = field(default_factory=dict)

    def visible(self, draft: Draft) -> list[Section]:
        return visible_sections(self.sections, self.conditions, draft)

    def questions_in_order(self) -> list[Question]:
        return [question for section in self.sections for question in section.questions.all()]


def load_structure(survey: Survey) -> Structure:
    choices = Choice.objects.order_by("order", "pk")
    questions = Question.objects.order_by("order", "pk").prefetch_related(Prefetch("choices", queryset=choices))
    sections = list(
        Section.objects.filter(survey=survey)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("questions", queryset=questions), "show_when")
    )
    structure = Structure(survey=survey, sections=sections)
    for section in sections:
        structure.conditions[section.pk] = {choice.pk for choice in section.show_when.all()}
        for question in section.questions.all():
            question.section = section  # no query when a rule asks for it
            structure.questions[question.pk] = question
            for choice in question.choices.all():
                choice.question = question
                structure.choices[choice.pk] = choice
    return structure


def open_now() -> Q:
    now = timezone.now()
    return (
        Q(status=Survey.Status.OPEN)
        & (Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    )


def surveys_to_answer(member: Member) -> QuerySet[Survey]:
    """Open member surveys this member has not answered yet, closing soonest first."""
    if member.status not in ANSWERING_STATUSES:
        return Survey.objects.none()
    return (
        Survey.objects.filter(open_now(), audience__in=[Survey.Audience.MEMBERS, Survey.Audience.ANONYMOUS])
        .exclude(participations__member=member)
        .order_by("closes_at", "-created_at", "pk")
    )


def surveys_to_review(member: Member) -> QuerySet[Survey]:
    """Draft surveys in member review that this member was asked to read."""
    if member.status not in ANSWERING_STATUSES:
        return Survey.objects.none()
    return Survey.objects.filter(status=Survey.Status.REVIEW, reviewers=member).order_by("-created_at", "pk")
