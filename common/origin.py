"""Cross-site request protection for the few forms that must not set a cookie.

Django's CSRF protection needs a cookie. A reader giving anonymous feedback on a public page
should be able to do it without the page setting any cookie at all, so those views are exempt
from Django's check and use this one instead: browsers say where a form was sent from (the
``Origin`` header on every cross-site POST, and ``Sec-Fetch-Site``), and a post that says it
came from another site is refused. A request with neither header did not come from a modern
browser on another site (a forged post needs the victim's browser, which sends them).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied


def _allowed_origins(request) -> set[str]:
    return {f"{request.scheme}://{request.get_host()}", *getattr(settings, "CSRF_TRUSTED_ORIGINS", [])}


def is_cross_site(request) -> bool:
    """Whether the browser says this request came from another site."""
    if request.META.get("HTTP_SEC_FETCH_SITE") == "cross-site":
        return True
    origin = request.META.get("HTTP_ORIGIN")
    return origin is not None and origin not in _allowed_origins(request)


def same_site_post(view):
    """Refuses (403) a POST that a browser says came from another site; use with ``csrf_exempt``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and is_cross_site(request):
            raise PermissionDenied("This form can only be sent from this site.")
        return view(request, *args, **kwargs)

    return wrapper
