"""allauth adapters: account emails from our templates, through the outbox; TOTP secrets encrypted at rest."""

from __future__ import annotations

from functools import cached_property

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.html import strip_tags

from common.group import group_context, group_profile
from outbox.kinds import Content

from .messages import account_email


class AccountAdapter(DefaultAccountAdapter):
    # allauth's error messages in plain English (the keys are allauth's; the rest stay its own).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account is closed.",
        "cannot_remove_primary_email": (
            "You cannot remove your primary email address. Make another address primary first."
        ),
        "duplicate_email": "This email address is already on your account.",
        "email_password_mismatch": "The email address or password is not correct.",
        "email_taken": "There is already an account with this email address.",
        "enter_current_password": "Enter your current password.",
        "incorrect_code": "The code is not correct. Check it and try again.",
        "incorrect_password": "The password is not correct.",
        "invalid_or_expired_key": "This link has expired or has been used already.",
        "invalid_login": "The email address or password is not correct.",
        "invalid_password_reset": "This password link has expired or has been used already.",
        "max_email_addresses": "You can have up to %d email addresses on your account.",
        "too_many_login_attempts": "Too many failed login attempts. Wait a few minutes, then try again.",
        "unknown_email": "There is no account with this email address.",
        "unverified_primary_email": "Confirm your primary email address first.",
        "select_only_one": "Choose one only.",
        "same_as_current": "This is the same as the one you have now.",
        "rate_limited": "You have tried this too many times. Wait a few minutes, then try again.",
    }

    def is_open_for_signup(self, request) -> bool:
        return True

    def save_user(self, request, user, form, commit=True):
        """Everyone who signs up joins as a member (status "interested" until onboarding is done)."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from .services import get_or_create_member

            get_or_create_member(user)
        return user

    def get_login_redirect_url(self, request) -> str:
        """Members land on "Your involvement", commissioners on their Reports page (all they may
        use); staff keep the usual page."""
        from .roles import is_commissioner
        from .state import member_state

        user = request.user
        if is_commissioner(user):
            return reverse("reports:home")
        if not user.is_staff and member_state(request):
            return reverse("members:dashboard")
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account emails go through the outbox like every other message: recorded now, with
        their words (they hold a one-off link), and sent after the commit, so a page that asks
        for one (sign up, reset a password) works even while the mail server or the queue is
        down. They are signed with the group's own name and contacts."""
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **group_context(),
            **context,
        }
        # render_mail builds allauth's message without sending it; the outbox sends.
        rendered = self.render_mail(template_prefix, email, context)
        html = next((body for body, mimetype in getattr(rendered, "alternatives", []) if mimetype == "text/html"), "")
        text = rendered.body
        if rendered.content_subtype == "html":  # allauth found an HTML template only
            html, text = rendered.body, strip_tags(rendered.body)
        account_email(to=email, content=Content(subject=rendered.subject, text=text, html=html))

    def format_email_subject(self, subject: str) -> str:
        # Subjects show on lock screens: the group's discreet short name, nothing more.
        short_name = group_profile().short_name
        return f"{subject} – {short_name}"


class EncryptingMFAAdapter(DefaultMFAAdapter):
    """Encrypts TOTP secrets and recovery-code seeds with MFA_ENCRYPTION_KEY (Fernet)."""

    # allauth's two-step error messages in the portal's words (the keys are allauth's).
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": "You cannot add an email address while two-step security is on.",
        "cannot_delete_authenticator": "You cannot turn off two-step security.",
        "cannot_generate_recovery_codes": "Set up an authenticator app before you get recovery codes.",
        "incorrect_code": "The code is not correct. Check your authenticator app and try again.",
        "unverified_email": "Confirm your email address before you set up two-step security.",
    }

    @cached_property
    def _fernet(self) -> Fernet:
        try:
            return Fernet(settings.MFA_ENCRYPTION_KEY)
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                "MFA_ENCRYPTION_KEY must be a Fernet key: 32 url-safe base64-encoded bytes. "
                'Make one with: python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"'
            ) from None

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return self._fernet.decrypt(encrypted_text.encode()).decode()
        except InvalidToken:
            raise ImproperlyConfigured(
                "A stored two-factor secret cannot be decrypted: MFA_ENCRYPTION_KEY has changed."
            ) from None
