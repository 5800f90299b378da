"""``LOG_FORMAT=json``: one JSON object a line. Every line of a request carries its id, which is
also on the response, on the audit rows the request wrote and in the tasks it queued."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult

from candidates.models import AuditEntry, BulkJob
from candidates.worker import run_queued_tasks
from stackone_admin.log_format import JSON_KEYS
from tests.bulk.conftest import ACCOUNT as SANDBOX_ACCOUNT
from tests.bulk.conftest import csv_bytes
from tests.candidates.view_helpers import (
    EDIT_PATH,
    candidate_json,
    mock_definitions,
    mock_reads,
    patch_ok,
    post_step,
    unedited_post,
)
from tests.conftest import BASE_URL

HEX_ID = re.compile(r"[0-9a-f]{32}")


def json_lines(text: str) -> list[dict[str, Any]]:
    """Parse the log line by line: each must be one JSON object."""
    lines = text.splitlines()
    assert lines, "nothing was logged"
    return [json.loads(line) for line in lines]


def _save(editor_client: Client, stackone) -> Any:
    mock_definitions(stackone)
    stackone.get(f"{BASE_URL}/accounts/acc-1/meta", status=404, json={"statusCode": 404, "message": "x"})
    mock_reads(stackone, after=candidate_json(last_name="Byron"))
    patch_ok(stackone, {"last_name": "Byron"})
    response = post_step(editor_client, unedited_post(last_name="Byron"))
    assert response.status_code == 302
    return response


def test_json_lines_parse_one_by_one_and_carry_the_request_id(editor_client: Client, stackone,
                                                              app_logs) -> None:
    log = app_logs(level="DEBUG", fmt="json")
    response = _save(editor_client, stackone)
    request_id = response["X-Request-ID"]
    assert HEX_ID.fullmatch(request_id)
    lines = json_lines(log.getvalue())
    assert all({"time", "level", "logger", "request_id", "message"} <= set(line) for line in lines)
    [access] = [line for line in lines if line["logger"] == "stackone_admin.access"]
    assert access["message"].startswith(f"POST {EDIT_PATH}confirm/ 302 ")
    assert (access["method"], access["path"], access["status"], access["level"]) == (
        "POST", f"{EDIT_PATH}confirm/", 302, "INFO")
    [write] = [line for line in lines if line["logger"] == "candidates.writes"]
    assert write["message"] == "candidate_write account=acc-1 candidate=c-1 fields=['last_name']"
    # Every line logged while the request ran carries its id; and so does its audit row.
    assert {line["request_id"] for line in lines} == {request_id}
    assert AuditEntry.objects.get().request_id == request_id


def test_text_lines_carry_the_request_id_too(editor_client: Client, stackone, app_logs) -> None:
    log = app_logs(level="INFO", fmt="text")
    request_id = _save(editor_client, stackone)["X-Request-ID"]
    lines = log.getvalue().splitlines()
    expected = f"INFO candidates.writes [{request_id}] candidate_write account=acc-1"
    assert any(expected in line for line in lines)
    assert all(f"[{request_id}]" in line for line in lines if re.match(r"\d{4}-\d\d-\d\d ", line))


@pytest.mark.parametrize(("sent", "kept"), [("edge-7f3a:01", True), ("a" * 64, True), ("a" * 65, False),
                                             ("has space", False), ("-leading-dash", False), ("", False)])
def test_the_proxys_request_id_is_taken_when_the_setting_names_its_header(
        client: Client, db: None, settings, sent: str, kept: bool) -> None:
    settings.REQUEST_ID_HEADER = "X-Request-ID"
    response = client.get("/login/", HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] == sent if kept else HEX_ID.fullmatch(response["X-Request-ID"])


def test_without_the_setting_a_clients_request_id_is_ignored(client: Client, db: None) -> None:
    response = client.get("/login/", HTTP_X_REQUEST_ID="chosen-by-the-client")
    assert HEX_ID.fullmatch(response["X-Request-ID"])


def test_a_bulk_job_runs_under_the_ids_of_the_requests_that_queued_it(
        sandbox, ops_client: Client, app_logs, settings) -> None:
    settings.REQUEST_ID_HEADER = "X-Request-ID"
    log = app_logs(level="INFO", fmt="json")
    upload = csv_bytes(["id", "title"], [[f"c-{n:04d}", f"Traced {n}"] for n in range(2, 5)])
    uploaded = ops_client.post("/bulk/", {"account_id": SANDBOX_ACCOUNT,
                                          "file": SimpleUploadedFile("t.csv", upload)},
                               HTTP_X_REQUEST_ID="upload-1")
    assert uploaded.status_code == 302
    job = BulkJob.objects.get()
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"request_id": "upload-1"}
    run_queued_tasks()  # the preview
    started = ops_client.post(f"/bulk/jobs/{job.pk}/start/", HTTP_X_REQUEST_ID="start-1")
    assert started.status_code == 302
    run_queued_tasks()  # the run: its rows are PATCHed on the job's pool threads
    entries = AuditEntry.objects.filter(source="bulk")
    assert entries.count() == 3 and {entry.request_id for entry in entries} == {"start-1"}
    writes = [line for line in json_lines(log.getvalue()) if line["logger"] == "candidates.writes"]
    assert len(writes) == 3 and {line["request_id"] for line in writes} == {"start-1"}


def test_a_sync_queued_by_sync_now_logs_under_that_requests_id(
        transactional_db: None, ops_client: Client, stackone, app_logs, settings) -> None:
    settings.CANDIDATE_DIRECTORY = True
    log = app_logs(level="INFO", fmt="json")
    stackone.get(f"{BASE_URL}/accounts/acct-9",
                 json={"id": "acct-9", "provider": "greenhouse", "status": "active"})
    stackone.get(f"{BASE_URL}/unified/ats/candidates", status=503,
                 json={"statusCode": 503, "message": "busy"})
    response = ops_client.post("/accounts/acct-9/directory/sync/")
    assert response.status_code == 302
    run_queued_tasks()
    lines = json_lines(log.getvalue())
    [failed] = [line for line in lines if line["logger"] == "candidates.directory.sync"]
    assert failed["message"].startswith("directory sync ")
    assert "StackOneUnavailable status=503" in failed["message"]
    assert failed["request_id"] == response["X-Request-ID"]


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_the_last_guard_removes_query_strings_and_the_api_key_from_any_line(
        client: Client, db: None, app_logs, settings, fmt: str) -> None:
    settings.SANDBOX_MODE, settings.STACKONE_API_KEY = False, "sk-live-GUARDED-KEY-0042"
    log = app_logs(level="DEBUG", fmt=fmt)
    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET /accounts/a/candidates/?q=jane%40x.example HTTP/1.1", 200, 512)
    logging.getLogger("urllib3.connectionpool").warning(
        "Retrying (%r) after connection broken by '%r': %s", "Retry(total=2)", "ConnectionResetError()",
        "/unified/ats/candidates?filter%5Bemail%5D=jane%40x.example&page_size=25")
    logging.getLogger("candidates").warning("a careless line with sk-live-GUARDED-KEY-0042 in it")
    try:
        raise ValueError("https://api.example/unified/ats/candidates?filter[email]=jane@x.example failed")
    except ValueError:
        logging.getLogger("candidates").exception("a traceback")
    # Fields passed as ``extra`` (as Django passes the request) are not written.
    logging.getLogger("candidates").info("with extra fields",
                                         extra={"email": "jane@x.example", "request": client})
    # Django's 404 warning would pass the request, whose text holds the query string, as ``extra``.
    assert client.get("/nowhere/", {"q": "jane@x.example"}).status_code == 404
    text = log.getvalue()
    assert "jane" not in text and "GUARDED" not in text
    assert "GET /accounts/a/candidates/?[redacted] HTTP/1.1" in text
    assert "/unified/ats/candidates?[redacted]" in text
    assert "a careless line with [redacted] in it" in text
    traceback = text.replace("\\n", "\n")
    assert "ValueError: https://api.example/unified/ats/candidates?[redacted] failed" in traceback
    assert "GET /nowhere/ 404" in text  # the access line, with its request id, says it once
    assert "Not Found" not in text
    if fmt == "json":
        assert all(set(line) <= JSON_KEYS for line in json_lines(text))
