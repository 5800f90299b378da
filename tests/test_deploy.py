"""Deploying: Django's deployment checklist on production settings, ``/healthz``, and ``make serve``
(gunicorn + whitenoise) answering over real HTTP in sandbox mode."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.db import OperationalError
from django.test import Client

import stackone_admin.health
from candidates.checks import budget_shared_check

ROOT = Path(__file__).resolve().parents[1]
# Only what a process needs to run; the test run's own variables (DATABASE_URL, CACHE_URL,
# DJANGO_ALLOW_ASYNC_UNSAFE, the test settings) stay out of the production-like processes.
KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER")
TRIAL_PASSWORD = secrets.token_urlsafe(16)


def production_env(**overrides: str | None) -> dict[str, str]:
    """The environment of a production process: a strong secret, a StackOne key, DEBUG off, a host
    name, nothing else. An override of None removes that variable."""
    env = {key: os.environ[key] for key in KEPT if key in os.environ}
    env.update(SECRET_KEY=secrets.token_urlsafe(50), DEBUG="false", ALLOWED_HOSTS="admin.example.com",
               STACKONE_API_KEY="not-a-real-stackone-key", DJANGO_SETTINGS_MODULE="stackone_admin.settings")
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


# A deployment's shared StackOne budget (check --deploy only reads the setting, never connects).
REDIS = "redis://cache.internal:6379/0"


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


# -- manage.py check --deploy ---------------------------------------------------------------------


def test_the_deployment_checklist_passes_with_production_defaults() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(CACHE_URL=REDIS))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_deployment_checklist_fails_when_https_is_switched_off() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    env=production_env(HTTPS_ONLY="false", CACHE_URL=REDIS))

    assert result.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_the_deployment_checklist_fails_when_the_budget_is_counted_per_process() -> None:
    result = manage("check", "--deploy", env=production_env())

    assert result.returncode == 1
    assert ("(candidates.E001) The shared StackOne budget is counted in each process on its own "
            "(STACKONE_RATE_LIMIT_STORAGE is memory://, not Redis)") in result.stderr
    assert "(candidates.E002) Django's cache is not Redis (CACHE_URL gives LocMemCache)" in result.stderr
    assert manage("check", env=production_env()).returncode == 0  # one process may start


def test_memcached_fails_the_budget_check_and_the_message_names_the_settings(settings) -> None:
    # In process: Django's own deployment checks instantiate the cache, which needs a memcached client.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                                   "LOCATION": "cache.internal:11211"}}
    settings.STACKONE_RATE_LIMIT_STORAGE = "memory://"  # what CACHE_URL=pymemcache://… leads to

    errors = budget_shared_check()

    assert [error.id for error in errors] == ["candidates.E001", "candidates.E002"]
    assert "STACKONE_RATE_LIMIT_STORAGE is memory://" in errors[0].msg
    assert "CACHE_URL gives PyMemcacheCache" in errors[1].msg
    assert all("cache.internal" not in error.msg for error in errors)  # a setting's name, never its value


def test_the_deployment_checklist_fails_when_only_the_budget_storage_is_set_to_memory() -> None:
    result = manage("check", "--deploy",
                    env=production_env(CACHE_URL=REDIS, STACKONE_RATE_LIMIT_STORAGE="memory://"))

    assert result.returncode == 1
    assert "candidates.E001" in result.stderr and "candidates.E002" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = production_env()
    del env["SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode == 1
    assert "SECRET_KEY is not set." in result.stderr


def test_production_refuses_to_start_without_a_stackone_key_or_an_explicit_sandbox() -> None:
    result = manage("check", env=production_env(STACKONE_API_KEY=None))

    assert result.returncode == 1
    assert "STACKONE_API_KEY is not set." in result.stderr
    assert "STACKONE_SANDBOX=true" in result.stderr


def test_a_key_and_the_sandbox_together_are_refused() -> None:
    result = manage("check", env=production_env(STACKONE_SANDBOX="true"))

    assert result.returncode == 1
    assert "STACKONE_SANDBOX=true and STACKONE_API_KEY are both set" in result.stderr


def test_the_deployment_checklist_warns_about_an_explicit_sandbox(tmp_path: Path) -> None:
    env = production_env(STACKONE_API_KEY=None, STACKONE_SANDBOX="true",
                         SANDBOX_KEY_FILE=str(tmp_path / "key"))

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 1
    assert "(sandbox.W001) The app runs in sandbox mode (STACKONE_SANDBOX=true) with DEBUG off" \
        in result.stderr
    assert manage("check", env=env).returncode == 0  # a warning of --deploy only: it still starts


def test_local_development_without_a_key_is_sandbox_mode_as_before(tmp_path: Path) -> None:
    env = production_env(STACKONE_API_KEY=None, SECRET_KEY=None, DEBUG="true",
                         DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    result = manage("shell", "-c", "from django.conf import settings; print(settings.SANDBOX_MODE)", env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")


# -- the console -----------------------------------------------------------------------------------


def test_a_command_prints_no_start_up_banner_and_each_django_record_once(tmp_path: Path) -> None:
    """``make run`` starts Django five times (migrate, seed, demo user, the server and its reloader):
    django-axes' banner was printed each time, and Django's records (runserver's "Watching for file
    changes", each django.request warning) twice, once by Django's handler and once by the root's."""
    env = production_env(STACKONE_API_KEY=None, SECRET_KEY=None, DEBUG="true",
                         DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                         SANDBOX_KEY_FILE=str(tmp_path / "sandbox-key"))
    script = ("import logging; logging.getLogger('django.request').warning('Not Found: /nope'); "
              "logging.getLogger('django.utils.autoreload')"
              ".info('Watching for file changes with StatReloader')")

    result = manage("shell", "-c", script, env=env)

    assert result.returncode == 0, result.stderr
    assert "AXES: BEGIN" not in result.stderr
    assert result.stderr.count("Not Found: /nope") == 1
    assert result.stderr.count("Watching for file changes") == 1
    # time, level, request id
    assert re.search(r"WARNING django\.request \[-\] Not Found: /nope", result.stderr)


def test_a_lockout_is_still_logged(client: Client, db: None, caplog: pytest.LogCaptureFixture,
                                   settings) -> None:
    settings.AXES_FAILURE_LIMIT = 1
    client.post("/login/", {"username": "nobody", "password": "wrong-1"})
    client.post("/login/", {"username": "nobody", "password": "wrong-2"})

    assert any(record.name.startswith("axes") and "Locking out" in record.getMessage()
               for record in caplog.records)


# -- the sandbox outside sandbox mode ------------------------------------------------------------

SANDBOX_PROBE = """
import sys
from django.apps import apps
from django.contrib import admin
from django.urls import get_resolver
get_resolver().url_patterns  # every view module the site routes to
print("installed", apps.is_installed("sandbox"))
print("admin", sorted(model._meta.label for model in admin.site._registry
                      if model._meta.app_label == "sandbox"))
print("modules", sorted(name for name in sys.modules if name == "sandbox" or name.startswith("sandbox.")))
"""


def test_outside_sandbox_mode_the_sandbox_is_neither_installed_nor_imported() -> None:
    result = manage("shell", "-c", SANDBOX_PROBE, env=production_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-4:] == ["installed False", "admin []", "modules []", ""]


def test_in_sandbox_mode_the_sandbox_and_its_admin_pages_are_there(tmp_path: Path) -> None:
    env = production_env(STACKONE_API_KEY=None, STACKONE_SANDBOX="true",
                         SANDBOX_KEY_FILE=str(tmp_path / "sandbox-key"))
    result = manage("shell", "-c", SANDBOX_PROBE, env=env)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert "installed True" in lines
    assert ("admin ['sandbox.SandboxAccount', 'sandbox.SandboxCandidate', "
            "'sandbox.SandboxCustomFieldDefinition', 'sandbox.SandboxFaults']") in lines


def test_outside_sandbox_mode_there_is_no_demo_user_command() -> None:
    result = manage("demo_user", env=production_env())

    assert result.returncode == 1
    assert "Unknown command: 'demo_user'" in result.stderr


# -- /healthz ---------------------------------------------------------------------------------------


def test_healthz_answers_ok_without_sign_in_or_data(client: Client, db: None) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie


class _BrokenConnection:
    def cursor(self) -> None:
        raise OperationalError("could not connect to server: Connection refused")


def test_healthz_answers_503_without_details_when_the_database_is_down(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(stackone_admin.health, "connection", _BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert "Health check: the database did not answer" in caplog.text


def test_healthz_only_answers_get_and_head(client: Client, db: None) -> None:
    assert client.post("/healthz").status_code == 405
    assert client.post("/healthz", HTTP_HOST="10.0.3.7").status_code == 405


def test_healthz_answers_head_like_get_without_a_body(client: Client, db: None) -> None:
    response = client.head("/healthz", HTTP_HOST="10.0.3.7")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == b""


def test_healthz_answers_a_probe_addressed_by_ip_outside_allowed_hosts(client: Client, db: None) -> None:
    response = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    # Still behind the security headers of every page.
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


@pytest.mark.parametrize("path", ["/login/", "/healthz/", "/healthz.json", "/accounts/", "/sandbox/accounts"])
def test_every_other_path_keeps_the_host_check(client: Client, db: None, path: str) -> None:
    assert client.get(path, HTTP_HOST="10.0.3.7").status_code == 400


# -- make serve -------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen[str], *, limit: float = 90.0) -> None:
    """Poll ``url`` until the server answers (a readiness wait, not a timing assertion)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make serve exited with {process.returncode}:\n{process.stdout.read()}")
        try:
            requests.get(url, timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):  # not listening, or still booting workers
            time.sleep(0.3)
    pytest.fail(f"make serve did not answer at {url} within {limit:.0f} s")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``make release`` then ``make serve`` in sandbox mode on a spare port with its own SQLite file;
    yields its base URL."""
    port = _free_port()
    database = tmp_path_factory.mktemp("serve") / "db.sqlite3"
    # HTTPS_ONLY=false: this trial speaks plain http on loopback (production keeps the default).
    env = production_env(ALLOWED_HOSTS="127.0.0.1", HTTPS_ONLY="false", DATABASE_URL=f"sqlite:///{database}",
                         STACKONE_API_KEY=None, STACKONE_SANDBOX="true",
                         SANDBOX_KEY_FILE=str(database.parent / "sandbox-key"))
    # The release step, once; `make serve` does not migrate.
    subprocess.run(["make", "--no-print-directory", "release"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)
    process = subprocess.Popen(["make", "--no-print-directory", "serve", f"PORT={port}", "WORKERS=2"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/healthz", process)
        # DEBUG is off: no demo / demo here (demo_user refuses), a real user as on a server.
        subprocess.run([sys.executable, "manage.py", "createsuperuser", "--noinput", "--username", "trial",
                        "--email", "trial@example.com"], cwd=ROOT,
                       env={**env, "DJANGO_SUPERUSER_PASSWORD": TRIAL_PASSWORD},
                       check=True, capture_output=True, timeout=60)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_make_serve_answers_the_health_check(served: str) -> None:
    response = requests.get(f"{served}/healthz", timeout=10)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["Server"] == "gunicorn"


def test_make_serve_serves_hashed_static_files_with_long_cache_headers(served: str) -> None:
    page = requests.get(f"{served}/login/", timeout=10).text
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the stylesheet URL is not content-hashed"

    response = requests.get(served + stylesheet.group(1), timeout=10)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"


def test_make_serve_edits_a_candidate_through_its_own_sandbox(served: str) -> None:
    """In sandbox mode each page calls the app's own /sandbox/ API: the workers' threads must answer."""
    session = requests.Session()
    login = session.get(f"{served}/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    signed_in = session.post(f"{served}/login/", timeout=30, headers={"Referer": f"{served}/login/"},
                             data={"username": "trial", "password": TRIAL_PASSWORD,
                                   "csrfmiddlewaretoken": token})
    assert signed_in.url == f"{served}/accounts/"

    page = session.get(f"{served}/accounts/sbx-greenhouse/candidates/c-0001/", timeout=30)

    assert page.status_code == 200
    assert "<h1>Ada Lovelace</h1>" in page.text


def test_make_serve_sandbox_refuses_the_old_published_key_and_anonymous_faults(served: str) -> None:
    patched = requests.patch(f"{served}/sandbox/unified/ats/candidates/c-0002",
                             auth=("sandbox-local-key", ""), headers={"x-account-id": "sbx-greenhouse"},
                             json={"title": "x"}, timeout=10)
    faults = requests.post(f"{served}/sandbox/_control/faults", json={"latency_ms": 1000}, timeout=10)

    assert patched.status_code == 401
    assert faults.status_code == 401
    assert requests.get(f"{served}/healthz", timeout=10).status_code == 200


def test_serve_starts_servers_without_migrating_and_release_migrates() -> None:
    """Hosts that start together must never migrate at the same time: migrating is the release
    step (`make release`), once per deploy."""
    def commands(target: str) -> str:
        return subprocess.run(["make", "--no-print-directory", "-n", target], cwd=ROOT, capture_output=True,
                              text=True, check=True, env={**os.environ, "STACKONE_SANDBOX": "true"}).stdout

    assert "manage.py migrate" not in commands("serve")
    assert "gunicorn" in commands("serve")
    assert "manage.py migrate --noinput" in commands("release")
    assert "manage.py sandbox_seed" in commands("release")
