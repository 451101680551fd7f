"""Demo surveys for `make run` (called from `involvement.demo.seed_group`), made idempotently:

- "Your experience of the perinatal service": open, anonymous, with a section only for partners
  and family, and a few hundred responses;
- "Helping partners and families feel included": a named member survey in member review, with
  comments from reviewers;
- "Where and when should support happen?": a public-link survey shared by local charities;
- "Group meetings: what worked this year": closed, with results.

Structure goes through the services (scales and "Other" made as the admin makes them). The few
hundred historical responses are written in bulk (one insert per table): answering a few hundred
times through the pages' service would take far longer than the whole of the rest of the demo.
A handful of demo members answer through `submit_response`, as people do.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.models import Member

from . import services
from .models import Answer, Choice, Question, Response, Section, Survey
from .selectors import load_structure

Kind = Question.Kind


def _survey(title: str, **fields) -> tuple[Survey, bool]:
    return Survey.objects.get_or_create(title=title, defaults=fields)


def _section(survey: Survey, title: str, order: int, intro: str = "") -> Section:
    section, _ = Section.objects.get_or_create(survey=survey, title=title, defaults={"order": order, "intro": intro})
    return section


def _question(section: Section, text: str, kind: str, order: int, choices=(), **fields) -> Question:
    question, created = Question.objects.get_or_create(
        section=section, text=text, defaults={"kind": kind, "order": order, **fields}
    )
    if created:
        Choice.objects.bulk_create(
            [Choice(question=question, label=label, order=index) for index, label in enumerate(choices, 1)]
        )
        services.sync_choices(question=question)
    return question


def _members() -> list[Member]:
    return list(
        Member.objects.filter(status=Member.Status.ACTIVE, erased_at__isnull=True)
        .select_related("user")
        .order_by("user__email")
    )


def _satisfaction(today: dt.date, members: list[Member]) -> None:
    survey, created = _survey(
        "Your experience of the perinatal service",
        intro=(
            "We want to know what it is like to use the perinatal mental health service, so we can "
            "make it better. There are no right or wrong answers.\n\n"
            "Partners and family members have their own questions too."
        ),
        audience=Survey.Audience.ANONYMOUS,
        status=Survey.Status.OPEN,
        opens_at=timezone.now() - dt.timedelta(days=60),
        closes_at=timezone.now() + dt.timedelta(days=30),
        minutes_to_complete=6,
        who_sees_answers="The involvement team and the service's leadership team. They only see answers together.",
    )
    about = _section(survey, "About you", 1)
    who = _question(
        about,
        "Are you answering as…",
        Kind.SINGLE_CHOICE,
        1,
        ["A mother or birthing person", "A partner", "A family member", "Someone else"],
        required=True,
    )
    partners = _section(survey, "For partners and family", 2, "These questions are for partners and family members.")
    if not partners.show_when.exists():
        partners.show_when.set(who.choices.filter(label__in=["A partner", "A family member"]))
    included = _question(partners, "I felt included in my partner's or relative's care", Kind.AGREEMENT, 1)
    partner_support = _question(
        partners, "What would have helped you as a partner or family member?", Kind.LONG_TEXT, 2
    )
    service = _section(survey, "The service", 3)
    experience = _question(service, "Overall, how was your experience of the service?", Kind.EXPERIENCE, 1)
    listened = _question(service, "The team listened to what mattered to me", Kind.AGREEMENT, 2)
    helped = _question(
        service,
        "Which kinds of support did you use?",
        Kind.MULTIPLE_CHOICE,
        3,
        ["Home visits", "Clinic appointments", "Video calls", "Peer support groups"],
        allow_other=True,
    )
    waited = _question(
        service,
        "About how many weeks did you wait for your first appointment?",
        Kind.NUMBER,
        4,
        number_min=0,
        number_max=52,
    )
    better = _question(service, "What one thing would make the service better?", Kind.LONG_TEXT, 5)
    if not created:
        return
    rng = random.Random(2026)  # noqa: S311 - demo data, the same every time on purpose
    whos = list(who.choices.order_by("order"))
    scales = {q.pk: list(q.choices.order_by("order")) for q in (included, experience, listened)}
    kinds_of_help = list(helped.choices.filter(is_other=False).order_by("order"))
    other = helped.choices.get(is_other=True)
    ideas = [
        "Evening appointments, so my partner could come.",
        "Seeing the same person each time.",
        "Knowing how long the wait would be.",
        "A quiet room away from the maternity ward.",
        "More peer support groups near me.",
        "",
    ]
    responses, answers = [], []
    for _index in range(320):
        response = Response(
            id=uuid.uuid4(), survey=survey, submitted_on=today - dt.timedelta(days=rng.randint(1, 55)), rewritten=True
        )
        responses.append(response)

        def add(question, response=response, **values):
            answers.append(Answer(id=uuid.uuid4(), response=response, question=question, **values))

        person = rng.choices(whos, weights=[70, 18, 9, 3])[0]
        add(who, choice=person)
        if person.label in ("A partner", "A family member"):
            add(included, choice=rng.choices(scales[included.pk], weights=[10, 25, 25, 25, 15])[0])
            if rng.random() < 0.4:
                add(
                    partner_support,
                    text=rng.choice(["Being asked how I was.", "Information for dads.", "A group for partners."]),
                )
        add(experience, choice=rng.choices(scales[experience.pk], weights=[45, 30, 10, 7, 5, 3])[0])
        add(listened, choice=rng.choices(scales[listened.pk], weights=[35, 35, 15, 10, 5])[0])
        for kind in rng.sample(kinds_of_help, rng.randint(1, 3)):
            add(helped, choice=kind)
        if rng.random() < 0.05:
            add(helped, choice=other, text="Breastfeeding support")
        add(waited, number=Decimal(rng.randint(1, 12)))
        idea = rng.choice(ideas)
        if idea:
            add(better, text=idea)
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)
    # A few demo members answered it themselves (never the demo log-in member, who can try it).
    structure = load_structure(survey)
    for member in [m for m in members if m.user.email != "member@demo.example"][:3]:
        services.submit_response(
            structure=structure,
            draft={str(who.pk): {"choices": [whos[0].pk]}, str(better.pk): {"text": "Shorter waits, please."}},
            member=member,
        )


def _in_review(members: list[Member]) -> None:
    survey, created = _survey(
        "Helping partners and families feel included",
        intro="A short survey for members about how the service treats partners and families.",
        audience=Survey.Audience.MEMBERS,
        status=Survey.Status.REVIEW,
        minutes_to_complete=4,
    )
    section = _section(survey, "Your family", 1)
    _question(
        section,
        "Did staff ask how your partner or family were coping?",
        Kind.SINGLE_CHOICE,
        1,
        ["Yes", "No", "I am not sure"],
    )
    leading = _question(
        section,
        "How much did the wonderful staff help your family?",
        Kind.RATING,
        2,
        hint="1 is not at all, 5 is a lot.",
    )
    words = _question(section, "Tell us about a time your family felt left out", Kind.LONG_TEXT, 3)
    if not created:
        return
    reviewers = members[:3]
    survey.reviewers.set(reviewers)
    if len(reviewers) >= 2:
        services.add_review_comment(
            question=leading,
            member=reviewers[0],
            concerns=["leading"],
            comment="“Wonderful” tells people what to think. Maybe: “How much did staff help your family?”",
        )
        services.add_review_comment(
            question=words,
            member=reviewers[1],
            concerns=["upsetting"],
            comment="This could bring back hard memories. Could it say people can skip it?",
        )


def _public(today: dt.date) -> None:
    survey, created = _survey(
        "Where and when should support happen?",
        intro=(
            "We are planning support for people after a difficult birth or a loss. Tell us where and when "
            "it would be easiest for you to come. Local charities are sharing this survey."
        ),
        audience=Survey.Audience.PUBLIC,
        status=Survey.Status.OPEN,
        minutes_to_complete=3,
    )
    section = _section(survey, "Where and when", 1)
    where = _question(
        section,
        "Where would you feel comfortable meeting?",
        Kind.MULTIPLE_CHOICE,
        1,
        ["A children's centre", "A GP surgery", "At home", "Online", "Not in a hospital building"],
        allow_other=True,
    )
    when = _question(
        section, "What time of day suits you best?", Kind.SINGLE_CHOICE, 2, ["Morning", "Afternoon", "Evening"]
    )
    _question(section, "Anything else we should think about?", Kind.LONG_TEXT, 3)
    if not created:
        return
    rng = random.Random(7)  # noqa: S311 - demo data, the same every time on purpose
    wheres, whens = list(where.choices.filter(is_other=False)), list(when.choices.all())
    responses, answers = [], []
    for _ in range(24):
        response = Response(
            id=uuid.uuid4(), survey=survey, submitted_on=today - dt.timedelta(days=rng.randint(1, 10)), rewritten=True
        )
        responses.append(response)
        for place in rng.sample(wheres, 2):
            answers.append(Answer(id=uuid.uuid4(), response=response, question=where, choice=place))
        answers.append(Answer(id=uuid.uuid4(), response=response, question=when, choice=rng.choice(whens)))
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)


def _closed(today: dt.date) -> None:
    survey, created = _survey(
        "Group meetings: what worked this year",
        intro="A look back at this year's group meetings.",
        audience=Survey.Audience.ANONYMOUS,
        status=Survey.Status.OPEN,
        minutes_to_complete=3,
    )
    section = _section(survey, "Group meetings", 1)
    useful = _question(section, "Group meetings are a good use of my time", Kind.AGREEMENT, 1)
    rating = _question(section, "How would you rate the venue?", Kind.RATING, 2)
    _question(section, "What should we change next year?", Kind.LONG_TEXT, 3)
    if not created:
        return
    rng = random.Random(11)  # noqa: S311 - demo data, the same every time on purpose
    useful_choices, ratings = list(useful.choices.all()), list(rating.choices.all())
    responses, answers = [], []
    for _ in range(46):
        response = Response(
            id=uuid.uuid4(), survey=survey, submitted_on=today - dt.timedelta(days=rng.randint(70, 100)), rewritten=True
        )
        responses.append(response)
        answers.append(
            Answer(
                id=uuid.uuid4(),
                response=response,
                question=useful,
                choice=rng.choices(useful_choices, weights=[40, 40, 10, 7, 3])[0],
            )
        )
        answers.append(
            Answer(
                id=uuid.uuid4(),
                response=response,
                question=rating,
                choice=rng.choices(ratings, weights=[2, 3, 10, 20, 15])[0],
            )
        )
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)
    survey.status = Survey.Status.CLOSED
    survey.closes_at = timezone.now() - dt.timedelta(days=60)
    survey.save(update_fields=["status", "closes_at"])


@transaction.atomic
def seed_surveys(today: dt.date | None = None) -> None:
    """The four demo surveys (see the module docstring); running it again changes nothing."""
    today = today or timezone.localdate()
    members = _members()
    _satisfaction(today, members)
    _in_review(members)
    _public(today)
    _closed(today)
