"""What this product counts for Prometheus (docs/operations/monitoring.md), and the collectors
that read state at scrape time.

Counted where the work happens, in whichever process does it (a web worker, ``db_worker``, the
embedded worker): StackOne calls (``stackone.py``), the shared budget (``budget.py``) and save
outcomes (``writes.py``, ``services.py``). Under gunicorn with several workers these counters need
prometheus_client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``): each process writes its own
file and the endpoint adds them up.

State that lives in the database (bulk rows, sync lag, findings) is read at scrape time by a
collector, which is right however many processes there are: the core and each wing register
theirs with ``collector_register`` (a wing from its ``AppConfig.ready``), so this module imports
no wing.

Every name starts with ``stackone_admin_``. Label values come from bounded sets: operations,
HTTP statuses, outcomes, sources, statuses, check names and linked-account ids; never a
candidate id, a name or an email.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter, Histogram
from prometheus_client.registry import Collector

PREFIX = "stackone_admin_"

STACKONE_REQUESTS = Counter(
    PREFIX + "stackone_requests", "StackOne calls by operation and final HTTP status ('timeout', "
    "'unreachable' when none came back); urllib3's own retries are one call.", ["operation", "status"])
STACKONE_SECONDS = Histogram(
    PREFIX + "stackone_request_duration_seconds", "Time a StackOne call took, its retries included.",
    ["operation"], buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 65.0, 120.0))
STACKONE_RETRIES = Counter(
    PREFIX + "stackone_retries", "Requests the client sent again (429, 408, 502, 503, 504 or no "
    "connection).", ["operation"])
STACKONE_RATE_LIMITED = Counter(
    PREFIX + "stackone_rate_limited", "Answers 429 from StackOne, those retried included.", ["operation"])

BUDGET_CALLS = Counter(PREFIX + "budget_calls", "Calls taken from the shared StackOne budget (every call).")
BUDGET_DENIED = Counter(
    PREFIX + "budget_denied", "Times a call found its share of the budget used up ('exhausted') or "
    "the budget paused after a 429 ('paused') and had to wait.", ["reason"])
BUDGET_WAIT_SECONDS = Counter(PREFIX + "budget_wait_seconds", "Seconds calls waited for the budget.")
BUDGET_PAUSES = Counter(PREFIX + "budget_pauses", "Pauses of every caller after a 429.")

SAVES = Counter(
    PREFIX + "saves", "Candidate writes by source (edit, bulk) and outcome (saved, saved_with_warnings, "
    "rejected, unknown, conflict).", ["source", "outcome"])


def stackone_call_observed(*, operation: str, status: str, seconds: float,
                           retried: Iterable[int | None] = ()) -> None:
    """Count one StackOne call: its final ``status`` (an HTTP status, or 'timeout' /
    'unreachable'), how long it took, and ``retried``: the status of each attempt urllib3 sent
    again (None: no answer)."""
    STACKONE_REQUESTS.labels(operation, status).inc()
    STACKONE_SECONDS.labels(operation).observe(seconds)
    retried = list(retried)
    if retried:
        STACKONE_RETRIES.labels(operation).inc(len(retried))
    rate_limited = retried.count(429) + (status == "429")
    if rate_limited:
        STACKONE_RATE_LIMITED.labels(operation).inc(rate_limited)


def save_observed(*, source: str, outcome: str) -> None:
    """Count one finished write (an ``AuditEntry.Outcome`` value) from ``source``."""
    SAVES.labels(source, outcome).inc()


_collectors: dict[str, Collector] = {}


def collector_register(*, name: str, collector: Collector) -> None:
    """Register (or replace) a collector the endpoint asks at every scrape."""
    _collectors[name] = collector


def collectors() -> dict[str, Collector]:
    """Return the registered scrape-time collectors by name."""
    return dict(_collectors)
