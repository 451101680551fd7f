"""The kinds of message, each registered by the app that owns it in its `AppConfig.ready()`.

A kind says how to build its message at the moment it is sent (so it carries the latest
details) and whether it is still worth sending: a builder raises `NoLongerNeeded` for a
reminder about a meeting that has since been cancelled, say, and the outbox records that
instead of sending. The outbox imports no app of ours; apps come to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Message


class NoLongerNeeded(Exception):
    """Raised by a builder when the message no longer makes sense; the text is the reason."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Content:
    """A message ready to go: for email a subject, text and HTML; for a text message, ``text``."""

    text: str
    subject: str = ""
    html: str = ""
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    build: Callable[[Message], Content]


_KINDS: dict[str, Kind] = {}


def register(name: str, *, label: str, build: Callable[[Message], Content]) -> None:
    """Registers how to build messages of one kind. Registering the same name twice with a
    different builder is a mistake that would send the wrong words, so it raises."""
    existing = _KINDS.get(name)
    if existing is not None and existing.build is not build:
        raise ValueError(f"Message kind {name!r} is already registered.")
    _KINDS[name] = Kind(name=name, label=label, build=build)


def stored_content(message: Message) -> Content:
    """For messages whose words were fixed when they were made (account emails carry a one-off
    link that exists only at that moment): what was stored on the row. Once the retention job
    has removed those words there is nothing left to send."""
    if message.body_removed_at is not None:
        raise NoLongerNeeded("its words were removed after the time messages are kept.")
    return Content(subject=message.subject, text=message.body_text, html=message.body_html)


def register_prepared(name: str, *, label: str) -> None:
    """Registers a kind whose messages are made with their words (`sending.queue_prepared`)."""
    register(name, label=label, build=stored_content)


def get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No message kind {name!r} is registered; is its app installed?") from None


def label_for(name: str) -> str:
    kind = _KINDS.get(name)
    return kind.label if kind else name


def registered() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.label)
