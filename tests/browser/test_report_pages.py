"""The Reports pages in a real Chromium: axe-core finds nothing to fix (WCAG 2.2 A and AA) on the
Reports page (with past runs of every status, and with a form sent with mistakes) and on a
run's progress page while it is being made, once it has failed and once it is ready, at 320px
and 1280px with nothing scrolling sideways; and the progress page, with JavaScript off, moves on
by itself from "being made" to "ready".
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from .conftest import NARROW, WIDTHS
from .test_accessibility import check_page
from .test_admin_accessibility import log_in_with_two_step

pytestmark = pytest.mark.browser


@pytest.fixture
def reports(group_profile):
    """A coordinator, a commissioner, a project, a survey, and runs waiting, being made, failed
    and ready."""
    from involvement.models import ReportRun
    from involvement.tests.project_factories import project
    from members.tests.factories import CommissionerFactory, CoordinatorFactory, MemberFactory
    from surveys.tests.factories import SurveyFactory

    coordinator = CoordinatorFactory(email="chloe@example.org", name="Chloe Coordinator")
    commissioner = CommissionerFactory(email="dev@example.org", name="Dev Commissioner")
    MemberFactory(user__email="amira@example.org", user__name="Amira Khan", active=True)
    project(title="A welcome letter written with parents")
    SurveyFactory(title="Your experience of the clinic", closed=True)
    year = {"kind": ReportRun.Kind.PERIOD, "start": dt.date(2025, 4, 1), "end": dt.date(2026, 3, 31)}
    runs = {
        "waiting": ReportRun.objects.create(**year, requested_by=commissioner),
        "working": ReportRun.objects.create(
            **year,
            status=ReportRun.Status.WORKING,
            started_at=timezone.now(),
            section=3,
            sections_total=11,
            section_title="Meetings and attendance",
            requested_by=coordinator,
        ),
        "failed": ReportRun.objects.create(
            **year, status=ReportRun.Status.FAILED, error="Could not make the report: KeyError: 'x'"
        ),
        "ready": ReportRun.objects.create(
            **year, status=ReportRun.Status.READY, finished_at=timezone.now(), requested_by=commissioner
        ),
    }
    runs["ready"].file.save("report.pdf", ContentFile(b"%PDF-1.7 report"))
    ReportRun.objects.filter(pk=runs["ready"].pk).update(file_size=15)
    return {"coordinator": coordinator, "commissioner": commissioner, "runs": runs}


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_reports_pages_have_no_accessibility_violations(page, context, portal, reports, viewport, monkeypatch):
    from involvement import report_views

    # The progress page of a run being made reloads itself; long enough here for axe to finish.
    monkeypatch.setattr(report_views, "REFRESH_SECONDS", 600)
    log_in_with_two_step(context, portal, reports["coordinator"])
    runs = reports["runs"]
    working = f"/reports/{runs['working'].pk}/"
    for path in [
        "/reports/",
        working,
        f"{working}?refresh=off",
        *[f"/reports/{runs[name].pk}/" for name in ("waiting", "failed", "ready")],
    ]:
        page.goto(f"{portal}{path}")
        check_page(page, viewport)

    # Reloading by itself is a time limit (WCAG 2.2.1): the page offers to turn it off.
    response = page.goto(f"{portal}{working}")
    assert response.headers.get("refresh") == "600"
    with page.expect_navigation():
        page.get_by_role("link", name="Stop checking by itself").click()
    assert page.url.endswith(f"{working}?refresh=off")
    assert page.get_by_role("link", name="Check every few seconds by itself").is_visible()

    log_in_with_two_step(context, portal, reports["commissioner"])
    page.goto(f"{portal}/reports/")
    check_page(page, viewport)


@pytest.mark.parametrize("viewport", [pytest.param(NARROW, id="phone-320px")])
def test_the_form_sent_with_mistakes_has_no_accessibility_violations(page, context, portal, reports, viewport):
    log_in_with_two_step(context, portal, reports["commissioner"])
    page.goto(f"{portal}/reports/")
    page.get_by_label("Involvement report for a period").check()
    page.get_by_label("Other dates (type them below)").check()
    page.locator("input[name=start_day]").fill("1")
    page.locator("input[name=start_month]").fill("3")
    page.locator("input[name=start_year]").fill("2026")
    page.locator("input[name=end_day]").fill("1")
    page.locator("input[name=end_month]").fill("1")
    page.locator("input[name=end_year]").fill("2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Make the report").click()
    assert page.title().startswith("Error: ")
    assert page.locator("input[name=start_month]").input_value() == "3"
    check_page(page, viewport)


@pytest.mark.parametrize("viewport", [pytest.param(NARROW, id="phone-320px")])
def test_the_progress_page_moves_on_by_itself_without_javascript(browser, portal, reports, viewport, monkeypatch):
    from involvement import report_views
    from involvement.models import ReportRun

    monkeypatch.setattr(report_views, "REFRESH_SECONDS", 1)
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    try:
        log_in_with_two_step(context, portal, reports["coordinator"])
        page = context.new_page()
        run = reports["runs"]["working"]
        response = page.goto(f"{portal}/reports/{run.pk}/")
        assert response.headers.get("refresh") == "1"
        assert "Working on section 3 of 11: Meetings and attendance" in page.locator("[role=status]").inner_text()

        ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.READY, finished_at=timezone.now())
        for _ in range(50):  # the page reloads itself within a second or so
            if "Ready" in page.locator("[role=status]").inner_text():
                break
            page.wait_for_timeout(200)
        assert "Ready" in page.locator("[role=status]").inner_text()
        assert page.get_by_role("link", name="Download the report").is_visible()
    finally:
        context.close()
