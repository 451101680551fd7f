"""Commissioners get reports, and nothing else: checked against every URL in the project.

A commissioner (logged in, two-step set up) asks for **every URL pattern** in the project, its
parameters filled with real objects (the demo group, plus a report run of each kind and a member's
certificate), the way ``tests/integration/test_public_pages_name_no_member.py`` walks them; URLs
that only take POST are sent an empty POST. Each answer must be one of:

- a page on the allow-list below: the Reports pages, the pages the public sees the same way
  (home, the library, public meetings, "you said, we did", public survey links), and their own
  account and two-step pages;
- a refusal: 403, 404, 405, or a redirect to log in or to another page on the allow-list.

A new URL a commissioner can open fails this test until it is added to the allow-list with the
reason it is safe, so "commissioners see nothing else" stays true as the portal grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404

from involvement.models import ReportRun
from members.tests.factories import CommissionerFactory
from members.tests.totp import client_with_two_step
from tests.integration.test_public_pages_name_no_member import _fill, path_values, routes

# Route patterns (as the walk writes them, prefixes included) a commissioner may open, and why.
ALLOWED: dict[str, str] = {
    # Their own pages.
    "reports/": "the Reports page: ask for a report, and past runs of the shared kinds",
    "reports/<int:pk>/": "a run's progress page, for runs of the shared kinds only",
    "reports/<int:pk>/download/": "a shared report's PDF",
    "reports/<int:pk>/try-again/": "try again for a shared run (POST; redirects to the new run)",
    # What the public sees, the same for a commissioner.
    "": "the home page",
    "healthz": "the health check: database and broker status, no data",
    "meetings/": "the public list of meetings",
    "meetings/past/": "the public list of past meetings",
    "meetings/<int:pk>/": "a meeting's public page",
    "meetings/<int:pk>/calendar.ics": "a meeting's public calendar file",
    "library/": "the public resource library",
    "library/<int:pk>/": "a published resource",
    "library/<int:pk>/print.pdf": "a published resource's PDF",
    "library/<int:pk>/versions/<int:number>/": "an earlier published version",
    "library/files/<int:pk>/": "a published resource's file",
    "library/suggest/": "suggest a resource (open to anyone)",
    "library/<int:pk>/feedback/": "was this useful? (open to anyone)",
    "surveys/s/<uuid:key>/": "a public-link survey (open to anyone with the link)",
    "surveys/s/<uuid:key>/page/<int:number>/": "a page of a public-link survey",
    "surveys/s/<uuid:key>/check/": "checking answers to a public-link survey",
    "surveys/s/<uuid:key>/done/": "the thank-you page of a public-link survey",
    "data-erased/": "the page shown after someone's data is erased (public, says nothing)",
    "you-said-we-did/": "the public 'you said, we did' items",
    "join/": "how to join the group (public)",
    # Their own account (allauth) and two-step security.
    "accounts/email/": "their email addresses",
    "accounts/password/change/": "change their password",
    "accounts/password/set/": "set a password",
    "accounts/logout/": "log out",
    "accounts/2fa/": "two-step security",
    "accounts/2fa/totp/activate/": "set up an authenticator app",
    "accounts/2fa/totp/deactivate/": "turn off the authenticator app",
    "accounts/2fa/recovery-codes/": "recovery codes",
    "accounts/2fa/recovery-codes/generate/": "new recovery codes",
    "accounts/2fa/recovery-codes/download/": "download recovery codes",
    "accounts/2fa/authenticate/": "the two-step code page",
    "accounts/2fa/reauthenticate/": "confirm with a two-step code",
    "accounts/reauthenticate/": "confirm with their password",
    "accounts/login/": "the login page",
    "accounts/signup/": "the sign-up page",
    "accounts/inactive/": "allauth's 'this account is closed' page",
    "accounts/confirm-email/": "allauth's 'check your email' page",
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": "confirm an address from an emailed link",
    "accounts/password/reset/": "ask for a password reset (public)",
    "accounts/password/reset/done/": "'we have emailed you' (public)",
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": "a password reset link (public)",
    "accounts/password/reset/key/done/": "'your password is changed' (public)",
    "admin/logout/": "logging out of the admin: shows nothing, redirects",
}

REFUSED = {403, 404, 405}


@dataclass(frozen=True)
class Answer:
    pattern: str
    url: str
    method: str
    status: int
    location: str


@pytest.fixture(scope="module")
def world(demo_group, django_db_blocker):
    """The demo group, a commissioner, a ready report of each kind and a member's certificate."""
    from involvement.tests.project_factories import project
    from members.models import Member
    from surveys.models import Survey

    with django_db_blocker.unblock():
        commissioner = CommissionerFactory(email="walking.commissioner@example.org", name="Walking Commissioner")
        runs = [
            ReportRun(kind=ReportRun.Kind.PERIOD, start="2025-04-01", end="2026-03-31"),
            ReportRun(kind=ReportRun.Kind.PROJECT, project=project(title="Walked project")),
            ReportRun(kind=ReportRun.Kind.SURVEY, survey=Survey.objects.order_by("pk").first()),
            ReportRun(kind=ReportRun.Kind.CERTIFICATE, member=Member.objects.order_by("pk").first()),
        ]
        for run in runs:
            run.status = ReportRun.Status.READY
            run.save()
            run.file.save("report.pdf", ContentFile(b"%PDF-1.7 walked"))
        return {"commissioner": commissioner, "runs": runs}


def _login_or_allowed(location: str) -> bool:
    path = urlsplit(location).path
    if path.startswith((reverse("account_login"), reverse("admin:login"))):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return _pattern_of(match) in ALLOWED


def _pattern_of(match) -> str:
    return match.route


def answers(client) -> list[Answer]:
    found = []
    for route in routes():
        for values in path_values(route):
            if not route.name:
                url = _fill(route.pattern, values)
            elif any(key.startswith("arg") for key in values):
                url = reverse(route.name, args=[values[key] for key in sorted(values)])
            else:
                url = reverse(route.name, kwargs=values)
            method = "GET"
            response = client.get(url)
            if response.status_code == 405 and "logout" not in url:
                method = "POST"
                response = client.post(url)
            found.append(Answer(route.pattern, url, method, response.status_code, response.get("Location", "")))
    return found


@pytest.mark.django_db
def test_a_commissioner_can_open_only_reports_and_what_the_public_sees(world):
    client = client_with_two_step(world["commissioner"])

    walked = answers(client)

    opened = sorted(
        {
            f"{answer.pattern} ({answer.method} {answer.url} → {answer.status} {answer.location})"
            for answer in walked
            if answer.pattern not in ALLOWED
            and answer.status not in REFUSED
            and not (300 <= answer.status < 400 and _login_or_allowed(answer.location))
        }
    )
    assert opened == [], "A commissioner can open pages that are not on the allow-list:\n" + "\n".join(opened)
    # The walk reached the reports, and nothing crashed on the way.
    statuses = {answer.url: answer.status for answer in walked}
    assert statuses[reverse("reports:home")] == 200
    period, project, survey, certificate = world["runs"]
    for run in (period, project, survey):
        assert statuses[reverse("reports:download", args=[run.pk])] == 200
    assert statuses[reverse("reports:download", args=[certificate.pk])] == 404
    assert not [answer for answer in walked if answer.status >= 500]
    assert client.session.get("_auth_user_id") == str(world["commissioner"].pk)


def test_the_allow_list_names_only_patterns_that_exist():
    patterns = {route.pattern for route in routes()}
    unknown = sorted(pattern for pattern in ALLOWED if pattern not in patterns)
    assert unknown == [], "Take these off the allow-list (no such URL any more): " + ", ".join(unknown)
