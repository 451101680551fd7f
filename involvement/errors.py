"""Error pages in the portal's own layout, in plain English."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import import_module

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.html import escape

from .models import GroupProfile, cached_profile_and_signposts

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrisisLine:
    """An urgent-help line with the attributes the templates read from a Signpost."""

    name: str
    description: str = ""
    phone: str = ""
    text_message: str = ""
    url: str = ""


# The national urgent-help lines a new portal starts with. Their one home is the migration that
# puts them in the database; the 500 page reads them from there when the database cannot be read,
# so the two lists cannot drift apart.
_DEFAULTS = import_module("involvement.migrations.0002_default_profile_and_crisis_signposts")
NATIONAL_CRISIS_LINES: tuple[CrisisLine, ...] = tuple(
    CrisisLine(**{key: value for key, value in line.items() if key != "order"}) for line in _DEFAULTS.CRISIS_LINES
)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def _profile_and_crisis_lines() -> tuple[GroupProfile, list]:
    """The group's own details and lines if the cache or database can give them, else the national lines."""
    try:
        data = cached_profile_and_signposts()
        return data["profile"], list(data["crisis_signposts"]) or list(NATIONAL_CRISIS_LINES)
    except Exception:  # the fault behind the 500 may be the database or the cache itself
        logger.warning("Error page: group profile unavailable; showing the national crisis lines", exc_info=True)
        # An unsaved profile carries the model's defaults (name, quick-exit site); it reads nothing.
        return GroupProfile(), list(NATIONAL_CRISIS_LINES)


def _static_url(path: str) -> str:
    # The manifest storage raises for a file missing from the manifest; a 500 page must not.
    try:
        return static(path)
    except Exception:
        from django.conf import settings

        return f"{settings.STATIC_URL}{path}"


def _bare_page(crisis_lines) -> str:
    """The last resort if even the template cannot be rendered: the help lines in plain HTML."""
    items = "".join(
        f"<li>{escape(line.name)}{': call ' + escape(line.phone) if line.phone else ''}"
        f"{'. ' + escape(line.text_message) if line.text_message else ''}</li>"
        for line in crisis_lines
    )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        "<title>Sorry, there is a problem with the service</title></head><body>"
        "<h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>"
        f"<h2>If you need help now</h2><ul>{items}</ul></body></html>"
    )


def server_error(request):
    # No context processors and no request context: what they read may be what failed.
    profile, crisis_lines = _profile_and_crisis_lines()
    context = {
        "group_profile": profile,
        "crisis_signposts": crisis_lines,
        "stylesheets": [_static_url("nhsuk-frontend/nhsuk-frontend.min.css"), _static_url("css/portal.css")],
        "quick_exit_script": _static_url("js/quick-exit.js"),
    }
    try:
        html = loader.get_template("errors/500.html").render(context)
    except Exception:
        logger.exception("Error page: the 500 template could not be rendered")
        html = _bare_page(NATIONAL_CRISIS_LINES)
    return HttpResponseServerError(html)
