"""The coordinators' side of members: finding and editing members, registering someone by
phone or on paper, contact lists, consent texts, training, and the record access log.

Who may use these pages: staff with the Coordinators group's admin permissions (and
superusers). Members and commissioners are not staff, so the admin sends them to log in.

Equality monitoring answers are deliberately not registered: they are only ever reported
in aggregate, never shown against a person.

One module per model or job; importing them here is what registers them with the admin site.
"""

from . import access_log, accounts, consent_texts, member, training

__all__ = ["access_log", "accounts", "consent_texts", "member", "training"]
