"""The signing-in client's address behind reverse proxies, for django-axes (AXES_CLIENT_IP_CALLABLE).

Each proxy appends the address it received the request from to ``X-Forwarded-For`` (nginx:
``$proxy_add_x_forwarded_for``), so with N trusted proxies in front of the app the client's
address is the N-th entry from the right. Entries further left were sent by the client itself
and prove nothing: reading from the right means a forged header cannot pick another address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """Return the client's address: ``REMOTE_ADDR`` without proxies (``TRUSTED_PROXY_COUNT`` 0).

    ``TRUSTED_PROXY_COUNT`` comes from the environment variable AXES_PROXY_COUNT. Behind N proxies,
    the N-th address from the right of X-Forwarded-For; when the header is missing, too short or not
    an address there, ``REMOTE_ADDR`` (the nearest proxy), so a malformed request is throttled as a
    group rather than under an address it made up.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < proxies:
        return remote
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
