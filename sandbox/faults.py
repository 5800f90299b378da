"""Fault injection and request statistics for the sandbox.

The configuration is the SandboxFaults singleton row, editable three ways without code changes:
``POST /sandbox/_control/faults`` (JSON), ``manage.py sandbox_faults`` and, in tests,
``set_faults(**kw)`` / ``reset_faults()``. Fields (all optional in an update):

=========================  =====================================================================
``latency_ms``             added to every API request with the key (int, 0 … 60000); a 401 never waits
``rate_limit_per_minute``  per API key, fixed 60 s window in the Django cache; over it: 429 +
                           ``Retry-After`` (0 = unlimited)
``retry_after_seconds``    overrides the ``Retry-After`` value of 429/408 answers (null = computed)
``fail_status``            status (400–599) the next ``fail_count`` API requests answer with
``fail_count``             how many requests still fail (decremented atomically)
``fail_methods``           list of methods the one-shot faults apply to (``["PATCH"]``; [] = all)
``timeout_count``          how many requests still sleep ``timeout_seconds`` before answering
``timeout_seconds``        that sleep (float, 0 … 60); each count above is at most 1000
``malformed_count``        how many requests still answer 200 with a body that is not JSON
=========================  =====================================================================

Request statistics (counted for every API request the sandbox receives, faulted or not) live in
the Django cache: ``stats()`` / ``reset_stats()`` and ``GET|DELETE /sandbox/_control/stats``.
With several server processes, point ``CACHE_URL`` at a shared cache.
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from sandbox.models import SandboxFaults

FAULT_FIELDS = (
    "latency_ms",
    "rate_limit_per_minute",
    "retry_after_seconds",
    "fail_status",
    "fail_count",
    "fail_methods",
    "timeout_count",
    "timeout_seconds",
    "malformed_count",
)
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
RATE_WINDOW_SECONDS = 60
# Upper bounds: a fault must stall a test, never every worker thread of a server for hours.
MAX_LATENCY_MS = 60_000
MAX_TIMEOUT_SECONDS = 60.0
MAX_COUNT = 1_000
COUNT_FIELDS = ("fail_count", "timeout_count", "malformed_count")
DEFAULT_RETRY_AFTER_SECONDS = 1


def _clock() -> float:
    """Wall-clock seconds (a function so tests can pin the rate-limit window)."""
    return time.time()


def _sleep(seconds: float) -> None:
    """Wait ``seconds`` (a function so tests can see the waits a fault adds without taking them)."""
    time.sleep(seconds)


class FaultConfigError(ValueError):
    """An invalid fault configuration value."""


# --- configuration -------------------------------------------------------------------------


def _row() -> SandboxFaults:
    row, _ = SandboxFaults.objects.get_or_create(pk=1)
    return row


def _as_dict(row: SandboxFaults) -> dict[str, Any]:
    return {
        "latency_ms": row.latency_ms,
        "rate_limit_per_minute": row.rate_limit_per_minute,
        "retry_after_seconds": row.retry_after_seconds,
        "fail_status": row.fail_status,
        "fail_count": row.fail_count,
        "fail_methods": [m for m in row.fail_methods.split(",") if m],
        "timeout_count": row.timeout_count,
        "timeout_seconds": row.timeout_seconds,
        "malformed_count": row.malformed_count,
    }


def get_faults() -> dict[str, Any]:
    """The current configuration, as the control endpoint shows it."""
    return _as_dict(_row())


def clean_faults(values: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise an update; raises FaultConfigError naming the bad field."""
    unknown = sorted(set(values) - set(FAULT_FIELDS))
    if unknown:
        raise FaultConfigError(
            f"unknown fault field(s): {', '.join(unknown)}; known: {', '.join(FAULT_FIELDS)}"
        )
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name == "fail_methods":
            if value is None:
                value = []
            if isinstance(value, str):
                value = value.split(",")
            if not isinstance(value, list) or not all(isinstance(m, str) for m in value):
                raise FaultConfigError('fail_methods must be a list of HTTP methods, e.g. ["PATCH"]')
            methods = [m.strip().upper() for m in value if m.strip()]
            bad = [m for m in methods if m not in HTTP_METHODS]
            if bad:
                raise FaultConfigError(f"fail_methods: unknown method(s) {', '.join(bad)}")
            cleaned[name] = ",".join(dict.fromkeys(methods))
        elif name == "timeout_seconds":
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise FaultConfigError("timeout_seconds must be a number ≥ 0")
            if not value <= MAX_TIMEOUT_SECONDS:  # also refuses NaN and infinity
                raise FaultConfigError(f"timeout_seconds must be at most {MAX_TIMEOUT_SECONDS:g}")
            cleaned[name] = float(value)
        elif name in ("retry_after_seconds", "fail_status") and value is None:
            cleaned[name] = None
        else:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise FaultConfigError(f"{name} must be an integer ≥ 0")
            if name == "latency_ms" and value > MAX_LATENCY_MS:
                raise FaultConfigError(f"latency_ms must be at most {MAX_LATENCY_MS} (60 s)")
            if name in COUNT_FIELDS and value > MAX_COUNT:
                raise FaultConfigError(f"{name} must be at most {MAX_COUNT}")
            if name == "fail_status" and not 400 <= value <= 599:
                raise FaultConfigError("fail_status must be an HTTP error status between 400 and 599")
            cleaned[name] = value
    return cleaned


def set_faults(**values: Any) -> dict[str, Any]:
    """Update the given fault fields (others keep their value); returns the new configuration."""
    cleaned = clean_faults(values)
    with transaction.atomic():
        row = _row()
        for name, value in cleaned.items():
            setattr(row, name, value)
        row.save()
    return _as_dict(row)


def reset_faults() -> dict[str, Any]:
    """Switch every fault off (and forget the rate-limit window)."""
    SandboxFaults.objects.update_or_create(
        pk=1,
        defaults={
            field.name: field.get_default()
            for field in SandboxFaults._meta.concrete_fields
            if field.name not in ("id", "updated_at")
        },
    )
    cache.set(_RATE_GENERATION_KEY, time.time_ns(), timeout=None)  # new keys: every window starts empty
    return get_faults()


def enabled() -> bool:
    return bool(settings.SANDBOX_MODE)


# --- applying faults (called by sandbox.api for each API request) --------------------------


def current() -> SandboxFaults | None:
    """The configuration row, or None when nothing is configured (no write on the hot path)."""
    if not enabled():
        return None
    return SandboxFaults.objects.filter(pk=1).first()


def consume(counter: str, method: str, config: SandboxFaults) -> bool:
    """Take one unit of a one-shot fault counter if it applies to ``method``; True if taken.

    The conditional UPDATE … SET n = n - 1 WHERE n > 0 is atomic in every database, so two
    concurrent requests never both take the last unit.
    """
    if getattr(config, counter) <= 0:
        return False
    methods = [m for m in config.fail_methods.split(",") if m]
    if methods and method.upper() not in methods:
        return False
    taken = SandboxFaults.objects.filter(pk=config.pk, **{f"{counter}__gt": 0}).update(
        **{counter: F(counter) - 1}
    )
    return taken == 1


def sleep_latency(config: SandboxFaults | None) -> None:
    """Wait the configured added latency, if any."""
    if config is not None and config.latency_ms:
        _sleep(config.latency_ms / 1000)


_RATE_GENERATION_KEY = "sandbox:ratelimit:generation"


def _rate_key(bucket: int, who: str) -> str:
    generation = cache.get_or_set(_RATE_GENERATION_KEY, 0, timeout=None)
    return f"sandbox:ratelimit:{generation}:{who}:{bucket}"


def rate_limited(config: SandboxFaults | None, who: str = "key") -> int | None:
    """Count this request; if it is over the limit return the Retry-After seconds, else None."""
    if config is None or not config.rate_limit_per_minute:
        return None
    now = _clock()
    bucket = int(now) // RATE_WINDOW_SECONDS
    key = _rate_key(bucket, who)
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS * 2)
        count = 1
    if count <= config.rate_limit_per_minute:
        return None
    if config.retry_after_seconds is not None:
        return config.retry_after_seconds
    return max(1, math.ceil((bucket + 1) * RATE_WINDOW_SECONDS - now))


def retry_after(config: SandboxFaults | None) -> int:
    if config is not None and config.retry_after_seconds is not None:
        return config.retry_after_seconds
    return DEFAULT_RETRY_AFTER_SECONDS


# --- statistics ----------------------------------------------------------------------------

_STATS_PREFIX = "sandbox:stats:"
_STATS_TIMEOUT = None  # keep until reset
_STATUS_RANGE = range(100, 600)


def _stats_keys() -> list[str]:
    keys = [f"{_STATS_PREFIX}total"]
    keys += [f"{_STATS_PREFIX}method:{m}" for m in HTTP_METHODS]
    keys += [f"{_STATS_PREFIX}status:{s}" for s in _STATUS_RANGE]
    keys += [f"{_STATS_PREFIX}route:{r}" for r in ROUTES]
    return keys


# Route names the API views count under (see sandbox.views); ``api.endpoint`` refuses any other.
ROUTES = (
    "list_accounts",
    "get_account",
    "get_account_meta_info",
    "list_candidates",
    "get_candidate",
    "update_candidate",
    "list_custom_field_definitions",
    "get_custom_field_definition",
    "other",
)


def _incr(key: str) -> None:
    cache.add(key, 0, timeout=_STATS_TIMEOUT)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=_STATS_TIMEOUT)


def record_request(method: str, route: str) -> None:
    _incr(f"{_STATS_PREFIX}total")
    _incr(f"{_STATS_PREFIX}method:{method.upper() if method.upper() in HTTP_METHODS else 'OTHER'}")
    _incr(f"{_STATS_PREFIX}route:{route}")


def record_response(status: int) -> None:
    _incr(f"{_STATS_PREFIX}status:{status}")


_CONNECTIONS_KEY = f"{_STATS_PREFIX}connections"
_CONNECTIONS_GENERATION_KEY = f"{_STATS_PREFIX}connections:generation"


def record_connection(meta: dict[str, Any]) -> None:
    """Count the client connection a request came on: one per distinct (REMOTE_ADDR, REMOTE_PORT).

    Shows whether a client reuses its TCP connection. Needs a server that sets REMOTE_PORT
    (gunicorn does; Django's runserver does not, and then nothing is counted).
    """
    port = meta.get("REMOTE_PORT")
    if not port:
        return
    generation = cache.get_or_set(_CONNECTIONS_GENERATION_KEY, 0, timeout=None)
    if cache.add(f"{_STATS_PREFIX}conn:{generation}:{meta.get('REMOTE_ADDR', '')}:{port}", 1,
                 timeout=RATE_WINDOW_SECONDS * 60):
        _incr(_CONNECTIONS_KEY)


def connection_stats() -> dict[str, int]:
    """Distinct client connections API requests arrived on since the last reset: {"connections": n}."""
    return {"connections": int(cache.get(_CONNECTIONS_KEY, 0))}


def stats() -> dict[str, Any]:
    """Requests received since the last reset: total, by_method, by_route, by_status.

    ``by_method`` always has GET, POST, PUT, PATCH, DELETE (0 when none); the other maps list
    only what occurred. Status keys are strings ("200", "429").
    """
    values = cache.get_many(_stats_keys() + [f"{_STATS_PREFIX}method:OTHER"])

    def get(key: str) -> int:
        return int(values.get(_STATS_PREFIX + key, 0))

    by_method = {m: get(f"method:{m}") for m in HTTP_METHODS}
    by_method = {m: n for m, n in by_method.items() if n or m in ("GET", "POST", "PUT", "PATCH", "DELETE")}
    if get("method:OTHER"):
        by_method["OTHER"] = get("method:OTHER")
    return {
        "total": get("total"),
        "by_method": by_method,
        "by_route": {r: get(f"route:{r}") for r in ROUTES if get(f"route:{r}")},
        "by_status": {str(s): get(f"status:{s}") for s in _STATUS_RANGE if get(f"status:{s}")},
    }


def reset_stats() -> None:
    cache.delete_many(_stats_keys() + [f"{_STATS_PREFIX}method:OTHER", _CONNECTIONS_KEY])
    cache.set(_CONNECTIONS_GENERATION_KEY, time.time_ns(), timeout=None)  # forget the connections seen
