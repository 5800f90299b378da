"""The command line works as the docs write it after ``make run``, whatever PORT was given and with
no variable exported by hand: ``make run`` writes what it chose to ``.run.env`` and manage.py reads
it (issue 19, part 5). Real processes: make, manage.py migrate / sandbox_seed / runserver on a
spare port, then ``manage.py bulk_update --dry-run`` from a plain shell environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A plain shell: no DEBUG, no SECRET_KEY, no STACKONE_* and none of the test run's settings.
KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def after_make_run(tmp_path: Path) -> Iterator[tuple[dict[str, str], int]]:
    """``make run PORT=<spare port>`` as far as the CLI can tell: its run.env, its database seeded,
    its server answering on that port. Yields the plain shell's environment and the port."""
    port = free_port()
    run_env = tmp_path / "run.env"
    shell = {key: os.environ[key] for key in KEPT if key in os.environ}
    make_env = {**shell, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    subprocess.run(["make", "-s", "run-env", f"PORT={port}", f"RUN_ENV={run_env}"], cwd=ROOT, env=make_env,
                   check=True, timeout=60)
    # Only to keep this test's sandbox key out of the project folder; the user's shell needs nothing.
    with run_env.open("a") as handle:
        handle.write(f"SANDBOX_KEY_FILE={tmp_path / 'sandbox-key'}\n")
    env = {**shell, "STACKONE_RUN_ENV": str(run_env)}
    for command in (["migrate", "--noinput"], ["sandbox_seed"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=300)
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield env, port
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_bulk_update_dry_run_reaches_the_app_on_the_port_make_run_used(
    after_make_run, tmp_path: Path
) -> None:
    env, port = after_make_run
    assert port != 8000
    people = tmp_path / "people.csv"
    people.write_text("id,title\nc-0001,Lead Mathematician\n", encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "manage.py", "bulk_update", str(people), "--account", "sbx-greenhouse", "--dry-run"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert "line 2 c-0001: Title: Mathematician → Lead Mathematician" in result.stdout
    assert "saved 0, failed 0, unknown 0, not sent 1, no change 0, invalid 0." in result.stdout


def test_without_what_make_run_wrote_the_same_shell_gets_the_secret_key_error(tmp_path: Path) -> None:
    shell = {key: os.environ[key] for key in KEPT if key in os.environ}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**shell, "STACKONE_RUN_ENV": str(tmp_path / "never-written.env")})
    assert result.returncode == 1
    assert "SECRET_KEY is not set." in result.stderr


def test_a_process_that_sets_debug_or_a_secret_itself_never_reads_the_file(tmp_path: Path) -> None:
    run_env = tmp_path / "run.env"
    run_env.write_text("DEBUG=true\n", encoding="utf-8")
    shell = {key: os.environ[key] for key in KEPT if key in os.environ}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**shell, "STACKONE_RUN_ENV": str(run_env), "DEBUG": "false"})
    assert result.returncode == 1 and "SECRET_KEY is not set." in result.stderr
