"""The StackOne API key never leaves the server: a recognisable key is configured, every page and
error path is exercised against a scripted StackOne on loopback, and everything the app produced —
response bodies, every log record at DEBUG (``django.request`` included, tracebacks formatted),
Django's exception report, and every database row (audit log, sessions, sign-in attempts) — is
searched for the key and for its Basic-auth form."""

from __future__ import annotations

import base64
import http.server
import io
import json
import logging
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.views.debug import ExceptionReporter

from candidates.exceptions import StackOneError
from candidates.models import AuditEntry
from candidates.stackone import stackone_client
from tests.candidates.view_helpers import ACCOUNT, EDIT_PATH, candidate_json, post_step, unedited_post

KEY = "sk_live_LEAKCANARY_5f0c2e9a7d41b8e3"
BASIC = base64.b64encode(f"{KEY}:".encode()).decode()
NEEDLES = (KEY, BASIC, "LEAKCANARY", base64.b64encode(KEY.encode()).decode()[:24])
LIST_PATH = f"/accounts/{ACCOUNT}/candidates/"
HISTORY_PATH = f"{EDIT_PATH}history/"
STAMP = "2026-11-28T10:00:00.000Z"
PATCH_OK = {"statusCode": 200, "message": "Record updated successfully.", "timestamp": STAMP,
            "data": {"id": "c-1", "remote_id": "r-1"}}
ACCOUNTS = [{"id": ACCOUNT, "provider": "greenhouse", "provider_name": "Greenhouse", "status": "active",
             "label": "Greenhouse", "origin_owner_name": "Acme"}]


@dataclass
class Remote:
    """A scripted StackOne: answers every route; ``failures[method]`` overrides with an error."""

    base_url: str = ""
    failures: dict[str, tuple[int, Any] | str] = field(default_factory=dict)
    seen_auth: list[str] = field(default_factory=list)

    def ok(self, method: str, path: str) -> tuple[int, Any]:
        if method == "PATCH":
            return 200, PATCH_OK
        if path.startswith("/accounts"):
            return 200, ACCOUNTS
        if path.startswith("/unified/ats/custom_field_definitions"):
            return 200, {"data": [], "next": None}
        if path.startswith("/unified/ats/candidates/"):
            return 200, {"data": candidate_json()}
        return 200, {"data": [candidate_json()], "next": None}


@pytest.fixture
def remote() -> Iterator[Remote]:
    state = Remote()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.seen_auth.append(self.headers.get("Authorization", ""))
            failure = state.failures.get(self.command)
            if failure == "timeout":
                time.sleep(0.6)
                status, body = 504, {"message": "too late"}
            elif failure == "not-json":
                status, body = 200, "<html>Gateway login</html>"
            else:
                status, body = failure or state.ok(self.command, self.path)
            payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (timeouts)

        do_GET = do_PATCH = _answer

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def keyed(settings, remote: Remote) -> Remote:
    """The app configured as in production with the recognisable key, against ``remote``."""
    settings.STACKONE_API_KEY = KEY
    settings.SANDBOX_MODE = False
    settings.STACKONE_BASE_URL = remote.base_url
    settings.STACKONE_TIMEOUT = 0.3
    settings.STACKONE_MAX_RETRIES = 1
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    return remote


def _error(status: int, message: str, **extra: Any) -> tuple[int, dict[str, Any]]:
    return status, {"statusCode": status, "message": message, "timestamp": STAMP, **extra}


FAILURES: list[tuple[int, Any] | str] = [
    _error(401, "Unauthorized"), _error(403, "Forbidden"), _error(404, "Not found"),
    _error(408, "Request timeout"), _error(409, "Conflict"), _error(412, "Account not active"),
    _error(422, "Unprocessable", provider_errors=[{"status": 422, "url": "https://ats/x",
                                                    "raw": {"error": "last_name invalid"}}]),
    _error(429, "Too many requests"), _error(500, "Server error"), _error(502, "Bad gateway"),
    "timeout", "not-json",
]


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return f"{response.status_code}\n{headers}\n{content.decode('utf-8', 'replace')}"


def _exercise_pages(client: Client, outputs: list[str]) -> None:
    """Every signed-in page, and a save, as they stand with the remote's current answers."""
    for path in ("/", "/accounts/", LIST_PATH, f"{LIST_PATH}?email=ada%40example.com", EDIT_PATH):
        outputs.append(_body(client.get(path)))
    for step in ("save", "confirm"):
        outputs.append(_body(post_step(client, unedited_post(last_name="Byron"), step=step)))


def _all_rows() -> str:
    """Every row of every table (audit log, sessions and their messages, sign-in attempts, users)."""
    out = io.StringIO()
    call_command("dumpdata", "--natural-foreign", stdout=out)
    return out.getvalue()


def _client_error() -> Any:
    """``sys.exc_info()`` of a StackOneError raised by the client (a frame with no test locals)."""
    try:
        stackone_client().candidate_get(account_id=ACCOUNT, candidate_id="c-1")
    except StackOneError:
        return sys.exc_info()
    pytest.fail("the client did not raise")


def _exception_report(remote: Remote) -> str:
    """Django's exception report (the 500 page and the mail to admins) for a StackOneError."""
    remote.failures = {"GET": _error(401, "Unauthorized")}
    reporter = ExceptionReporter(RequestFactory().get(EDIT_PATH), *_client_error())
    return reporter.get_traceback_text() + reporter.get_traceback_html()


def test_the_api_key_appears_in_no_page_log_line_error_text_or_row(
    keyed: Remote, admin_client: Client, caplog: pytest.LogCaptureFixture, settings
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")
    outputs: list[str] = []
    anonymous = Client()

    outputs.append(_body(anonymous.get("/healthz")))
    outputs.append(_body(anonymous.get("/login/")))
    for _ in range(6):  # past the lockout
        outputs.append(_body(anonymous.post("/login/", {"username": "admin", "password": "wrong-password"})))

    _exercise_pages(admin_client, outputs)
    for method in ("GET", "PATCH"):
        for failure in FAILURES:
            keyed.failures = {method: failure}
            _exercise_pages(admin_client, outputs)
    keyed.failures = {}
    settings.STACKONE_BASE_URL = "http://127.0.0.1:9"  # connection refused: nothing listens there
    _exercise_pages(admin_client, outputs)
    settings.STACKONE_BASE_URL = keyed.base_url

    for path in ("/audit/", "/audit/?outcome=rejected", "/audit/export.csv", HISTORY_PATH, "/admin/",
                 "/admin/candidates/auditentry/", "/admin/axes/accessattempt/", "/admin/axes/accesslog/"):
        outputs.append(_body(admin_client.get(path)))
    entries = list(AuditEntry.objects.all())
    for entry in entries:
        outputs.append(_body(admin_client.get(f"/admin/candidates/auditentry/{entry.pk}/change/")))
    outputs.append(_body(admin_client.post("/logout/")))
    report = _exception_report(keyed)
    outputs.append(report)
    rows = _all_rows()
    records = [logging.Formatter("%(name)s %(levelname)s %(message)s").format(r) for r in caplog.records]

    # The test reached what it means to search: the key was sent, saves were audited, errors logged.
    assert f"Basic {BASIC}" in keyed.seen_auth
    assert {e.outcome for e in entries} >= {"saved_with_warnings", "rejected", "unknown"}
    # Each 4xx/5xx page is logged once, by the app's own line per request (with its request id).
    assert any(r.name == "stackone_admin.access" and r.levelname == "WARNING" for r in caplog.records)
    assert [o.split("\n", 1)[0] for o in outputs if o.startswith("500\n")] == []  # no remote failure is a 500
    assert any("StackOne error" in r for r in records)
    assert "StackOneAuthError" in report and "STACKONE_API_KEY" in report  # settings listed, cleansed
    everything = {"responses": "\n".join(outputs), "logs": "\n".join(records) + caplog.text,
                  "rows": rows, "audit": "\n".join(json.dumps(e.request_body) + e.message for e in entries)}
    leaks = {(where, needle) for where, text in everything.items() for needle in NEEDLES if needle in text}
    assert leaks == set()
