"""Demo co-production projects, members' words and "you said, we did" items (part of ``seed_demo``).

Five projects across the ladder: one finished, one ongoing "business as usual", the rest under
way, each with moves on the ladder over the last two years (so the reports show movement),
linked to the demo meetings, resources and surveys, with members involved (some named, by the
name they chose) and some of their words: most from members who agreed to their anonymised
words being used, one from a member who did not (it must never show). Then fifteen items
across every status and source, raised over the last eighteen months, several public.

Everything is invented. It goes through ``projects.save_project`` and
``impact.save_impact_item``, and is found again by title or wording, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from library.models import Resource
from meetings.models import Meeting
from members.models import Member, User
from members.roles import COORDINATORS
from surveys.models import Survey

from .impact import save_impact_item
from .models import ImpactItem, Project, ProjectMember, Quote, Rung
from .projects import record_naming_decision, save_project

Status = ImpactItem.Status
Source = ImpactItem.Source


@dataclass(frozen=True)
class DemoProject:
    title: str
    fields: dict
    # (days ago, rung): the starting rung first, then each move.
    moves: list[tuple[int, int]]
    target: int
    resources: list[str] = field(default_factory=list)
    surveys: list[str] = field(default_factory=list)
    meetings: list[str] = field(default_factory=list)  # titles, or "past:N" for the Nth latest group meeting
    # (email, role, credited as or "" for not named)
    involved: list[tuple[str, str, str]] = field(default_factory=list)
    # (email, words, days ago)
    quotes: list[tuple[str, str, int]] = field(default_factory=list)


PROJECTS = [
    DemoProject(
        title="A new welcome letter and leaflet",
        fields={
            "kind": Project.Kind.PROJECT,
            "summary": "Rewriting what families get before their first appointment, with members who remember theirs.",
            "aims": "Families know what to expect at their first appointment, feel less anxious, and come.",
            "scope_and_audience": "Everyone referred to the perinatal team, and their partners and families.",
            "stakeholders_who": "Members of the involvement group, the team's nurses and doctors, the admin team.",
            "stakeholders_how_identified": "Members who had a first appointment in the last two years were invited.",
            "stakeholders_how_involved": "A focus group, two rounds of review of drafts, and a vote on the design.",
            "equality_and_inclusion": "Easy Read and Polish versions were made with members who use them.",
            "description": "The old letter was long, used clinical words and arrived late. Members rewrote it.",
            "training": "Members were offered the group's induction and a session on plain English.",
            "evaluation_and_impact": "Fewer missed first appointments in the six months after the new letter.",
            "went_well": "Members' own words made the leaflet warmer. Staff said it was the clearest version yet.",
            "challenges": "Agreeing what to leave out. We resolved it by testing two versions with members.",
            "future_plans": "Review the leaflet every two years and share it with other perinatal teams.",
        },
        moves=[(700, Rung.CONSULTATION), (540, Rung.ENGAGEMENT), (330, Rung.CO_DESIGN), (60, Rung.CO_PRODUCTION)],
        target=Rung.CO_PRODUCTION,
        resources=["Your first appointment with the perinatal team"],
        meetings=["Shaping the new welcome leaflet", "past:2"],
        involved=[
            ("member@demo.example", "Focus group and both review rounds", "Amira"),
            ("grace.obi@demo.example", "Review rounds", ""),
            ("kasia.nowak@demo.example", "Checked the Polish version", "Kasia N."),
            ("sam.taylor@demo.example", "Focus group", ""),
        ],
        quotes=[
            ("member@demo.example", "I wish someone had told me I could bring the baby. Now the letter says so.", 300),
            ("kasia.nowak@demo.example", "Reading it in my own language made me feel welcome before I arrived.", 120),
        ],
    ),
    DemoProject(
        title="Interview panels for new staff",
        fields={
            "kind": Project.Kind.ONGOING,
            "summary": "Members sit on the panel when the service hires people who will work with families.",
            "aims": "People with lived experience help choose the staff who will care for families.",
            "scope_and_audience": "Every role in the perinatal service that works directly with families.",
            "stakeholders_who": "Members with interview panel training, managers and HR.",
            "stakeholders_how_identified": "Open to any member who completes the interview panel training.",
            "stakeholders_how_involved": "Members write one question, interview and score as equal panel members.",
            "training": "Interview panel training, run by the service's HR team.",
            "evaluation_and_impact": "Members have sat on twelve panels. Their scores count the same as staff's.",
            "went_well": "Candidates say the members' question was the one they remembered.",
            "challenges": "Panels at short notice were hard for parents. We now give four weeks' notice.",
            "future_plans": "Train more members, so no panel goes ahead without one.",
        },
        moves=[(720, Rung.INFORMING), (450, Rung.ENGAGEMENT), (200, Rung.CO_DESIGN)],
        target=Rung.CO_PRODUCTION,
        meetings=["Interview panel: peer support worker"],
        involved=[
            ("grace.obi@demo.example", "Panel member", "Grace"),
            ("sam.taylor@demo.example", "Panel member", ""),
        ],
        quotes=[("grace.obi@demo.example", "I was nervous, but my score counted as much as anyone's.", 150)],
    ),
    DemoProject(
        title="Support after a difficult birth",
        fields={
            "kind": Project.Kind.PROJECT,
            "summary": "Planning where and when support should happen after a difficult birth or a loss.",
            "aims": "Design a support offer for parents after a difficult birth that people can reach easily.",
            "scope_and_audience": "Parents in the area after a traumatic birth or a loss, and their partners.",
            "stakeholders_who": "Members, maternity staff, the psychology team and two local charities.",
            "stakeholders_how_identified": "Members and charity partners who asked for this work.",
            "stakeholders_how_involved": "A listening session, a public survey, and a design group.",
            "equality_and_inclusion": "The survey went out through charities that reach families seldom heard.",
            "description": "The service wants to offer support closer to home. Members are shaping it.",
        },
        moves=[(400, Rung.CONSULTATION), (120, Rung.ENGAGEMENT)],
        target=Rung.CO_DESIGN,
        surveys=["Where and when should support happen?"],
        meetings=["Listening session: difficult birth experiences"],
        involved=[
            ("sam.taylor@demo.example", "Design group", ""),
            ("li.wei@demo.example", "Listening session", ""),
            ("member@demo.example", "Design group", ""),
        ],
        quotes=[
            # Li Wei did not agree to her words being used: this quote must never show.
            ("li.wei@demo.example", "Support at the children's centre would have been easier than the hospital.", 100),
            ("sam.taylor@demo.example", "Evenings matter. Most of us cannot come in the day.", 90),
        ],
    ),
    DemoProject(
        title="Group meetings: planning the year together",
        fields={
            "kind": Project.Kind.ONGOING,
            "summary": "Members choose the topics, times and places of the group's own meetings.",
            "aims": "Meetings cover what members care about, at times parents can come.",
            "scope_and_audience": "All members of the involvement group.",
            "stakeholders_how_involved": "Members vote on topics and review each year in a short survey.",
            "evaluation_and_impact": "Attendance went up after the group moved meetings online and in person.",
        },
        moves=[(730, Rung.ENGAGEMENT), (365, Rung.CO_DESIGN)],
        target=Rung.CO_PRODUCTION,
        surveys=["Group meetings: what worked this year"],
        meetings=["past:0", "past:1", "past:3"],
        involved=[
            ("member@demo.example", "Topic planning", ""),
            ("mo.patel@demo.example", "Topic planning", "Mo"),
        ],
    ),
    DemoProject(
        title="Information for partners",
        fields={
            "kind": Project.Kind.PROJECT,
            "summary": "A leaflet written with partners, for partners.",
            "aims": "Partners know the signs to look out for, and that they can get support too.",
            "scope_and_audience": "Partners and family members of people using the service.",
            "stakeholders_how_involved": "Partners in the group wrote and reviewed the leaflet.",
            "evaluation_and_impact": "The leaflet is given out at every first appointment.",
            "went_well": "Partners in the group said it was the first time they were asked.",
            "challenges": "Few partners came at first. Evening online meetings helped.",
            "future_plans": "A short film for partners, made with members.",
        },
        moves=[(600, Rung.INFORMING), (420, Rung.CONSULTATION), (250, Rung.CO_DESIGN)],
        target=Rung.CO_DESIGN,
        resources=["For partners: looking after yourself too"],
        surveys=["Your experience of the perinatal service"],
        involved=[("mo.patel@demo.example", "Wrote the first draft", "Mo")],
        quotes=[("mo.patel@demo.example", "Nobody had asked me how I was. This leaflet does.", 240)],
    ),
]

# The finished project: completed this many days ago.
COMPLETED = {"Information for partners": 200}


@dataclass(frozen=True)
class DemoItem:
    you_said: str
    we_did: str
    source: str
    status: str
    raised_days_ago: int
    closed_days_ago: int | None = None
    where: str = ""  # a meeting ("past:N" or a title), a survey title or a resource title
    project: str = ""
    is_public: bool = False
    why_not_possible: str = ""


ITEMS = [
    DemoItem(
        "The welcome letter arrived after the first appointment.",
        "Letters now go out two weeks before, by post and by text.",
        Source.MEETING, Status.DONE, 520, 430, "past:8", "A new welcome letter and leaflet", is_public=True,
    ),
    DemoItem(
        "The letter did not say you could bring your baby.",
        "The new letter says babies and children are welcome, on the first page.",
        Source.REVIEW, Status.DONE, 400, 330, "Your first appointment with the perinatal team",
        "A new welcome letter and leaflet", is_public=True,
    ),
    DemoItem(
        "There was nowhere to change a nappy at the clinic.",
        "A changing table is now in the accessible toilet on the ground floor.",
        Source.MEETING, Status.DONE, 480, 400, "past:7", is_public=True,
    ),
    DemoItem(
        "Meetings in the day are hard for people who work.",
        "Every other group meeting can now be joined online, and we added an evening check-in.",
        Source.SURVEY, Status.DONE, 300, 210, "Group meetings: what worked this year",
        "Group meetings: planning the year together", is_public=True,
    ),
    DemoItem(
        "Parking at Riverside House costs too much for a long meeting.",
        "We pay parking for every meeting and panel. You can claim it with your expenses.",
        Source.MEETING, Status.DONE, 360, 300, "past:5", is_public=True,
    ),
    DemoItem(
        "Partners are not asked how they are coping.",
        "We wrote a leaflet for partners with partners in the group, given out at first appointments.",
        Source.SURVEY, Status.DONE, 420, 200, "Your experience of the perinatal service", "Information for partners",
    ),
    DemoItem(
        "Interview panels are booked at short notice.",
        "Panels are now booked at least four weeks ahead, and we pay for childcare.",
        Source.MEETING, Status.DONE, 250, 150, "past:4", "Interview panels for new staff",
    ),
    DemoItem(
        "The crisis number on the leaflet is only for working hours.",
        "The leaflet now gives the 24-hour line first.",
        Source.REVIEW, Status.DONE, 90, 40, "How to contact us, and what to do in a crisis", is_public=True,
    ),
    DemoItem(
        "Support after a difficult birth should be closer to home.",
        "We are asking families where and when support would be easiest, and planning it with members.",
        Source.MEETING, Status.IN_PROGRESS, 200, None, "past:3", "Support after a difficult birth", is_public=True,
    ),
    DemoItem(
        "Evening sessions would help parents who work.",
        "We are testing evening online sessions this year.",
        Source.SURVEY, Status.IN_PROGRESS, 95, None, "Where and when should support happen?",
        "Support after a difficult birth",
    ),
    DemoItem(
        "The waiting room is noisy and there is nowhere quiet to feed a baby.",
        "We have asked the estates team for a quiet room and will say here what they decide.",
        Source.MEETING, Status.IN_PROGRESS, 120, None, "past:2",
    ),
    DemoItem(
        "We would like the minutes sooner after each meeting.",
        "",
        Source.DISCUSSION, Status.HEARD, 20,
    ),
    DemoItem(
        "Information about medicine should be in more languages.",
        "",
        Source.REVIEW, Status.HEARD, 35, None, "Medicine in pregnancy and when breastfeeding",
    ),
    DemoItem(
        "Could the group meet at the weekend?",
        "We asked members in a survey. Most preferred weekdays.",
        Source.SURVEY, Status.NOT_POSSIBLE, 330, 260, "Group meetings: what worked this year",
        is_public=True,
        why_not_possible="Most members told us weekdays suit them best, and the building is closed at weekends.",
    ),
    DemoItem(
        "Could the mother and baby unit have overnight rooms for partners?",
        "We took this to the service's managers.",
        Source.OTHER, Status.NOT_POSSIBLE, 450, 380,
        why_not_possible="There is no space in the building. Partners can now visit at any time of day instead.",
    ),
]  # fmt: skip


def _coordinator() -> User | None:
    return User.objects.filter(is_staff=True, groups__name=COORDINATORS).order_by("pk").first()


def _past_group_meetings() -> list[Meeting]:
    return list(
        Meeting.objects.filter(kind=Meeting.Kind.GROUP_MEETING, ends_at__lte=timezone.now()).order_by("-starts_at")
    )


def _meeting(where: str, past: list[Meeting]) -> Meeting | None:
    if where.startswith("past:"):
        index = int(where.split(":")[1])
        return past[index] if index < len(past) else (past[-1] if past else None)
    return Meeting.objects.filter(title=where).order_by("starts_at").first()


def _members() -> dict[str, Member]:
    return {member.user.email: member for member in Member.objects.select_related("user") if member.user.email}


def _seed_project(demo: DemoProject, today: dt.date, coordinator, members, past) -> Project:
    project = Project.objects.filter(title=demo.title).first()
    if project is not None:
        return project
    first_day, first_rung = demo.moves[0]
    completed = COMPLETED.get(demo.title)
    project = Project(
        title=demo.title,
        rung_now=first_rung,
        rung_target=demo.target,
        shown_to_members=True,
        started_on=today - dt.timedelta(days=first_day),
        completed_on=today - dt.timedelta(days=completed) if completed else None,
        **demo.fields,
    )
    save_project(project, by=coordinator, changed_on=project.started_on, note="Where the project started.")
    for days_ago, rung in demo.moves[1:]:
        project.rung_now = rung
        save_project(
            project,
            by=coordinator,
            changed_on=today - dt.timedelta(days=days_ago),
            note=f"Members took on more: now {Rung(rung).label.lower()}.",
        )
    project.meetings.set([meeting for where in demo.meetings if (meeting := _meeting(where, past))])
    project.resources.set(Resource.objects.filter(title__in=demo.resources))
    project.surveys.set(Survey.objects.filter(title__in=demo.surveys))
    for email, role, credited_as in demo.involved:
        if email not in members:
            continue
        involvement = ProjectMember(
            project=project,
            member=members[email],
            role=role,
            named=bool(credited_as),
            credited_as=credited_as,
            joined_on=project.started_on,
        )
        record_naming_decision(involvement)
        involvement.save()
    for email, words, days_ago in demo.quotes:
        if email in members:
            Quote.objects.create(
                project=project, member=members[email], text=words, said_on=today - dt.timedelta(days=days_ago)
            )
    return project


def _seed_item(demo: DemoItem, today: dt.date, projects: dict[str, Project], past) -> None:
    if ImpactItem.objects.filter(you_said=demo.you_said).exists():
        return
    item = ImpactItem(
        you_said=demo.you_said,
        we_did=demo.we_did,
        source=demo.source,
        status=demo.status,
        raised_on=today - dt.timedelta(days=demo.raised_days_ago),
        closed_on=today - dt.timedelta(days=demo.closed_days_ago) if demo.closed_days_ago is not None else None,
        is_public=demo.is_public,
        why_not_possible=demo.why_not_possible,
        project=projects.get(demo.project),
    )
    if demo.source == Source.MEETING:
        item.meeting = _meeting(demo.where, past)
    elif demo.source == Source.SURVEY:
        item.survey = Survey.objects.filter(title=demo.where).first()
    elif demo.source == Source.REVIEW:
        item.resource = Resource.objects.filter(title=demo.where).first()
    if item.source in (Source.MEETING, Source.SURVEY, Source.REVIEW) and not (
        item.meeting_id or item.survey_id or item.resource_id
    ):
        item.source = Source.OTHER  # the record it came from is not in this demo
    save_impact_item(item)


@transaction.atomic
def seed_projects(today: dt.date | None = None) -> None:
    """The demo projects, members' words and "you said, we did" items. Safe to run again."""
    today = today or timezone.localdate()
    coordinator = _coordinator()
    members = _members()
    past = _past_group_meetings()
    projects = {demo.title: _seed_project(demo, today, coordinator, members, past) for demo in PROJECTS}
    for demo in ITEMS:
        _seed_item(demo, today, projects, past)
