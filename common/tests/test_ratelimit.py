"""Rate limits for forms sent without logging in count in the cache only, by a keyed hash."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from common.ratelimit import allow, client_key


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def request_from(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_uses_within_the_limit_are_allowed_and_the_next_is_refused():
    request = request_from("203.0.113.7")

    assert [allow(request, scope="feedback", limit=3, per_seconds=60) for _ in range(4)] == [True, True, True, False]


def test_another_address_has_its_own_count():
    for _ in range(3):
        allow(request_from("203.0.113.7"), scope="feedback", limit=3, per_seconds=60)

    assert allow(request_from("198.51.100.1"), scope="feedback", limit=3, per_seconds=60)


def test_each_scope_has_its_own_count():
    request = request_from("203.0.113.7")
    for _ in range(3):
        allow(request, scope="feedback", limit=3, per_seconds=60)

    assert allow(request, scope="survey", limit=3, per_seconds=60)


def test_the_key_does_not_hold_the_address():
    key = client_key(request_from("203.0.113.7"), scope="feedback")

    assert "203.0.113.7" not in key
    assert key != client_key(request_from("203.0.113.8"), scope="feedback")
