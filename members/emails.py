"""Emails to members: one function per message, each with subject, text and HTML templates
side by side under ``templates/emails/members/``.

Two kinds of email, and the rule that tells them apart:

- **Account emails** set up or secure someone's login (verification, password reset, the
  welcome email with its set-password link). They go whatever the person's contact
  preferences, because without them the person cannot reach their own account, and they say
  nothing about the group's activities. allauth sends most of them; `send_welcome_email` is
  the one this module sends.
- **Every other email** goes through `send_member_email`, which asks
  `members.consent.can_contact(member, purpose, "email")` first and sends nothing if the
  answer is no. Senders in other apps follow the same rule.

Subjects show on lock screens: "<subject> – <group short name>", never naming mental health.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.module_loading import import_string

from .consent import ContactPurpose, can_contact, current_consents
from .models import Channel, Member


def group_context() -> dict[str, Any]:
    """The group's names and contacts, which sign every email."""
    return import_string(settings.EMAIL_CONTEXT_FUNCTION)()


def render_email(template_prefix: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Renders ``<prefix>_subject.txt``, ``<prefix>.txt`` and ``<prefix>.html``."""
    context = {**group_context(), **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    subject = f"{subject} – {context['group_profile'].short_name}"
    text = render_to_string(f"{template_prefix}.txt", context)
    html = render_to_string(f"{template_prefix}.html", context)
    return subject, text, html


def _send(template_prefix: str, to: str, context: dict[str, Any]) -> None:
    subject, text, html = render_email(template_prefix, context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def send_member_email(
    *, member: Member, purpose: ContactPurpose | str, template_prefix: str, context: dict[str, Any] | None = None
) -> bool:
    """Sends a non-account email to a member if, and only if, they may be contacted for this
    purpose by email right now. Returns whether it was sent."""
    if not can_contact(member, purpose, Channel.EMAIL):
        return False
    member = Member.objects.select_related("user").get(pk=member.pk)
    _send(template_prefix, member.user.email, {"member": member, "user": member.user, **(context or {})})
    return True


def absolute_url(path: str) -> str:
    """The path on the portal's public address (PORTAL_BASE_URL): emails are built in the
    worker, where there is no request to take the address from."""
    return f"{settings.PORTAL_BASE_URL}{path}"


def set_password_url(user) -> str:
    """A one-off link (allauth's password reset key) where the person chooses a password."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    # The same address allauth's own reset emails use.
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return absolute_url(path.replace("UID-KEY", quote(key)))


def _how_recorded(member: Member) -> str:
    record = member.consents.exclude(method="online").order_by("-recorded_at", "-id").first()
    return record.get_method_display().lower() if record else ""


def send_welcome_email(member: Member) -> bool:
    """Welcomes someone a coordinator registered by phone or on paper, with a link to set a password.

    An account email (it is how they get into their own account), so it does not ask
    `can_contact`. Sends nothing to someone registered without an email address; returns
    whether it was sent. Queued by the admin through `members.tasks.send_welcome_email`.
    """
    user = member.user
    if not user.email:
        return False
    _send(
        "emails/members/welcome",
        user.email,
        {
            "member": member,
            "user": user,
            "consents": current_consents(member),
            "channels": [Channel(channel).label.lower() for channel in member.channels],
            "method": _how_recorded(member),
            "set_password_url": set_password_url(user),
            "login_url": absolute_url(reverse("account_login")),
            "password_reset_url": absolute_url(reverse("account_reset_password")),
            "link_valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
    )
    return True
