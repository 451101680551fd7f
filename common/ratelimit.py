"""Rate limits for forms anyone can send without logging in (reader feedback, public surveys).

Counts live only in the cache, under a key made from a keyed hash of the client's address and
the current time window, and expire with the window. No address is written to the database or
to a log, and the hash cannot be turned back into an address without the site's secret key.
The client's address is the one allauth uses for its own limits (``ALLAUTH_TRUSTED_PROXY_COUNT``
says how many proxies to trust), so one setting covers every limit on the site.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest, *, scope: str) -> str:
    """A keyed hash of the client's address for ``scope``: the same browser-and-network gets the
    same key, and the key says nothing about the address to anyone without the secret key."""
    address = get_adapter(request).get_client_ip(request) or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{address}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def allow(request: HttpRequest, *, scope: str, limit: int, per_seconds: int) -> bool:
    """Counts one use of ``scope`` by this client and says whether it is within ``limit`` uses
    in the current window of ``per_seconds``. When the cache is down the use is allowed: a
    failing cache must not stop someone giving feedback."""
    window = int(time.time() // per_seconds)
    key = f"ratelimit:{scope}:{window}:{client_key(request, scope=scope)}"
    try:
        cache.add(key, 0, timeout=per_seconds + 1)
        used = cache.incr(key)
    except Exception:  # noqa: BLE001 - any cache failure means "no count", never an error page
        return True
    return used <= limit
