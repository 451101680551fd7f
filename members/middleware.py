"""Requests a logged-in person must deal with before anything else.

`RequireMFAMiddleware` sends staff and commissioners who have not set up two-factor
authentication to set it up. Runs after allauth's middleware. Until an authenticator app is
active, the only pages such a person can open are the ones needed to set it up or to leave.

`ConsentReviewMiddleware` asks a member to review a consent text that has a newer version.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from members.roles import requires_mfa
from members.state import member_state

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


def has_mfa(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefixes = tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p)

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up_mfa(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not requires_mfa(user):
            return False
        if request.path.startswith(self.static_prefixes):
            return False
        try:
            url_name = resolve(request.path_info).url_name
        except Resolver404:
            url_name = None
        if url_name in ALLOWED_URL_NAMES:
            return False
        return not has_mfa(user)


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
    never redirected. Costs one query a request for logged-in people (see members.state).
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
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path.startswith(self.exempt_prefixes):
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        if match.view_name in REVIEW_ALLOWED_URL_NAMES:
            return False
        state = member_state(request)
        return bool(state and state.needs_review)
