"""The project case study: the good-practice template, the ladder, what the work is linked to,
"you said, we did" and quotes — for commissioners, so it names nobody.

The world below is small enough to count by hand:

- Meetings for the project: A (3 took part), B (7 attended, 2 did not come, register taken),
  C (6 took part), one still to come and one cancelled. Attendance 3 + 7 + 6 = 16 is shown, so
  A (3) is hidden and, with it, the next smallest, C (6): otherwise 16 − 7 − 6 gives A away.
- Surveys: one with 6 sent responses (and a draft that does not count), one with 2.
- 4 members involved: "fewer than 5".
- Two quotes: one from a member who agrees to the use of their words, one from a member who
  agreed and then withdrew. Only the first is in the report.
"""

from __future__ import annotations

import datetime as dt

import pytest

from involvement.models import ImpactItem, Project, ProjectMember, Quote, ReportRun, Rung, RungChange
from involvement.reporting.project import links, project_figures
from involvement.reports import SECTIONS, build_report, report_filename
from library.tests.factories import resource
from meetings.models import Registration
from meetings.tests.factories import MeetingFactory, RegistrationFactory, london
from members.tests.factories import MemberFactory, UserFactory, give_consents
from surveys.models import Response
from surveys.tests.factories import SurveyFactory

from .report_pdfs import Pdf, module_world

# The world is made once, in the module's fixture; the mark has the test database set up for it.
pytestmark = pytest.mark.django_db

NOW = london(2026, 4, 2, 9)
QUOTE_AGREED = "The new leaflet felt like it was written by someone who had been there."
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
QUOTE_WITHDRAWN = "I felt nobody listened to me at the start."


def _member(n: int):
    user = UserFactory(email=f"casestudy.person{n}@example.org", name=f"Xanthe Quillfeather{n}")
    return MemberFactory(user=user, active=True)


def make_project(members, *, kind=Project.Kind.PROJECT, meetings=(3, 7, 6)):
    """A project with the world described at the top of this module (``meetings``: how many
    took part in each meeting held)."""
    project = Project.objects.create(
        title="Co-producing the birth trauma leaflet",
        kind=kind,
        summary="Members and staff wrote a new leaflet together.",
        aims="Write a leaflet that parents find clear and kind.",
        scope_and_audience="Parents who had a difficult birth, and the midwives who see them.",
        started_on=dt.date(2025, 5, 1),
        completed_on=dt.date(2026, 2, 27),
        stakeholders_who="Members of the involvement group, two midwives and a psychologist.",
        stakeholders_how_identified="Through the group's meetings and the maternity team.",
        stakeholders_how_involved="Three writing meetings and a member review of the draft.",
        equality_and_inclusion="One meeting was held in the evening for people who work in the day.",
        description="The group chose the words, the pictures and the title.",
        training="A short session on plain English from the trust's communications team.",
        evaluation_and_impact="The leaflet is now given to every parent after a difficult birth.",
        went_well="Meeting in the children's centre, where babies were welcome.",
        challenges="Finding a time that suited everyone: we met twice at different times.",
        future_plans="Review in 12 months. Share the learning at the regional network.",
        rung_now=Rung.CO_DESIGN,
        rung_target=Rung.CO_PRODUCTION,
    )
    RungChange.objects.create(
        project=project, rung_from=None, rung_to=Rung.CONSULTATION, changed_on=dt.date(2025, 5, 1), note="First idea."
    )
    RungChange.objects.create(
        project=project,
        rung_from=Rung.CONSULTATION,
        rung_to=Rung.CO_DESIGN,
        changed_on=dt.date(2025, 9, 1),
        note="Members wrote the draft with staff.",
    )
    for index, took_part in enumerate(meetings):
        starts_at = london(2025, 6, 3, 10) + dt.timedelta(days=14 * index)
        meeting = MeetingFactory(title=f"Leaflet meeting {LETTERS[index]}", starts_at=starts_at)
        if index == 1:  # the register was taken: two did not come
            meeting.attendance_taken_at = starts_at + dt.timedelta(hours=3)
            meeting.save(update_fields=["attendance_taken_at"])
            for member in members[took_part : took_part + 2]:
                RegistrationFactory(meeting=meeting, member=member, status=Registration.Status.NO_SHOW)
            status = Registration.Status.ATTENDED
        else:
            status = Registration.Status.REGISTERED
        for member in members[:took_part]:
            RegistrationFactory(meeting=meeting, member=member, status=status)
        project.meetings.add(meeting)
    project.meetings.add(MeetingFactory(title="Leaflet launch", starts_at=london(2026, 6, 1, 10)))
    project.meetings.add(
        MeetingFactory(title="Cancelled leaflet meeting", starts_at=london(2025, 8, 1, 10), cancelled=True)
    )
    project.resources.add(resource(title="After a difficult birth"))
    many = SurveyFactory(title="What should the leaflet say?", closed=True)
    few = SurveyFactory(title="Leaflet pictures", closed=True)
    project.surveys.add(many, few)
    Response.objects.bulk_create(
        [Response(survey=many, submitted_on=dt.date(2025, 7, day)) for day in range(1, 7)]
        + [Response(survey=many), Response(survey=few, submitted_on=dt.date(2025, 7, 1))]
        + [Response(survey=few, submitted_on=dt.date(2025, 7, 2))]
    )
    for member in members[:4]:
        ProjectMember.objects.create(
            project=project, member=member, role="Wrote the leaflet", named=True, credited_as=member.user.name
        )
    item = ImpactItem.objects.create(
        you_said="The old leaflet used words that felt cold.",
        we_did="Members rewrote it with the midwives.",
        project=project,
        status=ImpactItem.Status.DONE,
        raised_on=dt.date(2025, 5, 20),
        closed_on=dt.date(2026, 2, 27),
    )
    ImpactItem.objects.create(
        you_said="Print it in Polish too.",
        project=project,
        status=ImpactItem.Status.NOT_POSSIBLE,
        why_not_possible="There was no budget for printing this year.",
        raised_on=dt.date(2025, 11, 2),
        closed_on=dt.date(2026, 1, 10),
    )
    agreed, withdrew = members[0], members[1]
    give_consents(agreed, anonymised_words=True)
    give_consents(withdrew, anonymised_words=True)
    give_consents(withdrew, anonymised_words=False)
    Quote.objects.create(text=QUOTE_AGREED, member=agreed, impact_item=item, said_on=dt.date(2026, 3, 1))
    Quote.objects.create(text=QUOTE_WITHDRAWN, member=withdrew, project=project, said_on=dt.date(2025, 6, 3))
    return project


@pytest.fixture(scope="module")
def case_study(django_db_setup, django_db_blocker):
    import time_machine

    with module_world(django_db_blocker), time_machine.travel(NOW, tick=False):
        with django_db_blocker.unblock():
            members = [_member(n) for n in range(9)]
            project = make_project(members)
            run = ReportRun(kind=ReportRun.Kind.PROJECT, project=project)
            steps = []
            content = build_report(run, lambda n, total, title: steps.append((n, total, title)))
            world = {
                "project": project,
                "members": [(m.user.name, m.user.email) for m in members],
                "steps": steps,
                "filename": report_filename(run),
            }
        yield Pdf(content, world)


def test_the_pdf_has_a_cover_contents_and_more_pages(case_study):
    assert len(case_study.reader.pages) > 2
    assert "Project case study" in case_study.pages[0]
    assert "Co-producing the birth trauma leaflet" in case_study.pages[0]
    assert "Numbers under 5 are shown as fewer than 5." in case_study.pages[0]


def test_the_pdf_has_a_title_a_language_and_a_structure_tree(case_study):
    assert case_study.title.startswith("Project case study")
    assert case_study.root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in case_study.root


def test_every_page_after_the_cover_says_page_n_of_m(case_study):
    total = len(case_study.reader.pages)
    assert "Page" not in case_study.pages[0]
    assert case_study.page_numbers_in_footers() == [(n, total) for n in range(2, total + 1)]
    assert "1 May 2025 to 27 February 2026" in case_study.pages[1]  # the footer's period


def test_the_contents_lists_every_section_with_its_page(case_study):
    contents = case_study.pages[1]
    assert contents.startswith("Contents")
    for title in SECTIONS["project"]:
        assert title in contents
    ladder_page = next(
        n for n, text in enumerate(case_study.pages, 1) if text.startswith("The ladder of co-production")
    )
    assert f"The ladder of co-production {ladder_page}" in contents.replace(".", "").replace("  ", " ")


def test_the_template_rows_are_in_the_templates_order(case_study):
    text = case_study.text
    questions = [
        "Title of the project, programme or service area",
        "Aims and objectives",
        "Scope and target audience",
        "Date started",
        "Date completed",
        "Stakeholders",
        "Description and other information",
        "Training or guidance provided",
        "Evaluation, main impact and outcomes",
        "Learning points",
        "Future plans",
    ]
    positions = [text.index(question) for question in questions]
    assert positions == sorted(positions)
    assert "1 May 2025" in text and "27 February 2026" in text
    assert "A short session on plain English" in text


def test_the_ladder_shows_all_seven_rungs_and_where_the_work_started_is_and_aims_to_be(case_study):
    text = case_study.text
    for number, name in Rung.choices:
        assert f"{number}. {name}" in text
    assert "Where this work started: 4. Consultation" in text
    assert "Where it is now: 6. Co-design" in text
    assert "Where it aims to be: 7. Co-production" in text
    assert "It has moved up 2 rungs." in text
    assert "Members wrote the draft with staff." in text


def test_attendance_is_counted_and_small_counts_are_hidden_with_the_one_that_would_give_them_away(case_study):
    text = case_study.text
    assert "Leaflet meeting A" in text and "Leaflet meeting B" in text and "Leaflet meeting C" in text
    assert "Cancelled leaflet meeting" not in text
    assert "Leaflet launch" not in text  # not held yet
    assert "1 more meeting planned." in text
    b = text[text.index("Leaflet meeting B") : text.index("Leaflet meeting C")]
    assert b.rstrip().endswith("7")
    a = text[text.index("Leaflet meeting A") : text.index("Leaflet meeting B")]
    assert "fewer than 5" in a
    c = text[text.index("Leaflet meeting C") : text.index("All meetings")]
    assert "fewer than 5" in c and "6" not in c.replace("2025", "")
    assert "All meetings 16" in text


def test_figures_match_the_hand_counts(db):
    with __import__("time_machine").travel(NOW, tick=False):
        members = [_member(n) for n in range(9)]
        project = make_project(members)
        figures = project_figures(project)
    assert [row.attended.shown for row in figures.links.meetings] == ["fewer than 5", "7", "fewer than 5"]
    assert figures.links.attendances.shown == "16"
    assert figures.links.meetings_planned == 1
    assert {row.title: row.responses.shown for row in figures.links.surveys} == {
        "What should the leaflet say?": "6",
        "Leaflet pictures": "fewer than 5",
    }
    assert figures.links.members_involved.shown == "fewer than 5"
    assert figures.ladder.start == Rung.CONSULTATION
    assert [move.direction for move in figures.ladder.moves] == ["start", "up"]
    assert [quote.text for quote in figures.quotes] == [QUOTE_AGREED]


def test_five_members_involved_are_shown_as_five(db):
    members = [_member(n) for n in range(5)]
    project = Project.objects.create(title="Five people")
    for member in members:
        ProjectMember.objects.create(project=project, member=member)
    assert links(project).members_involved.shown == "5"


def test_surveys_and_members_counts_in_the_pdf(case_study):
    text = case_study.text
    assert "Members involved in this work: fewer than 5." in text
    assert "What should the leaflet say? Closed – 6" in text
    assert "Leaflet pictures Closed – fewer than 5" in text


def test_you_said_we_did_items_of_the_project_are_listed(case_study):
    text = case_study.text
    assert "The old leaflet used words that felt cold." in text
    assert "Members rewrote it with the midwives." in text
    assert "Not possible" in text
    assert "There was no budget for printing this year." in text


def test_quotes_appear_only_with_the_members_current_consent(case_study):
    assert QUOTE_AGREED in case_study.text
    assert QUOTE_WITHDRAWN not in case_study.text


def test_no_member_name_or_email_appears_anywhere(case_study):
    text = case_study.text
    metadata = str(case_study.reader.metadata)
    for name, email in case_study.world["members"]:
        assert name not in text and name not in metadata
        assert email not in text and email not in metadata
    assert "Quillfeather" not in text  # not even the surname the named credits would show


def test_progress_is_reported_section_by_section(case_study):
    titles = SECTIONS["project"]
    assert case_study.world["steps"] == [(n, len(titles), title) for n, title in enumerate(titles, 1)]


def test_the_file_is_named_after_the_project(case_study):
    assert case_study.world["filename"] == "project-case-study-co-producing-the-birth-trauma-leaflet.pdf"


def test_ongoing_work_uses_the_business_as_usual_template(db):
    from involvement.reporting.project import template_name, template_rows

    project = Project(title="Meeting the maternity team each month", kind=Project.Kind.ONGOING, description="How.")
    questions = [row.question for row in template_rows(project)]
    assert "business as usual" in template_name(project)
    assert questions[0] == "Description of the co-production topic"
    assert "Date started" not in questions
    assert "Description of how the work is done and how it works" in questions


@pytest.mark.parametrize("size", [1, 4])
def test_the_figures_take_the_same_number_of_queries_however_big_the_project(db, size, django_assert_max_num_queries):
    members = [_member(n) for n in range(3 * size)]
    project = make_project(members, meetings=tuple(range(1, 3 * size + 1, 3)) * size)
    for n in range(5 * size):
        Quote.objects.create(text=f"Words {n}", member=members[0], project=project, said_on=dt.date(2026, 1, 1))
    project = Project.objects.get(pk=project.pk)
    with django_assert_max_num_queries(9):
        project_figures(project)
