"""Who may see which projects and "you said, we did" items: every lookup goes through here.

* **"You said, we did"**: members who have not left (still joining, active or taking a break)
  and coordinators see every item; everyone else — the public, commissioners, members who
  have left — sees only the items staff marked public.
* **Projects** are for the group: members who have not left see the projects shown to
  members; coordinators see every project (to check a page before showing it). Logged-out
  visitors are sent to log in; commissioners, members who have left and accounts with no
  member record are refused (403). A project not shown is a 404, so its existence is not
  given away.
* **What a project or item links to** follows each app's own rule: meetings are public;
  a resource only once published; a member survey only for members who may answer it, a
  public survey for anyone; coordinators reach every survey's results page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from library.models import Resource
from members.access import member_for
from members.models import Member
from members.roles import is_coordinator
from surveys.access import ANSWERABLE
from surveys.models import Survey
from surveys.selectors import ANSWERING_STATUSES

from .models import ImpactItem, Project


@dataclass(frozen=True)
class Viewer:
    """The person looking at a page, worked out once per request."""

    user: object
    member: Member | None
    coordinator: bool

    @property
    def in_the_group(self) -> bool:
        """A member who has not left, or a coordinator: they see every item and the projects."""
        return self.coordinator or (self.member is not None and not self.member.has_left)


def viewer_for(user) -> Viewer:
    return Viewer(user=user, member=member_for(user), coordinator=is_coordinator(user))


def impact_items_for(viewer: Viewer) -> QuerySet[ImpactItem]:
    """The items this person may see, newest first, with what each points at (one query)."""
    items = ImpactItem.objects.select_related("meeting", "survey", "resource__current_version", "project")
    if not viewer.in_the_group:
        items = items.filter(is_public=True)
    return items.order_by("-raised_on", "-pk")


def projects_for(viewer: Viewer) -> QuerySet[Project]:
    if viewer.coordinator:
        return Project.objects.all()
    if viewer.in_the_group:
        return Project.objects.filter(shown_to_members=True)
    return Project.objects.none()


def group_required(view):
    """For the projects pages: logs in first if needed; then members who have not left and
    coordinators get in, with ``request.viewer`` set. Everyone else is refused (403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.viewer = viewer = viewer_for(request.user)
        if not viewer.in_the_group:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_project_for_viewer(viewer: Viewer, pk: int) -> Project:
    """A project this person may see, or 404."""
    return get_object_or_404(projects_for(viewer), pk=pk)


def can_see_project_page(viewer: Viewer, project: Project | None) -> bool:
    return project is not None and viewer.in_the_group and (viewer.coordinator or project.shown_to_members)


def survey_url(viewer: Viewer, survey: Survey) -> str:
    """Where this person can open the survey, or "" if they may not (drafts, surveys in review,
    member surveys for anyone who may not answer them)."""
    if survey.status not in ANSWERABLE:
        return ""
    if viewer.coordinator:
        return reverse("surveys_staff:results", args=[survey.pk])
    if survey.audience == Survey.Audience.PUBLIC:
        return reverse("surveys:public_start", args=[survey.public_key])
    if viewer.member is not None and viewer.member.status in ANSWERING_STATUSES:
        return reverse("surveys:start", args=[survey.pk])
    return ""


def survey_is_named(survey: Survey) -> bool:
    """A survey's title is shown once it has gone out (open or closed), never while it is drafted."""
    return survey.status in ANSWERABLE


def resource_url(resource: Resource) -> str:
    """The public page of a published resource, or "" for one not (or no longer) published."""
    return reverse("library:resource", args=[resource.pk]) if resource.is_public else ""
