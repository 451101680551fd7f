"""Django's Redis cache, with one Redis client per process instead of one per cache call.

Django's RedisCacheClient keeps a connection pool per server but builds a new `redis.Redis`
object around it for every get or set. With redis-py 8 that construction (it fills a table of
some 170 response callbacks) costs about as much CPU as the round trip itself, and a logged-in
page makes two or three cache calls. A `redis.Redis` holds no connection of its own (it borrows
one from the pool for each command) and is safe to share between threads, so one per pool is
enough. The pool notices a fork and starts afresh in the child, so gunicorn's workers do not
share sockets.

Used by the settings whenever REDIS_URL is set.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id of a connection pool -> the one client using it

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools live as long as this object: ids stay unique
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
