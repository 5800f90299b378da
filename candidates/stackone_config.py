"""The StackOne settings as one frozen value, read by the client (``stackone.py``) and by the
shared budget (``budget.py``), which the client uses: so the budget never imports the client."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed


@dataclass(frozen=True)
class StackOneConfig:
    api_key: str
    base_url: str
    timeout: float
    connect_timeout: float = 5.0
    max_retries: int = 3
    backoff_factor: float = 0.5
    retry_after_cap: float = 30.0
    budget_wait: float = 10.0  # the longest a page's call waits for the shared budget

    def __repr__(self) -> str:  # the key must never reach a log line or a traceback
        return f"StackOneConfig(base_url={self.base_url!r}, timeout={self.timeout!r})"

    @property
    def total_timeout(self) -> float:
        """Seconds after which one call has certainly ended, retries included: (budget wait +
        connect + read timeout) × attempts, plus the longest wait allowed before each retry."""
        attempts = self.max_retries + 1
        return ((self.budget_wait + self.connect_timeout + self.timeout) * attempts
                + self.retry_after_cap * self.max_retries)


@lru_cache(maxsize=1)
def stackone_config() -> StackOneConfig:
    """Return the StackOne settings as one frozen value (the sandbox key in sandbox mode)."""
    return StackOneConfig(
        api_key=settings.SANDBOX_API_KEY if settings.SANDBOX_MODE else settings.STACKONE_API_KEY,
        base_url=settings.STACKONE_BASE_URL.rstrip("/"),
        timeout=settings.STACKONE_TIMEOUT,
        connect_timeout=settings.STACKONE_CONNECT_TIMEOUT,
        max_retries=settings.STACKONE_MAX_RETRIES,
        backoff_factor=settings.STACKONE_BACKOFF_FACTOR,
        retry_after_cap=settings.STACKONE_RETRY_AFTER_CAP,
        budget_wait=settings.STACKONE_INTERACTIVE_MAX_WAIT,
    )


def _reset_config(*, setting: str, **_: Any) -> None:
    if setting.startswith("STACKONE_") or setting.startswith("SANDBOX_"):
        stackone_config.cache_clear()


setting_changed.connect(_reset_config)
