"""Bulk-update fixtures: an Ops user (``candidates.bulk_update``), CSV builders, and the
browser fixtures of tests/e2e/conftest.py for the one browser test here."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import grant
from tests.e2e.conftest import (  # noqa: F401  (pytest finds fixtures by name)
    anonymous_app,
    artifacts_dir,
    axe_source,
    browser_type_launch_args,
    patch_log,
)

ACCOUNT = "sbx-greenhouse"
OPS_PASSWORD = "pw-for-tests-1"


def csv_bytes(header: list[str], rows: list[list[Any]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    """Return a CSV file; a list or dict cell is written as JSON."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([json.dumps(c) if isinstance(c, (list, dict)) else c for c in row])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


@pytest.fixture
def ops_user(db: None) -> User:
    user = User.objects.create_user(username="ops", password=OPS_PASSWORD)
    grant(user, "Ops")
    return user


@pytest.fixture
def ops_client(ops_user: User) -> Client:
    client = Client()
    client.force_login(ops_user)
    return client
