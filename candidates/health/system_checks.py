"""System checks of data health (``manage.py check``, and every start): HEALTH_PHONE_REGION is
empty or a region python-phonenumbers knows."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django.conf import settings
from django.core.checks import CheckMessage, Error


def phone_region_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Return an error when HEALTH_PHONE_REGION names no region (a typo such as "UK" would make
    every national number of a candidate without a known country unreadable)."""
    region = settings.HEALTH_PHONE_REGION
    if not region or region in phonenumbers.SUPPORTED_REGIONS:
        return []
    return [
        Error(
            f"HEALTH_PHONE_REGION={region!r} is not a region phone numbers can be read in.",
            hint="Use an ISO 3166 alpha-2 code such as GB, US or DE, or leave it empty.",
            id="health.E001",
        )
    ]
