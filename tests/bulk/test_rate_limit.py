"""The shared StackOne budget: its limit, its key, and the pause every worker honours after a 429."""

from __future__ import annotations

from candidates.bulk.rate_limit import budget_key, budget_pause, budget_reset, budget_try


def test_the_budget_lets_through_its_limit_then_says_how_long_to_wait(settings, db) -> None:  # type: ignore[no-untyped-def]
    settings.STACKONE_RATE_LIMIT = "3/minute"
    budget_reset()
    assert [budget_try() for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = budget_try()
    assert 0 < wait <= 60


def test_a_429_pauses_every_caller_for_its_retry_after(settings, db) -> None:  # type: ignore[no-untyped-def]
    budget_reset()
    budget_pause(5)
    assert 4 < budget_try() <= 5
    budget_pause(1)  # a shorter pause never cuts a longer one short
    assert budget_try() > 4
    budget_reset()
    assert budget_try() == 0.0


def test_the_budget_key_is_a_digest_never_the_api_key(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SANDBOX_MODE = False
    settings.STACKONE_API_KEY = "sk-live-do-not-leak-123"
    key = budget_key()
    assert key.startswith("stackone:") and "sk-live" not in key and len(key) == len("stackone:") + 16
    settings.STACKONE_API_KEY = "another-key"
    assert budget_key() != key  # one budget per API key
