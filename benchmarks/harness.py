"""What the benchmarks share: a throwaway database, the app and the sandbox as real gunicorn
processes on spare loopback ports, a signed-in ``requests.Session``, the sandbox's control API,
and the edit form's POST data.

The benchmark process configures Django against the same database and SECRET_KEY as the
servers, so it can seed, read the sandbox's rows and sign snapshots without any HTTP call
(none of its own work shows in the sandbox's statistics).

Each benchmark prepares everything it needs from a fresh clone (``django_setup``: migrate,
seed, collect the hashed static files the production settings serve);
tests/test_benchmarks.py runs every script here that way in a tiny configuration.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
USERNAME, PASSWORD = "bench", "bench-password-1"
ACCOUNT = "sbx-greenhouse"
STARTUP_SECONDS = 180  # a loaded shared machine can take a minute to import Django in gunicorn


def sandbox_key() -> str:
    """The sandbox's per-install key (settings.SANDBOX_API_KEY, read after django_setup as the servers do)."""
    from django.conf import settings

    return settings.SANDBOX_API_KEY


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_env(database_url: str, **extra: str) -> dict[str, str]:
    """Environment for the servers and this process: production settings on plain-http loopback."""
    env = {k: v for k, v in os.environ.items() if k != "STACKONE_API_KEY"}  # sandbox mode
    env.update({
        "DJANGO_SETTINGS_MODULE": "stackone_admin.settings",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "false",
        "HTTPS_ONLY": "false",  # plain http on loopback
        "STACKONE_SANDBOX": "true",  # DEBUG is off: the sandbox must be asked for
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        # The app's own StackOne call budget (600/minute by default) would throttle the load run:
        # the point here is the app's cost, not the budget.
        "STACKONE_RATE_LIMIT": "1000000/minute",
        "BULK_INPROCESS_WORKER": "false",
    })
    env.update(extra)
    return env


@contextmanager
def workspace(database_url: str | None) -> Iterator[tuple[Path, str]]:
    """Yield (a temporary directory, the database URL: the given one or a fresh SQLite file)."""
    tmp = Path(tempfile.mkdtemp(prefix="stackone-bench-"))
    try:
        yield tmp, database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def django_setup(env: dict[str, str]) -> None:
    """Configure Django in this process as the servers are, migrate, seed, create the bench user."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    static_prepare()
    from sandbox.seed import seed_sandbox

    seed_sandbox(reset=True)
    if not User.objects.filter(username=USERNAME).exists():
        User.objects.create_superuser(USERNAME, "bench@example.com", PASSWORD)
    from candidates.models import UserPreference

    # The benchmarks' saves post the edit form to the edit page (its Save), as a user who turned
    # the review step off does: the save is sent at once, no review page.
    UserPreference.objects.update_or_create(user=User.objects.get(username=USERNAME),
                                            defaults={"review_before_save": False})


def static_prepare() -> None:
    """Collect the static files (hashed, compressed: what ``DEBUG=false`` serves) unless the
    manifest is newer than every file under static/; without it every page answers 500."""
    from django.conf import settings
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [path for path in (ROOT / "static").rglob("*") if path.is_file()]
    if manifest.exists() and all(path.stat().st_mtime < manifest.stat().st_mtime for path in sources):
        return
    call_command("collectstatic", verbosity=0, interactive=False)


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(name: str, env: dict[str, str], *, workers: int, threads: int, log: Path,
                 extra: tuple[str, ...] = ()) -> Server:
    """Start gunicorn (gthread workers: keep-alive on both sides; ``extra``: more of its options)
    and wait until it answers."""
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", "stackone_admin.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
               "--timeout", "120", "--keep-alive", "30", "--no-control-socket", *extra]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    server = Server(name, f"http://127.0.0.1:{port}", process)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} server exited; see {log}:\n{log.read_text()[-3000:]}")
        try:
            requests.get(server.url + "/login/", timeout=10)
            return server
        except requests.RequestException:  # not listening yet, or still importing
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} server did not start in {STARTUP_SECONDS} s; see {log}")


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("name"):
            self.values[found["name"] or ""] = found.get("value") or ""


def sign_in(app_url: str) -> requests.Session:
    """Return a session signed in through the real login form (CSRF token included)."""
    session = requests.Session()
    page = session.get(f"{app_url}/login/")
    if page.status_code != 200:
        raise RuntimeError(f"the login page answered {page.status_code}, not 200 (see the app server's log)")
    parser = _Inputs()
    parser.feed(page.text)
    response = session.post(f"{app_url}/login/", allow_redirects=False, data={
        "csrfmiddlewaretoken": parser.values["csrfmiddlewaretoken"],
        "username": USERNAME, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"sign-in failed ({response.status_code})")
    return session


def csrf_token(session: requests.Session) -> str:
    return session.cookies.get("csrftoken") or ""


class SandboxControl:
    """The sandbox's control API over HTTP (its statistics live in that server's process).

    Outside DEBUG it needs the key and a signed-in superuser: the bench user is one.
    """

    def __init__(self, sandbox_url: str) -> None:
        self.base = f"{sandbox_url}/sandbox/_control"
        self.session = sign_in(sandbox_url)
        self.session.auth = (sandbox_key(), "")

    def faults(self, **values: Any) -> None:
        self.session.post(f"{self.base}/faults", json=values).raise_for_status()

    def reset_faults(self) -> None:
        self.session.delete(f"{self.base}/faults").raise_for_status()

    def reset_stats(self) -> None:
        self.session.delete(f"{self.base}/stats").raise_for_status()

    def stats(self) -> dict[str, Any]:
        return self.session.get(f"{self.base}/stats").json()

    def connections(self) -> int:
        return self.session.get(f"{self.base}/connections").json()["connections"]


def bare_session(sandbox_url: str) -> requests.Session:
    """A session that calls the sandbox API directly, with what the app's client sends."""
    session = requests.Session()
    session.auth = (sandbox_key(), "")
    session.headers.update({"Accept": "application/json", "x-account-id": ACCOUNT})
    return session


def candidate_raw(candidate_id: str) -> dict[str, Any]:
    """The candidate as the sandbox serves it, read from the database (no HTTP, not counted)."""
    from sandbox import store
    from sandbox.models import SandboxAccount

    account = SandboxAccount.objects.get(pk=ACCOUNT)
    return store.serialize_candidate(store.get_candidate(account, candidate_id), include_custom_fields=True)


def edit_form(candidate_id: str, **changes: str) -> dict[str, Any]:
    """The edit page's POST data for the candidate as stored now, with ``changes``, sent directly."""
    from candidates.editor.candidate_editor import CandidateEditor
    from candidates.editor.snapshot import snapshot_dumps
    from candidates.editor.tokens import token_new
    from candidates.types import Candidate
    from tests.candidates.form_data import editor_post_data

    candidate = Candidate.from_api(candidate_raw(candidate_id))
    data = editor_post_data(CandidateEditor(candidate))
    data.update(snapshot=snapshot_dumps(candidate, account_id=ACCOUNT), form_token=token_new())
    data.update(changes)
    return data


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def session_for(app_url: str, username: str) -> requests.Session:
    """Return a session signed in as ``username`` by writing its session row directly (fast:
    no password hashing per user); the cookie is what the login form would have set."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    user, _ = User.objects.get_or_create(username=username, defaults={"is_superuser": True, "is_staff": True})
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The password backend, as the sign-in form would record it (a backend not in
    # AUTHENTICATION_BACKENDS signs nobody in).
    store[BACKEND_SESSION_KEY] = "stackone_admin.signin.PasswordBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, store.session_key, domain="127.0.0.1", path="/")
    return session


def pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@contextmanager
def throwaway_postgres(tmp: Path) -> Iterator[str]:
    """Start a PostgreSQL server from Debian's packages on a spare loopback port, as .ci/run
    does; yield its DATABASE_URL; stop it. Raises RuntimeError when PostgreSQL is missing."""
    binaries = pg_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    data, port = tmp / "pg", free_port()
    data.mkdir()
    as_postgres: list[str] = []
    if os.getuid() == 0:  # initdb refuses to run as root
        shutil.chown(tmp, "postgres")
        shutil.chown(data, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_postgres, str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                    "--no-sync", "-E", "UTF8"], check=True, capture_output=True)
    options = (f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=200")
    subprocess.run([*as_postgres, str(binaries / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"),
                    "-w", "-o", options, "start"], check=True, capture_output=True)
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)


def background_share() -> float:
    """Calls a minute the app's budget lets background work make when no page calls: the whole
    budget less the reserve it leaves to people (``candidates.budget``)."""
    from candidates.budget import budget_shape

    shape = budget_shape()
    return (shape.limit - shape.reserve) / shape.window * 60


def start_command(argv: list[str], env: dict[str, str], *, log: Path) -> subprocess.Popen[bytes]:
    """Start ``manage.py`` with ``argv`` (a worker, the scheduler) in the background, its output
    in ``log``."""
    return subprocess.Popen([PYTHON, "manage.py", *argv], cwd=ROOT, env=env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT)


@contextmanager
def throwaway_redis(tmp: Path) -> Iterator[str]:
    """Start Debian's redis-server on a spare loopback port, in memory only; yield its URL; stop
    it. Raises RuntimeError when Redis is missing."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("Redis is not installed (apt-get install redis-server)")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(tmp)]
    process = subprocess.Popen(command, stdout=(tmp / "redis.log").open("w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start; see {tmp / 'redis.log'}") from None
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=30)
