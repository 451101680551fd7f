"""Who may ask for and see which report run: every lookup of a run goes through here, so a run
someone may not see is simply not found (404) and its existence is not given away.

* **Commissioners** ask for period, project and survey reports and see every run of those kinds,
  whoever asked (reports are shared evidence), but never a certificate: a certificate is about
  one member. The commissioner rule wins over any other role they also have.
* **Coordinators** ask for every kind, certificates for any member included, and see every run.
* **Members** ask for their own certificate only, and see only their own certificates.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from members.access import member_for
from members.roles import is_commissioner, is_coordinator

from .models import ReportRun

Kind = ReportRun.Kind
SHARED_KINDS = (Kind.PERIOD, Kind.PROJECT, Kind.SURVEY)


def can_ask_for_reports(user) -> bool:
    """The Reports page: commissioners and coordinators."""
    return is_commissioner(user) or is_coordinator(user)


def can_ask_for_certificates_for_anyone(user) -> bool:
    return is_coordinator(user) and not is_commissioner(user)


def kinds_for(user) -> list[str]:
    """The kinds this person may ask for on the Reports page."""
    if can_ask_for_certificates_for_anyone(user):
        return [*SHARED_KINDS, Kind.CERTIFICATE]
    if is_commissioner(user):
        return list(SHARED_KINDS)
    return []


def runs_for_user(user) -> QuerySet[ReportRun]:
    """The runs this person may see, newest first."""
    runs = ReportRun.objects.select_related("requested_by", "project", "survey", "member__user")
    if not user.is_authenticated:
        return runs.none()
    if is_commissioner(user):
        return runs.filter(kind__in=SHARED_KINDS)
    if is_coordinator(user):
        return runs
    member = member_for(user)
    if member is None:
        return runs.none()
    return runs.filter(kind=Kind.CERTIFICATE, member=member)


def get_run_for_user(user, pk: int) -> ReportRun:
    """A run this person may see, or 404 (also for one that exists but is not theirs to see)."""
    return get_object_or_404(runs_for_user(user), pk=pk)
