"""The "you said, we did" page and the projects pages members see.

Who may use each view:

- ``impact_list``: anyone, logged in or not. Members who have not left (still joining, active
  or taking a break) and coordinators see every item; the public, commissioners and members
  who have left see only the items staff marked public (``access.impact_items_for``).
- ``project_list``, ``project_detail``: members who have not left and coordinators
  (``access.group_required``: logged out goes to log in; commissioners, members who have left
  and accounts without a member record get 403). Members see only projects shown to members
  (another is a 404); coordinators see every project.

Nothing here names a member except by the name they chose to be credited as, and only if they
agreed; a member's words are shown only while they consent to their use (``projects.quotes_with_consent``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from common.pagination import paginate
from library.access import public_resources

from . import access
from .access import Viewer
from .models import RUNG_MEANINGS, ImpactItem, Project, Rung
from .projects import named_credits, quotes_with_consent

Status = ImpactItem.Status


# --- Display helpers ----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    """An item with where it was raised, in words and (where the viewer may open it) a link."""

    item: ImpactItem
    where: str
    where_title: str
    where_url: str
    project_url: str


def _row(item: ImpactItem, viewer: Viewer) -> ItemRow:
    title, url = "", ""
    if item.source == ImpactItem.Source.MEETING and item.meeting is not None:
        title, url = item.meeting.title, _meeting_url(item.meeting.pk)
    elif item.source == ImpactItem.Source.SURVEY and item.survey is not None:
        if access.survey_is_named(item.survey):
            title, url = item.survey.title, access.survey_url(viewer, item.survey)
    elif item.source == ImpactItem.Source.REVIEW and item.resource is not None:
        # Readers see the published title (as the library does), never a working title being revised.
        url = access.resource_url(item.resource)
        if url:
            title = item.resource.current_version.title
        elif viewer.coordinator:
            title = item.resource.title
    project_url = ""
    if access.can_see_project_page(viewer, item.project):
        project_url = _project_url(item.project.pk)
    return ItemRow(item, item.get_source_display(), title, url, project_url)


def _meeting_url(pk: int) -> str:
    return reverse("meetings:detail", args=[pk])


def _project_url(pk: int) -> str:
    return reverse("impact:project", args=[pk])


@dataclass(frozen=True)
class StatusTab:
    value: str
    label: str
    count: int
    current: bool


def _status_tabs(items, chosen: str) -> list[StatusTab]:
    """Each status with how many items are in it (one query)."""
    counts = items.aggregate(
        all=Count("pk"), **{status.value: Count("pk", filter=Q(status=status.value)) for status in Status}
    )
    tabs = [StatusTab("", "All", counts["all"], chosen == "")]
    tabs += [StatusTab(status.value, status.label, counts[status.value], chosen == status.value) for status in Status]
    return tabs


@dataclass(frozen=True)
class LadderRung:
    number: int
    name: str
    meaning: str
    is_now: bool
    is_target: bool


def ladder(project: Project) -> list[LadderRung]:
    """The seven rungs, top first, with the project's rung now and the rung aimed for marked."""
    return [
        LadderRung(
            number=rung.value,
            name=rung.label,
            meaning=RUNG_MEANINGS[rung],
            is_now=rung.value == project.rung_now,
            is_target=rung.value == project.rung_target,
        )
        for rung in sorted(Rung, key=lambda rung: rung.value, reverse=True)
    ]


# --- Pages --------------------------------------------------------------------------------


@require_GET
def impact_list(request):
    """What members raised and what the service did, newest first, filtered by status.
    Anyone may view; who sees which items is ``access.impact_items_for``."""
    viewer = access.viewer_for(request.user)
    items = access.impact_items_for(viewer)
    chosen = request.GET.get("status", "")
    if chosen not in Status.values:
        chosen = ""  # an unknown status shows everything rather than an error
    tabs = _status_tabs(items, chosen)
    if chosen:
        items = items.filter(status=chosen)
    page, pagination = paginate(request, items)
    return render(
        request,
        "involvement/impact/list.html",
        {
            "rows": [_row(item, viewer) for item in page.object_list],
            "page": page,
            "pagination": pagination,
            "tabs": tabs,
            "chosen": chosen,
            "chosen_label": Status(chosen).label if chosen else "",
            "viewer": viewer,
        },
    )


@require_GET
@access.group_required
def project_list(request):
    """The group's projects. Members who have not left, and coordinators (see the module)."""
    viewer = request.viewer
    page, pagination = paginate(request, access.projects_for(viewer).order_by("-started_on", "title", "pk"))
    return render(
        request,
        "involvement/projects/list.html",
        {"page": page, "pagination": pagination, "viewer": viewer},
    )


@require_GET
@access.group_required
def project_detail(request, pk: int):
    """One project: its aims, where it is on the ladder, what belongs to it, who took part (a
    count, and the names of those who agreed), and its "you said, we did" items. Members who
    have not left see projects shown to members; coordinators any project."""
    viewer = request.viewer
    project = access.get_project_for_viewer(viewer, pk)
    surveys = []
    for survey in project.surveys.order_by("-created_at", "pk"):
        url = access.survey_url(viewer, survey)
        if url:
            surveys.append((survey, url))
    items = access.impact_items_for(viewer).filter(project=project)
    page, pagination = paginate(request, items)
    return render(
        request,
        "involvement/projects/detail.html",
        {
            "project": project,
            "ladder": ladder(project),
            "meetings": list(project.meetings.order_by("-starts_at", "pk")),
            "resources": list(public_resources().filter(projects=project).order_by("title")),
            "surveys": surveys,
            "involved_count": project.involved.filter(member__erased_at__isnull=True).count(),
            "named": named_credits(project),
            "quotes": list(quotes_with_consent(project.quotes.all()).order_by("-said_on", "pk")[:6]),
            "rows": [_row(item, viewer) for item in page.object_list],
            "page": page,
            "pagination": pagination,
            "viewer": viewer,
        },
    )
