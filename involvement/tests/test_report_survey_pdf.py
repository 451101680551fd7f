"""The survey results report: one survey's answers for commissioners, charts with their figures
in tables, small counts as "fewer than 5", no written answers and no names.

The world, counted by hand (the partners survey from the surveys tests, 12 responses):

- "Are you answering as…": 8 mothers, 3 partners, 1 family member. 3 and 1 are hidden, and
  then nothing else is needed (two cells hidden already); the total 12 is shown.
- "How was your experience…": 7 "Very good", 5 "Good", the rest 0.
- "What helped?" (several answers allowed): Home visits 9, Phone calls 2 → "fewer than 5".
- Written answers: "My midwife Rosalind was wonderful" must never appear.
- Member review: 6 members asked, 2 commented (3 comments: 2 say "leading", 1 "unclear").
"""

from __future__ import annotations

import datetime as dt

import pytest

from involvement.models import ReportRun
from involvement.reporting.survey import co_design, survey_figures
from involvement.reports import SECTIONS, build_report, report_filename
from members.tests.factories import MemberFactory, UserFactory
from surveys.models import ReviewComment, Survey
from surveys.tests.factories import answer, choice, many_responses, partners_survey

from .report_pdfs import Pdf, module_world

# The world is made once, in the module's fixture; the mark has the test database set up for it.
pytestmark = pytest.mark.django_db

WRITTEN = "My midwife Rosalind was wonderful"


def _person(n: int):
    return MemberFactory(
        user=UserFactory(email=f"survey.person{n}@example.org", name=f"Ottoline Brackenbury{n}"), active=True
    )


def make_survey():
    w = partners_survey(title="Your time with the perinatal team", named=True)
    people = [_person(n) for n in range(12)]
    as_who = ["A mother or birthing person"] * 8 + ["A partner"] * 3 + ["A family member"]
    rating = ["Very good"] * 7 + ["Good"] * 5
    helped = [["Home visits"]] * 9 + [["Phone calls"]] * 2 + [[]]
    for index, person in enumerate(people):
        draft = {
            w["who"]: {"choices": [choice(w["who"], as_who[index]).pk]},
            w["rating"]: {"choices": [choice(w["rating"], rating[index]).pk]},
            w["words"]: {"text": f"{WRITTEN} ({index})"},
        }
        if helped[index]:
            draft[w["helped"]] = {"choices": [choice(w["helped"], label).pk for label in helped[index]]}
        answer(w["survey"], draft, member=person)
    survey = w["survey"]
    survey.status = Survey.Status.CLOSED
    survey.opens_at = dt.datetime(2025, 9, 1, 9, tzinfo=dt.UTC)
    survey.closes_at = dt.datetime(2025, 10, 31, 17, tzinfo=dt.UTC)
    survey.save()
    reviewers = [_person(100 + n) for n in range(6)]
    w["survey"].reviewers.set(reviewers)
    ReviewComment.objects.create(
        question=w["who"], member=reviewers[0], concerns=["leading"], comment="Rosalind said so"
    )
    ReviewComment.objects.create(question=w["rating"], member=reviewers[0], concerns=["leading", "unclear"])
    ReviewComment.objects.create(question=w["rating"], member=reviewers[1], concerns=[])
    w["people"] = people + reviewers
    return w


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker):
        with django_db_blocker.unblock():
            w = make_survey()
            run = ReportRun(kind=ReportRun.Kind.SURVEY, survey=w["survey"])
            steps = []
            content = build_report(run, lambda n, total, title: steps.append((n, total, title)))
            world = {
                "people": [(p.user.name, p.user.email) for p in w["people"]],
                "steps": steps,
                "filename": report_filename(run),
            }
        yield Pdf(content, world)


def _after(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin + len(start))]


def test_the_pdf_has_more_than_one_page_a_title_a_language_and_tags(report):
    assert len(report.reader.pages) > 2
    assert report.title == "Survey results: 1 September 2025 to 31 October 2025"
    assert report.root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in report.root


def test_the_cover_names_the_survey_and_the_privacy_rule(report):
    cover = report.pages[0]
    assert "Your time with the perinatal team" in cover
    assert "Numbers under 5 are shown as fewer than 5." in cover


def test_page_numbers_and_contents(report):
    total = len(report.reader.pages)
    assert report.page_numbers_in_footers() == [(n, total) for n in range(2, total + 1)]
    for title in SECTIONS["survey"]:
        assert title in report.pages[1]


def test_the_survey_facts(report):
    about = _after(report.text, "The survey at a glance", "Percentages are")
    assert "Opened 1 September 2025" in about
    assert "Closed 31 October 2025" in about
    assert "Members of the group. They answered with their names" in about
    assert "Responses 12" in about


def test_small_counts_read_fewer_than_5_and_the_rest_are_shown(report):
    text = report.text
    who = _after(text, "The figures in the chart: out of 12", "12 people answered")
    assert "A mother or birthing person 8" in who
    assert "A partner fewer than 5" in who
    assert "A family member fewer than 5" in who
    helped = _after(text, "What helped?", "11 people answered")
    assert "Home visits 9" in helped
    assert "Phone calls fewer than 5" in helped
    partners = _after(text, "Did you feel included in your partner's care?", "The service")
    assert "Nobody answered this question." in partners


def test_no_written_answer_and_no_name_or_email_appears(report):
    text = report.text
    assert "Rosalind" not in text
    assert "Written answers are not included" in text
    for name, email in report.world["people"]:
        assert name not in text
        assert email not in text
    assert "Brackenbury" not in text


def test_how_members_shaped_the_questions_is_counted(report):
    review = _after(report.text, "Member review of the questions", "Concern")
    assert "Members asked to check the questions 6" in review
    assert "Members who commented fewer than 5" in review
    assert "Comments made fewer than 5" in review


def test_the_charts_have_their_question_as_title(report):
    # The chart's SVG title is its text alternative; WeasyPrint draws it as a figure, and the
    # question is the figure's caption, read before the chart and its table.
    assert "How was your experience of the service?" in report.text


def test_progress_and_filename(report):
    titles = SECTIONS["survey"]
    assert report.world["steps"] == [(n, len(titles), title) for n, title in enumerate(titles, 1)]
    assert report.world["filename"] == "survey-results-your-time-with-the-perinatal-team.pdf"


def test_co_design_counts_match_the_hand_counts(db):
    w = make_survey()
    figures = co_design(w["survey"])
    assert figures.reviewers_invited.shown == "6"
    assert figures.reviewers_commented.shown == "fewer than 5"
    assert figures.comments.shown == "fewer than 5"
    assert figures.questions_commented_on == 2
    # Three comments in all, so every concern count is hidden (a total under 5 hides its cells).
    assert {concern.label: concern.count.shown for concern in figures.concerns}["It leads people to an answer"] == (
        "fewer than 5"
    )


def test_a_survey_with_no_member_review_says_so(db):
    w = partners_survey(title="Quiet survey")
    assert not co_design(w["survey"]).recorded


@pytest.mark.parametrize("responses", [10, 200])
def test_the_figures_take_the_same_number_of_queries_however_many_responses(
    db, responses, django_assert_max_num_queries
):
    w = partners_survey(title="Big survey")
    many_responses(w, responses)
    w["survey"].reviewers.set([_person(n) for n in range(3)])
    with django_assert_max_num_queries(14):
        figures = survey_figures(w["survey"])
    assert figures.results.total_count == responses
