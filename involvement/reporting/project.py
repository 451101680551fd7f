"""The figures for a project case study, laid out as the co-production good-practice template.

The case study goes to commissioners, so it never names a member: people involved are a count
(suppressed under 5), attendance and responses are counts (suppressed), and members' words
appear only as quotes whose member currently agrees to the use of their anonymised words.

Each function reads a fixed number of queries, however many meetings, members or responses
the project has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from common.formatting import day_month_year
from common.suppression import Cell, cell, suppress
from involvement.models import RUNG_MEANINGS, ImpactItem, Project, Rung, rung_label
from library.models import Resource
from meetings.models import Meeting, Registration
from surveys.models import Response, Survey

from . import Progress, stage_counter
from .period import quotes_allowed

NOT_RECORDED = "Not recorded."
# The case study's sections, in order: progress hears each as its figures are worked out.
STAGES = (
    "The good practice template",
    "The ladder of co-production",
    "Meetings, resources and surveys",
    "You said, we did",
    "In members' own words",
)


# ---- The good-practice template ------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One part of a template answer: a label ("How they were involved") or "", and the words."""

    label: str
    text: str


@dataclass(frozen=True)
class TemplateRow:
    """One row of the template: its question (the row header) and the project's answer."""

    question: str
    parts: tuple[Part, ...]

    @property
    def is_empty(self) -> bool:
        return not any(part.text for part in self.parts)


def _date(value: dt.date | None, empty: str = NOT_RECORDED) -> str:
    return day_month_year(value) if value else empty


def _stakeholders(project: Project) -> TemplateRow:
    return TemplateRow(
        "Stakeholders: who, how they were identified and how they were involved "
        "(with equality, diversity and inclusion)",
        (
            Part("Who", project.stakeholders_who.strip()),
            Part("How they were identified", project.stakeholders_how_identified.strip()),
            Part("How they were involved", project.stakeholders_how_involved.strip()),
            Part("Equality, diversity and inclusion", project.equality_and_inclusion.strip()),
        ),
    )


def _training(project: Project) -> TemplateRow:
    return TemplateRow(
        "Training or guidance provided to support the co-production process "
        "(with the name and details of the training provider, if there was one)",
        (Part("", project.training.strip()),),
    )


def _learning(project: Project) -> TemplateRow:
    return TemplateRow(
        "Learning points",
        (
            Part("What went well", project.went_well.strip()),
            Part("Challenges and how they were resolved", project.challenges.strip()),
        ),
    )


def _plain(question: str, text: str) -> TemplateRow:
    return TemplateRow(question, (Part("", text.strip()),))


def template_rows(project: Project) -> list[TemplateRow]:
    """The template's rows, in its order, filled from the project (no queries).

    A project or programme uses the "projects and programmes" template; ongoing work uses the
    "business as usual" one, which has no dates and describes how the work is done instead.
    """
    evaluation = _plain("Evaluation, main impact and outcomes", project.evaluation_and_impact)
    future = _plain(
        "Future plans (where the learning will be shared, when it will be reviewed, keeping "
        "relationships going, new areas of work)",
        project.future_plans,
    )
    if project.kind == Project.Kind.ONGOING:
        topic = " ".join(filter(None, [project.title.strip(), project.summary.strip()]))
        return [
            _plain("Description of the co-production topic", topic),
            _plain("Aims and objectives", project.aims),
            _plain("Scope and target audience", project.scope_and_audience),
            _stakeholders(project),
            _plain("Description of how the work is done and how it works", project.description),
            _training(project),
            evaluation,
            _learning(project),
            future,
        ]
    return [
        _plain("Title of the project, programme or service area", project.title),
        _plain("Aims and objectives", project.aims),
        _plain("Scope and target audience", project.scope_and_audience),
        _plain("Date started", _date(project.started_on)),
        _plain("Date completed", _date(project.completed_on, "Not completed yet.")),
        _stakeholders(project),
        _plain("Description and other information", project.description),
        _training(project),
        evaluation,
        _learning(project),
        future,
    ]


def template_name(project: Project) -> str:
    if project.kind == Project.Kind.ONGOING:
        return "Co-production good or promising practice example: business as usual"
    return "Co-production good or promising practice example: projects and programmes"


# ---- The ladder of co-production -----------------------------------------------------------


@dataclass(frozen=True)
class LadderRung:
    number: int
    name: str
    meaning: str
    is_start: bool
    is_now: bool
    is_target: bool

    @property
    def marks(self) -> list[str]:
        return [
            words
            for words, on in (("Started here", self.is_start), ("Now", self.is_now), ("Aiming for", self.is_target))
            if on
        ]


@dataclass(frozen=True)
class RungMove:
    changed_on: dt.date
    rung_from: str
    rung_to: str
    direction: str  # "up", "down" or "start"
    note: str


@dataclass(frozen=True)
class Ladder:
    rungs: list[LadderRung]  # the top rung first, as the ladder is drawn
    start: int
    now: int
    target: int
    moves: list[RungMove]

    @property
    def start_label(self) -> str:
        return rung_label(self.start)

    @property
    def now_label(self) -> str:
        return rung_label(self.now)

    @property
    def target_label(self) -> str:
        return rung_label(self.target)

    @property
    def steps_moved(self) -> int:
        return self.now - self.start

    @property
    def steps_to_go(self) -> int:
        return max(self.target - self.now, 0)


def ladder(project: Project) -> Ladder:
    """All seven rungs with their meanings, where the project started, is now and aims to be,
    and each recorded move (one query)."""
    changes = list(project.rung_changes.order_by("changed_on", "pk"))
    if changes:
        first = changes[0]
        start = first.rung_from or first.rung_to
    else:
        start = project.rung_now
    moves = [
        RungMove(
            changed_on=change.changed_on,
            rung_from=rung_label(change.rung_from) or "Not on the ladder yet",
            rung_to=rung_label(change.rung_to),
            direction="start"
            if change.rung_from is None
            else (
                "up" if change.rung_to > change.rung_from else "down" if change.rung_to < change.rung_from else "same"
            ),
            note=change.note,
        )
        for change in changes
    ]
    rungs = [
        LadderRung(
            number=rung.value,
            name=rung.label,
            meaning=RUNG_MEANINGS[rung],
            is_start=rung.value == start,
            is_now=rung.value == project.rung_now,
            is_target=rung.value == project.rung_target,
        )
        for rung in sorted(Rung, reverse=True)
    ]
    return Ladder(rungs=rungs, start=start, now=project.rung_now, target=project.rung_target, moves=moves)


# ---- What the project is linked to ---------------------------------------------------------


@dataclass(frozen=True)
class MeetingRow:
    title: str
    kind: str
    held_on: dt.date
    attended: Cell


@dataclass(frozen=True)
class ResourceRow:
    title: str
    status: str
    published_on: dt.date | None


@dataclass(frozen=True)
class SurveyRow:
    title: str
    status: str
    opened_on: dt.date | None
    closed_on: dt.date | None
    responses: Cell


@dataclass(frozen=True)
class Links:
    meetings: list[MeetingRow]
    meetings_planned: int
    attendances: Cell
    resources: list[ResourceRow]
    surveys: list[SurveyRow]
    members_involved: Cell


def links(project: Project, *, now: dt.datetime | None = None) -> Links:
    """Meetings held with how many took part, resources, surveys with how many answered, and
    how many members were involved: every count suppressed under 5 (six queries)."""
    now = now or timezone.now()
    meetings = list(
        Meeting.objects.filter(projects=project)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at", "pk")
        .only("title", "kind", "starts_at", "ends_at", "status")
    )
    held = [meeting for meeting in meetings if meeting.ends_at <= now]
    took_part = dict(
        Registration.objects.took_part(now=now)
        .filter(meeting__projects=project)
        .values_list("meeting_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = [took_part.get(meeting.pk, 0) for meeting in held]
    # The total is shown, so one small meeting could be worked out from it: hide a second one.
    shown = suppress(counts)
    meeting_rows = [
        MeetingRow(
            title=meeting.title,
            kind=meeting.get_kind_display(),
            held_on=timezone.localtime(meeting.starts_at).date(),
            attended=attended,
        )
        for meeting, attended in zip(held, shown.cells, strict=True)
    ]
    resources = [
        ResourceRow(
            title=resource.title,
            status=resource.get_status_display(),
            published_on=timezone.localtime(resource.first_published_at).date()
            if resource.first_published_at
            else None,
        )
        for resource in Resource.objects.filter(projects=project)
        .order_by("title", "pk")
        .only("title", "status", "first_published_at")
    ]
    surveys = list(
        Survey.objects.filter(projects=project)
        .order_by("opens_at", "title", "pk")
        .only("title", "status", "opens_at", "closes_at")
    )
    responses = dict(
        Response.objects.filter(survey__projects=project, submitted_on__isnull=False)
        .values_list("survey_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    survey_rows = [
        SurveyRow(
            title=survey.title,
            status=survey.get_status_display(),
            opened_on=timezone.localtime(survey.opens_at).date() if survey.opens_at else None,
            closed_on=timezone.localtime(survey.closes_at).date() if survey.closes_at else None,
            responses=cell(responses.get(survey.pk, 0)),
        )
        for survey in surveys
    ]
    involved = project.involved.count()
    return Links(
        meetings=meeting_rows,
        meetings_planned=len(meetings) - len(held),
        attendances=shown.total if held else cell(0),
        resources=resources,
        surveys=survey_rows,
        members_involved=cell(involved),
    )


# ---- You said, we did; members' words ------------------------------------------------------


@dataclass(frozen=True)
class ImpactRow:
    you_said: str
    we_did: str
    status: str
    is_closed: bool
    why_not_possible: str
    raised_on: dt.date
    closed_on: dt.date | None
    where: str


def impact_items(project: Project) -> list[ImpactRow]:
    """The project's "you said, we did" items, oldest first (one query)."""
    return [
        ImpactRow(
            you_said=item.you_said,
            we_did=item.we_did,
            status=item.get_status_display(),
            is_closed=item.is_closed,
            why_not_possible=item.why_not_possible if item.status == ImpactItem.Status.NOT_POSSIBLE else "",
            raised_on=item.raised_on,
            closed_on=item.closed_on,
            where=item.get_source_display(),
        )
        for item in ImpactItem.objects.filter(project=project).order_by("raised_on", "pk")
    ]


@dataclass(frozen=True)
class QuoteRow:
    text: str
    said_on: dt.date


def quotes(project: Project) -> list[QuoteRow]:
    """Quotes about the project (or one of its "you said, we did" items) from members who agree,
    right now, to the use of their anonymised words. Never with a name (one query)."""
    chosen = (
        quotes_allowed()
        .filter(Q(project=project) | Q(impact_item__project=project))
        .order_by("said_on", "pk")
        .only("text", "said_on")
        .distinct()
    )
    return [QuoteRow(text=quote.text, said_on=quote.said_on) for quote in chosen]


# ---- The whole case study ------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFigures:
    project: Project
    template_name: str
    rows: list[TemplateRow]
    ladder: Ladder
    links: Links
    impact: list[ImpactRow]
    quotes: list[QuoteRow]


def project_figures(
    project: Project, *, now: dt.datetime | None = None, progress: Progress | None = None
) -> ProjectFigures:
    """Everything the case study shows, in a fixed number of queries. ``progress`` hears each
    of `STAGES` as it begins."""
    next_stage = stage_counter(STAGES, progress)
    next_stage()
    name, rows = template_name(project), template_rows(project)
    next_stage()
    rungs = ladder(project)
    next_stage()
    linked = links(project, now=now)
    next_stage()
    impact = impact_items(project)
    next_stage()
    return ProjectFigures(
        project=project,
        template_name=name,
        rows=rows,
        ladder=rungs,
        links=linked,
        impact=impact,
        quotes=quotes(project),
    )
