"""Fixtures of the candidates tests: ``patch_log`` (the PATCH bodies that reached the sandbox,
from tests/e2e/conftest.py) for the view tests that run against the sandbox."""

from tests.e2e.conftest import patch_log  # noqa: F401  (pytest finds fixtures by name)
