"""A small cache-based rate limit for the project's own posts (allauth limits its own views).

    @ratelimit(key="candidatures-post", rate="20/h")
    def view(request): ...

Only the methods listed (POST by default) count. Over the limit the view is not called and the
visitor gets the 429 page with a message in French.

Who is counted: a signed-in person by their account (behind a shared proxy or a préfecture's
single outgoing address, one person's posts never use up another's), a visitor by their address.
The address is the one allauth reads for its own limits (`client_ip`): REMOTE_ADDR, or, when the
deployment says how many proxies stand in front (FNE_TRUSTED_PROXY_COUNT, see settings), the
client's hop in X-Forwarded-For. An X-Forwarded-For sent without such a setting is ignored, so a
visitor cannot dodge the limit by writing the header.

The counters live in the cache; while Redis is unreachable they count in each process's memory
(core.cache), so a limit still holds (per process) and never turns into a 500.
"""

import functools
import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """« 20/h » → (20, 3600); « 5/10m » → (5, 600)."""
    count, _, period = rate.partition("/")
    multiplier = int(period[:-1] or 1)
    return int(count), multiplier * PERIODS[period[-1]]


def client_ip(request) -> str:
    """The client's address, as allauth reads it (one reading for every limit of the platform)."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # no usable address at all: such clients share one bucket
        return "inconnue"


def client_key(request) -> str:
    """Whom a limit counts: the account when signed in, the address otherwise."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"compte:{user.pk}"
    return f"ip:{client_ip(request)}"


def is_limited(*, key: str, rate: str, who: str) -> bool:
    """Count one hit for (key, who) in the current window; True once the limit is passed."""
    limit, window = parse_rate(rate)
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{key}:{who}:{bucket}"
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        hits = 1
    return hits > limit


def too_many_requests(request, rate: str):
    return render(request, "429.html", {"rate": rate}, status=429)


def ratelimit(*, key: str, rate: str, methods: tuple[str, ...] = ("POST",)):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and is_limited(key=key, rate=rate, who=client_key(request)):
                return too_many_requests(request, rate)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
