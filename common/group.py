"""The group's own details (its names, contacts and signposts), for any app.

The profile model lives in the project package (``involvement.GroupProfile``), which apps below it
must not import; ``settings.EMAIL_CONTEXT_FUNCTION`` names the one function that loads it (cached,
and cleared when a coordinator edits it), and everything asks through here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


def group_context() -> dict[str, Any]:
    """``group_profile``, ``crisis_signposts`` and ``support_signposts``: what every email and page may show."""
    return import_string(settings.EMAIL_CONTEXT_FUNCTION)()


def group_profile():
    """The group profile (``involvement.GroupProfile``): names, contacts, reminder and debrief timing."""
    return group_context()["group_profile"]
