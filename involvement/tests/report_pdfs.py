"""Helpers for the report PDF tests: make a world once per module, render its PDF once, and
read the PDF back with pypdf.

Rendering a report takes a good part of a second, so each test module renders its PDF once
(`module_world`) and its tests assert on that one file.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from pypdf import PdfReader


@contextlib.contextmanager
def module_world(django_db_blocker):
    """A transaction held open for a test module, rolled back after it: what the module's
    fixture makes inside it is gone when the module ends (as the ``demo_group`` fixture does)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@dataclass
class Pdf:
    content: bytes
    world: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        self.reader = PdfReader(io.BytesIO(self.content))
        self.pages = [" ".join(page.extract_text().split()) for page in self.reader.pages]
        self.text = "\n".join(self.pages)

    @property
    def root(self):
        return self.reader.trailer["/Root"]

    @property
    def title(self) -> str:
        return self.reader.metadata.title or ""

    def page_numbers_in_footers(self) -> list[tuple[int, int]]:
        """Each "Page n of m" in the text, in page order."""
        return [(int(n), int(m)) for n, m in re.findall(r"Page (\d+) of (\d+)", self.text)]
