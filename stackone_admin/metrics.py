"""``/metrics``: what Prometheus scrapes (docs/operations/monitoring.md).

Off (a plain 404) unless ``METRICS_TOKEN`` is set. Then it answers a request carrying
``Authorization: Bearer <METRICS_TOKEN>`` (compared in constant time), or one that comes straight
from an address in ``METRICS_ALLOW``; a browser session alone is never enough, since the numbers
describe every account's work. Like ``/healthz`` it is answered before the Host check: Prometheus
scrapes each instance by its address.

One scrape holds the counters of every process on the host when ``PROMETHEUS_MULTIPROC_DIR``
is set (gunicorn's workers and ``db_worker`` each write their own files there), else this
process's; then the state collectors the core and the wings registered (``candidates.metrics``),
read from the database.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

from candidates.metrics import PREFIX, collectors

logger = logging.getLogger(__name__)
PATH = "/metrics"
# Headers a proxy adds: a request that passed through one is not admitted by address, since the
# address Django sees is then the proxy's, shared by everyone behind it.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def metrics_allowed(request: HttpRequest) -> bool:
    """Return True when ``request`` bears the metrics token, or comes directly (no proxy) from an
    address in ``METRICS_ALLOW``."""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                          settings.METRICS_TOKEN.encode()):
        return True
    if not settings.METRICS_ALLOW or any(header in request.META for header in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(allowed, strict=False) for allowed in settings.METRICS_ALLOW)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Return the metrics in the exposition format the scraper accepts; 401 without the token or
    an allowed address, 405 for anything but GET or HEAD."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not metrics_allowed(request):
        response = HttpResponse("The metrics need the bearer token.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    else:
        # The format the scraper asks for (Prometheus prefers OpenMetrics), else text 0.0.4.
        encode, content_type = choose_encoder(request.headers.get("Accept", ""))
        response = HttpResponse(encode(metrics_registry()), content_type=content_type)
    add_never_cache_headers(response)
    return response


def metrics_registry() -> CollectorRegistry:
    """Return the registry of one scrape: the counters (every process's in multiprocess mode,
    else this one's) and the state collectors."""
    registry = CollectorRegistry()
    if settings.PROMETHEUS_MULTIPROC_DIR:
        MultiProcessCollector(registry, path=settings.PROMETHEUS_MULTIPROC_DIR)
    else:
        registry.register(_ThisProcess())
    registry.register(_StateCollectors())
    return registry


class _ThisProcess:
    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


class _StateCollectors:
    """Every registered state collector; one that fails (the database is down) is left out of
    this scrape and shows as ``stackone_admin_collector_up{collector=…} 0``."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(PREFIX + "collector_up", "1 when the collector read its state at this scrape.",
                               labels=["collector"])
        for name, collector in sorted(collectors().items()):
            try:
                found = list(collector.collect())
            except Exception:  # one failing reader must not blank the scrape
                logger.exception("metrics collector %s failed", name)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from found
        yield up


class MetricsMiddleware:
    """Answer ``/metrics`` before anything reads the Host header (when it is on at all)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH and settings.METRICS_TOKEN:
            return metrics_view(request)
        return self.get_response(request)
