"""The Redis cache reuses one Redis client (common/cache.py), against a real Redis."""

from __future__ import annotations

import os

import pytest

from common.cache import RedisCache

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_cache():
    # Its own database number, next to the one the test run was given, cleared before and after.
    url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/14"
    backend = RedisCache(url, {"KEY_PREFIX": "common-cache-test"})
    backend.clear()
    yield backend
    backend.clear()


def test_every_call_uses_the_same_client(redis_cache):
    client = redis_cache._cache.get_client()

    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client("some-key") is client


def test_it_stores_and_reads_as_djangos_does(redis_cache):
    redis_cache.set("facts", ("stamp", ["Coordinators"], True), 60)
    redis_cache.set("count", 3, 60)

    assert redis_cache.get("facts") == ("stamp", ["Coordinators"], True)
    found = redis_cache.get_many(["facts", "count", "missing"])
    assert found == {"facts": ("stamp", ["Coordinators"], True), "count": 3}
    assert redis_cache.incr("count") == 4
    assert redis_cache.add("count", 10) is False
    redis_cache.delete("facts")
    assert redis_cache.get("facts") is None


def test_a_forked_process_gets_its_own_connections(redis_cache):
    """gunicorn forks its workers: a child must not talk over its parent's sockets."""
    redis_cache.set("before-fork", "yes", 60)
    pid = os.fork()
    if pid == 0:  # the child: exit status 0 only if it can read and write on its own connection
        try:
            redis_cache.set("in-child", "yes", 60)
            os._exit(0 if redis_cache.get("before-fork") == "yes" else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert redis_cache.get("in-child") == "yes"
    assert redis_cache.get("before-fork") == "yes"  # the parent's connection still works
