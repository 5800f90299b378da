"""The sandbox's key: random per install, made once and kept, used by the app without being shown."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import responses
from django.core.exceptions import ImproperlyConfigured

from candidates.stackone import StackOneClient, stackone_config
from stackone_admin.sandbox_key import sandbox_key_file


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / ".sandbox-api-key"


def test_the_key_is_made_on_first_use_kept_in_a_private_file_and_reused(key_file: Path) -> None:
    key = sandbox_key_file(key_file)

    assert len(key) >= 40 and key != "sandbox-local-key"
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert sandbox_key_file(key_file) == key  # as a new process would: it reads the same file


def test_two_installs_get_different_keys(tmp_path: Path) -> None:
    assert sandbox_key_file(tmp_path / "one") != sandbox_key_file(tmp_path / "two")


def test_a_key_file_too_short_to_be_a_secret_is_refused(key_file: Path) -> None:
    key_file.parent.mkdir()
    key_file.write_text("\n")

    with pytest.raises(ImproperlyConfigured, match="too short: delete it to make a new key"):
        sandbox_key_file(key_file)


@responses.activate
def test_the_app_calls_the_sandbox_with_the_install_key(settings) -> None:
    responses.get("https://stackone.test/accounts", json=[])

    StackOneClient(stackone_config()).accounts_list()

    expected = "Basic " + base64.b64encode(f"{settings.SANDBOX_API_KEY}:".encode()).decode()
    assert responses.calls[0].request.headers["Authorization"] == expected


def _settings_key(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Load the production settings in a new process, as a host starting would."""
    environment = {**os.environ, "STACKONE_SANDBOX": "true", "SECRET_KEY": "x" * 50, "DEBUG": "false",
                   "SANDBOX_KEY_FILE": str(tmp_path / "key"), **env}
    environment.pop("STACKONE_API_KEY", None)
    code = "from stackone_admin import settings; print(settings.SANDBOX_API_KEY)"
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                          cwd=Path(__file__).parents[2])


def test_hosts_given_one_key_in_the_environment_share_it_and_write_no_file(tmp_path: Path) -> None:
    shared = "k" * 40
    first, second = (_settings_key(tmp_path / host, SANDBOX_API_KEY=shared) for host in ("a", "b"))
    assert first.stdout.strip() == second.stdout.strip() == shared
    assert not (tmp_path / "a" / "key").exists()


def test_a_short_key_in_the_environment_is_refused_at_start(tmp_path: Path) -> None:
    started = _settings_key(tmp_path, SANDBOX_API_KEY="short")
    assert started.returncode != 0
    assert "SANDBOX_API_KEY is too short to be a secret" in started.stderr
