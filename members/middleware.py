"""Requests a logged-in person must deal with before anything else, and keeping sessions alive.

`SessionActivityMiddleware` keeps the idle timeout without writing the session on every page.

`RequireMFAMiddleware` sends staff and commissioners who have not set up two-factor
authentication to set it up. Runs after allauth's middleware. Until an authenticator app is
active, the only pages such a person can open are the ones needed to set it up or to leave.

`ConsentReviewMiddleware` asks a member to review a consent text that has a newer version.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from members.roles import requires_mfa
from members.state import member_state, person_facts

# Session key holding when the session was last renewed (seconds since the epoch).
LAST_ACTIVITY_KEY = "_last_activity"
# How often a busy session is renewed. A session ends between SESSION_COOKIE_AGE minus this
# and SESSION_COOKIE_AGE after the person's last request.
RENEW_EVERY_SECONDS = 60


class SessionActivityMiddleware:
    """Renews a session's expiry at most once a minute, so that idle sessions still end.

    SESSION_SAVE_EVERY_REQUEST would write the session row on every page; noting the time of
    the last activity once a minute marks the session modified, and SessionMiddleware then
    saves it with a new expiry (SESSION_COOKIE_AGE from now). Goes just after SessionMiddleware,
    so that it sees the session after the view (a log-in or log-out) and before it is saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A request that never touched the session (the health check) is no sign of a person
        # being active, and loading the session just to renew it would cost a lookup.
        if session is not None and session.accessed:
            last = session.get(LAST_ACTIVITY_KEY)
            now = int(time.time())
            # An empty session (a visitor, or just logged out) is not worth creating or keeping.
            if not session.is_empty() and (last is None or not 0 <= now - last < RENEW_EVERY_SECONDS):
                session[LAST_ACTIVITY_KEY] = now
        return response


# Pages that stay reachable while two-factor authentication is not yet set up.
ALLOWED_URL_NAMES = {
    "account_logout",
    "account_reauthenticate",
    "account_confirm_email",
    "account_email_verification_sent",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_reauthenticate",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "healthz",
}


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefixes = tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p)

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up_mfa(self, request) -> bool:
        # The cached facts first: they also tell requires_mfa the groups, and let the common
        # case (no two-step needed, or already set up) skip resolving the URL.
        facts = person_facts(request)
        if facts is None or facts.has_totp or not requires_mfa(request.user):
            return False
        if request.path.startswith(self.static_prefixes):
            return False
        try:
            url_name = resolve(request.path_info).url_name
        except Resolver404:
            url_name = None
        return url_name not in ALLOWED_URL_NAMES


# Pages a member can open while a consent review is waiting: the review itself, and the ones
# a person may need whatever they decide (leaving, erasing, taking their data with them).
REVIEW_ALLOWED_URL_NAMES = {
    "members:consent_review",
    "members:keep_details_declined",
    "members:leave",
    "members:erase",
    "members:data",
    "members:data_json",
    "members:data_erased",
    "healthz",
}
REVIEW_EXEMPT_PREFIXES = ("/accounts/", "/admin/")


class ConsentReviewMiddleware:
    """Asks a member to review a consent text when a newer version has been published.

    A logged-in member's page visits (GET) go to the review page until they have decided
    on each changed purpose; then they carry on to where they were going. Form posts,
    account pages (log out, password), the admin, static files and the health check are
    never redirected. Costs no query for logged-in people once their facts are cached (see
    members.state).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt_prefixes = REVIEW_EXEMPT_PREFIXES + tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p)

    def __call__(self, request):
        if self._must_review(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('members:consent_review')}?{query}")
        return self.get_response(request)

    def _must_review(self, request) -> bool:
        if request.method not in {"GET", "HEAD"}:
            return False
        # The cached state first, so that most requests skip resolving the URL.
        state = member_state(request)
        if not (state and state.needs_review):
            return False
        if request.path.startswith(self.exempt_prefixes):
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name not in REVIEW_ALLOWED_URL_NAMES
