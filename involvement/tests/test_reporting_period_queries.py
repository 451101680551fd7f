"""The figures of the involvement report for a period take a fixed number of queries, whatever
the number of members, meetings, registrations and responses; and a member's status on a past
date when their history is gone. Each test makes its own small world (no shared one here)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from involvement.models import Project, ProjectMember, Quote
from involvement.reporting import period as reporting
from involvement.reporting.period import period_figures
from meetings.models import Registration
from meetings.tests.factories import MeetingFactory, RegistrationFactory, london
from members.models import Member
from members.tests.factories import EqualityMonitoringFactory, MemberFactory, UserFactory, give_consents
from surveys.models import Answer, Question, Response
from surveys.tests.factories import SectionFactory, SurveyFactory, question

from .period_world import END, NOW, START

pytestmark = pytest.mark.django_db

MAX_QUERIES = 28  # 27 today, at either size


def _grow(size: int) -> None:
    """``size`` members, each with equality answers, a place at each of 3 meetings held, an
    answer to a survey, a part in a project and a quote they agree may be used."""
    members = [
        MemberFactory(
            user=UserFactory(email=f"grow{size}.{n}@example.org"),
            active=True,
            joined_at=london(2024, 1, 1),
            status_changed_at=london(2024, 1, 1),
            topics=[Member.Topic.ANXIETY],
            heard_about=Member.HeardAbout.FRIEND,
        )
        for n in range(size)
    ]
    for member in members:
        EqualityMonitoringFactory(member=member)
    for month in (4, 5, 6):
        meeting = MeetingFactory(starts_at=london(2025, month, 10, 10), capacity=size)
        for member in members:
            RegistrationFactory(meeting=meeting, member=member, status=Registration.Status.REGISTERED)
    survey = SurveyFactory(opens_at=london(2025, 4, 1), closes_at=london(2025, 6, 1))
    asked = question(SectionFactory(survey=survey), "Was it good?", Question.Kind.SINGLE_CHOICE, ["Yes", "No"])
    yes = asked.choices.get(label="Yes")
    project = Project.objects.create(title="Growing project", started_on=dt.date(2025, 1, 1))
    for member in members:
        response = Response.objects.create(survey=survey, submitted_on=dt.date(2025, 5, 1))
        Answer.objects.create(response=response, question=asked, choice=yes)
        ProjectMember.objects.create(project=project, member=member)
        give_consents(member, anonymised_words=True)
        Quote.objects.create(text="Words.", member=member, project=project, said_on=dt.date(2025, 5, 1))


@pytest.mark.parametrize("size", [5, 40])
def test_the_number_of_queries_does_not_grow_with_members_meetings_or_registrations(
    size, django_assert_max_num_queries
):
    with time_machine.travel(NOW, tick=False):
        _grow(size)
        with django_assert_max_num_queries(MAX_QUERIES):
            figures = period_figures(START, END)
    assert figures.headline.active_members == size
    assert figures.headline.attendances == 3 * size
    assert figures.surveys[0].responses.value == size
    assert figures.projects.rows[0].members_involved.value == size
    assert len(figures.quotes) == size


def test_status_on_a_date_falls_back_to_finishing_joining_when_history_is_gone():
    with time_machine.travel(NOW, tick=False):
        member = MemberFactory(active=True, joined_at=london(2024, 1, 1), onboarding_completed_at=london(2024, 2, 1))
        member.history.all().delete()
        # The current status took effect now (1 August 2025): before then nothing is recorded.
        on = reporting.local_midnight(dt.date(2024, 3, 1))
        assert reporting.active_members_at(on).filter(pk=member.pk).exists()
        earlier = reporting.local_midnight(dt.date(2024, 1, 15))
        assert not reporting.active_members_at(earlier).filter(pk=member.pk).exists()
