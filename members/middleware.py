"""Sends staff and commissioners who have not set up two-factor authentication to set it up.

Runs after allauth's middleware. Until an authenticator app is active, the only
pages such a person can open are the ones needed to set it up or to leave.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from members.roles import requires_mfa

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
