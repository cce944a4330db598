"""Cached computations with explicit invalidation by generation.

A computation cached with `cached(key, compute, depends_on=(…))` is stored under a key that
includes the current generation of each named data set; `invalidate(name)` gives that data set a
new generation, so that every entry computed from it is never read again (it expires by itself).

A generation is a random token, not a counter: if the cache evicts or loses a generation, the
next read draws a new one, so an old entry can never come back to life.

`invalidate` renews the generation at once (a reader inside the writing transaction sees its own
writes recomputed) and again when the transaction commits: a request that computed from the
data before the commit, under the first new generation, cannot leave its figures behind.

Everything goes through Django's cache API, so the project's handling of a cache outage applies.
"""

import secrets
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

# Entries live one day at most: a generation change makes them unreachable at once anyway.
TIMEOUT = 24 * 3600


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def _renew(name: str) -> None:
    cache.set(_generation_key(name), secrets.token_hex(8), timeout=None)


def invalidate(name: str) -> None:
    """Every cached computation that depends on `name` is recomputed on its next read."""
    _renew(name)
    transaction.on_commit(lambda: _renew(name))


def generations(names: Iterable[str]) -> str:
    """The current generations of `names`, as one string (one cache round trip)."""
    names = list(names)
    found = cache.get_many([_generation_key(n) for n in names])
    tokens = []
    for name in names:
        token = found.get(_generation_key(name))
        if token is None:
            cache.add(_generation_key(name), secrets.token_hex(8), timeout=None)
            token = cache.get(_generation_key(name))
        tokens.append(str(token))
    return "-".join(tokens)


def cached(key: str, compute: Callable[[], T], *, depends_on: Iterable[str]) -> T:
    """`compute()`, cached until one of the data sets in `depends_on` is invalidated."""
    full_key = f"{key}:{generations(depends_on)}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=TIMEOUT)
    return value
