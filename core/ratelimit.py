"""A small cache-based rate limit for public form posts (allauth limits its own views).

    @ratelimit(key="candidatures-post", rate="20/h")
    def view(request): ...

Only the methods listed (POST by default) count. Over the limit the view is not called and the
visitor gets the 429 page with a message in French. The client IP is REMOTE_ADDR (set
FNE_BEHIND_PROXY and have the proxy overwrite it; X-Forwarded-For is never trusted here).
"""

import functools
import time

from django.core.cache import cache
from django.shortcuts import render

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """« 20/h » → (20, 3600); « 5/10m » → (5, 600)."""
    count, _, period = rate.partition("/")
    multiplier = int(period[:-1] or 1)
    return int(count), multiplier * PERIODS[period[-1]]


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "inconnue"


def is_limited(*, key: str, rate: str, ip: str) -> bool:
    """Count one hit for (key, ip) in the current window; True once the limit is passed."""
    limit, window = parse_rate(rate)
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{key}:{ip}:{bucket}"
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        hits = 1
    return hits > limit


def ratelimit(*, key: str, rate: str, methods: tuple[str, ...] = ("POST",)):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and is_limited(key=key, rate=rate, ip=client_ip(request)):
                return render(request, "429.html", {"rate": rate}, status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
