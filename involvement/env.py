"""Typed readers for settings that come from the environment.

Each helper fails loudly (ImproperlyConfigured) on a value it cannot
understand, so a typo in deployment configuration stops the process at start-up
instead of silently falling back to a default.
"""

from __future__ import annotations

import os

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()


def _raw(name: str, default: object) -> str | object:
    value = os.environ.get(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value.strip()


def env_str(name: str, default: str | object = _MISSING) -> str:
    return _raw(name, default)  # type: ignore[return-value]


def env_bool(name: str, default: bool | object = _MISSING) -> bool:
    value = _raw(name, default)
    if isinstance(value, bool):
        return value
    lowered = str(value).lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int | object = _MISSING, *, minimum: int | None = None) -> int:
    value = _raw(name, default)
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str] | object = _MISSING) -> list[str]:
    value = _raw(name, default)
    if isinstance(value, list):
        return value
    return [item.strip() for item in str(value).split(",") if item.strip()]


def env_database(name: str, default: str | object = _MISSING) -> dict:
    """Parse a database URL (postgres://…, sqlite:///…) into Django's DATABASES entry."""
    value = _raw(name, default)
    try:
        config = environ.Env.db_url_config(value)
    except Exception as exc:  # environ raises several kinds for a malformed URL
        raise ImproperlyConfigured(f"{name} is not a database URL: {exc}") from None
    if "." not in config.get("ENGINE", ""):  # environ passes an unknown scheme through as-is
        raise ImproperlyConfigured(f"{name} uses an unknown database scheme: {value!r}.")
    return config


def env_fernet_key(name: str, default: str | object = _MISSING) -> str:
    """A Fernet key (32 bytes, URL-safe base64), checked now rather than at the first log-in."""
    value = _raw(name, default)
    how = 'Make one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
    if not value:
        raise ImproperlyConfigured(f"{name} is empty; it must be a Fernet key. {how}")
    try:
        Fernet(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):  # binascii.Error is a ValueError
        raise ImproperlyConfigured(f"{name} is not a Fernet key (32 bytes, URL-safe base64-encoded). {how}") from None
    return value  # type: ignore[return-value]
