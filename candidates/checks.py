"""System checks of the core (``manage.py check --deploy``): the StackOne budget is shared by every
process, or several web servers and workers would each spend StackOne's whole limit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

# limits' storages that every process on every host reaches alike (and that have a moving window).
SHARED_STORAGES = ("redis", "rediss", "redis+sentinel", "redis+cluster", "valkey", "valkeys",
                   "valkey+sentinel", "valkey+cluster")


def budget_shared_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Return an error per place the shared StackOne budget would be counted in one process only:
    the budget's storage (``STACKONE_RATE_LIMIT_STORAGE``, from ``CACHE_URL`` by default) and the
    pause after a 429 (Django's cache, ``CACHE_URL``). Names the setting, never its value (a URL
    may hold a password)."""
    errors: list[CheckMessage] = []
    scheme = settings.STACKONE_RATE_LIMIT_STORAGE.split("://", 1)[0].lower()
    if scheme not in SHARED_STORAGES:
        errors.append(Error(
            f"The shared StackOne budget is counted in each process on its own "
            f"(STACKONE_RATE_LIMIT_STORAGE is {scheme}://, not Redis): several web servers and workers "
            "would together exceed StackOne's limit and be answered 429.",
            hint="Point CACHE_URL at Redis (redis:// or rediss://), which STACKONE_RATE_LIMIT_STORAGE "
                 "follows, or set STACKONE_RATE_LIMIT_STORAGE to a Redis URL.",
            id="candidates.E001"))
    backend = settings.CACHES["default"]["BACKEND"]
    if "redis" not in backend.lower():
        errors.append(Error(
            f"Django's cache is not Redis (CACHE_URL gives {backend.rsplit('.', 1)[-1]}): the pause every "
            "process must honour after a StackOne 429 would not reach the other processes.",
            hint="Point CACHE_URL at the same Redis as the budget (redis:// or rediss://).",
            id="candidates.E002"))
    return errors
