"""Anonymity is real: an anonymous response holds nothing that identifies, "has answered" is kept
apart with nothing that leads to the answers, one response per member is the database's rule,
and the nightly re-write leaves no order or transaction trail (docs/decisions/0012)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from surveys import services
from surveys.anonymity import rewrite_anonymous_responses
from surveys.models import Answer, Participation, Response

from .factories import MemberFactory, answer, choice, partners_survey, respondent

pytestmark = pytest.mark.django_db


def _columns(model) -> dict[str, models.Field]:
    return {field.column: field for field in model._meta.concrete_fields}


def test_the_response_and_answer_tables_have_no_column_that_could_identify_someone():
    response_columns = _columns(Response)
    assert set(response_columns) == {"id", "survey_id", "member_id", "submitted_on", "draft", "rewritten"}
    assert set(_columns(Answer)) == {"id", "response_id", "question_id", "choice_id", "text", "number"}
    for model in (Response, Answer):
        # Random keys (a sequence would give away the order of answering), and no times.
        assert isinstance(model._meta.pk, models.UUIDField)
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField), f"{model.__name__}.{field.name} keeps a time"
            assert not isinstance(field, models.GenericIPAddressField)
    assert isinstance(response_columns["submitted_on"], models.DateField)


def test_has_answered_is_kept_apart_with_no_date_and_nothing_leading_to_the_answers():
    assert set(_columns(Participation)) == {"id", "survey_id", "member_id"}
    assert isinstance(Participation._meta.pk, models.UUIDField)
    related = {field.related_model for field in Participation._meta.concrete_fields if field.is_relation}
    assert Response not in related and Answer not in related


def test_a_sent_anonymous_response_row_holds_nothing_that_identifies_the_member(client, member):
    amira = respondent(member)
    world = partners_survey()
    survey, who = world["survey"], world["who"]
    client.force_login(member)
    client.post(
        f"/surveys/{survey.pk}/page/1/",
        {f"q{who.pk}": choice(who, "A partner").pk},
        REMOTE_ADDR="203.0.113.7",
    )
    session_key = client.session.session_key
    client.post(f"/surveys/{survey.pk}/check/", REMOTE_ADDR="203.0.113.7")

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM surveys_response")
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute("SELECT * FROM surveys_answer")
        answer_rows = cursor.fetchall()
    assert len(rows) == 1
    row = rows[0]
    assert row["member_id"] is None
    assert str(row["submitted_on"]) == timezone.localdate().isoformat()
    participation = Participation.objects.get(member=amira)
    # Anything that could lead to her: her account, her session, her address, her "has answered" row.
    secrets = [member.email, member.name, session_key, "203.0.113.7", str(participation.pk), participation.pk.hex]
    values = [str(value) for value in row.values()] + [str(value) for r in answer_rows for value in r]
    for value in values:
        for secret in secrets:
            assert secret not in value, f"{value!r} in a response row gives away {secret!r}"
    assert set(row) == {"id", "survey_id", "member_id", "submitted_on", "draft", "rewritten"}
    assert row["draft"] in ({}, "{}")


def test_a_response_cannot_be_linked_to_its_member_by_any_column():
    world = partners_survey()
    survey, who = world["survey"], world["who"]
    members = [respondent() for _ in range(3)]
    for member, label in zip(members, ["A partner", "A family member", "A partner"], strict=True):
        answer(survey, {who: {"choices": [choice(who, label).pk]}}, member=member)
    participations = list(Participation.objects.filter(survey=survey).values())
    responses = list(Response.objects.filter(survey=survey).values())
    assert len(participations) == len(responses) == 3
    # The only value a response shares with a participation is the survey it belongs to.
    for response in responses:
        for participation in participations:
            shared = {
                (column, value)
                for column, value in response.items()
                if value is not None and value in participation.values()
            }
            assert shared == {("survey_id", survey.pk)}


def test_the_database_refuses_a_second_has_answered_row_for_a_member():
    world = partners_survey()
    member = respondent()
    Participation.objects.create(survey=world["survey"], member=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(survey=world["survey"], member=member)


def test_the_database_refuses_a_second_named_response_for_a_member():
    survey = partners_survey(named=True)["survey"]
    member = respondent()
    Response.objects.create(survey=survey, member=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, member=member)


def test_a_second_anonymous_response_from_a_member_is_refused():
    world = partners_survey()
    member = respondent()
    who = world["who"]
    answer(world["survey"], {who: {"choices": [choice(who, "A partner").pk]}}, member=member)
    with pytest.raises(services.AlreadyAnswered):
        answer(world["survey"], {who: {"choices": [choice(who, "A partner").pk]}}, member=member)
    assert Response.objects.count() == 1


def test_if_saving_the_answers_fails_the_member_has_not_answered_and_can_try_again(monkeypatch):
    world = partners_survey()
    member = respondent()
    who = world["who"]

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patch:
        patch.setattr(Answer.objects, "bulk_create", broken)
        with pytest.raises(RuntimeError):
            answer(world["survey"], {who: {"choices": [choice(who, "A partner").pk]}}, member=member)
    assert not Participation.objects.exists()
    answer(world["survey"], {who: {"choices": [choice(who, "A partner").pk]}}, member=member)
    assert Participation.objects.count() == 1 and Response.objects.count() == 1


def test_the_nightly_rewrite_gives_yesterdays_responses_new_keys_and_keeps_every_answer():
    world = partners_survey()
    survey, who, words = world["survey"], world["who"], world["words"]
    members = [respondent() for _ in range(4)]
    for index, member in enumerate(members):
        answer(
            survey,
            {who: {"choices": [choice(who, "A partner").pk]}, words: {"text": f"Answer {index}"}},
            member=member,
        )
    Response.objects.update(submitted_on=timezone.localdate() - dt.timedelta(days=1))
    before_ids = set(Response.objects.values_list("pk", flat=True))
    before_participation_ids = set(Participation.objects.values_list("pk", flat=True))
    before_answers = sorted(Answer.objects.values_list("question_id", "choice_id", "text"))

    assert rewrite_anonymous_responses() == 4

    assert set(Response.objects.values_list("pk", flat=True)).isdisjoint(before_ids)
    assert sorted(Answer.objects.values_list("question_id", "choice_id", "text")) == before_answers
    assert Response.objects.filter(rewritten=True).count() == 4
    assert set(Participation.objects.values_list("member_id", flat=True)) == {m.pk for m in members}
    assert set(Participation.objects.values_list("pk", flat=True)).isdisjoint(before_participation_ids)
    assert rewrite_anonymous_responses() == 0  # safe to run again


def test_the_nightly_rewrite_leaves_todays_responses_and_named_ones_alone():
    anonymous = partners_survey()
    named = partners_survey(named=True)
    member = respondent()
    answer(
        anonymous["survey"], {anonymous["who"]: {"choices": [choice(anonymous["who"], "A partner").pk]}}, member=member
    )
    answer(named["survey"], {named["who"]: {"choices": [choice(named["who"], "A partner").pk]}}, member=member)
    Response.objects.filter(survey=named["survey"]).update(submitted_on=timezone.localdate() - dt.timedelta(days=3))
    ids = set(Response.objects.values_list("pk", flat=True))
    assert rewrite_anonymous_responses() == 0
    assert set(Response.objects.values_list("pk", flat=True)) == ids


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_the_rewrite_no_transaction_id_or_row_order_ties_a_response_to_its_member():
    """Committed for real (a transactional test), so each write has its own transaction id."""
    world = partners_survey()
    survey, who = world["survey"], world["who"]
    for _ in range(3):
        answer(survey, {who: {"choices": [choice(who, "A partner").pk]}}, member=MemberFactory(active=True))

    def xmins(table: str) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {table} WHERE survey_id = %s ORDER BY ctid", [survey.pk])  # noqa: S608
            return [row[0] for row in cursor.fetchall()]

    # Before: each response was written in a transaction of its own, just after its member's
    # "has answered" row: the transaction ids alone would pair them.
    assert len(set(xmins("surveys_response"))) == 3
    assert len(set(xmins("surveys_participation"))) == 3

    Response.objects.update(submitted_on=timezone.localdate() - dt.timedelta(days=1))
    rewrite_anonymous_responses()

    after = set(xmins("surveys_response")) | set(xmins("surveys_participation"))
    assert len(after) == 1, "every re-written row shares one transaction id"


def test_response_keys_are_random_not_sequential():
    world = partners_survey(public=True)
    who = world["who"]
    responses = [answer(world["survey"], {who: {"choices": [choice(who, "A partner").pk]}}) for _ in range(3)]
    assert all(isinstance(response.pk, uuid.UUID) and response.pk.version == 4 for response in responses)
