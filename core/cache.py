"""Cached computations with explicit invalidation by generation.

A computation cached with `cached(key, compute, depends_on=(…))` is stored with the current
generation of each named data set, read back with them in one round trip; `invalidate(name)`
gives that data set a new generation, so that every entry computed from it is computed again.

A generation is a random token, not a counter: if the cache evicts or loses a generation, the
next read draws a new one, so an old entry can never come back to life.

`invalidate` renews the generation at once (a reader inside the writing transaction sees its own
writes recomputed) and again when the transaction commits: a request that computed from the
data before the commit, under the first new generation, cannot leave its figures behind. Inside a
transaction, a write renews the generation only if it was read since the last renewal, and the
commit renews it once: a save of three hundred rows costs two cache writes, and a read in between
still sees every write.

`invalidate_on_writes(name, models)` renews a generation on every save and delete of the models
and every change of their many-to-many relations (or, given `fields`, only the saves that may
write one of those columns); bulk writes (`bulk_create`, `update`) send no
signal and call `invalidate` themselves; `migrate` (every deployment) renews them all.
`cached_content` caches a page's rendered content per set of the query parameters it reads;
`cached_page` caches whole pages for the visitors who are not logged in. Both store the
visitor's own tokens (CSRF token of a form, CSP nonce) as marks, put back per request.

Everything goes through Django's cache API, so the project's handling of a cache outage applies.

`ResilientRedisCache`, the production backend, is the Redis cache made to degrade instead of
break when Redis is unreachable. Everything the platform keeps in the cache can be rebuilt or
lost: the home page's calendar (read again from the database on a miss), the cached diagnostic
indicators and their generations (recomputed), the rate-limit counters (allauth's and
core.ratelimit's).
Django's RedisCache raises on every call while Redis is down, which turned the home page and the
login form into 500s. Here a Redis failure is logged once, and for the next `RETRY_AFTER` seconds
every call goes to a local-memory cache of the process instead, without waiting for Redis again:

- reads miss, so that pages read the database as they do on a cold cache;
- rate limits keep counting, per process (each gunicorn worker counts on its own until Redis is
  back): a limit may let a few more requests through during an outage, never lock anybody out
  for good, and never answer 500.

Sessions do not live in the cache (the database holds them), so nobody is logged out.
"""

import functools
import hashlib
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Entries live one day at most: a generation change makes them unreachable at once anyway.
TIMEOUT = 24 * 3600


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def _renew(name: str) -> None:
    cache.set(_generation_key(name), secrets.token_hex(8), timeout=None)


class _RenewAtCommit:
    """The commit callback of one generation (recognised among the transaction's callbacks)."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self) -> None:
        _renew(self.name)


# The generations this thread renewed inside its transaction and has not read since: another
# write of the same transaction need not renew them again before the commit does (nobody else
# sees the transaction's rows before it commits).
_unread = threading.local()


def _unread_names() -> set[str]:
    if not hasattr(_unread, "names"):
        _unread.names = set()
    return _unread.names


def invalidate(name: str) -> None:
    """Every cached computation that depends on `name` is recomputed on its next read."""
    connection = transaction.get_connection()
    pending = connection.in_atomic_block and any(
        isinstance(callback, _RenewAtCommit) and callback.name == name
        for _, callback, _ in connection.run_on_commit
    )
    if pending and name in _unread_names():
        # Renewed by an earlier write of this transaction and not read since; renewed again at
        # its commit. (A rolled-back savepoint drops its callbacks: the next write renews anew.)
        return
    _renew(name)
    if connection.in_atomic_block:
        _unread_names().add(name)
    if not pending:
        transaction.on_commit(_RenewAtCommit(name))


# The generations renewed by writes, all renewed after `migrate`: a deployment runs it, and a new
# release may render the same data otherwise (templates, code) or rewrite rows in bulk.
TRACKED: set[str] = set()


def invalidate_all(**kwargs) -> None:
    for name in sorted(TRACKED):
        invalidate(name)


def invalidate_on_writes(
    name: str, models: Iterable[type[Model]], *, fields: Iterable[str] | None = None
) -> None:
    """Renew the generation `name` on every save or delete of `models` and on every change of
    the many-to-many relations they hold (pass the auto-created through models too).

    With `fields`, the pages follow only those columns: a save that names its `update_fields`
    without any of them leaves the generation as it is (a login writes `last_login` alone)."""
    TRACKED.add(name)
    followed = None if fields is None else frozenset(fields)

    def changed(**kwargs) -> None:
        invalidate(name)

    def saved(*, update_fields=None, **kwargs) -> None:
        if followed is None or update_fields is None or followed & set(update_fields):
            invalidate(name)

    for model in models:
        label = model._meta.label_lower
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{name}-save-{label}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{name}-delete-{label}")
        m2m_changed.connect(changed, sender=model, weak=False, dispatch_uid=f"{name}-m2m-{label}")


def generations(names: Iterable[str]) -> str:
    """The current generations of `names`, as one string (one cache round trip)."""
    names = list(names)
    _unread_names().difference_update(names)
    found = cache.get_many([_generation_key(n) for n in names])
    tokens = []
    for name in names:
        token = found.get(_generation_key(name))
        if token is None:
            cache.add(_generation_key(name), secrets.token_hex(8), timeout=None)
            token = cache.get(_generation_key(name))
        tokens.append(str(token))
    return "-".join(tokens)


_MISSING = object()


def _lookup(key: str, names: list[str]) -> tuple[str | None, object]:
    """The current generations of `names` and the entry stored under `key` if it was computed
    under them (else `_MISSING`), in one cache round trip. The generations are None when one of
    them is missing from the cache (never drawn, or evicted)."""
    keys = [_generation_key(name) for name in names]
    found = cache.get_many([key, *keys])
    _unread_names().difference_update(names)
    tokens = [found.get(k) for k in keys]
    if any(token is None for token in tokens):
        return None, _MISSING
    current = "-".join(str(token) for token in tokens)
    entry = found.get(key)
    if entry is None or entry[0] != current:
        return current, _MISSING
    return current, entry[1]


def cached(key: str, compute: Callable[[], T], *, depends_on: Iterable[str]) -> T:
    """`compute()`, cached until one of the data sets in `depends_on` is invalidated.

    The entry keeps the generations it was computed under: a read takes the entry and the
    current generations together, and an entry of older generations is computed again (and
    replaced)."""
    names = list(depends_on)
    current, value = _lookup(key, names)
    if value is _MISSING:
        if current is None:
            current = generations(names)
        value = compute()
        cache.set(key, (current, value), timeout=TIMEOUT)
    return value


# --- The visitor's tokens in cached content ------------------------------------------------------

# What stands in the cache for a visitor's CSRF token and CSP nonce. A NUL character never comes
# out of a template from data (Django's form fields refuse it), so no content can contain a mark.
CSRF_MARK = "\x00csrf\x00"
NONCE_MARK = "\x00csp-nonce\x00"
# A masked CSRF token as `{% csrf_token %}` writes it: 64 letters and digits.
_CSRF_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def _freeze(request, content: str) -> str:
    """`content` rendered for `request`, with the visitor's tokens replaced by marks: the CSRF
    tokens of its forms (each one recognised by the visitor's secret, so no other 64-character
    string is touched) and the CSP nonce, when the render used them."""
    if getattr(request, "csp_nonce", None):  # django-csp's lazy nonce is true once it was read
        content = content.replace(str(request.csp_nonce), NONCE_MARK)
    secret = request.META.get("CSRF_COOKIE")
    if secret and request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # set by get_token()
        content = _CSRF_TOKEN.sub(
            lambda match: CSRF_MARK if _unmask_cipher_token(match[0]) == secret else match[0], content
        )
    return content


def _thaw(request, content: str | bytes) -> str | bytes:
    """Cached `content` with this visitor's tokens in place of the marks. Asking for the token
    gives the visitor a CSRF cookie when they have none (CsrfViewMiddleware sets it), and reading
    the nonce puts it in this response's Content-Security-Policy header. A whole page is kept
    as the bytes of its body (encoded once, not on every visit)."""
    text = isinstance(content, str)
    nonce_mark = NONCE_MARK if text else NONCE_MARK.encode()
    csrf_mark = CSRF_MARK if text else CSRF_MARK.encode()
    if nonce_mark in content:
        nonce = str(request.csp_nonce)
        content = content.replace(nonce_mark, nonce if text else nonce.encode())
    if csrf_mark in content:
        token = get_token(request)
        content = content.replace(csrf_mark, token if text else token.encode())
    return content


def _request_digest(request, *, path: bool) -> str:
    query = urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))
    where = request.path if path else ""
    return hashlib.sha256(f"{request.scheme}://{request.get_host()}{where}?{query}".encode()).hexdigest()[:32]


def cached_content(
    request,
    key: str,
    render: Callable[[], str],
    *,
    depends_on: Iterable[str],
    parameters: Iterable[str],
) -> SafeString:
    """A page's content rendered by `render()` (a template rendered to a string, escaped by it),
    cached per set of query parameters until one of `depends_on` is invalidated. The content must
    be the same for every visitor the key stands for (`key` names what else it varies on), but
    for the CSRF tokens of its forms and the CSP nonce, which are the visitor's own.

    Only requests carrying the `parameters` the page reads use the cache; any other parameter is
    rendered without it, so that made-up parameters cannot fill the cache."""
    if not set(request.GET) <= set(parameters):
        return mark_safe(render())  # escaped by its template
    digest = _request_digest(request, path=False)
    content = cached(f"{key}:{digest}", lambda: _freeze(request, render()), depends_on=depends_on)
    return mark_safe(_thaw(request, content))  # escaped by its template


def _visitor_without_state(request, parameters: frozenset[str]) -> bool:
    """A request whose page is the same for every visitor: no session (so nobody logged in, no
    draft kept for them), no message waiting, not an htmx fragment, only the parameters the page
    reads."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HX-Request" not in request.headers
        and set(request.GET) <= parameters
    )


def _storable(request, response) -> bool:
    """A response that any other visitor may be given: a complete HTML page that changed nothing
    of the visitor's (no cookie of its own, no session written, no message added)."""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and isinstance(response, HttpResponse)
        and getattr(response, "is_rendered", True)
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not (session is not None and session.modified)
        and not (messages is not None and messages.added_new)
    )


def cached_page(*, depends_on: Iterable[str], parameters: Iterable[str] = ()):
    """Decorate a public view so that visitors who are not logged in get the page from the cache
    until one of `depends_on` is invalidated, once per path, set of query parameters and day (a
    page may show what is due or past). The visitor's CSRF token and CSP nonce are their own.

    Everybody else (a session, a message waiting, another parameter, an htmx request) gets the
    page rendered by the view, and only a plain 200 page is stored."""
    names = tuple(depends_on)
    read = frozenset(parameters)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _visitor_without_state(request, read):
                return view(request, *args, **kwargs)
            day = timezone.localdate().isoformat()
            key = f"page:{_request_digest(request, path=True)}:{day}"
            current, stored = _lookup(key, list(names))
            if stored is _MISSING:
                if current is None:
                    current = generations(names)
                response = view(request, *args, **kwargs)
                if _storable(request, response):
                    content = _freeze(request, response.content.decode(response.charset))
                    body = content.encode(response.charset)
                    cache.set(key, (current, (body, response["Content-Type"])), timeout=TIMEOUT)
            else:
                content, content_type = stored
                response = HttpResponse(_thaw(request, content), content_type=content_type)
            # The page differs for a logged-in visitor: shared caches must keep them apart.
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapper

    return decorator


# --- The Redis backend that degrades instead of breaking ---------------------------------------


# Seconds during which a failed Redis is not asked again (each try can cost the connect timeout).
RETRY_AFTER = 5.0


def _redis_errors() -> tuple[type[Exception], ...]:
    import redis

    return (redis.exceptions.RedisError, OSError)


class _OneClientPerPool(RedisCacheClient):
    """Django's client builds a new `redis.Redis` for every cache call, whose constructor fills a
    table of some 170 reply callbacks: half a millisecond per call, two to four calls per page.
    A `redis.Redis` is safe to share between threads (each command borrows a connection from
    the pool), so one per connection pool serves them all."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool
        self._fallback = LocMemCache(f"fallback-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self._fallback.key_prefix = self.key_prefix
        self._down_until = 0.0
        self._lock = threading.Lock()
        self._errors = _redis_errors()

    def ping(self) -> None:
        """Ask Redis itself, past the fallback (the readiness probe): raises when it does not answer."""
        self._cache.get_client(write=True).ping()

    @property
    def redis_available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _call(self, name: str, *args, **kwargs):
        if self.redis_available:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except self._errors as exc:
                with self._lock:
                    first = self.redis_available
                    self._down_until = time.monotonic() + RETRY_AFTER
                if first:
                    logger.warning(
                        "Cache Redis injoignable (%s) : cache local du processus pendant %s s.",
                        exc.__class__.__name__,
                        RETRY_AFTER,
                    )
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")
