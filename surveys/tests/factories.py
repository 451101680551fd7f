"""Factories for surveys tests: surveys with sections, questions and choices built the way the
admin builds them (scale and "Other" choices through `services.sync_choices`), and answers sent
through the real services."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import factory
from django.apps import apps
from django.utils import timezone

from members.tests.factories import MemberFactory, UserFactory, give_consents
from surveys import services
from surveys.models import Answer, Choice, Question, Response, Section, Survey
from surveys.selectors import load_structure

__all__ = [
    "ChoiceFactory",
    "MemberFactory",
    "QuestionFactory",
    "SectionFactory",
    "SurveyFactory",
    "UserFactory",
    "answer",
    "give_consents",
    "group_profile",
    "many_responses",
    "partners_survey",
    "question",
    "respondent",
]


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Your experience of the service {n}")
    intro = "We want to know what went well and what could be better."
    audience = Survey.Audience.ANONYMOUS
    status = Survey.Status.OPEN

    class Params:
        named = factory.Trait(audience=Survey.Audience.MEMBERS)
        public = factory.Trait(audience=Survey.Audience.PUBLIC)
        draft = factory.Trait(status=Survey.Status.DRAFT)
        review = factory.Trait(status=Survey.Status.REVIEW)
        closed = factory.Trait(status=Survey.Status.CLOSED)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    survey = factory.SubFactory(SurveyFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = Question.Kind.SHORT_TEXT
    order = factory.Sequence(lambda n: n)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    label = factory.Sequence(lambda n: f"Choice {n}")
    order = factory.Sequence(lambda n: n)


def question(section: Section, text: str, kind: str = Question.Kind.SHORT_TEXT, choices=(), **fields) -> Question:
    """A question with its choices (labels given, plus scales and "Other" as the admin makes them)."""
    made = QuestionFactory(section=section, text=text, kind=kind, **fields)
    for order, label in enumerate(choices, 1):
        ChoiceFactory(question=made, label=label, order=order)
    services.sync_choices(question=made)
    return made


def choice(q: Question, label: str) -> Choice:
    return q.choices.get(label=label)


def partners_survey(**survey_fields) -> dict:
    """A survey whose second section is only for partners and family, and a third for everyone."""
    survey = SurveyFactory(**survey_fields)
    about = SectionFactory(survey=survey, title="About you", order=1)
    who = question(
        about,
        "Are you answering as…",
        Question.Kind.SINGLE_CHOICE,
        ["A mother or birthing person", "A partner", "A family member"],
        required=True,
    )
    partners = SectionFactory(survey=survey, title="For partners and family", order=2)
    partners.show_when.set([choice(who, "A partner"), choice(who, "A family member")])
    supported = question(partners, "Did you feel included in your partner's care?", Question.Kind.AGREEMENT)
    everyone = SectionFactory(survey=survey, title="The service", order=3)
    rating = question(everyone, "How was your experience of the service?", Question.Kind.EXPERIENCE)
    helped = question(
        everyone,
        "What helped?",
        Question.Kind.MULTIPLE_CHOICE,
        ["Home visits", "Phone calls", "Groups"],
        allow_other=True,
    )
    words = question(everyone, "Anything else you want to tell us?", Question.Kind.LONG_TEXT)
    visits = question(everyone, "How many appointments did you have?", Question.Kind.NUMBER, number_min=0)
    return {
        "survey": survey,
        "who": who,
        "supported": supported,
        "rating": rating,
        "helped": helped,
        "words": words,
        "visits": visits,
        "sections": [about, partners, everyone],
    }


def answer(survey: Survey, draft: dict, member=None):
    """Sends answers through the real service (``draft`` keyed by Question objects)."""
    as_draft = {str(q.pk): entry for q, entry in draft.items()}
    return services.submit_response(structure=load_structure(survey), draft=as_draft, member=member)


def respondent(user=None, **fields):
    """An active member who consents to everything (for messages and answering)."""
    member = MemberFactory(user=user or UserFactory(), active=True, **fields)
    give_consents(member)
    return member


def many_responses(world, count: int, *, day=None) -> None:
    """``count`` sent responses with answers to every question, made in bulk (fast)."""
    w = world
    day = day or timezone.localdate()
    whos = list(w["who"].choices.all())
    ratings = list(w["rating"].choices.all())
    helped = list(w["helped"].choices.all())
    responses, answers = [], []
    for index in range(count):
        response = Response(id=uuid.uuid4(), survey=w["survey"], submitted_on=day - dt.timedelta(days=index % 30))
        responses.append(response)
        answers += [
            Answer(id=uuid.uuid4(), response=response, question=w["who"], choice=whos[index % 3]),
            Answer(id=uuid.uuid4(), response=response, question=w["rating"], choice=ratings[index % 6]),
            Answer(
                id=uuid.uuid4(),
                response=response,
                question=w["helped"],
                choice=helped[index % 4],
                text="Other words" if helped[index % 4].is_other else "",
            ),
            Answer(id=uuid.uuid4(), response=response, question=w["words"], text=f"Words {index}"),
            Answer(id=uuid.uuid4(), response=response, question=w["visits"], number=Decimal(index % 10)),
        ]
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)


def group_profile(**changes):
    """The group profile, with any fields changed (found by label: surveys does not import the
    project package; saving it clears the cached copy)."""
    GroupProfile = apps.get_model("involvement", "GroupProfile")
    profile, _ = GroupProfile.objects.get_or_create(pk=1)
    for field, value in changes.items():
        setattr(profile, field, value)
    profile.save()
    return profile
