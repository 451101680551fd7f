"""The figures for one survey's results report, for commissioners.

The answers come from ``surveys.results.survey_results(..., for_commissioners=True)``: counts
under 5 read "fewer than 5" (with the secondary suppression of ``common.suppression``) and no
free-text answer is ever included. Around them: the survey's dates, who it was for, how many
answered, and how members shaped the questions before it opened (member review), as counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from common.suppression import Cell, cell, suppress
from surveys.models import ReviewComment, Survey
from surveys.results import Results, survey_results
from surveys.selectors import load_structure

from . import Progress, stage_counter

# The report's sections, in order: progress hears each as its figures are worked out.
STAGES = (
    "About the survey",
    "How members shaped the questions",
    "The answers",
    "Responses over time",
)

AUDIENCES = {
    Survey.Audience.MEMBERS: ("Members of the group. They answered with their names; this report shows only totals."),
    Survey.Audience.ANONYMOUS: "Members of the group, anonymously.",
    Survey.Audience.PUBLIC: "Anyone with the link, anonymously.",
}


@dataclass(frozen=True)
class Concern:
    label: str
    count: Cell


@dataclass(frozen=True)
class CoDesign:
    """How members checked the questions before the survey opened: counts only, never words."""

    reviewers_invited: Cell
    reviewers_commented: Cell
    comments: Cell
    questions_commented_on: int
    concerns: list[Concern]

    @property
    def recorded(self) -> bool:
        return self.reviewers_invited.value != 0 or self.comments.value != 0


@dataclass(frozen=True)
class SurveyFacts:
    title: str
    status: str
    audience: str
    opened_on: dt.date | None
    closed_on: dt.date | None
    minutes_to_complete: int


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def survey_facts(survey: Survey) -> SurveyFacts:
    return SurveyFacts(
        title=survey.title,
        status=survey.get_status_display(),
        audience=AUDIENCES.get(survey.audience, survey.get_audience_display()),
        opened_on=_day(survey.opens_at),
        closed_on=_day(survey.closes_at),
        minutes_to_complete=survey.minutes_to_complete,
    )


def co_design(survey: Survey) -> CoDesign:
    """Members asked to review the questions, how many commented, and what kinds of concern
    they raised (each count suppressed under 5; two queries)."""
    invited = survey.reviewers.count()
    comments = list(
        ReviewComment.objects.filter(question__section__survey=survey).values_list(
            "member_id", "question_id", "concerns"
        )
    )
    commenters = {member_id for member_id, _, _ in comments if member_id is not None}
    tally: Counter[str] = Counter()
    for _, _, concerns in comments:
        tally.update(set(concerns or []))
    labels = dict(ReviewComment.Concern.choices)
    # One comment may raise several concerns, so the counts do not add up to a total.
    shown = suppress([tally[key] for key in labels], total=len(comments), cells_add_up=False)
    return CoDesign(
        reviewers_invited=cell(invited),
        reviewers_commented=cell(len(commenters)),
        comments=cell(len(comments)),
        questions_commented_on=len({question_id for _, question_id, _ in comments}),
        concerns=[Concern(label, count) for label, count in zip(labels.values(), shown.cells, strict=True)],
    )


def answers(survey: Survey) -> Results:
    """Each question's counts and chart, as commissioners may see them."""
    return survey_results(load_structure(survey), for_commissioners=True)


@dataclass(frozen=True)
class SurveyFigures:
    facts: SurveyFacts
    co_design: CoDesign
    results: Results


def survey_figures(survey: Survey, *, progress: Progress | None = None) -> SurveyFigures:
    """Everything the survey report shows, in a fixed number of queries. ``progress`` hears
    each of `STAGES` as it begins (the last, responses over time, comes with the answers)."""
    next_stage = stage_counter(STAGES, progress)
    next_stage()
    facts = survey_facts(survey)
    next_stage()
    shaped = co_design(survey)
    next_stage()
    results = answers(survey)
    next_stage()
    return SurveyFigures(facts=facts, co_design=shaped, results=results)
