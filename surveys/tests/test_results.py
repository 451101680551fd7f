"""Results: per question counts and percentages with charts, written answers listed, a filter by
an answer, responses over time, the CSV export (read back and checked against the answers
given), the commissioners' summary with small numbers suppressed and no free text, and query
counts that stay flat from 10 to 2,000 responses."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from nhsuk_forms.tests.html import Page, text
from surveys.results import survey_results
from surveys.selectors import load_structure

from .factories import UserFactory, answer, choice, many_responses, partners_survey, respondent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return partners_survey()


def _send(world, *, who, rating="Good", helped=(), other="", words="", visits=None, member=None):
    w = world
    draft = {
        w["who"]: {"choices": [choice(w["who"], who).pk]},
        w["rating"]: {"choices": [choice(w["rating"], rating).pk]},
    }
    if helped:
        draft[w["helped"]] = {"choices": [choice(w["helped"], label).pk for label in helped], "other": other}
    if words:
        draft[w["words"]] = {"text": words}
    if visits is not None:
        draft[w["visits"]] = {"number": str(visits)}
    return answer(w["survey"], draft, member=member or respondent())


def _bars(chart):
    return {bar.label: (bar.shown, bar.percent_shown) for bar in chart.bars}


def test_each_question_has_counts_and_percentages_of_the_people_who_answered_it(world):
    for _ in range(3):
        _send(world, who="A partner", rating="Very good")
    _send(world, who="A mother or birthing person", rating="Poor")
    results = survey_results(load_structure(world["survey"]))
    assert results.total == "4"
    rows = {row.question.pk: row for _, rows in results.sections for row in rows}
    who = rows[world["who"].pk]
    assert who.answered == "4"
    assert _bars(who.chart)["A partner"] == ("3", "75%")
    assert _bars(who.chart)["A mother or birthing person"] == ("1", "25%")
    assert _bars(who.chart)["A family member"] == ("0", "0%")
    assert 'role="img"' in who.chart.svg and "<title" in who.chart.svg


def test_multiple_choice_percentages_are_of_people_and_may_add_up_to_more_than_100(world):
    _send(world, who="A partner", helped=["Home visits", "Phone calls"])
    _send(world, who="A partner", helped=["Home visits"])
    results = survey_results(load_structure(world["survey"]))
    helped = next(row for _, rows in results.sections for row in rows if row.question == world["helped"])
    assert _bars(helped.chart)["Home visits"] == ("2", "100%")
    assert _bars(helped.chart)["Phone calls"] == ("1", "50%")


def test_numbers_show_average_smallest_and_largest(world):
    for visits in (2, 4, 9):
        _send(world, who="A partner", visits=visits)
    rows = {
        row.question.pk: row for _, rows in survey_results(load_structure(world["survey"])).sections for row in rows
    }
    visits = rows[world["visits"].pk]
    assert (visits.average, visits.smallest, visits.largest) == ("5", "2", "9")


def test_the_filter_shows_only_people_who_gave_that_answer(coordinator_client, world):
    _send(world, who="A partner", rating="Very good")
    _send(world, who="A partner", rating="Very good")
    _send(world, who="A mother or birthing person", rating="Poor")
    partner = choice(world["who"], "A partner")
    results = survey_results(load_structure(world["survey"]), filter_choice=partner)
    rating = next(row for _, rows in results.sections for row in rows if row.question == world["rating"])
    assert results.total == "2"
    assert _bars(rating.chart)["Very good"] == ("2", "100%")
    assert _bars(rating.chart)["Poor"] == ("0", "0%")
    page = coordinator_client.get(
        reverse("surveys_staff:results", args=[world["survey"].pk]), {"answer": partner.pk}
    ).content.decode()
    assert "2 responses from people who answered “A partner”" in page


def test_responses_over_time_are_counted_by_week(world):
    many_responses(world, 10, day=dt.date(2026, 11, 27))  # a Friday: days 27 Nov back to 18 Nov
    results = survey_results(load_structure(world["survey"]))
    weeks = _bars(results.over_time)
    assert weeks["Week starting 23 November 2026"][0] == "5"  # 23–27 November
    assert weeks["Week starting 16 November 2026"][0] == "5"  # 18–22 November


def test_written_answers_are_listed_for_coordinators(coordinator_client, world):
    _send(world, who="A partner", words="The night team were kind.")
    _send(world, who="A partner", helped=["Other – please say"], other="My sister")
    results_page = coordinator_client.get(reverse("surveys_staff:results", args=[world["survey"].pk])).content.decode()
    assert "Read the 1 written answer" in results_page
    words = coordinator_client.get(
        reverse("surveys_staff:text_answers", args=[world["survey"].pk, world["words"].pk])
    ).content.decode()
    assert "The night team were kind." in words
    other = coordinator_client.get(
        reverse("surveys_staff:text_answers", args=[world["survey"].pk, world["helped"].pk])
    ).content.decode()
    assert "My sister" in other


def test_the_csv_has_one_row_per_response_and_one_column_per_question_matching_the_answers(coordinator_client, world):
    given = [
        {
            "who": "A partner",
            "rating": "Very good",
            "helped": ["Home visits", "Other – please say"],
            "other": "My sister",
            "words": "=HYPERLINK(1)",
            "visits": 3,
        },
        {
            "who": "A mother or birthing person",
            "rating": "Poor",
            "helped": ["Groups"],
            "words": "Long waits",
            "visits": 12.5,
        },
        {"who": "A family member", "rating": "Don't know"},
    ]
    for answers in given:
        _send(world, **answers)
    response = coordinator_client.get(reverse("surveys_staff:results_csv", args=[world["survey"].pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    questions = [q.text for q in load_structure(world["survey"]).questions_in_order()]
    assert list(rows[0]) == ["Response", "Date sent", *questions]
    expected = set()
    for answers in given:
        expected.add(
            (
                answers["who"],
                answers["rating"],
                "; ".join(
                    ("Other: My sister" if label.startswith("Other") else label) for label in answers.get("helped", [])
                ),
                # A cell a spreadsheet would run as a formula starts with an apostrophe.
                "'=HYPERLINK(1)" if answers.get("words", "").startswith("=") else answers.get("words", ""),
                "" if answers.get("visits") is None else f"{Decimal(str(answers['visits'])).normalize():f}",
            )
        )
    found = {
        (
            row[world["who"].text],
            row[world["rating"].text],
            row[world["helped"].text],
            row[world["words"].text],
            row[world["visits"].text],
        )
        for row in rows
    }
    assert found == expected
    assert {row["Date sent"] for row in rows} == {timezone.localdate().isoformat()}
    assert "Name" not in rows[0]


def test_a_named_surveys_csv_has_each_members_name(coordinator_client):
    world = partners_survey(named=True)
    grace = respondent(user=UserFactory(name="Grace Obi"))
    _send(world, who="A partner", member=grace)
    rows = list(
        csv.DictReader(
            io.StringIO(
                coordinator_client.get(reverse("surveys_staff:results_csv", args=[world["survey"].pk])).content.decode()
            )
        )
    )
    assert rows[0]["Name"] == grace.user.name


def test_the_summary_shows_small_numbers_suppressed_and_no_written_answers(coordinator_client, world):
    for _ in range(7):
        _send(world, who="A partner", rating="Very good", words="Secret words about me")
    for _ in range(2):
        _send(world, who="A mother or birthing person", rating="Poor", words="Secret words about me")
    page = coordinator_client.get(reverse("surveys_staff:summary", args=[world["survey"].pk])).content.decode()
    assert "Secret words about me" not in page
    assert "written answer" not in page
    results = survey_results(load_structure(world["survey"]), for_commissioners=True)
    who = next(row for _, rows in results.sections for row in rows if row.question == world["who"])
    bars = _bars(who.chart)
    assert bars["A mother or birthing person"] == ("fewer than 5", "")
    # 7 would give away the 2 (9 − 7), so it is hidden too.
    assert bars["A partner"] == ("fewer than 5", "")
    assert bars["A family member"] == ("0", "0%")
    assert "fewer than 5" in page


def test_a_survey_with_fewer_than_5_responses_shows_commissioners_no_counts(world):
    _send(world, who="A partner", visits=4)
    results = survey_results(load_structure(world["survey"]), for_commissioners=True)
    assert results.total == "fewer than 5"
    visits = next(row for _, rows in results.sections for row in rows if row.question == world["visits"])
    assert visits.average == "" and visits.smallest == ""


def test_the_summary_does_not_tell_one_response_from_four(coordinator_client, world):
    url = reverse("surveys_staff:summary", args=[world["survey"].pk])
    _send(world, who="A partner", visits=4)
    one = Page(coordinator_client.get(url).content.decode())
    for _ in range(3):
        _send(world, who="A partner", visits=4)
    four = Page(coordinator_client.get(url).content.decode())
    assert text(one.main()) == text(four.main())
    assert "fewer than 5 responses." in text(one.main())


@pytest.mark.parametrize("url_name", ["surveys_staff:results", "surveys_staff:summary", "surveys_staff:results_csv"])
def test_results_pages_cost_the_same_queries_for_10_and_2000_responses(
    coordinator_client, world, django_assert_max_num_queries, url_name
):
    url = reverse(url_name, args=[world["survey"].pk])
    many_responses(world, 10)
    coordinator_client.get(url)  # session and caches warm
    with django_assert_max_num_queries(20) as small:
        assert coordinator_client.get(url).status_code == 200
    many_responses(world, 1990)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = coordinator_client.get(url)
    assert response.status_code == 200
    if url_name == "surveys_staff:results":
        assert "2000 responses" in response.content.decode()


def test_the_filtered_results_cost_the_same_queries_for_10_and_2000_responses(
    coordinator_client, world, django_assert_max_num_queries
):
    url = reverse("surveys_staff:results", args=[world["survey"].pk])
    query = {"answer": choice(world["who"], "A partner").pk}
    many_responses(world, 10)
    coordinator_client.get(url, query)
    with django_assert_max_num_queries(20) as small:
        coordinator_client.get(url, query)
    many_responses(world, 1990)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert coordinator_client.get(url, query).status_code == 200
