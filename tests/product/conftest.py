"""Fixtures of the issue 25 tests: ``patch_log`` (the PATCH bodies that reached the sandbox) and
the Ops user's client, from the e2e and bulk fixtures."""

from tests.bulk.conftest import ops_client, ops_user  # noqa: F401  (pytest finds fixtures by name)
from tests.e2e.conftest import patch_log  # noqa: F401
