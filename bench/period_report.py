"""How long the yearly involvement report takes to make, and how many queries it needs, at two
sizes of group: the demo group, then the demo group with many more members, meetings,
registrations and survey responses added.

    make bench-report     (or: .venv/bin/python -m bench.period_report --members 2000)

Makes a throwaway test database (PostgreSQL when DATABASE_URL is set, otherwise SQLite), seeds
the demo group, and times `involvement.reports.build_report` for the last 12 months: the figures
alone, then the whole PDF. Then adds the synthetic members (each with equality answers and
history), a year of meetings with registrations, and survey responses, and times it again.
Prints the times and the query counts; the query counts should be the same at both sizes.
Not a test: pytest never collects this folder, and nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    # The test settings whatever the shell says (the Makefile exports the development ones):
    # a throwaway database, the demo tools, no real messages.
    os.environ["DJANGO_SETTINGS_MODULE"] = "involvement.settings.test"
    import django

    django.setup()


def _measure(label: str, start: dt.date, end: dt.date) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from involvement.models import ReportRun
    from involvement.reporting.period import period_figures
    from involvement.reports import build_report

    with CaptureQueriesContext(connection) as figures_queries:
        began = time.perf_counter()
        figures = period_figures(start, end)
        figures_seconds = time.perf_counter() - began
    with CaptureQueriesContext(connection) as report_queries:
        began = time.perf_counter()
        content = build_report(ReportRun(kind=ReportRun.Kind.PERIOD, start=start, end=end))
        report_seconds = time.perf_counter() - began
    return {
        "label": label,
        "members": figures.headline.active_members,
        "attendances": figures.headline.attendances,
        "responses": sum(survey.responses.value or 0 for survey in figures.surveys),
        "figures_seconds": figures_seconds,
        "figures_queries": len(figures_queries.captured_queries),
        "report_seconds": report_seconds,
        "report_queries": len(report_queries.captured_queries),
        "pdf_kilobytes": len(content) // 1024,
    }


def _grow(members: int, start: dt.date, end: dt.date) -> None:
    """Adds ``members`` active members (with history and equality answers), a meeting every
    fortnight of the period with about half of them registered, and a survey answered by each."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from meetings.models import Meeting, Registration
    from members.models import EqualityMonitoring, Member, User
    from surveys.models import Answer, Choice, Question, Response, Section, Survey

    rng = random.Random(11)  # noqa: S311 - made-up data, the same each run
    joined = timezone.now() - dt.timedelta(days=800)
    users = User.objects.bulk_create(
        [User(email=f"bench.report.{n}@example.org", name=f"Bench person {n}") for n in range(members)]
    )
    relationships = [value for value, _ in Member.Relationship.choices] + [""]
    topics = [value for value, _ in Member.Topic.choices]
    people = bulk_create_with_history(
        [
            Member(
                user=user,
                status=Member.Status.ACTIVE,
                joined_at=joined,
                status_changed_at=joined,
                onboarding_step=len(Member.ONBOARDING_STEPS),
                onboarding_completed_at=joined,
                relationship=rng.choice(relationships),
                topics=rng.sample(topics, rng.randint(0, 2)),
                heard_about=rng.choice([value for value, _ in Member.HeardAbout.choices]),
            )
            for user in users
        ],
        Member,
        batch_size=500,
    )
    ages = [value for value, _ in EqualityMonitoring.AgeBand.choices]
    EqualityMonitoring.objects.bulk_create(
        [EqualityMonitoring(key=member.equality_key, age_band=rng.choice(ages)) for member in people],
        batch_size=500,
    )
    meetings = []
    day = start
    while day <= end:
        starts = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10))
        if starts + dt.timedelta(hours=2) <= timezone.now():
            meetings.append(
                Meeting(
                    title=f"Bench meeting {day:%d %b}",
                    kind=rng.choice([value for value, _ in Meeting.Kind.choices]),
                    mode=Meeting.Mode.ONLINE,
                    online_link="https://meet.example.org/bench",
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2),
                    capacity=members,
                )
            )
        day += dt.timedelta(days=14)
    meetings = Meeting.objects.bulk_create(meetings)
    registrations = [
        Registration(meeting=meeting, member=member, status=Registration.Status.REGISTERED)
        for meeting in meetings
        for member in people
        if rng.random() < 0.5
    ]
    Registration.objects.bulk_create(registrations, batch_size=1000)
    survey = Survey.objects.create(
        title="Bench survey",
        status=Survey.Status.OPEN,
        opens_at=timezone.make_aware(dt.datetime(start.year, start.month, start.day)),
    )
    question = Question.objects.create(
        section=Section.objects.create(survey=survey, title="Bench"),
        text="Was it good?",
        kind=Question.Kind.SINGLE_CHOICE,
    )
    choices = [Choice.objects.create(question=question, label=label, order=n) for n, label in enumerate(["Yes", "No"])]
    responses = Response.objects.bulk_create(
        [Response(survey=survey, submitted_on=start + dt.timedelta(days=n % 300)) for n in range(members)],
        batch_size=1000,
    )
    Answer.objects.bulk_create(
        [Answer(response=response, question=question, choice=rng.choice(choices)) for response in responses],
        batch_size=1000,
    )
    print(
        f"  added {members} members, {len(meetings)} meetings, {len(registrations)} registrations, {members} responses"
    )


def _print(row: dict) -> None:
    print(
        f"{row['label']:<24} members {row['members']:>6}  attendances {row['attendances']:>7}  "
        f"responses {row['responses']:>6}  figures {row['figures_seconds']:6.2f}s {row['figures_queries']:>3} queries  "
        f"report {row['report_seconds']:6.2f}s {row['report_queries']:>3} queries  {row['pdf_kilobytes']} KB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=2000, help="members to add for the larger size")
    args = parser.parse_args()
    _setup_django()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its progress lines, not ours

    from django.core.management import call_command
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone

    print("Making a throwaway database and seeding the demo group…")
    config = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("seed_demo", stdout=io.StringIO())
        end = timezone.localdate()
        start = end.replace(year=end.year - 1) + dt.timedelta(days=1)
        print(f"The involvement report for {start} to {end}:")
        rows = [_measure("demo group", start, end)]
        _print(rows[0])
        _grow(args.members, start, end)
        rows.append(_measure(f"demo + {args.members} members", start, end))
        _print(rows[1])
        same = rows[0]["report_queries"] == rows[1]["report_queries"]
        print("Queries the same at both sizes." if same else "Queries differ between the sizes: look into it.")
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
