"""Who may see which resource, draft and file: every lookup goes through here.

* **Published resources** (with a published version, and not archived) are for everyone, as
  their current published version; their published files too. While staff revise one, the
  public keep reading the published words, never the working copy.
* **Drafts** and files not yet published are for coordinators and for members invited to a
  review round of that resource, and nobody else: anyone else gets 404, so even their
  existence is not given away. Commissioners never count as reviewers.
* **Earlier versions** of a public resource are for everyone; coordinators may also read the
  versions of one that is no longer public (``get_resource_with_history_for_user``).
* A **review invitation** is its member's own (``get_invitation_for_member``).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from members.access import member_for
from members.roles import is_coordinator

from .models import Resource, ResourceFile, ReviewInvitation


def public_resources() -> QuerySet[Resource]:
    """Resources anyone may read, with the version they read."""
    return (
        Resource.objects.filter(current_version__isnull=False)
        .exclude(status=Resource.Status.ARCHIVED)
        .select_related("current_version")
    )


def get_public_resource(pk: int) -> Resource:
    return get_object_or_404(public_resources(), pk=pk)


def get_resource_with_history_for_user(user, pk: int) -> Resource:
    """A resource whose published versions this person may read: a public one for anyone; for
    coordinators also an archived one or one taken down, so every version kept can be viewed."""
    if user.is_authenticated and is_coordinator(user):
        return get_object_or_404(Resource.objects.select_related("current_version"), pk=pk)
    return get_public_resource(pk)


def invitations_for_member(user) -> QuerySet[ReviewInvitation]:
    member = member_for(user)
    if member is None:
        return ReviewInvitation.objects.none()
    return ReviewInvitation.objects.filter(member=member).select_related("round__resource")


def get_invitation_for_member(user, pk: int) -> ReviewInvitation:
    """The person's own invitation with this id, or 404 (also for someone else's)."""
    return get_object_or_404(invitations_for_member(user), pk=pk)


def can_see_drafts_of(user, resource: Resource) -> bool:
    """Coordinators, and members invited to review this resource."""
    if is_coordinator(user):
        return True
    member = member_for(user)
    return member is not None and ReviewInvitation.objects.filter(member=member, round__resource=resource).exists()


def get_file_for_user(user, pk: int) -> ResourceFile:
    """A file this person may download: a published file of a public resource for anyone; any
    file for coordinators and for the resource's invited reviewers. Otherwise 404."""
    item = get_object_or_404(ResourceFile.objects.select_related("resource"), pk=pk)
    if item.published_at is not None and item.resource.is_public:
        return item
    if user.is_authenticated and can_see_drafts_of(user, item.resource):
        return item
    raise Http404("No such file.")
