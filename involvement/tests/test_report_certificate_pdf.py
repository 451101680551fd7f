"""The certificate of involvement: a member's own record of what they did, with dates and hours,
for a CV or a job application. It carries their name; it says nothing about why they joined.

The world, for 1 April 2025 to 31 March 2026, counted by hand:

- Meetings: a group meeting on 10 May 2025, 10am to midday (2 hours), and a focus group that
  touches on painful experiences on 15 June 2025, 6pm to 7:30pm (1.5 hours) — listed as "Focus
  group", not by its title. Not counted: a meeting they did not come to (register taken), a
  cancelled one, and one in 2024 (before the period). Total 3.5 hours.
- A draft reviewed on 1 August 2025, and a resource they helped write, published 1 September 2025.
- A survey whose questions they commented on, on 1 October 2025.
- A project they were part of (started 1 May 2025).
- Training completed on 20 April 2025 (and one in 2023, outside the period).
- Another member's meeting is not on this certificate.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from involvement.models import Project, ProjectMember, ReportRun
from involvement.reporting.certificate import certificate_figures, hours_between, hours_text
from involvement.reports import SECTIONS, build_report, report_filename
from library.models import Resource
from library.tests.factories import credit, draft_in_review, published_resource
from meetings.models import Registration
from meetings.tests.factories import MeetingFactory, RegistrationFactory, group_profile, london
from members.tests.factories import MemberFactory, TrainingCourseFactory, TrainingRecordFactory, UserFactory
from surveys.models import ReviewComment
from surveys.tests.factories import partners_survey

from .report_pdfs import Pdf, module_world

# The world is made once, in the module's fixture; the mark has the test database set up for it.
pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 4, 1), dt.date(2026, 3, 31)


def make_member():
    group_profile(
        name="Riverside Parents Voice", contact_email="involve@riverside.example", contact_phone="01632 960000"
    )
    person = MemberFactory(
        user=UserFactory(email="rowan.ashdown@example.org", name="Rowan Ashdown"),
        active=True,
        joined_at=london(2024, 3, 1, 12),
    )
    other = MemberFactory(user=UserFactory(email="someone.else@example.org", name="Someone Else"), active=True)

    def took_part(title, starts_at, hours, *, status=Registration.Status.REGISTERED, who=person, **fields):
        meeting = MeetingFactory(
            title=title, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=hours), **fields
        )
        RegistrationFactory(meeting=meeting, member=who, status=status)
        return meeting

    took_part("Spring group meeting", london(2025, 5, 10, 10), 2)
    took_part("Experiences of birth trauma", london(2025, 6, 15, 18), 1.5, sensitive=True)
    missed = took_part("Summer planning", london(2025, 7, 1, 10), 2, status=Registration.Status.NO_SHOW)
    missed.attendance_taken_at = london(2025, 7, 1, 13)
    missed.save(update_fields=["attendance_taken_at"])
    took_part("Cancelled meeting", london(2025, 8, 1, 10), 2, cancelled=True)
    took_part("Welcome meeting", london(2024, 3, 20, 10), 2)
    took_part("Another member's meeting", london(2025, 9, 9, 10), 3, who=other)

    review = draft_in_review(members=[person], title="Feeling low after having a baby")
    review.invitations.filter(member=person).update(responded_at=london(2025, 8, 1, 15))
    written = published_resource(title="Your first weeks at home")
    Resource.objects.filter(pk=written.pk).update(first_published_at=london(2025, 9, 1, 9))
    credit(written, person)

    w = partners_survey(title="Your time with the perinatal team", review=True)
    comment = ReviewComment.objects.create(question=w["who"], member=person, concerns=["unclear"])
    ReviewComment.objects.filter(pk=comment.pk).update(created_at=london(2025, 10, 1, 11))

    project = Project.objects.create(title="Co-producing the birth trauma leaflet", started_on=dt.date(2025, 5, 1))
    ProjectMember.objects.create(project=project, member=person, role="Helped write the leaflet")

    TrainingRecordFactory(
        member=person, course=TrainingCourseFactory(name="Safeguarding basics"), completed_on=dt.date(2025, 4, 20)
    )
    TrainingRecordFactory(
        member=person, course=TrainingCourseFactory(name="Old course"), completed_on=dt.date(2023, 6, 1)
    )
    return person


@pytest.fixture(scope="module")
def certificate(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker):
        with django_db_blocker.unblock():
            person = make_member()
            run = ReportRun(kind=ReportRun.Kind.CERTIFICATE, member=person, start=START, end=END)
            steps = []
            content = build_report(run, lambda n, total, title: steps.append((n, total, title)))
            world = {"steps": steps, "filename": report_filename(run)}
        yield Pdf(content, world)


def test_the_pdf_has_more_than_one_page_a_title_a_language_and_tags(certificate):
    assert len(certificate.reader.pages) > 2
    assert certificate.title == "Certificate of involvement: 1 April 2025 to 31 March 2026"
    assert certificate.root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in certificate.root


def test_the_certificate_carries_the_members_name_and_the_group(certificate):
    cover = certificate.pages[0]
    assert "Rowan Ashdown" in cover
    assert "Riverside Parents Voice" in cover
    assert "1 April 2025 to 31 March 2026" in cover
    assert "Rowan Ashdown has been a member of Riverside Parents Voice since 1 March 2024." in certificate.text


def test_page_numbers_and_contents(certificate):
    total = len(certificate.reader.pages)
    assert certificate.page_numbers_in_footers() == [(n, total) for n in range(2, total + 1)]
    for title in SECTIONS["certificate"]:
        assert title in certificate.pages[1]


def test_the_meetings_they_took_part_in_with_dates_and_hours(certificate):
    text = certificate.text
    assert "10 May 2025 Spring group meeting Group meeting 2 hours" in text
    assert "15 June 2025 Focus group Focus group 1.5 hours" in text
    assert "Hours of involvement in meetings and activities 3.5 hours" in text
    assert "Meetings and activities taken part in 2" in text
    for not_counted in ("Summer planning", "Cancelled meeting", "Welcome meeting", "Another member's meeting"):
        assert not_counted not in text


def test_a_sensitive_meetings_title_is_not_on_the_certificate(certificate):
    assert "birth trauma" not in certificate.text.replace("the birth trauma leaflet", "")


def test_resources_surveys_projects_and_training(certificate):
    text = certificate.text
    assert "1 August 2025 Feeling low after having a baby Reviewed a draft" in text
    assert "1 September 2025 Your first weeks at home Helped write it" in text
    assert "1 October 2025 Your time with the perinatal team Checked the questions" in text
    assert "Co-producing the birth trauma leaflet Helped write the leaflet" in text
    assert "20 April 2025 Safeguarding basics Completed" in text
    assert "Old course" not in text


def test_it_is_signed_off_with_the_groups_contacts(certificate):
    confirmation = certificate.text[certificate.text.index("We confirm that Rowan Ashdown") :]
    assert "Issued by Riverside Parents Voice." in confirmation
    assert "involve@riverside.example" in confirmation
    assert "01632 960000" in confirmation


def test_progress_and_a_file_name_without_the_members_name(certificate):
    titles = SECTIONS["certificate"]
    assert certificate.world["steps"] == [(n, len(titles), title) for n, title in enumerate(titles, 1)]
    assert certificate.world["filename"] == "certificate-of-involvement-2025-04-01-to-2026-03-31.pdf"


def test_with_no_period_everything_they_did_counts(certificate):
    # The member the module's fixture made (made again here, the email would clash).
    person = MemberFactory._meta.model.objects.get(user__email="rowan.ashdown@example.org")
    figures = certificate_figures(person)
    assert [activity.title for activity in figures.meetings] == [
        "Welcome meeting",
        "Spring group meeting",
        "Focus group",
    ]
    assert figures.hours == Decimal("5.5")
    assert {activity.title for activity in figures.training} == {"Safeguarding basics", "Old course"}
    assert figures.start == dt.date(2024, 3, 1)


def test_hours_are_counted_to_the_quarter_hour_and_written_plainly():
    start = london(2025, 5, 10, 10)
    assert hours_between(start, start + dt.timedelta(minutes=90)) == Decimal("1.5")
    assert hours_between(start, start + dt.timedelta(minutes=50)) == Decimal("0.75")
    assert hours_text(Decimal("2")) == "2 hours"
    assert hours_text(Decimal("1")) == "1 hour"
    assert hours_text(Decimal("0.75")) == "0.75 hours"
    assert hours_text(Decimal("10")) == "10 hours"


@pytest.mark.parametrize("meetings", [2, 20])
def test_the_figures_take_the_same_number_of_queries_however_much_they_did(db, meetings, django_assert_max_num_queries):
    person = MemberFactory(active=True)
    for n in range(meetings):
        meeting = MeetingFactory(starts_at=london(2025, 5, 1, 10) + dt.timedelta(days=n))
        RegistrationFactory(meeting=meeting, member=person)
        TrainingRecordFactory(
            member=person, course=TrainingCourseFactory(name=f"Course {n}"), completed_on=dt.date(2025, 5, 1)
        )
    person = type(person).objects.select_related("user").get(pk=person.pk)
    with django_assert_max_num_queries(6):
        figures = certificate_figures(person, START, END)
    assert len(figures.meetings) == meetings
