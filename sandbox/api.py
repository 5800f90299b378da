"""What every sandbox API request goes through, as with StackOne: statistics, Basic auth, injected
latency, allowed methods, rate limit and one-shot faults, then the linked-account checks.

Views are plain functions decorated with ``@endpoint(...)``; they receive the resolved
SandboxAccount (for ``/unified/...`` routes) and return a JsonResponse.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from sandbox import faults
from sandbox.models import SandboxAccount
from sandbox.store import iso, now_ms
from sandbox.validation import FieldError

PROVIDER_URL = "https://sandbox.provider.example/v1"

# StackOne's wording for the statuses it documents; others use the HTTP reason phrase.
MESSAGES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Resource not found",
    405: "Method Not Allowed",
    408: "The request has timed out.",
    409: "Conflict with current state.",
    412: "Precondition failed: linked account belongs to a disabled integration.",
    422: "Validation error.",
    429: "Too many requests",
    500: "Internal server error",
    501: "This functionality is not implemented.",
    502: "Bad gateway error.",
}


def json_response(data: Any, status: int = 200) -> JsonResponse:
    """JSON as StackOne sends it: UTF-8 text (not \\u escapes), charset declared."""
    return JsonResponse(
        data,
        status=status,
        safe=False,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


def message_for(status: int) -> str:
    if status in MESSAGES:
        return MESSAGES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_response(
    status: int,
    message: str | None = None,
    *,
    provider_errors: list[dict[str, Any]] | None = None,
    with_data: bool | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """A StackOne error body: statusCode, message, timestamp (+ data, provider_errors for 400)."""
    message = message or message_for(status)
    body: dict[str, Any] = {"statusCode": status, "message": message, "timestamp": iso(now_ms())}
    if with_data or (with_data is None and status == 400):
        body["data"] = {"statusCode": status, "message": message, "headers": {}}
    if provider_errors is not None:
        body["provider_errors"] = provider_errors
    response = json_response(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def validation_error_response(errors: list[FieldError], provider_url: str) -> JsonResponse:
    """400 with the field errors the way a provider reports them (raw.errors[].field/message)."""
    message = "; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in errors)
    return error_response(
        400,
        message,
        provider_errors=[
            {
                "status": 400,
                "url": provider_url,
                "raw": {"errors": [e.as_dict() for e in errors]},
                "headers": {},
            }
        ],
    )


def _authorised(request: HttpRequest) -> bool:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return False
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    username, _, _password = decoded.partition(":")
    return hmac.compare_digest(username.encode(), settings.SANDBOX_API_KEY.encode())


def check_auth(request: HttpRequest) -> JsonResponse | None:
    if _authorised(request):
        return None
    return error_response(401, "Unauthorized", headers={"WWW-Authenticate": 'Basic realm="StackOne sandbox"'})


def _caller(request: HttpRequest) -> str:
    return hashlib.sha256(request.META.get("HTTP_AUTHORIZATION", "").encode()).hexdigest()[:16]


def _malformed_response() -> HttpResponse:
    # Says JSON, is not: a truncated document, as from a proxy that cut the connection short.
    return HttpResponse(b'{"data": {"id": "c-00', content_type="application/json", status=200)


def endpoint(
    route: str | dict[str, str], methods: tuple[str, ...], *, account_required: bool = True
) -> Callable:
    """Wrap an API view with StackOne's checks and the configured faults.

    ``route`` names the operation in the statistics; a dict maps methods to names. Raises
    ValueError for a name the statistics do not count (``faults.ROUTES``), when the view is defined.
    """
    names = set(route.values()) if isinstance(route, dict) else {route}
    if not names <= set(faults.ROUTES):
        raise ValueError(f"Sandbox route {sorted(names - set(faults.ROUTES))} is not in faults.ROUTES: "
                         "its requests would be left out of the statistics")

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            method = request.method or ""  # always set on a request Django's handler built
            name = route.get(method, "other") if isinstance(route, dict) else route
            faults.record_request(method, name)
            faults.record_connection(request.META)
            response = _handle(request, view, route, methods, account_required, args, kwargs)
            faults.record_response(response.status_code)
            return response

        return wrapper

    return decorate


def _handle(request, view, route, methods, account_required, args, kwargs) -> HttpResponse:
    # The key first: a request without it gets its 401 at once, never after an injected latency
    # (anonymous requests must not tie up the server's threads the app's own calls need).
    denied = check_auth(request)
    if denied:
        return denied
    config = faults.current()
    faults.sleep_latency(config)
    if request.method not in methods:
        return error_response(
            405, f"Method {request.method} is not allowed here", headers={"Allow": ", ".join(methods)}
        )

    if config is not None:
        wait = faults.rate_limited(config, _caller(request))
        if wait is not None:
            return error_response(429, "Too many requests", headers={"Retry-After": str(wait)})
        if faults.consume("timeout_count", request.method, config):
            faults._sleep(config.timeout_seconds)
        if config.fail_status and faults.consume("fail_count", request.method, config):
            status = config.fail_status
            headers = {"Retry-After": str(faults.retry_after(config))} if status in (408, 429, 503) else None
            return error_response(status, message_for(status), headers=headers)
        if faults.consume("malformed_count", request.method, config):
            return _malformed_response()

    if account_required:
        account_id = request.headers.get("x-account-id", "").strip()
        account = SandboxAccount.objects.filter(pk=account_id).first() if account_id else None
        if account is None:
            return error_response(404, "Invalid account ID")
        if account.status != "active":
            return error_response(
                412, f"Precondition failed: linked account is {account.status}, not active."
            )
        kwargs["account"] = account
    return view(request, *args, **kwargs)


def _control_denied(request: HttpRequest) -> JsonResponse | None:
    """Outside DEBUG the control endpoints (faults can stall every worker) also need a superuser.

    The sandbox key stays required too: a session cookie alone would let another site's page
    switch faults on (these endpoints take no CSRF token).
    """
    if settings.DEBUG:
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    return error_response(403, "Forbidden: the sandbox's control endpoints need a signed-in superuser")


def control_endpoint(methods: tuple[str, ...]) -> Callable:
    """Auth (the key and, outside DEBUG, a superuser) and allowed methods for /sandbox/_control/...

    No faults, not counted.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            denied = check_auth(request) or _control_denied(request)
            if denied:
                return denied
            if request.method not in methods:
                return error_response(
                    405, f"Method {request.method} is not allowed here", headers={"Allow": ", ".join(methods)}
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
