"""What the processes write to their logs, and what error reports may carry.

- Every request has an id: the one the reverse proxy sent in `X-Request-ID` (when it looks like
  an id), or a new one. It goes back in the response's `X-Request-ID`, into every log record
  written while the request runs, and into the Celery tasks the request sends (their log records
  carry it too), so that one id follows a PDF from the click to the worker.
- `RequestLogMiddleware` writes one record per request (logger `fne.requetes`): method, path
  without the query string (it may hold a search or a token), status, duration, user id and the
  département code when the URL names one. No e-mail address, no body.
- In production (FNE_PRODUCTION) settings format every record as one JSON object per line.
- Error reports (Sentry-compatible, SENTRY_DSN): `scrub_event` drops request bodies, cookies,
  authorisation headers and every e-mail address before anything leaves the process.
"""

import contextvars
import logging
import re
import time
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# An id someone else made is kept only when it cannot smuggle anything into a log line.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
MASKED = "[adresse masquée]"

requests_logger = logging.getLogger("fne.requetes")


def new_request_id(given: str | None = None) -> str:
    if given and _VALID_ID.match(given):
        return given
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (empty outside a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


def _departement_of(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None or "departements/<str:code>" not in (match.route or ""):
        return None
    return match.kwargs.get("code")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = new_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        user = getattr(request, "user", None)
        requests_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "departement": _departement_of(request),
            },
        )
        return response


# --- Celery: the request id travels with the task ------------------------------------------------


def task_publish_headers(headers: dict | None) -> None:
    """`before_task_publish`: the sending request's id goes into the message's headers."""
    request_id = request_id_var.get()
    if headers is not None and request_id and "request_id" not in headers:
        headers["request_id"] = request_id


def task_started(task) -> None:
    """`task_prerun`: the task's records carry the id of the request that sent it (a task run
    at once inside a request, as without a broker, keeps that request's id)."""
    request_id = getattr(task.request, "request_id", None) or (task.request.headers or {}).get("request_id")
    task.request.fne_request_id_token = request_id_var.set(request_id or request_id_var.get())


def task_ended(task) -> None:
    """`task_postrun`: back to the id from before the task (none in a worker)."""
    token = getattr(task.request, "fne_request_id_token", None)
    if token is not None:
        request_id_var.reset(token)


# --- Error reports ----------------------------------------------------------------------------


def _mask(value):
    if isinstance(value, str):
        return _EMAIL.sub(MASKED, value)
    if isinstance(value, dict):
        return {key: _mask(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(item) for item in value]
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's before_send: nothing personal leaves the process."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if name.lower()
                not in {"cookie", "authorization", "x-csrftoken", "x-forwarded-for", "x-real-ip"}
            }
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return _mask(event)


def init_error_reports(*, dsn: str, environment: str, release: str = "") -> bool:
    """Start error reporting when a DSN is given (off otherwise)."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        before_send=scrub_event,
        traces_sample_rate=0.0,
    )
    return True
