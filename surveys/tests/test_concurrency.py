"""One response per member holds when the same member sends twice at the same moment (two tabs,
a double tap), against PostgreSQL with one connection per thread. SQLite takes one writer at a
time, so it cannot show the race; these tests skip without PostgreSQL (see conftest.py)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from surveys import services
from surveys.models import Participation, Response
from surveys.selectors import load_structure

from .factories import MemberFactory, choice, partners_survey

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def at_the_same_moment(count: int, action) -> list:
    """Runs ``action`` in ``count`` threads (each its own database connection), released together;
    returns what each returned or raised."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except BaseException as exc:  # reported in the test's own thread
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes


@pytest.mark.parametrize("named", [False, True], ids=["anonymous", "named"])
def test_a_member_sending_the_same_survey_four_times_at_once_gets_one_response(named):
    world = partners_survey(named=True) if named else partners_survey()
    member = MemberFactory(active=True)
    who = world["who"]
    draft = {str(who.pk): {"choices": [choice(who, "A partner").pk]}}

    outcomes = at_the_same_moment(
        4, lambda: services.submit_response(structure=load_structure(world["survey"]), draft=draft, member=member)
    )

    sent = [outcome for outcome in outcomes if isinstance(outcome, Response)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, services.AlreadyAnswered)]
    assert (len(sent), len(refused)) == (1, 3), outcomes
    assert Response.objects.filter(survey=world["survey"], submitted_on__isnull=False).count() == 1
    assert Participation.objects.filter(survey=world["survey"], member=member).count() == 1
