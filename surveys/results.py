"""A survey's results, counted in the database in a fixed number of queries however many
responses there are: per question counts and percentages (as bar charts from `common.charts`),
averages for numbers, how many wrote something, responses over time, and the CSV export.

`survey_results(..., for_commissioners=True)` is what commissioners see: every count under 5
shown as "fewer than 5" (with secondary suppression, `common.suppression`), no free text and no
filters. Percentages are of the people who answered that question.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min, QuerySet
from django.db.models.functions import TruncWeek

from common.charts import BarChart, bar_chart
from common.formatting import day_month_year
from common.spreadsheets import spreadsheet_safe
from common.suppression import cell

from .models import Answer, Choice, Question, Response
from .rules import answer_in_words
from .selectors import Structure


@dataclass
class QuestionResult:
    question: Question
    answered: str  # how many answered, suppressed for commissioners
    chart: BarChart | None = None
    average: str = ""
    smallest: str = ""
    largest: str = ""
    written: int = 0  # free-text answers (and "Other" words), for coordinators


@dataclass
class Results:
    total: str
    total_count: int
    sections: list[tuple[object, list[QuestionResult]]] = field(default_factory=list)
    over_time: BarChart | None = None


def submitted(structure: Structure, filter_choice: Choice | None = None) -> QuerySet[Response]:
    """The survey's sent responses, only those that picked ``filter_choice`` if given."""
    responses = Response.objects.filter(survey=structure.survey, submitted_on__isnull=False)
    if filter_choice is not None:
        responses = responses.filter(pk__in=Answer.objects.filter(choice=filter_choice).values("response_id"))
    return responses


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def survey_results(
    structure: Structure, *, filter_choice: Choice | None = None, for_commissioners: bool = False
) -> Results:
    responses = submitted(structure, None if for_commissioners else filter_choice)
    total = responses.count()
    answers = Answer.objects.filter(response__in=responses)
    picked = dict(answers.filter(choice__isnull=False).values_list("choice_id").annotate(n=Count("id")).order_by())
    answered = dict(answers.values_list("question_id").annotate(n=Count("response_id", distinct=True)).order_by())
    written = dict(answers.exclude(text="").values_list("question_id").annotate(n=Count("id")).order_by())
    numbers = {
        row["question_id"]: row
        for row in answers.filter(number__isnull=False)
        .values("question_id")
        .annotate(average=Avg("number"), smallest=Min("number"), largest=Max("number"))
        .order_by()
    }
    results = Results(total=cell(total).shown if for_commissioners else str(total), total_count=total)
    for section in structure.sections:
        rows = []
        for question in section.questions.all():
            count = answered.get(question.pk, 0)
            result = QuestionResult(question=question, answered=cell(count).shown if for_commissioners else str(count))
            if question.has_choices:
                result.chart = bar_chart(
                    chart_id=f"chart-q{question.pk}",
                    title=question.text,
                    rows=[(choice.label, picked.get(choice.pk, 0)) for choice in question.choices.all()],
                    total=count,
                    suppress_small=for_commissioners,
                    cells_add_up=not question.is_multiple,
                    unit="people who answered",
                )
            shows_numbers = not for_commissioners or not cell(count).suppressed
            if question.kind == Question.Kind.NUMBER and question.pk in numbers and shows_numbers:
                stats = numbers[question.pk]
                result.average = _number(stats["average"])
                # Smallest and largest are one person's answer each: never for commissioners.
                if not for_commissioners:
                    result.smallest = _number(stats["smallest"])
                    result.largest = _number(stats["largest"])
            if not for_commissioners:
                result.written = written.get(question.pk, 0)
            rows.append(result)
        results.sections.append((section, rows))
    weeks = list(
        responses.annotate(week=TruncWeek("submitted_on")).values_list("week").annotate(n=Count("id")).order_by("week")
    )
    if weeks:
        results.over_time = bar_chart(
            chart_id="chart-over-time",
            title="Responses each week",
            rows=[(f"Week starting {day_month_year(week)}", n) for week, n in weeks],
            total=total,
            suppress_small=for_commissioners,
            unit="responses",
            label_heading="Week",
            count_heading="Responses",
        )
    return results


def text_answers(structure: Structure, question: Question) -> QuerySet[Answer]:
    """The words written for one question (its text, or "Other – please say"), from sent
    responses, in an order that says nothing about who sent them first."""
    return (
        Answer.objects.filter(question=question, response__submitted_on__isnull=False)
        .exclude(text="")
        .only("text", "choice_id")
        .order_by("id")
    )


def csv_export(structure: Structure) -> str:
    """One row per sent response, one column per question (choices by their labels, several
    joined with "; ", "Other" with its words). Anonymous responses are in random order (by
    their random key) and have no name; named ones carry the member's name."""
    survey = structure.survey
    questions = structure.questions_in_order()
    named = not survey.is_anonymous
    header = ["Response", "Date sent"] + (["Name"] if named else []) + [q.text for q in questions]
    responses = submitted(structure).order_by("id")
    if named:
        responses = responses.select_related("member__user").order_by("member__user__name", "id")
    responses = list(responses)
    cells: dict = defaultdict(lambda: defaultdict(list))
    for answer in (
        Answer.objects.filter(response__in=submitted(structure))
        .values("response_id", "question_id", "choice_id", "text", "number")
        .order_by("response_id", "question_id", "choice__order", "choice_id")
    ):
        cells[answer["response_id"]][answer["question_id"]].append(answer)
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([spreadsheet_safe(value) for value in header])
    for number, response in enumerate(responses, 1):
        row = [str(number), response.submitted_on.isoformat()]
        if named:
            row.append(response.member.user.name if response.member else "")
        for question in questions:
            row.append(_cell(question, cells[response.pk].get(question.pk, []), structure))
        writer.writerow([spreadsheet_safe(value) for value in row])
    return output.getvalue()


def _cell(question: Question, answers: list[dict], structure: Structure) -> str:
    if not answers:
        return ""
    if question.has_choices:
        return "; ".join(
            answer_in_words(choice=structure.choices.get(answer["choice_id"]), text=answer["text"])
            for answer in answers
        )
    return answer_in_words(choice=None, text=answers[0]["text"], number=answers[0]["number"])
