"""The portal's authentication backends: Django's and allauth's, loading the logged-in user from
the cache.

On every request Django's session check loads the user the session names and compares a hash
of their password with the one stored in the session; by default that is a query a page. These
backends take the user from the cache instead (members.state.cached_user), which a save or delete
of the user replaces in every process before the next request, so a password change still logs
other sessions out and a deactivated account is logged out at once. Logging in, permissions and
everything else are the parents' own.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .state import cached_user


class CachedUserMixin:
    def get_user(self, user_id):
        user = cached_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(CachedUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(CachedUserMixin, AllauthBackend):
    pass
