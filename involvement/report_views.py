"""The Reports pages, under /reports/: ask for a report, watch it being made, download it.

Who may use each view (lookups of runs go through `involvement.report_access`):

- ``reports`` (ask for a report, and the list of past runs) and ``retry``: commissioners and
  coordinators. Commissioners ask for and see period, project and survey reports, never a
  certificate; coordinators every kind. Anyone else logged in gets 403; logged-out visitors go
  to log in.
- ``run`` (the progress page), ``download`` and ``retry`` of one run: whoever may see that run
  (commissioners and coordinators as above, and a member for their own certificate); anyone
  else gets 404, so a run's existence is not given away.
- ``certificate``: members, for their own certificate of involvement (403 for anyone without a
  member record, commissioners included).

The progress page refreshes itself with the HTTP ``Refresh`` header while the run is waiting
or being made (browsers follow it with JavaScript off; it is a header, not a ``<meta>``
element, so there is nothing in the page to trip screen readers or axe's ``meta-refresh``
check), and stops once it is ready or has failed. A link at the top turns the refreshing off
(``?refresh=off``), so nobody is hurried by it (WCAG 2.2.1; docs/decisions/0015).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.pagination import paginate
from common.ratelimit import allow
from members.access import member_for
from members.roles import is_commissioner, is_coordinator

from . import report_access as access
from . import report_runs
from .models import ReportRun
from .report_forms import ReportForm

# Reports take a worker a few seconds each: this many an hour from one place is plenty.
REQUEST_LIMIT = 30
REQUEST_WINDOW_SECONDS = 60 * 60
REFRESH_SECONDS = 3
RUNS_PER_PAGE = 20

Status = ReportRun.Status


def asked_by(run: ReportRun, user) -> str:
    """Who asked: "you", or for coordinators the person's name; commissioners are told only
    that someone else asked."""
    if run.requested_by_id == user.pk:
        return "you"
    if is_coordinator(user) and not is_commissioner(user) and run.requested_by is not None:
        return run.requested_by.name or run.requested_by.email
    return "someone else"


def _rows(runs, user) -> list[dict]:
    show_member = not is_commissioner(user)
    return [
        {
            "run": run,
            "what": report_runs.describe(run, show_member=show_member),
            "asked_by": asked_by(run, user),
            "stuck": report_runs.is_stuck(run),
            "can_retry": report_runs.can_retry(run),
        }
        for run in runs
    ]


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def reports(request):
    """Ask for a report (kind, period, project, survey; certificates for coordinators), and the
    past runs to download again."""
    user = request.user
    if not access.can_ask_for_reports(user):
        raise PermissionDenied
    kinds = access.kinds_for(user)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, kinds=kinds)
        if form.is_valid():
            if allow(request, scope="reports", limit=REQUEST_LIMIT, per_seconds=REQUEST_WINDOW_SECONDS):
                run = report_runs.request_report(by=user, **form.report_parameters())
                return redirect("reports:run", run.pk)
            form.add_error(None, "You have asked for a lot of reports in the last hour. Try again later.")
            status = 429
    else:
        initial = {key: request.GET[key] for key in ("kind", "member", "project", "survey") if key in request.GET}
        form = ReportForm(initial=initial, kinds=kinds)
    page, pagination = paginate(request, access.runs_for_user(user), per_page=RUNS_PER_PAGE)
    context = {
        "form": form,
        "page": page,
        "pagination": pagination,
        "rows": _rows(page.object_list, user),
        "is_commissioner": is_commissioner(user),
    }
    return render(request, "involvement/reports/reports.html", context, status=status)


@never_cache
@require_GET
@login_required
def run(request, pk: int):
    """One run's progress: waiting, section n of m, ready to download, or could not be made.
    Refreshes itself until it has finished."""
    user = request.user
    run = access.get_run_for_user(user, pk)
    stuck = report_runs.is_stuck(run)
    finished = run.status in (Status.READY, Status.FAILED)
    # Reloading by itself is a time limit (WCAG 2.2.1): whoever does not want it turns it off.
    stopped = request.GET.get("refresh") == "off"
    context = {
        "run": run,
        "what": report_runs.describe(run, show_member=not is_commissioner(user)),
        "stuck": stuck,
        "can_retry": report_runs.can_retry(run),
        "refresh_seconds": None if finished or stuck or stopped else REFRESH_SECONDS,
        "refresh_stopped": stopped and not (finished or stuck),
        "show_error": is_coordinator(user) and not is_commissioner(user),
    }
    if access.can_ask_for_reports(user):
        context.update(back_url=reverse("reports:home"), back_label="Reports")
    else:
        context.update(back_url=reverse("reports:certificate"), back_label="Your certificates")
    response = render(request, "involvement/reports/run.html", context)
    if context["refresh_seconds"]:
        response["Refresh"] = str(context["refresh_seconds"])
    return response


@never_cache
@require_GET
@login_required
def download(request, pk: int):
    """The run's PDF, as a download, for whoever may see the run. 404 until it is ready."""
    run = access.get_run_for_user(request.user, pk)
    if run.status != Status.READY or not run.file:
        raise Http404("This report is not ready.")
    from .reports import report_filename

    try:
        handle = run.file.open("rb")
    except FileNotFoundError:
        raise Http404("The report's file is missing.") from None
    response = FileResponse(handle, as_attachment=True, filename=report_filename(run), content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def retry(request, pk: int):
    """Try again: a new run with the same parameters, for a run that failed or is stuck. Whoever
    may see the run (a member only their own certificate)."""
    run = access.get_run_for_user(request.user, pk)
    try:
        again = report_runs.retry_report(run, by=request.user)
    except report_runs.ReportCannotBeMade as exc:
        messages.error(request, f"This report cannot be made again. {exc}")
        return redirect("reports:run", run.pk)
    if again is None:
        messages.info(request, "This report is still being made, or is ready. There is nothing to try again.")
        return redirect("reports:run", run.pk)
    return redirect("reports:run", again.pk)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def certificate(request):
    """A member's own certificate of involvement: ask for one, and the ones made before."""
    member = member_for(request.user)
    if member is None:
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        if allow(request, scope="certificate", limit=REQUEST_LIMIT, per_seconds=REQUEST_WINDOW_SECONDS):
            run = report_runs.request_report(ReportRun.Kind.CERTIFICATE, by=request.user, member=member)
            return redirect("reports:run", run.pk)
        messages.error(request, "You have asked for a lot of certificates in the last hour. Try again later.")
        status = 429
    runs = access.runs_for_user(request.user).filter(kind=ReportRun.Kind.CERTIFICATE, member=member)
    page, pagination = paginate(request, runs, per_page=RUNS_PER_PAGE)
    return render(
        request,
        "involvement/reports/certificate.html",
        {"page": page, "pagination": pagination, "rows": _rows(page.object_list, request.user)},
        status=status,
    )
