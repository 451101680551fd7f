"""PDFs for the whole project: WeasyPrint behind one function.

Every PDF is tagged and made to PDF/UA-1, so screen readers can read it (headings, tables and
reading order come from the template's HTML). Templates live under ``templates/pdf/``.

A PDF may load only the project's own static files (``{% static 'pdf/report.css' %}``, or
``static:pdf/report.css``) and ``data:`` URLs. Everything else — the network, and files anywhere
else on the machine — is refused: a template that shows text someone typed must never be able to
pull ``/etc/passwd`` or an internal web address into a report.
"""

from __future__ import annotations

import functools
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# Relative URLs in a template resolve against the root of this made-up file tree, so
# "/static/pdf/report.css" becomes "file:///static/pdf/report.css" and "../x" stays inside it.
BASE_URL = "file:///"


class RefusedURL(ValueError):
    """A PDF asked for something outside the project's static files. WeasyPrint skips it."""


def static_name_for(url: str) -> str | None:
    """The static file name a URL asks for ("pdf/report.css"), or None if it is not one of ours.

    Accepted: ``static:pdf/report.css``, ``file:///static/pdf/report.css`` (a ``{% static %}``
    path resolved against ``BASE_URL``), and the full ``STATIC_URL`` when that is absolute.
    """
    static_url = settings.STATIC_URL or "/static/"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "static":
        name = parts.path
    elif scheme == "file" and not parts.netloc:
        prefix = urlsplit(static_url).path
        if not prefix.endswith("/") or not parts.path.startswith(prefix):
            return None
        name = parts.path[len(prefix) :]
    elif scheme in ("http", "https") and "://" in static_url and url.startswith(static_url):
        name = urlsplit(url).path[len(urlsplit(static_url).path) :]
    else:
        return None
    name = unquote(name).lstrip("/")
    segments = name.split("/")
    if not name or "\\" in name or "\x00" in name or any(segment in ("", ".", "..") for segment in segments):
        return None
    return name


def static_file_for(url: str) -> Path | None:
    """The file on disk for one of the project's static files, or None.

    Collected files (STATIC_ROOT, with hashed names in production) come first, then the
    staticfiles finders, so this works before and after ``collectstatic``.
    """
    name = static_name_for(url)
    if name is None:
        return None
    root = Path(settings.STATIC_ROOT).resolve() if settings.STATIC_ROOT else None
    if root is not None:
        candidate = (root / name).resolve()
        if candidate.is_file() and candidate.is_relative_to(root):
            return candidate
    found = finders.find(name)
    if isinstance(found, list):  # find(all=True) shape; not used, but be safe.
        found = found[0] if found else None
    return Path(found) if found else None


@functools.cache
def _fetcher_class():
    # Built on first use: importing WeasyPrint loads Pango and fonts, which most requests never need.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        """Reads the project's static files and ``data:`` URLs; refuses everything else."""

        def __init__(self):
            # Whatever reaches WeasyPrint's own fetcher may only be a data: URL.
            super().__init__(allowed_protocols=("data",), allow_redirects=False)

        def fetch(self, url, headers=None):
            if url[:5].lower() == "data:":
                return super().fetch(url, headers)
            path = static_file_for(url)
            if path is None:
                raise RefusedURL(f"PDFs may only use the project's static files and data: URLs, not {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            # Keep the URL as asked, so URLs inside a stylesheet resolve against static files too.
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyURLFetcher


def static_only_url_fetcher():
    """A WeasyPrint URL fetcher that only reads the project's static files and ``data:`` URLs."""
    return _fetcher_class()()


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Renders a Django template to a tagged, accessible PDF (PDF/UA-1) and returns its bytes.

    The template may use the project's static files (stylesheets, images, fonts) and ``data:``
    URLs; nothing else is fetched.
    """
    # Imported here: WeasyPrint loads Pango and fonts, which most requests never need.
    from weasyprint import HTML

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_url_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")
