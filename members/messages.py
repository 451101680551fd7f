"""Members' own messages, all through the outbox: the welcome email to someone a coordinator
registered, and allauth's account emails.

Both are **account emails**: they set up or secure someone's login (the welcome email with its
set-password link; allauth's address confirmation, password reset, "you already have an
account"). They go whatever the person's contact choices, because without them the person
cannot reach their own account (the outbox's ``ACCOUNT`` purpose, which the recipients hook in
``members.recipients`` allows for any live account with an email address), and they say nothing
about the group's activities. Every other message in the project is for a purpose that
``members.consent.can_contact`` decides on.

Subjects show on lock screens: "<subject> – <group short name>", never naming mental health.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from outbox import kinds, sending
from outbox.kinds import Content, NoLongerNeeded
from outbox.models import Message
from outbox.rendering import render_for

from .consent import current_consents
from .models import Channel, Member, User

WELCOME = "members.welcome"
ACCOUNT_EMAIL = "members.account_email"


def register_kinds() -> None:
    """Called from MembersConfig.ready()."""
    kinds.register(WELCOME, label="Welcome email with a link to set a password", build=build_welcome)
    kinds.register_prepared(ACCOUNT_EMAIL, label="Account email (confirm an address, reset a password)")


# --- The welcome email ---------------------------------------------------------------------------


def welcome(*, member: Member) -> list[int]:
    """Records the welcome email to someone a coordinator registered by phone or on paper, in
    the caller's transaction; the outbox sends it after commit, once. Nothing for someone with
    no email address (they cannot log in; staff keep in touch by phone or post)."""
    if not member.user.email:
        return []
    return sending.queue(kind=WELCOME, about=member, recipient=member.user, purpose=sending.ACCOUNT)


def build_welcome(message: Message) -> Content:
    """What was written down for them, and a one-off link to choose a password. The link is made
    now, as the message is sent, so it is fresh however long the message waited."""
    member = Member.objects.select_related("user").filter(pk=message.about_id).first()
    if member is None or member.erased_at:
        raise NoLongerNeeded("the member's details have been erased.")
    user = member.user
    if not user.email:
        raise NoLongerNeeded("they have no email address.")
    return render_for(
        message,
        "emails/members/welcome",
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


def _how_recorded(member: Member) -> str:
    record = member.consents.exclude(method="online").order_by("-recorded_at", "-id").first()
    return record.get_method_display().lower() if record else ""


def absolute_url(path: str) -> str:
    """The path on the portal's public address (PORTAL_BASE_URL): messages are built in the
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


# --- allauth's account emails -----------------------------------------------------------------


def account_email(*, to: str, content: Content) -> int:
    """Records an account email allauth has written (its words hold a one-off link, so they are
    kept as they are), to be sent after commit. It is recorded against the account that has the
    address, if any: allauth also writes to addresses with no account ("someone asked to reset a
    password here")."""
    return sending.queue_prepared(kind=ACCOUNT_EMAIL, recipient=account_for(to), to=to, content=content)


def account_for(email: str) -> User | None:
    """The account an email address belongs to: one of its addresses, or its login."""
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        return address.user
    return User.objects.filter(email__iexact=email).first()
