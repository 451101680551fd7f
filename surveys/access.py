"""Who may open which survey: every lookup of a survey by a respondent, reviewer or viewer of
results goes through here, so "not yours" is a 404 by construction.

* Member surveys (named or anonymous) are for members who have finished joining (active, or
  taking a break); commissioners and the public are refused. Drafts are never shown.
* Public surveys are found only by their unguessable key, never by number.
* Member review pages are for the members chosen as reviewers, while the survey is in review.
* Results with free text and filters are for coordinators, and so is the summary with small
  numbers suppressed and no free text (what the survey results report shows). Commissioners get
  reports and nothing else: the survey results report, from the Reports page, replaces the
  summary pages for them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from members.access import member_for
from members.roles import is_commissioner, is_coordinator

from .models import Survey
from .selectors import ANSWERING_STATUSES

# Surveys whose pages a respondent may open (a closed one says it has closed).
ANSWERABLE = (Survey.Status.OPEN, Survey.Status.CLOSED)


def get_survey_for_member(user, pk: int) -> Survey:
    """A member survey (named or anonymous) this person may answer, or 404."""
    member = member_for(user)
    if member is None or member.status not in ANSWERING_STATUSES:
        raise Http404("No such survey.")
    return get_object_or_404(
        Survey, pk=pk, status__in=ANSWERABLE, audience__in=[Survey.Audience.MEMBERS, Survey.Audience.ANONYMOUS]
    )


def get_public_survey(key) -> Survey:
    """A public-link survey by its key, or 404."""
    return get_object_or_404(Survey, public_key=key, status__in=ANSWERABLE, audience=Survey.Audience.PUBLIC)


def get_survey_to_review(user, pk: int) -> Survey:
    """A survey in member review that this member was asked to read, or 404."""
    member = member_for(user)
    if member is None or member.status not in ANSWERING_STATUSES:
        raise Http404("No such survey.")
    return get_object_or_404(Survey, pk=pk, status=Survey.Status.REVIEW, reviewers=member)


def can_see_full_results(user) -> bool:
    """Free text, filters and the CSV: coordinators only, never a commissioner."""
    return is_coordinator(user) and not is_commissioner(user)


def can_see_summary(user) -> bool:
    """The suppressed summary and the list of surveys: coordinators only (commissioners have
    the survey results report instead)."""
    return can_see_full_results(user)


def get_survey_for_results(user, pk: int, *, full: bool) -> Survey:
    """A survey whose results this person may see (not drafts or surveys still in review), or
    PermissionDenied for people with no business seeing results."""
    allowed = can_see_full_results(user) if full else can_see_summary(user)
    if not allowed:
        raise PermissionDenied
    return get_object_or_404(Survey, pk=pk, status__in=ANSWERABLE)
