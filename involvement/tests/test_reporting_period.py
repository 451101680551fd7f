"""The figures of the involvement report for a period, against the world in `period_world`,
counted by hand in the comments (the world is described at the top of that module).

The world is made once for the module and its figures counted once; most tests read them.
Runs on SQLite and on PostgreSQL alike (set DATABASE_URL for the second).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from common.suppression import FEWER_THAN
from involvement.reporting.period import STAGES, month_ends, period_figures

from .period_world import END, NOW, QUOTE_USED, SECRET_ANSWER, START, make_world
from .report_pdfs import module_world

FEWER = FEWER_THAN

# Every test is marked, so they run together, with the database set up, before any test that
# empties the tables: the module's world is made once, in `counted`.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def counted(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker), time_machine.travel(NOW, tick=False):
        with django_db_blocker.unblock():
            world = make_world()
            steps = []
            figures = period_figures(START, END, progress=lambda n, total, title: steps.append((n, total, title)))
        yield {"figures": figures, "steps": steps, **world}


@pytest.fixture
def figures(counted):
    return counted["figures"]


def shown(chart) -> dict[str, str]:
    return {bar.label: bar.shown for bar in chart.bars}


# --- Headline figures -------------------------------------------------------------------------


def test_active_members_are_those_active_at_the_end_of_the_period(figures):
    # A, B, G (left after the period: her history says active), H (erased after the period;
    # she had finished joining), N1-N11. Not E (on a break), C and I (left), F (never
    # finished joining), D (joined after).
    assert figures.headline.active_members == 15


def test_joiners_are_counted_by_the_uk_day_they_joined(figures):
    # B (5 April), F (20 May), K (00:30 on 1 April, still 31 March in UTC). Not J (00:30 on
    # 1 July, still 30 June in UTC), nor D (5 July).
    assert figures.headline.joiners == 3


def test_leavers_include_a_member_erased_after_leaving_and_not_someone_who_left_later(figures):
    # C (15 May) and I (1 June, erased on 1 August: the day she left is kept). Not G (10 July),
    # not H (erased after the period without leaving first), not E (a break is not leaving).
    assert figures.headline.leavers == 2


def test_meetings_held_exclude_cancelled_ones_and_those_outside_the_period(figures):
    # M1 and M3 (group meetings), M2 (focus group).
    assert figures.headline.meetings_held == 3
    assert figures.headline.meetings_by_kind == (("Group meeting", 2), ("Focus group", 1))
    assert figures.meetings.cancelled == 1


def test_attendances_count_who_took_part(figures):
    # M1: 3 attended (the no-show and the apologies are not counted); M2: 3 registered, no
    # register taken (the waiting and the cancelled are not counted); M3: 2 attended.
    assert figures.headline.attendances == 3 + 3 + 2


def test_hours_of_involvement_add_up_each_persons_time_at_meetings(figures):
    # 3 x 2 hours + 3 x 1.5 hours + 2 x 2 hours = 14.5
    assert figures.headline.hours == Decimal("14.5")


def test_people_involved_at_least_once_counts_each_person_once(figures):
    # Took part: A, B, E, G, N2, N5. Sent a review: N6 (and A). Answered a named survey: N8.
    # Commented on draft questions: N9. Credited on a resource published in the period: N10.
    # In a running project: N11 and N1 (and A, B, N2). That is 12. Not N7 (reviewed after
    # the period, and her project was over), not D (joined the project after the period).
    assert figures.headline.people_involved == 12


def test_money_paid_in_the_period_splits_expenses_from_involvement_payments(figures):
    # Paid 20 April: mileage 4.50 and an involvement payment 25.00; paid 30 June: parking 3.20
    # and childcare 10.00. Not the approved claim (100.00), nor the one paid on 1 July.
    assert figures.headline.expenses_paid == Decimal("17.70")
    assert figures.headline.involvement_payments_paid == Decimal("25.00")
    assert figures.headline.total_paid == Decimal("42.70")
    assert figures.headline.claims_paid == 2


# --- Membership over time ---------------------------------------------------------------------


def test_membership_over_time_reads_each_members_status_at_each_month_end(figures):
    # 30 April: the 15 above + C (left in May), E (break in June), I (left 1 June) = 18.
    # 31 May: C has left = 17 (I left at 9am on 1 June). 30 June: 15.
    points = [(point.on, point.active) for point in figures.membership.points]
    assert points == [(dt.date(2025, 4, 30), 18), (dt.date(2025, 5, 31), 17), (dt.date(2025, 6, 30), 15)]
    assert shown(figures.membership.chart) == {"30 April 2025": "18", "31 May 2025": "17", "30 June 2025": "15"}
    assert "%" not in figures.membership.chart.description


def test_month_ends_stop_at_the_end_of_a_period_that_ends_mid_month():
    assert month_ends(dt.date(2025, 1, 15), dt.date(2025, 3, 10)) == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 10),
    ]
    assert month_ends(dt.date(2025, 12, 1), dt.date(2026, 1, 31)) == [dt.date(2025, 12, 31), dt.date(2026, 1, 31)]


# --- Suppression ------------------------------------------------------------------------------


def test_a_breakdown_whose_total_is_under_5_hides_every_cell_but_zeros(figures):
    # Joiners: B (social media), F (prefer not to say), K (a friend): 3 in all.
    cells = shown(figures.heard_about.chart)
    assert cells["Social media"] == FEWER
    assert cells["A friend"] == FEWER
    assert cells["Prefer not to say"] == FEWER  # its own row
    assert cells["A clinician or member of staff"] == "0"
    assert cells["Not answered"] == "0"
    assert figures.heard_about.chart.total_shown == FEWER


def test_a_total_that_would_reveal_a_hidden_cell_hides_a_second_one(figures):
    # Relationship of the 15: birthing person 5 (A, B, N1-N3), partner 4 (G, N4-N6), not
    # answered 6 (H, erased, and N7-N11). 4 is hidden; with the total 15 shown, 15 - 6 - 5
    # would give it away, so the smallest other cell (5) is hidden too.
    cells = shown(figures.diversity.relationship.chart)
    assert cells["Partner"] == FEWER
    assert cells["Woman or birthing person"] == FEWER
    assert cells["Not answered"] == "6"
    assert cells["Family member"] == "0"
    assert cells["Prefer not to say"] == "0"
    assert figures.diversity.relationship.chart.total_shown == "15"
    assert figures.diversity.counted == 15


def test_equality_cells_of_0_4_and_5_show_0_fewer_than_5_and_5(figures):
    # Age of the 15: 30 to 34 five (A, B, N1-N3; H's answers no longer lead to anyone, and C
    # has left), 25 to 29 two (G, N4), 35 to 39 one (N5), 7 not answered. Two cells are hidden,
    # so no second one needs to be.
    cells = shown(figures.diversity.equality[0].chart)
    assert figures.diversity.equality[0].title == "Age"
    assert cells == {
        "Under 20": "0",
        "20 to 24": "0",
        "25 to 29": FEWER,
        "30 to 34": "5",
        "35 to 39": FEWER,
        "40 or over": "0",
        "Prefer not to say": "0",
        "Not answered": "7",
    }
    assert figures.diversity.equality_answered.shown == "8"


def test_lived_experience_topics_may_add_up_to_more_than_the_members(figures):
    # Anxiety 5 (A, B, N1-N3), birth trauma 1 (A), postnatal depression 1 (G), prefer not to
    # say 1 (N4), not answered 8. C's perinatal loss is not counted: she has left. Several per
    # person, so no second cell is hidden.
    cells = shown(figures.diversity.topics.chart)
    assert cells["Anxiety"] == "5"
    assert cells["Birth trauma"] == FEWER
    assert cells["Postnatal depression"] == FEWER
    assert cells["Perinatal loss"] == "0"
    assert cells["Other"] == "0"
    assert cells["Prefer not to say"] == FEWER
    assert cells["Not answered"] == "8"


def test_no_breakdown_carries_a_hidden_number(figures):
    breakdowns = [figures.heard_about, figures.diversity.relationship, figures.diversity.topics]
    breakdowns += list(figures.diversity.equality)
    for breakdown in breakdowns:
        for bar in breakdown.chart.bars:
            if bar.shown == FEWER:
                assert bar.count is None and bar.percent_shown == ""
                assert f"{bar.label}: {FEWER}" in breakdown.chart.description


# --- Meetings and attendance ------------------------------------------------------------------


def test_meetings_by_kind_show_places_offered_taken_and_used(figures):
    group, focus = figures.meetings.by_kind
    # Group meetings M1 and M3: 20 + 10 places, 4 + 2 taken, 3 + 2 took part, 2h each.
    assert (group.label, group.meetings, group.places_offered, group.places_taken, group.attendances) == (
        "Group meeting",
        2,
        30,
        6,
        5,
    )
    assert group.hours == Decimal("10.0")
    assert group.average_attendance == Decimal("2.5")
    # The focus group had no limit on places.
    assert (focus.meetings, focus.places_offered, focus.meetings_without_limit, focus.places_taken) == (1, 0, 1, 3)
    assert focus.average_attendance == Decimal("3.0")


def test_meetings_by_mode(figures):
    rows = {row.label: (row.meetings, row.attendances, row.hours) for row in figures.meetings.by_mode}
    assert rows == {
        "In person": (1, 3, Decimal("6.0")),
        "Online": (1, 3, Decimal("4.5")),
        "In person and online": (1, 2, Decimal("4.0")),
    }
    total = figures.meetings.total
    assert (total.meetings, total.places_offered, total.places_taken, total.attendances) == (3, 30, 9, 8)
    assert total.average_attendance == Decimal("2.7")  # 8 / 3


# --- Projects ---------------------------------------------------------------------------------


def test_projects_running_in_the_period_with_their_rungs_and_movement(figures):
    rows = {row.title: row for row in figures.projects.rows}
    # The waiting room project was completed before the period.
    assert list(rows) == ["Birth trauma leaflet", "Welcome pack", "Interview panels"]
    leaflet = rows["Birth trauma leaflet"]
    # Rung 4 from January; up to 5 on 1 May; up to 6 on 15 July (after the period).
    assert (leaflet.rung_at_start, leaflet.rung_at_end, leaflet.rung_target) == (4, 5, 7)
    assert leaflet.movement_text == "Up 1 rung"
    assert leaflet.changes_in_period == 1
    assert leaflet.rung_at_end_label == "5. Engagement"
    # N11, A, B, N1, N2 (D joined after the period).
    assert leaflet.members_involved.shown == "5"
    welcome = rows["Welcome pack"]
    assert (welcome.rung_at_start_label, welcome.rung_at_end_label, welcome.movement_text) == (
        "Not recorded",
        "3. Informing",
        "Not known",
    )
    assert welcome.members_involved.shown == "0"
    panels = rows["Interview panels"]
    assert (panels.rung_at_start, panels.rung_at_end, panels.movement_text) == (4, 4, "No change")
    assert panels.members_involved.shown == FEWER
    assert (figures.projects.moved_up, figures.projects.moved_down, figures.projects.reached_target) == (1, 0, 1)


# --- Library ----------------------------------------------------------------------------------


def test_resources_first_published_in_the_period_and_revisions(figures):
    library = figures.library
    assert [(r.title, r.format, r.first_published_on, r.credited.shown) for r in library.published] == [
        ("Feeling low after having a baby", "Leaflet", dt.date(2025, 5, 5), "5")
    ]
    assert library.revised == 1


def test_review_rounds_closed_in_the_period_with_suppressed_counts(figures):
    # Round 1 closed at its deadline on 10 May: 2 reviewers sent 3 points, 2 acted on.
    # Round 2 was closed early on 2 July: not in the period.
    (reviewed,) = figures.library.reviewed
    assert (reviewed.title, reviewed.closed_on) == ("After a difficult birth", dt.date(2025, 5, 10))
    assert (reviewed.reviewers.shown, reviewed.points.shown, reviewed.acted_on.shown) == (FEWER, FEWER, FEWER)


def test_reach_counts_views_and_downloads_in_the_periods_months(figures):
    library = figures.library
    assert (library.total_views, library.total_downloads, library.resources_read) == (50, 6, 1)
    assert [(r.title, r.views, r.downloads) for r in library.reach] == [("Feeling low after having a baby", 50, 6)]


# --- Surveys ----------------------------------------------------------------------------------


def test_surveys_run_in_the_period_with_responses_sent_in_it(figures):
    rows = {row.title: row for row in figures.surveys}
    # Not the survey in member review, nor last winter's.
    assert list(rows) == ["Your experience of the service", "Group meeting times"]
    experience = rows["Your experience of the service"]
    assert experience.responses.shown == "7"  # not the one sent on 2 July, nor the draft
    assert (experience.opened_on, experience.closed_on) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert rows["Group meeting times"].responses.shown == FEWER


def test_key_results_give_the_top_answer_and_its_share_only_with_5_or_more_answers(figures):
    rows = {row.title: row for row in figures.surveys}
    # Only one-answer questions: the multiple choice and the text question are left out.
    (overall,) = rows["Your experience of the service"].key_results
    # Good 5 of 7 = 71%.
    assert (overall.question, overall.answer, overall.count.shown, overall.share) == (
        "Overall, how was the service?",
        "Good",
        "5",
        "71%",
    )
    (times,) = rows["Group meeting times"].key_results
    assert not times.shown and times.share == "" and times.answered.shown == FEWER


def test_no_free_text_answer_is_in_the_figures(figures):
    assert SECRET_ANSWER not in repr(figures)


# --- You said, we did, and quotes -------------------------------------------------------------


def test_you_said_we_did_items_closed_in_the_period_and_counts_by_status(figures):
    impact = figures.impact
    assert [(item.you_said, item.status, item.closed_on) for item in impact.items] == [
        ("The meeting room was too cold.", "Done", dt.date(2025, 5, 20)),
        ("Please hold meetings at weekends.", "Not possible", dt.date(2025, 6, 30)),
    ]
    assert impact.items[1].why_not_possible == "The building is closed at weekends."
    assert impact.items[0].project == "Birth trauma leaflet"
    assert (impact.raised, impact.done, impact.not_possible, impact.open_at_end) == (3, 1, 1, 2)


def test_only_quotes_whose_member_agrees_now_are_used_and_never_with_a_name(counted, figures):
    assert [(quote.text, quote.said_on) for quote in figures.quotes] == [(QUOTE_USED, dt.date(2025, 5, 1))]
    names = [name for name, _ in counted["people"]]
    assert not any(name in repr(figures.quotes) for name in names)


def test_no_member_name_or_email_is_anywhere_in_the_figures(counted, figures):
    text = repr(figures)
    for name, email in counted["people"]:
        assert name not in text
        assert email not in text


# --- Progress and the methods note ------------------------------------------------------------


def test_progress_is_told_each_stage_in_order(counted):
    total = len(STAGES)
    assert counted["steps"] == [(n, total, title) for n, title in enumerate(STAGES, 1)]


def test_the_methods_note_explains_each_headline_figure(figures):
    explained = {figure for figure, _ in figures.methods}
    for figure in ("Active members", "Joined", "Left", "People involved at least once", "Hours of involvement"):
        assert figure in explained
    assert all(how.endswith(".") for _, how in figures.methods)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        period_figures(dt.date(2025, 6, 30), dt.date(2025, 4, 1))
