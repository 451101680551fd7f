"""Turning an app's templates into a message for the channel it goes on.

Each message has templates side by side under ``templates/emails/<app>/``:
``<name>_subject.txt``, ``<name>.txt`` and ``<name>.html`` for email, and ``<name>_sms.txt``
for a text message (short: a text of up to 160 characters costs one message). Subjects and
texts show on lock screens, so they end with the group's short name and never say what the
group is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string

from common.group import group_context

from .kinds import Attachment, Content
from .models import Channel, Message


def render_email(template_prefix: str, context: dict[str, Any], *, attachments: Sequence[Attachment] = ()) -> Content:
    context = {**group_context(), **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    short_name = context["group_profile"].short_name
    return Content(
        subject=f"{subject} – {short_name}",
        text=render_to_string(f"{template_prefix}.txt", context),
        html=render_to_string(f"{template_prefix}.html", context),
        attachments=tuple(attachments),
    )


def render_sms(template_prefix: str, context: dict[str, Any]) -> Content:
    context = {**group_context(), **context}
    lines = [line.strip() for line in render_to_string(f"{template_prefix}_sms.txt", context).splitlines()]
    return Content(text="\n".join(line for line in lines if line))


def render_for(
    message: Message, template_prefix: str, context: dict[str, Any], *, attachments: Sequence[Attachment] = ()
) -> Content:
    """The message in the form its channel needs (calendar files go with emails only)."""
    context = {"recipient": message.recipient, **context}
    if message.channel == Channel.SMS:
        return render_sms(template_prefix, context)
    return render_email(template_prefix, context, attachments=attachments)
