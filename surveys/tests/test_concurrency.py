"""One response per member holds when the same member sends twice at the same moment (two tabs,
a double tap), against PostgreSQL with one connection per thread. SQLite takes one writer at a
time, so it cannot show the race; these tests skip without PostgreSQL (see conftest.py)."""

from __future__ import annotations

import pytest

from common.tests.concurrency import run_together
from surveys import services
from surveys.models import Participation, Response
from surveys.selectors import load_structure

from .factories import MemberFactory, choice, partners_survey

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("named", [False, True], ids=["anonymous", "named"])
def test_a_member_sending_the_same_survey_four_times_at_once_gets_one_response(named):
    world = partners_survey(named=True) if named else partners_survey()
    member = MemberFactory(active=True)
    who = world["who"]
    draft = {str(who.pk): {"choices": [choice(who, "A partner").pk]}}

    def send():
        return services.submit_response(structure=load_structure(world["survey"]), draft=draft, member=member)

    outcomes = run_together(send, send, send, send)

    sent = [outcome for outcome in outcomes if isinstance(outcome, Response)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, services.AlreadyAnswered)]
    assert (len(sent), len(refused)) == (1, 3), outcomes
    assert Response.objects.filter(survey=world["survey"], submitted_on__isnull=False).count() == 1
    assert Participation.objects.filter(survey=world["survey"], member=member).count() == 1
