"""Helpers for tests that log in with two-step authentication."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def activate_totp(user, secret: str = TEST_TOTP_SECRET) -> None:
    TOTP.activate(user, secret)


def current_code(secret: str = TEST_TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def client_with_two_step(user):
    """A test client logged in as ``user``, who has two-step authentication set up."""
    from django.test import Client

    activate_totp(user)
    client = Client()
    client.force_login(user)
    return client
