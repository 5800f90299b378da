"""Fixtures of the candidates tests: ``patch_log`` (the PATCH bodies that reached the sandbox,
from tests/e2e/conftest.py) for the view tests that run against the sandbox, and ``ops_user``
(tests/bulk/conftest.py) for the budget's tests that run a bulk job."""

from tests.bulk.conftest import ops_user  # noqa: F401  (pytest finds fixtures by name)
from tests.e2e.conftest import patch_log  # noqa: F401
