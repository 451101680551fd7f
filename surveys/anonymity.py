"""The nightly re-write of anonymous responses (docs/decisions/0012-anonymous-survey-answers.md).

An anonymous response is written in a transaction of its own, just after the member's
"has answered" row (`Participation`) in another. In PostgreSQL, rows carry the id of the
transaction that wrote them (``xmin``) and sit in the table roughly in the order they were
written, so someone reading system columns could pair a response with the participation written
a moment before it. Each night this job re-writes every anonymous (and public) response sent
before today, and the participation rows of the same surveys: new rows with new random keys, all
in one transaction (one ``xmin`` for all of them), inserted in random order. After that, neither
the system columns nor the physical order say anything about who answered when.

Safe to run twice at once: each survey is locked while its rows are re-written, and rows already
re-written are marked (``Response.rewritten``) so a second run finds nothing to do.
"""

from __future__ import annotations

import random
import uuid

from django.db import transaction
from django.utils import timezone

from .models import Answer, Participation, Response, Survey

_random = random.SystemRandom()


def surveys_to_rewrite() -> list[int]:
    today = timezone.localdate()
    return list(
        Response.objects.filter(
            survey__audience__in=[Survey.Audience.ANONYMOUS, Survey.Audience.PUBLIC],
            submitted_on__lt=today,
            rewritten=False,
        )
        .values_list("survey_id", flat=True)
        .distinct()
        .order_by()
    )


@transaction.atomic
def rewrite_survey(survey_id: int) -> int:
    """Re-writes one survey's anonymous responses sent before today (and its participation rows)
    as new rows in random order, in one transaction. Returns how many responses were re-written."""
    Survey.objects.select_for_update().filter(pk=survey_id).first()
    today = timezone.localdate()
    responses = list(
        Response.objects.filter(survey_id=survey_id, member__isnull=True, submitted_on__lt=today, rewritten=False)
    )
    if not responses:
        return 0
    answers = list(Answer.objects.filter(response__in=[r.pk for r in responses]))
    new_ids = {response.pk: uuid.uuid4() for response in responses}
    new_responses = [
        Response(id=new_ids[r.pk], survey_id=survey_id, submitted_on=r.submitted_on, rewritten=True) for r in responses
    ]
    new_answers = [
        Answer(
            id=uuid.uuid4(),
            response_id=new_ids[a.response_id],
            question_id=a.question_id,
            choice_id=a.choice_id,
            text=a.text,
            number=a.number,
        )
        for a in answers
    ]
    # Only the rows read here: one committed meanwhile by someone answering now stays as it is.
    participations = dict(Participation.objects.filter(survey_id=survey_id).values_list("pk", "member_id"))
    Answer.objects.filter(pk__in=[a.pk for a in answers]).delete()
    Response.objects.filter(pk__in=[r.pk for r in responses]).delete()
    Participation.objects.filter(pk__in=list(participations)).delete()
    _random.shuffle(new_responses)
    _random.shuffle(new_answers)
    members = list(participations.values())
    _random.shuffle(members)
    Response.objects.bulk_create(new_responses)
    Answer.objects.bulk_create(new_answers)
    Participation.objects.bulk_create([Participation(survey_id=survey_id, member_id=m) for m in members])
    return len(responses)


def rewrite_anonymous_responses() -> int:
    """Re-writes every survey that has anonymous responses from before today not yet re-written."""
    return sum(rewrite_survey(survey_id) for survey_id in surveys_to_rewrite())
