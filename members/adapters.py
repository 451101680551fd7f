"""allauth adapters: account emails from our templates, TOTP secrets encrypted at rest."""

from __future__ import annotations

from functools import cached_property

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.module_loading import import_string


class AccountAdapter(DefaultAccountAdapter):
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
        """Members land on "Your involvement"; staff and commissioners keep the usual page."""
        from .roles import is_commissioner
        from .state import member_state

        user = request.user
        if not user.is_staff and not is_commissioner(user) and member_state(request):
            return reverse("members:dashboard")
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account emails are signed with the group's own name and contacts."""
        context = {**import_string(settings.EMAIL_CONTEXT_FUNCTION)(), **context}
        super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject: str) -> str:
        # Subjects show on lock screens: the group's discreet short name, nothing more.
        short_name = import_string(settings.EMAIL_CONTEXT_FUNCTION)()["group_profile"].short_name
        return f"{subject} – {short_name}"


class EncryptingMFAAdapter(DefaultMFAAdapter):
    """Encrypts TOTP secrets and recovery-code seeds with MFA_ENCRYPTION_KEY (Fernet)."""

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
