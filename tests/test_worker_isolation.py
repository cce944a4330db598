"""What lets scripts/test run the suite in parallel (pytest-xdist): each worker its own cache keys
and its own test database."""

import os
import uuid

import pytest
from django.core.cache import cache, caches
from django.db import connection

from tests.worker_cache import WorkerRedisCache, worker_caches, worker_name


def test_this_process_uses_its_own_cache_prefix():
    assert worker_name() == os.environ.get("PYTEST_XDIST_WORKER", "main")
    assert cache.key_prefix == f"test-{worker_name()}-default"
    if os.environ.get("REDIS_URL"):
        assert isinstance(caches["default"], WorkerRedisCache)


def test_worker_caches_only_changes_prefix_and_redis_backend(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    redis = {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": "redis://r:6379/0"}
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    assert worker_caches({"default": redis, "other": locmem}) == {
        "default": {
            "BACKEND": "tests.worker_cache.WorkerRedisCache",
            "LOCATION": "redis://r:6379/0",
            "KEY_PREFIX": "test-gw3-default",
        },
        "other": {**locmem, "KEY_PREFIX": "test-gw3-other"},
    }


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis server of REDIS_URL (CI)")
def test_clearing_one_worker_cache_leaves_the_other_workers_keys():
    location = os.environ["REDIS_URL"]
    run = uuid.uuid4().hex[:8]
    mine = WorkerRedisCache(location, {"KEY_PREFIX": f"test-{run}-a"})
    theirs = WorkerRedisCache(location, {"KEY_PREFIX": f"test-{run}-b"})
    mine.set("compteur", 1)
    theirs.set("compteur", 2)
    mine.clear()
    assert mine.get("compteur") is None
    assert theirs.get("compteur") == 2
    theirs.clear()
    assert theirs.get("compteur") is None


def test_each_worker_has_its_own_test_database(db):
    if "PYTEST_XDIST_WORKER" in os.environ:
        # pytest-django suffixes the test database with the worker's name: test_fne_gw0… (on
        # SQLite, the file var/test-db.sqlite3_gw0…)
        assert connection.settings_dict["NAME"].endswith(f"_{worker_name()}")
