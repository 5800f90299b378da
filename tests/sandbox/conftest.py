"""Fixtures for the sandbox tests: seeded data, fault/stat resets, an API client."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sandbox.faults import reset_faults, reset_stats
from sandbox.seed import seed_sandbox
from tests.sandbox.helpers import Api


@pytest.fixture(autouse=True)
def _clean_faults(db: None):
    reset_faults()
    reset_stats()
    yield
    reset_faults()
    reset_stats()


@pytest.fixture
def seeded(db: None) -> dict[str, Any]:
    return seed_sandbox(reset=True)


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)
