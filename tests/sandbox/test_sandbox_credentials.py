"""The sandbox's key: random per install, made once and kept, used by the app without being shown."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
import responses
from django.core.exceptions import ImproperlyConfigured

from candidates.stackone import StackOneClient, stackone_config
from sandbox import credentials
from sandbox.credentials import sandbox_api_key


@pytest.fixture
def key_file(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    settings.SANDBOX_KEY_FILE = tmp_path / "data" / ".sandbox-api-key"
    return settings.SANDBOX_KEY_FILE


def test_the_key_is_made_on_first_use_kept_in_a_private_file_and_reused(key_file: Path) -> None:
    key = sandbox_api_key()

    assert len(key) >= 40 and key != "sandbox-local-key"
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    credentials._cache.clear()  # as a new process would: it reads the same file
    assert sandbox_api_key() == key


def test_two_installs_get_different_keys(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SANDBOX_KEY_FILE = tmp_path / "one"
    first = sandbox_api_key()
    settings.SANDBOX_KEY_FILE = tmp_path / "two"

    assert sandbox_api_key() != first


def test_a_key_file_too_short_to_be_a_secret_is_refused(key_file: Path) -> None:
    key_file.parent.mkdir()
    key_file.write_text("\n")

    with pytest.raises(ImproperlyConfigured, match="too short: delete it to make a new key"):
        sandbox_api_key()


@responses.activate
def test_the_app_calls_the_sandbox_with_the_install_key(key_file: Path, settings) -> None:  # type: ignore[no-untyped-def]
    responses.get("https://stackone.test/accounts", json=[])

    StackOneClient(stackone_config()).accounts_list()

    expected = "Basic " + base64.b64encode(f"{sandbox_api_key()}:".encode()).decode()
    assert responses.calls[0].request.headers["Authorization"] == expected
