"""Absolute links to meeting pages, for messages built where there is no request (background jobs)."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from .models import Meeting


def absolute_url(path: str) -> str:
    """The path on the portal's public address (PORTAL_BASE_URL)."""
    return f"{settings.PORTAL_BASE_URL}{path}"


def meeting_url(meeting: Meeting) -> str:
    """The meeting's page, where a member sees the details, and registers or cancels."""
    try:
        path = reverse("meetings:detail", args=[meeting.pk])
    except NoReverseMatch:
        # Only while the member pages are not wired in (a test settings' ROOT_URLCONF, say).
        path = f"/meetings/{meeting.pk}/"
    return absolute_url(path)
