"""Staff pages for surveys, in the portal's layout so they work on a phone.

Who may use each view:

- ``results``, ``results_csv``, ``text_answers``, ``invite``: coordinators only (never a
  commissioner, even one who is also staff); everyone else gets 403, and logged-out visitors
  go to log in.
- ``survey_list`` and ``summary``: coordinators only (commissioners have the survey results
  report on their Reports page instead). The summary suppresses every count under 5 and shows
  no free text and no filters: what the report shows.
Drafts and surveys in member review have no results (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from common.pagination import paginate
from members.models import Member

from . import access, services
from .models import Choice, Invitation, Participation, Question, Survey
from .results import csv_export, survey_results
from .results import text_answers as text_answers_for
from .selectors import load_structure


@require_GET
@login_required
def survey_list(request):
    """Open and closed surveys, with links to their results (coordinators) or summary."""
    if not access.can_see_summary(request.user):
        raise PermissionDenied
    surveys = (
        Survey.objects.filter(status__in=access.ANSWERABLE)
        .annotate(sent=Count("responses", filter=Q(responses__submitted_on__isnull=False)))
        .order_by("-created_at", "pk")
    )
    page, pagination = paginate(request, surveys)
    return render(
        request,
        "surveys/staff/survey_list.html",
        {"page": page, "pagination": pagination, "full": access.can_see_full_results(request.user)},
    )


def _filter_choice(request, structure) -> tuple[Choice | None, str]:
    """The answer to filter by (``?answer=<choice id>``), if it is one of this survey's."""
    raw = request.GET.get("answer", "")
    if not raw:
        return None, ""
    try:
        choice = structure.choices.get(int(raw))
    except ValueError:
        choice = None
    if choice is None:
        return None, "That filter is not one of this survey's answers, so all responses are shown."
    return choice, ""


@never_cache
@require_GET
@login_required
def results(request, pk: int):
    """Every question's counts and charts, words written, responses over time, and a filter by
    one answer (for example, partners only)."""
    survey = access.get_survey_for_results(request.user, pk, full=True)
    structure = load_structure(survey)
    choice, filter_problem = _filter_choice(request, structure)
    filters = [
        (question, list(question.choices.all()))
        for question in structure.questions_in_order()
        if question.kind in (Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE)
    ]
    return render(
        request,
        "surveys/staff/results.html",
        {
            "survey": survey,
            "results": survey_results(structure, filter_choice=choice),
            "filter_choice": choice,
            "filter_problem": filter_problem,
            "filters": filters,
            "participations": Participation.objects.filter(survey=survey).count() if survey.is_for_members else None,
        },
    )


@never_cache
@require_GET
@login_required
def summary(request, pk: int):
    """The results as commissioners see them: small numbers suppressed, no free text."""
    survey = access.get_survey_for_results(request.user, pk, full=False)
    structure = load_structure(survey)
    return render(
        request,
        "surveys/staff/summary.html",
        {"survey": survey, "results": survey_results(structure, for_commissioners=True)},
    )


@never_cache
@require_GET
@login_required
def results_csv(request, pk: int):
    """Every sent response as a row of a spreadsheet (anonymous ones with no name, in random order)."""
    survey = access.get_survey_for_results(request.user, pk, full=True)
    response = HttpResponse(csv_export(load_structure(survey)), content_type="text/csv; charset=utf-8")
    filename = f"survey-{survey.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@never_cache
@require_GET
@login_required
def text_answers(request, pk: int, question_pk: int):
    """The words people wrote for one question, a page at a time."""
    survey = access.get_survey_for_results(request.user, pk, full=True)
    structure = load_structure(survey)
    question = structure.questions.get(question_pk)
    if question is None:
        raise Http404("No such question in this survey.")
    page, pagination = paginate(request, text_answers_for(structure, question), per_page=25)
    return render(
        request,
        "surveys/staff/text_answers.html",
        {"survey": survey, "question": question, "page": page, "pagination": pagination},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def invite(request, pk: int):
    """Invite members to an open member survey (everyone active, or members found by name), and
    send the one reminder to invited members who have not answered."""
    if not access.can_see_full_results(request.user):
        raise PermissionDenied
    survey = get_object_or_404(Survey, pk=pk, audience__in=[Survey.Audience.MEMBERS, Survey.Audience.ANONYMOUS])
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "everyone":
                count = services.invite_members(
                    survey=survey, members=Member.objects.filter(status=Member.Status.ACTIVE, erased_at__isnull=True)
                )
                messages.success(request, f"{count} member{'s' if count != 1 else ''} invited.")
            elif action == "chosen":
                ids = [int(value) for value in request.POST.getlist("members") if value.isdigit()]
                count = services.invite_members(survey=survey, members=Member.objects.filter(pk__in=ids))
                messages.success(request, f"{count} member{'s' if count != 1 else ''} invited.")
            elif action == "remind":
                count = services.send_reminders(survey=survey)
                messages.success(
                    request, f"Reminder queued for {count} member{'s' if count != 1 else ''} who have not answered."
                )
            else:
                messages.error(request, "Choose what to do.")
        except services.SurveyError as problem:
            messages.error(request, str(problem))
        return redirect("surveys_staff:invite", survey.pk)
    query = request.GET.get("q", "").strip()[:100]
    found = []
    if query:
        found = list(
            Member.objects.filter(status=Member.Status.ACTIVE, erased_at__isnull=True, user__name__icontains=query)
            .exclude(survey_invitations__survey=survey)
            .select_related("user")
            .order_by("user__name", "pk")[:50]
        )
    invitations = Invitation.objects.filter(survey=survey)
    return render(
        request,
        "surveys/staff/invite.html",
        {
            "survey": survey,
            "survey_is_open": survey.is_open(),
            "query": query,
            "found": found,
            "invited": invitations.count(),
            "reminded": invitations.filter(reminded_at__isnull=False).count(),
            "answered": Participation.objects.filter(survey=survey).count(),
        },
    )
