"""One cache per test process, so that pytest-xdist workers never see nor clear each other's keys.

Every test clears the cache (tests/conftest.py). With REDIS_URL set (CI) the workers share one
Redis server, where Django's RedisCache.clear() is a FLUSHDB: one worker would wipe the others'
rate-limit counters and cached pages in the middle of their tests. Here each worker prefixes its
keys with its name (PYTEST_XDIST_WORKER: gw0, gw1…; « main » without xdist) and clearing deletes
the keys under that prefix only. The local-memory cache is per process already; it gets the
prefix too, so that keys look the same in both.
"""

import os

from core.cache import ResilientRedisCache

REDIS_BACKEND = "core.cache.ResilientRedisCache"
DELETE_BATCH = 1000


def worker_name() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def worker_caches(caches: dict) -> dict:
    """`settings.CACHES` with every cache isolated for this process."""
    isolated = {}
    for alias, config in caches.items():
        config = {**config, "KEY_PREFIX": f"test-{worker_name()}-{alias}"}
        if config["BACKEND"] == REDIS_BACKEND:
            config["BACKEND"] = f"{__name__}.WorkerRedisCache"
        isolated[alias] = config
    return isolated


class WorkerRedisCache(ResilientRedisCache):
    def clear(self) -> bool:
        self._fallback.clear()
        if not self.redis_available:
            return True
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=DELETE_BATCH))
        for start in range(0, len(keys), DELETE_BATCH):
            client.delete(*keys[start : start + DELETE_BATCH])
        return True
