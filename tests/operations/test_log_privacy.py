"""No log line, at any level, holds the API key, a session id or a candidate's personal data
(beyond ids): values planted in a candidate are searched for in everything the app logged at
DEBUG while it synced, searched, saved, ran a bulk job and showed data health, against the sandbox
over real HTTP (so urllib3, the tasks framework and the sandbox log as in production)."""

from __future__ import annotations

import base64
import secrets
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client

from candidates.models import AuditEntry, BulkJob
from candidates.worker import run_queued_tasks
from tests.bulk.conftest import csv_bytes
from tests.candidates.view_helpers import (
    CANDIDATE_URL,
    mock_definitions,
    mock_reads,
    post_step,
    unedited_post,
)
from tests.conftest import BASE_URL
from tests.directory.conftest import sandbox_change
from tests.faults.sandbox_forms import sandbox_edit_path, sandbox_post

ACCOUNT = "sbx-greenhouse"
PLANTED = "c-0003"


def _forms(value: str) -> set[str]:
    """The ways a value may be written: as is, URL-quoted, lower case, without spaces."""
    return {value, quote(value), quote(value, safe=""), value.lower(), value.replace(" ", "")}


def _leaks(text: str, planted: dict[str, str]) -> list[str]:
    lowered = text.lower()
    return [what for what, value in planted.items() if any(form.lower() in lowered for form in _forms(value))]


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_nothing_planted_reaches_a_log_line_at_debug(
        sandbox, settings, editor_client: Client, ops_client: Client, app_logs, monkeypatch,
        fmt: str) -> None:
    token = secrets.token_hex(4)
    digits = f"{secrets.randbelow(1000):03d}"
    planted = {
        "first name": f"Zebulon{token}", "last name": f"Quixley{token}",
        "email": f"planted.{token}@example.org", "phone": f"7700 900{digits}",
        "saved last name": f"Savedname{token}", "saved email": f"saved.{token}@example.org",
        "bulk first name": f"Bulkname{token}",
    }
    sandbox_change(PLANTED, first_name=planted["first name"], last_name=planted["last name"],
                   name=f"{planted['first name']} {planted['last name']}", email=planted["email"],
                   emails=[{"type": "personal", "value": planted["email"]}],
                   phone_numbers=[{"type": "mobile", "phone": f"0{planted['phone']}"}])
    settings.CANDIDATE_DIRECTORY = True
    log = app_logs(level="DEBUG", fmt=fmt)
    # Django's SQL log (every query with its parameters) as with DEBUG on: held back by the settings.
    monkeypatch.setattr(connections["default"], "force_debug_cursor", True)

    # A full sync, queued by "Sync now" and run by the worker.
    assert ops_client.post(f"/accounts/{ACCOUNT}/directory/sync/", {"full": "1"}).status_code == 302
    run_queued_tasks()
    # A search for the planted address (the query string is personal data).
    found = editor_client.get(f"/accounts/{ACCOUNT}/candidates/", {"q": planted["email"]})
    assert PLANTED in found.content.decode()
    # A save of a new last name and email.
    data = sandbox_post(candidate_id=PLANTED, last_name=planted["saved last name"],
                        email=planted["saved email"])
    assert editor_client.post(sandbox_edit_path(candidate_id=PLANTED) + "confirm/", data).status_code == 302
    # A bulk job setting a first name.
    upload = csv_bytes(["id", "first_name"], [[PLANTED, planted["bulk first name"]]])
    assert ops_client.post("/bulk/", {"account_id": ACCOUNT, "file": SimpleUploadedFile("p.csv", upload)}
                           ).status_code == 302
    run_queued_tasks()
    job = BulkJob.objects.get()
    assert ops_client.post(f"/bulk/jobs/{job.pk}/start/").status_code == 302
    run_queued_tasks()
    # Data health: the planted phone number is a finding on the page.
    health = ops_client.get(f"/accounts/{ACCOUNT}/health/", {"check": "phone_format"})
    assert health.status_code == 200
    assert planted["phone"].replace(" ", "") in health.content.decode().replace(" ", "")

    # Everything happened (so the log below is the log of all of it) ...
    assert AuditEntry.objects.filter(candidate_id=PLANTED, outcome="saved").count() == 2
    text = log.getvalue()
    for expected in ("candidate_write account=sbx-greenhouse candidate=c-0003",
                     f"POST /accounts/{ACCOUNT}/directory/sync/ 302",
                     f"GET /accounts/{ACCOUNT}/candidates/ 200", "GET /sandbox/unified/ats/candidates 200",
                     f"GET /accounts/{ACCOUNT}/health/ 200", "DEBUG"):
        assert expected in text, expected
    # ... and none of it is in the log.
    key = settings.SANDBOX_API_KEY
    secret = {"API key": key, "API key (Basic)": base64.b64encode(f"{key}:".encode()).decode(),
              "editor session": editor_client.cookies["sessionid"].value,
              "ops session": ops_client.cookies["sessionid"].value}
    assert _leaks(text, planted) == []
    assert _leaks(text, secret) == []


def test_stackone_errors_that_echo_candidate_data_are_logged_without_it(
        editor_client: Client, stackone, app_logs, settings) -> None:
    planted = "echoed.person@example.org"
    log = app_logs(level="DEBUG", fmt="json")
    # An exact-email search (no directory) that StackOne fails: its URL holds the address.
    settings.CANDIDATE_DIRECTORY = False
    stackone.get(f"{BASE_URL}/unified/ats/candidates", status=500,
                 json={"statusCode": 500, "message": f"lookup of {planted} failed"})
    response = editor_client.get("/accounts/acc-1/candidates/", {"q": planted})
    assert response.status_code == 502
    # A save StackOne rejects with the value in its message and its provider's.
    mock_definitions(stackone)
    stackone.get(f"{BASE_URL}/accounts/acc-1/meta", status=404, json={"statusCode": 404, "message": "x"})
    mock_reads(stackone)
    stackone.patch(CANDIDATE_URL, status=503, json={
        "statusCode": 503, "message": f"could not store {planted}",
        "provider_errors": [{"status": 503, "raw": {"message": f"{planted} is locked"}}]})
    assert post_step(editor_client, unedited_post(email=planted)).status_code == 502
    text = log.getvalue()
    assert "StackOneUnavailable status=500 code=- GET /unified/ats/candidates retries=" in text
    assert "candidate save outcome unknown: StackOneUnavailable status=503" in text
    assert _leaks(text, {"email": planted}) == []
