"""The involvement report for a period as a PDF, opened with pypdf: tagged, titled, in English,
more than one page, the headline figures of the hand-counted world in `period_world`, small
numbers as "fewer than 5", and no member's name, email address or written answer anywhere.

The PDF is rendered once for the module (through `build_report`, as the worker does).
"""

from __future__ import annotations

import pytest
import time_machine

from involvement.models import ReportRun
from involvement.reports import SECTIONS, build_report, report_filename
from involvement.reports.period import SECTION_IDS

from .period_world import END, NOW, QUOTE_NEVER_ASKED, QUOTE_USED, QUOTE_WITHDRAWN, SECRET_ANSWER, START, make_world
from .report_pdfs import Pdf, module_world

# The world is made once, in the module's fixture; the mark has the test database set up for it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker), time_machine.travel(NOW, tick=False):
        with django_db_blocker.unblock():
            world = make_world()
            run = ReportRun(kind=ReportRun.Kind.PERIOD, start=START, end=END)
            steps = []
            content = build_report(run, lambda n, total, title: steps.append((n, total, title)))
            details = {"people": world["people"], "steps": steps, "filename": report_filename(run)}
        yield Pdf(content, details)


def test_the_pdf_has_more_than_one_page_a_title_a_language_and_a_structure_tree(report):
    assert len(report.reader.pages) > 1
    assert report.title == "Involvement report: 1 April 2025 to 30 June 2025"
    assert report.root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in report.root


def test_the_cover_and_contents_name_the_period_and_every_section(report):
    assert "Involvement report" in report.pages[0]
    assert "1 April 2025 to 30 June 2025" in report.pages[0]
    contents = report.pages[1]
    assert contents.startswith("Contents")
    for title in SECTIONS["period"]:
        assert title in contents
    assert len(SECTION_IDS) == len(SECTIONS["period"])


def test_every_page_after_the_cover_says_page_n_of_m(report):
    total = len(report.reader.pages)
    assert report.page_numbers_in_footers() == [(n, total) for n in range(2, total + 1)]


def test_the_headline_figures_match_the_hand_counted_world(report):
    headline = next(page for page in report.pages if page.startswith("Headline figures"))
    for row in (
        "Active members at the end of the period 15",
        "People who joined 3",
        "People who left 2",
        "Meetings and activities held 3",
        "Group meeting 2",
        "Focus group 1",
        "Times members took part in a meeting 8",
        "People involved at least once 12",
        "Hours of involvement at meetings 14.5",
        "Expenses paid £17.70",
        "Involvement payments paid £25.00",
        "Total paid to members £42.70",
    ):
        assert row in headline


def test_membership_over_time_is_a_chart_with_its_table(report):
    page = next(page for page in report.pages if page.startswith("Membership over time"))
    assert "30 April 2025 18" in page and "31 May 2025 17" in page and "30 June 2025 15" in page


def test_suppressed_cells_read_fewer_than_5(report):
    members = next(page for page in report.pages if page.startswith("Who our members are"))
    assert "Partner fewer than 5" in members
    # The second cell hidden so the total cannot give the first away.
    assert "Woman or birthing person fewer than 5" in members
    assert "Not answered 6" in members
    assert "Anxiety 5" in report.text


def test_projects_show_their_rungs_and_movement_as_counted(report):
    page = next(page for page in report.pages if page.startswith("Projects and the ladder"))
    leaflet = page[page.index("Birth trauma leaflet") : page.index("Welcome pack")].replace(" ", "")
    # Rung 4 at the start, 5 at the end, aiming for 7; 5 members involved, none named. (Spaces
    # are dropped: a narrow column may wrap "Co-production" after its hyphen.)
    assert "4.Consultation5.Engagement7.Co-productionUp1rung5" in leaflet
    assert "3 projects ran in the period. 1 moved up the ladder." in page
    assert "Interview panels" in page and "fewer than 5" in page


def test_only_quotes_with_consent_are_printed(report):
    assert QUOTE_USED in report.text
    assert QUOTE_WITHDRAWN not in report.text
    assert QUOTE_NEVER_ASKED not in report.text


def test_no_member_name_email_or_written_answer_appears_anywhere(report):
    text = report.text
    for name, email in report.world["people"]:
        assert name not in text
        assert email not in text
        assert name.split()[-1] not in text  # not even the family name
    assert SECRET_ANSWER not in text
    assert "@" not in text


def test_the_methods_note_is_the_last_section(report):
    methods = next(page for page in report.pages if page.startswith("How the figures are counted"))
    assert "People involved at least once" in methods
    assert report.pages.index(methods) >= len(report.pages) - 2


def test_progress_goes_through_every_section_in_order(report):
    sections = SECTIONS["period"]
    assert report.world["steps"] == [(n, len(sections), title) for n, title in enumerate(sections, 1)]


def test_the_file_is_named_after_the_period(report):
    assert report.world["filename"] == "involvement-report-2025-04-01-to-2025-06-30.pdf"


def test_a_period_report_needs_both_dates():
    with pytest.raises(ValueError):
        build_report(ReportRun(kind=ReportRun.Kind.PERIOD, start=START))
