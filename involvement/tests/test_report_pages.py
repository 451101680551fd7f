"""The Reports pages (involvement/report_views.py): who may ask for and see which report, the
form's messages, the progress page that refreshes itself, downloads, and the commissioner's
landing page and navigation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from involvement import report_views
from involvement.models import ReportRun
from members.tests.factories import DEFAULT_PASSWORD, CommissionerFactory, CoordinatorFactory, MemberFactory
from members.tests.totp import activate_totp, client_with_two_step, current_code
from surveys.tests.factories import SurveyFactory

from .project_factories import project

pytestmark = pytest.mark.django_db

Kind = ReportRun.Kind
Status = ReportRun.Status
HOME = reverse("reports:home")
TODAY = dt.date(2026, 5, 20)


def ready_run(**fields) -> ReportRun:
    run = ReportRun.objects.create(status=Status.READY, finished_at=timezone.now(), **fields)
    run.file.save("report.pdf", ContentFile(b"%PDF-1.7 a report"))
    ReportRun.objects.filter(pk=run.pk).update(file_size=run.file.size)
    run.refresh_from_db()
    return run


def period_run(**fields) -> ReportRun:
    return ReportRun.objects.create(kind=Kind.PERIOD, start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31), **fields)


def certificate_for(user) -> ReportRun:
    member = MemberFactory(user=user, active=True)
    return ready_run(kind=Kind.CERTIFICATE, member=member, requested_by=user)


def page(response) -> str:
    return response.content.decode()


# --- Who may use the pages ------------------------------------------------------------------------


def test_logged_out_visitors_are_sent_to_log_in(anonymous):
    run = period_run()
    for url in (HOME, reverse("reports:run", args=[run.pk]), reverse("reports:download", args=[run.pk])):
        response = anonymous.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"], url


def test_members_cannot_ask_for_reports_or_see_shared_ones(member_client, member):
    MemberFactory(user=member, active=True)
    run = ready_run(kind=Kind.PERIOD, start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31))
    assert member_client.get(HOME).status_code == 403
    assert member_client.post(HOME, {"kind": "period", "period": "last_quarter"}).status_code == 403
    for name in ("reports:run", "reports:download"):
        assert member_client.get(reverse(name, args=[run.pk])).status_code == 404
    assert member_client.post(reverse("reports:retry", args=[run.pk])).status_code == 404
    assert not ReportRun.objects.exclude(pk=run.pk).exists()


def test_commissioners_see_every_shared_run_but_never_a_certificate(commissioner_client, member):
    other = CommissionerFactory(email="another.commissioner@example.org")
    shared = ready_run(kind=Kind.PERIOD, start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31), requested_by=other)
    certificate = certificate_for(member)

    listing = page(commissioner_client.get(HOME))

    assert f'href="{reverse("reports:download", args=[shared.pk])}"' in listing
    assert "by someone else" in listing
    assert "Certificate of involvement" not in listing
    for name in ("reports:run", "reports:download"):
        assert commissioner_client.get(reverse(name, args=[shared.pk])).status_code == 200
        assert commissioner_client.get(reverse(name, args=[certificate.pk])).status_code == 404
    assert commissioner_client.post(reverse("reports:retry", args=[certificate.pk])).status_code == 404


def test_commissioners_cannot_ask_for_a_certificate(commissioner_client, member):
    member_record = MemberFactory(user=member, active=True)
    form = page(commissioner_client.get(HOME))
    assert 'value="certificate"' not in form and 'name="member"' not in form

    response = commissioner_client.post(HOME, {"kind": "certificate", "member": member_record.pk})

    assert response.status_code == 200
    assert "Choose which report you need" in page(response)
    assert not ReportRun.objects.exists()


def test_coordinators_see_every_run_and_can_make_a_certificate_for_a_member(coordinator_client, coordinator, member):
    member_record = MemberFactory(user=member, active=True)
    certificate = certificate_for(member)
    listing = page(coordinator_client.get(f"{HOME}?kind=certificate&member={member_record.pk}"))
    assert f'href="{reverse("reports:run", args=[certificate.pk])}"' in listing
    assert f'<option value="{member_record.pk}" selected>' in listing

    response = coordinator_client.post(HOME, {"kind": "certificate", "member": member_record.pk})

    run = ReportRun.objects.exclude(pk=certificate.pk).get()
    assert response["Location"] == reverse("reports:run", args=[run.pk])
    assert (run.kind, run.member, run.requested_by, run.status) == (
        Kind.CERTIFICATE,
        member_record,
        coordinator,
        "queued",
    )
    assert coordinator_client.get(reverse("reports:download", args=[certificate.pk])).status_code == 200


def test_a_member_asks_for_their_own_certificate_and_only_they_see_it(member, other_member, coordinator):
    member_record = MemberFactory(user=member, active=True)
    client = Client()
    client.force_login(member)

    response = client.post(reverse("reports:certificate"))

    run = ReportRun.objects.get()
    assert response["Location"] == reverse("reports:run", args=[run.pk])
    assert (run.kind, run.member, run.requested_by) == (Kind.CERTIFICATE, member_record, member)
    assert client.get(reverse("reports:run", args=[run.pk])).status_code == 200
    assert f'href="{reverse("reports:run", args=[run.pk])}"' in page(client.get(reverse("reports:certificate")))

    MemberFactory(user=other_member, active=True)
    other = Client()
    other.force_login(other_member)
    for name in ("reports:run", "reports:download"):
        assert other.get(reverse(name, args=[run.pk])).status_code == 404
    assert other.post(reverse("reports:retry", args=[run.pk])).status_code == 404
    assert f'href="{reverse("reports:run", args=[run.pk])}"' not in page(other.get(reverse("reports:certificate")))


def test_commissioners_and_staff_without_a_member_record_have_no_certificate_page(commissioner_client):
    assert commissioner_client.get(reverse("reports:certificate")).status_code == 403
    assert commissioner_client.post(reverse("reports:certificate")).status_code == 403
    assert not ReportRun.objects.exists()


def test_members_find_the_certificate_on_their_dashboard(member):
    MemberFactory(user=member, active=True)
    client = Client()
    client.force_login(member)
    assert f'href="{reverse("reports:certificate")}"' in page(client.get(reverse("members:dashboard")))


# --- Asking for a report ----------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize(
    "choice, start, end",
    [
        ("last_quarter", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("last_financial_year", dt.date(2025, 4, 1), dt.date(2026, 3, 31)),
        ("last_12_months", dt.date(2025, 5, 21), dt.date(2026, 5, 20)),
    ],
)
def test_a_quick_period_choice_asks_for_those_dates(commissioner_client, commissioner, choice, start, end):
    response = commissioner_client.post(HOME, {"kind": "period", "period": choice})

    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert (run.kind, run.start, run.end, run.requested_by) == (Kind.PERIOD, start, end, commissioner)


@time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False)
def test_typed_dates_are_asked_for(coordinator_client):
    coordinator_client.post(
        HOME,
        {
            "kind": "period",
            "period": "dates",
            **{"start_day": "1", "start_month": "9", "start_year": "2025"},
            **{"end_day": "28", "end_month": "2", "end_year": "2026"},
        },
    )
    run = ReportRun.objects.get()
    assert (run.start, run.end) == (dt.date(2025, 9, 1), dt.date(2026, 2, 28))


def _errors(html: str) -> dict[str, str]:
    """Each inline error message, by the id of the field's group ("start", "project"…)."""
    return dict(re.findall(r'id="id_(\w+?)(?:_day)?-error"[^>]*>\s*<span[^>]*>Error:</span>\s*([^<]+)', html))


@time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False)
def test_an_end_before_the_start_is_explained_by_the_field_and_nothing_typed_is_lost(coordinator_client):
    response = coordinator_client.post(
        HOME,
        {
            "kind": "period",
            "period": "dates",
            **{"start_day": "1", "start_month": "3", "start_year": "2026"},
            **{"end_day": "1", "end_month": "1", "end_year": "2026"},
        },
    )
    html = page(response)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The end date must be the same as or after the start date" in html
    assert re.search(r'name="start_month"[^>]*value="3"|value="3"[^>]*name="start_month"', html)
    assert re.search(r'name="end_day"[^>]*value="1"|value="1"[^>]*name="end_day"', html)
    assert re.search(r'value="dates"[^>]*checked', html)
    assert not ReportRun.objects.exists()


@time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False)
def test_dates_in_the_future_missing_dates_and_nonsense_are_refused_by_the_field(coordinator_client):
    future = coordinator_client.post(
        HOME,
        {
            "kind": "period",
            "period": "dates",
            **{"start_day": "1", "start_month": "4", "start_year": "2026"},
            **{"end_day": "31", "end_month": "3", "end_year": "2027"},
        },
    )
    assert "The end date must be today or in the past" in page(future)
    missing = coordinator_client.post(HOME, {"kind": "period", "period": "dates", "start_day": "x"})
    html = page(missing)
    assert "Enter the end date" in html
    assert "must include a month and year" in html or "must be a real date" in html
    no_period = coordinator_client.post(HOME, {"kind": "period"})
    assert "Choose a period" in page(no_period)
    nothing = coordinator_client.post(HOME, {})
    assert "Choose which report you need" in page(nothing)
    assert not ReportRun.objects.exists()


def test_a_project_or_survey_must_be_chosen_from_the_list(coordinator_client):
    for kind, message in (("project", "Choose a project"), ("survey", "Choose a survey")):
        assert message in page(coordinator_client.post(HOME, {"kind": kind}))
    assert "Choose a project from the list" in page(
        coordinator_client.post(HOME, {"kind": "project", "project": "999"})
    )
    assert not ReportRun.objects.exists()


def test_only_surveys_that_have_opened_are_offered_by_title(commissioner_client, commissioner):
    opened = SurveyFactory(title="Feedback on the new clinic", closed=True)
    SurveyFactory(title="Still a draft", draft=True)
    SurveyFactory(title="Opens next month", opens_at=timezone.now() + dt.timedelta(days=30))
    the_project = project(title="Better letters")
    html = page(commissioner_client.get(HOME))
    assert "Feedback on the new clinic" in html and "Better letters" in html
    assert "Still a draft" not in html and "Opens next month" not in html

    commissioner_client.post(HOME, {"kind": "survey", "survey": opened.pk, "project": the_project.pk})

    run = ReportRun.objects.get()
    assert (run.kind, run.survey, run.project) == (Kind.SURVEY, opened, None)


def test_asking_for_too_many_reports_is_refused_with_a_message(commissioner_client, monkeypatch):
    monkeypatch.setattr(report_views, "REQUEST_LIMIT", 2)
    the_project = project()
    for _ in range(2):
        assert commissioner_client.post(HOME, {"kind": "project", "project": the_project.pk}).status_code == 302

    response = commissioner_client.post(HOME, {"kind": "project", "project": the_project.pk})

    assert response.status_code == 429
    assert "You have asked for a lot of reports in the last hour" in page(response)
    assert ReportRun.objects.count() == 2


# --- The progress page ---------------------------------------------------------------------------


def refreshes(response) -> bool:
    """Whether the page asks the browser to load it again by itself (the HTTP Refresh header)."""
    return response.get("Refresh") == "3"


def test_the_progress_page_refreshes_itself_while_waiting_and_working(commissioner_client):
    run = period_run()
    url = reverse("reports:run", args=[run.pk])
    response = commissioner_client.get(url)
    html = page(response)
    assert refreshes(response) and "Waiting to start." in html
    assert "http-equiv" not in html
    assert f'<a href="{url}">Check again</a>' in html

    ReportRun.objects.filter(pk=run.pk).update(
        status=Status.WORKING, started_at=timezone.now(), section=2, sections_total=5, section_title="Meetings"
    )
    response = commissioner_client.get(url)
    html = page(response)
    assert refreshes(response)
    status = re.search(r'<div role="status" aria-live="polite"[^>]*>(.*?)</div>', html, re.S)[1]
    assert " ".join(re.sub("<[^>]+>", "", status).split()) == "Working on section 2 of 5: Meetings"


def test_the_refreshing_can_be_turned_off_and_on_again_from_the_page(commissioner_client):
    run = period_run(status=Status.WORKING, started_at=timezone.now())
    url = reverse("reports:run", args=[run.pk])
    assert f'<a href="{url}?refresh=off">Stop checking by itself</a>' in page(commissioner_client.get(url))

    response = commissioner_client.get(f"{url}?refresh=off")
    html = page(response)

    assert not refreshes(response)
    assert f'<a href="{url}?refresh=off">Check again</a>' in html
    assert f'<a href="{url}">Check every few seconds by itself</a>' in html


def test_the_progress_page_stops_refreshing_when_ready_or_failed(coordinator_client):
    ready = ready_run(kind=Kind.PERIOD, start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31))
    response = coordinator_client.get(reverse("reports:run", args=[ready.pk]))
    html = page(response)
    assert not refreshes(response)
    assert f'href="{reverse("reports:download", args=[ready.pk])}"' in html

    failed = period_run(status=Status.FAILED, error="Could not make the report: KeyError: 'x'")
    response = coordinator_client.get(reverse("reports:run", args=[failed.pk]))
    html = page(response)
    assert not refreshes(response)
    assert "This report could not be made." in html
    assert f'action="{reverse("reports:retry", args=[failed.pk])}"' in html
    assert "KeyError" in html  # coordinators see what went wrong


def test_commissioners_see_no_technical_error(commissioner_client):
    failed = period_run(status=Status.FAILED, error="Could not make the report: KeyError: 'x'")
    html = page(commissioner_client.get(reverse("reports:run", args=[failed.pk])))
    assert "This report could not be made." in html and "KeyError" not in html


def test_a_stuck_run_says_so_stops_refreshing_and_offers_to_try_again(commissioner_client, commissioner):
    run = period_run()
    ReportRun.objects.filter(pk=run.pk).update(requested_at=timezone.now() - dt.timedelta(minutes=45))
    url = reverse("reports:run", args=[run.pk])

    response = commissioner_client.get(url)
    html = page(response)

    assert not refreshes(response)
    assert "This report has not finished." in html
    response = commissioner_client.post(reverse("reports:retry", args=[run.pk]))
    again = ReportRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == reverse("reports:run", args=[again.pk])
    assert (again.start, again.end, again.requested_by) == (run.start, run.end, commissioner)


def test_trying_again_a_run_that_is_fine_does_nothing(commissioner_client):
    run = period_run()
    response = commissioner_client.post(reverse("reports:retry", args=[run.pk]))
    assert response["Location"] == reverse("reports:run", args=[run.pk])
    assert ReportRun.objects.count() == 1
    assert commissioner_client.get(reverse("reports:retry", args=[run.pk])).status_code == 405


# --- Downloads ----------------------------------------------------------------------------------


def test_a_ready_report_downloads_as_a_pdf_attachment_with_its_readable_name(commissioner_client):
    run = ready_run(kind=Kind.PERIOD, start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31))

    response = commissioner_client.get(reverse("reports:download", args=[run.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == ('attachment; filename="involvement-report-2025-04-01-to-2026-03-31.pdf"')
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"%PDF-1.7 a report"


def test_a_report_not_ready_yet_has_nothing_to_download(commissioner_client):
    for status in (Status.QUEUED, Status.WORKING, Status.FAILED):
        run = period_run(status=status)
        assert commissioner_client.get(reverse("reports:download", args=[run.pk])).status_code == 404


# --- The list --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["commissioner", "coordinator"])
def test_the_list_of_reports_costs_the_same_queries_for_3_and_60_runs(persona, request, django_assert_max_num_queries):
    client = request.getfixturevalue(f"{persona}_client")
    asker = CoordinatorFactory(email="asker@example.org")
    the_project, survey = project(), SurveyFactory(closed=True)

    def runs(count: int) -> None:
        for n in range(count):
            kind = [Kind.PERIOD, Kind.PROJECT, Kind.SURVEY, Kind.CERTIFICATE][n % 4]
            ReportRun.objects.create(
                kind=kind,
                start=dt.date(2025, 4, 1) if kind == Kind.PERIOD else None,
                end=dt.date(2026, 3, 31) if kind == Kind.PERIOD else None,
                project=the_project if kind == Kind.PROJECT else None,
                survey=survey if kind == Kind.SURVEY else None,
                member=MemberFactory() if kind == Kind.CERTIFICATE else None,
                requested_by=asker,
                status=[Status.READY, Status.FAILED, Status.QUEUED][n % 3],
            )

    runs(3)
    client.get(HOME)  # the session and cached facts, as on any later page
    with django_assert_max_num_queries(12) as small:
        assert client.get(HOME).status_code == 200
    runs(57)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(HOME)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert 'aria-label="Pages of reports"' in page(response)


# --- The commissioner's landing page and navigation -----------------------------------------------


def test_a_commissioner_lands_on_the_reports_page_after_logging_in(commissioner):
    activate_totp(commissioner)
    client = Client()
    response = client.post(reverse("account_login"), {"login": commissioner.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")

    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_a_commissioner_without_two_step_is_sent_to_set_it_up_first(commissioner):
    client = Client()
    client.force_login(commissioner)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))


def _navigation(html: str) -> list[str]:
    nav = re.search(r'<nav class="nhsuk-header__navigation".*?</nav>', html, re.S)[0]
    return [" ".join(re.sub("<[^>]+>", "", label).split()) for label in re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)]


def test_a_commissioners_navigation_is_reports_and_their_account(commissioner_client):
    labels = _navigation(page(commissioner_client.get(HOME)))
    assert labels == ["Reports", "Account", "Two-step security", "Log out"]


def test_coordinators_have_reports_in_their_navigation(coordinator_client):
    assert "Reports" in _navigation(page(coordinator_client.get(HOME)))


def test_a_commissioner_who_is_also_a_coordinator_gets_only_reports(coordinator):
    from django.contrib.auth.models import Group

    from members.roles import COMMISSIONERS

    coordinator.groups.add(Group.objects.get(name=COMMISSIONERS))
    client = client_with_two_step(coordinator)
    assert _navigation(page(client.get(HOME))) == ["Reports", "Account", "Two-step security", "Log out"]
    assert "Certificate of involvement" not in page(client.get(HOME))
