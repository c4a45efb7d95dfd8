"""Django's Redis cache backend, keeping one redis-py client per server for the process.

Django's RedisCacheClient builds a new `redis.Redis` for every cache call (a good part of
the call's time, and a page makes several). A client is thread-safe and only wraps its
connection pool, which Django already keeps, so one is enough: nothing else changes.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _Clients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # connection pool -> its client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Clients
