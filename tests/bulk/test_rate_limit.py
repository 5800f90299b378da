"""The shared StackOne budget: its limit, its key, and the pause every worker honours after a 429."""

from __future__ import annotations

from candidates.budget import EDGE, budget_key, budget_pause, budget_reset, budget_sleep, budget_try
from tests.fake_clock import fake_budget_clock


def test_the_budget_lets_through_its_limit_then_says_how_long_to_wait(settings, db, monkeypatch) -> None:
    settings.STACKONE_RATE_LIMIT = "3/minute"
    clock = fake_budget_clock(monkeypatch)
    assert [budget_try() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert budget_try() == 60.0 + EDGE  # until the first call has left the window
    clock.sleep(30)
    assert budget_try() == 30.0 + EDGE
    clock.sleep(30.5)
    assert budget_try() == 0.0


def test_a_429_pauses_every_caller_for_its_retry_after(settings, db, monkeypatch) -> None:
    clock = fake_budget_clock(monkeypatch)
    budget_pause(5)
    assert budget_try() == 5.0
    budget_pause(1)  # a shorter pause never cuts a longer one short
    assert budget_try() == 5.0
    clock.sleep(5)
    assert budget_try() == 0.0
    budget_pause(5)
    budget_reset()
    assert budget_try() == 0.0


def test_waiting_for_the_budget_looks_again_at_least_once_a_second(monkeypatch) -> None:
    clock = fake_budget_clock(monkeypatch)
    budget_sleep(60.0)
    budget_sleep(0.25)
    assert clock.sleeps == [1.0, 0.25]


def test_the_budget_key_is_a_digest_never_the_api_key(settings) -> None:
    settings.SANDBOX_MODE = False
    settings.STACKONE_API_KEY = "sk-live-do-not-leak-123"
    key = budget_key()
    assert key.startswith("stackone:") and "sk-live" not in key and len(key) == len("stackone:") + 16
    settings.STACKONE_API_KEY = "another-key"
    assert budget_key() != key  # one budget per API key
