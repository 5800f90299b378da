"""The counters move by exactly what a save, a bulk job and a sync did, and the state read at
scrape time is the state in the database. No label names a candidate."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from django.test import Client
from django.utils import timezone

from candidates.budget import EDGE, budget_pause, budget_reset, budget_sleep, budget_try
from candidates.bulk.csv_parse import bulk_csv_parse
from candidates.bulk.jobs import bulk_job_create, bulk_job_start
from candidates.bulk.preview import bulk_preview_run
from candidates.directory.models import DirectorySync
from candidates.directory.sync import directory_sync
from candidates.exceptions import StackOneAuthError
from candidates.models import BulkJob
from candidates.worker import run_queued_tasks
from sandbox.faults import set_faults
from tests.bulk.conftest import ACCOUNT as SANDBOX_ACCOUNT
from tests.bulk.conftest import csv_bytes
from tests.candidates.view_helpers import (
    ACCOUNT,
    CANDIDATE_URL,
    candidate_json,
    mock_definitions,
    mock_reads,
    patch_ok,
    post_step,
    unedited_post,
)
from tests.conftest import BASE_URL
from tests.fake_clock import fake_budget_clock
from tests.faults.sandbox_forms import sandbox_edit_path, sandbox_post
from tests.operations.conftest import Samples, moved, scrape, value

REQUESTS = "stackone_admin_stackone_requests_total"
BUDGET_CALLS = ("stackone_admin_budget_calls_total", ())
SAVES = "stackone_admin_saves_total"


def requests_total(operation: str, status: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return (REQUESTS, (("operation", operation), ("status", status)))


def saves(source: str, outcome: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return (SAVES, (("outcome", outcome), ("source", source)))


def counter(name: str, **labels: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return (name, tuple(sorted(labels.items())))


def label_values(samples: Samples) -> set[str]:
    return {label for _, labels in samples for _, label in labels}


def _meta_missing(stackone) -> None:
    stackone.get(f"{BASE_URL}/accounts/{ACCOUNT}/meta", status=404, json={"statusCode": 404, "message": "x"})


def _around_the_page(stackone) -> None:
    """The custom field definitions (cached once read) and the account's meta (none: remembered
    for a minute), which the edit page and data health read."""
    mock_definitions(stackone)
    _meta_missing(stackone)


def _saved(stackone) -> None:
    _around_the_page(stackone)
    mock_reads(stackone, after=candidate_json(last_name="Byron"))
    patch_ok(stackone, {"last_name": "Byron"})


def _saved_with_warnings(stackone) -> None:
    _around_the_page(stackone)
    mock_reads(stackone, after=candidate_json())  # the ATS kept the old last name
    patch_ok(stackone, {"last_name": "Byron"})


def _rejected(stackone) -> None:
    _around_the_page(stackone)
    mock_reads(stackone)
    stackone.patch(CANDIDATE_URL, status=422, json={"statusCode": 422, "message": "Unprocessable"})


def _unknown(stackone) -> None:
    _around_the_page(stackone)
    mock_reads(stackone)
    stackone.patch(CANDIDATE_URL, body=requests.exceptions.ReadTimeout("read timed out"))


def _conflict(stackone) -> None:
    _around_the_page(stackone)
    mock_reads(stackone, before=candidate_json(last_name="Babbage"))  # changed meanwhile in StackOne


AROUND_THE_PAGE = {requests_total("custom_field_definitions_list", "200"): 1,
                   requests_total("account_meta_get", "404"): 1}


@pytest.mark.parametrize(("answers", "expected"), [
    (_saved, {requests_total("candidate_get", "200"): 2, requests_total("candidate_update", "200"): 1,
              saves("edit", "saved"): 1, **AROUND_THE_PAGE}),
    (_saved_with_warnings, {requests_total("candidate_get", "200"): 2,
                            requests_total("candidate_update", "200"): 1,
                            saves("edit", "saved_with_warnings"): 1, **AROUND_THE_PAGE}),
    (_rejected, {requests_total("candidate_get", "200"): 1, requests_total("candidate_update", "422"): 1,
                 saves("edit", "rejected"): 1, **AROUND_THE_PAGE}),
    (_unknown, {requests_total("candidate_get", "200"): 1, requests_total("candidate_update", "timeout"): 1,
                saves("edit", "unknown"): 1, **AROUND_THE_PAGE}),
    (_conflict, {requests_total("candidate_get", "200"): 1, saves("edit", "conflict"): 1, **AROUND_THE_PAGE}),
], ids=["saved", "saved_with_warnings", "rejected", "unknown", "conflict"])
def test_a_save_moves_the_counters_by_exactly_what_it_did(editor_client: Client, stackone, metrics_on: str,
                                                          answers, expected) -> None:
    before = scrape()
    answers(stackone)
    post_step(editor_client, unedited_post(last_name="Byron"))
    after = scrape()
    sent = sum(n for (name, _), n in expected.items() if name == REQUESTS)
    assert moved(before, after) == {**expected, BUDGET_CALLS: sent}  # every call the page made
    count = "stackone_admin_stackone_request_duration_seconds_count"
    timed = value(after, count, operation="candidate_get") - value(before, count, operation="candidate_get")
    assert timed == expected[requests_total("candidate_get", "200")]
    assert not label_values(after) & {"c-1", "r-1", "Ada", "Lovelace", "Byron", "ada@example.com"}


LIST_URL = f"{BASE_URL}/unified/ats/candidates"


def _listed(n: int, **fields: object) -> dict[str, object]:
    return {"id": f"c-{n}", "remote_id": f"r-{n}", "name": f"Person {n}", "first_name": "Person",
            "last_name": str(n), "email": f"p{n}@example.com",
            "emails": [{"type": "personal", "value": f"p{n}@example.com"}],
            "phone_numbers": [{"type": "mobile", "phone": f"+4477009000{n:02d}"}],
            "country": "United Kingdom",
            "updated_at": "2025-01-02T03:04:05.000Z", **fields}


def test_a_sync_counts_its_pages_and_the_directory_reads_as_it_now_stands(stackone, metrics_on: str,
                                                                          settings, db: None) -> None:
    settings.CANDIDATE_DIRECTORY = True
    budget_reset()
    stackone.get(LIST_URL, json={"next": "cursor-2", "data": [_listed(1), _listed(2, phone_numbers=[
        {"type": "mobile", "phone": "07700 900002"}])]})
    stackone.get(LIST_URL, json={"next": None, "data": [_listed(3, email="not-an-address")]})
    stackone.get(f"{BASE_URL}/unified/ats/custom_field_definitions/candidates", json={"data": []})
    before = scrape()
    directory_sync(account_id="acct-1")
    after = scrape()
    assert moved(before, after) == {
        requests_total("candidate_list", "200"): 2,
        requests_total("custom_field_definitions_list", "200"): 1,  # data health's check of custom fields
        BUDGET_CALLS: 3,  # every call from the shared budget: the pages and data health's read
    }
    assert value(after, "stackone_admin_directory_rows", account_id="acct-1") == 3
    assert 0 <= value(after, "stackone_admin_directory_sync_lag_seconds", account_id="acct-1") < 60
    assert value(after, "stackone_admin_directory_sync_failing", account_id="acct-1") == 0
    assert value(after, "stackone_admin_health_findings", account_id="acct-1", check="phone_format") == 1
    assert value(after, "stackone_admin_health_findings", account_id="acct-1", check="invalid_email") == 1
    assert not label_values(after) & {"c-1", "c-2", "c-3", "Person 1", "p1@example.com", "not-an-address"}


def test_a_failed_sync_shows_as_failing_and_its_lag_keeps_growing(stackone, metrics_on: str, settings,
                                                                  db: None) -> None:
    settings.CANDIDATE_DIRECTORY = True
    budget_reset()
    stackone.get(LIST_URL, status=401, json={"statusCode": 401, "message": "Unauthorized"})
    with pytest.raises(StackOneAuthError):
        directory_sync(account_id="acct-2")
    after = scrape()
    assert moved({}, after)[requests_total("candidate_list", "401")] >= 1
    assert value(after, "stackone_admin_directory_sync_failing", account_id="acct-2") == 1
    # Never synced: the lag counts from when its first sync was queued (five minutes ago here),
    # and grows from one scrape to the next.
    DirectorySync.objects.filter(account_id="acct-2").update(created_at=timezone.now() - timedelta(minutes=5))
    lag = value(scrape(), "stackone_admin_directory_sync_lag_seconds", account_id="acct-2")
    assert 300 <= lag < 360
    assert value(scrape(), "stackone_admin_directory_sync_lag_seconds", account_id="acct-2") > lag


def test_a_save_counts_the_429_urllib3_sent_again(sandbox, editor_client: Client, metrics_on: str) -> None:
    # Against the sandbox over real HTTP: urllib3's own retry of a PATCH answered 429.
    data = sandbox_post(last_name="Retried")
    set_faults(fail_status=429, fail_count=1, fail_methods=["PATCH"], retry_after_seconds=1)
    before = scrape()
    assert editor_client.post(sandbox_edit_path() + "confirm/", data).status_code == 302
    after = scrape()
    changes = moved(before, after)
    assert {key: changes.pop(key) for key in [
        requests_total("candidate_update", "200"),
        counter("stackone_admin_stackone_retries_total", operation="candidate_update"),
        counter("stackone_admin_stackone_rate_limited_total", operation="candidate_update"),
        saves("edit", "saved")]} == {requests_total("candidate_update", "200"): 1,
                                     counter("stackone_admin_stackone_retries_total",
                                             operation="candidate_update"): 1,
                                     counter("stackone_admin_stackone_rate_limited_total",
                                             operation="candidate_update"): 1,
                                     saves("edit", "saved"): 1}
    # Every call took from the budget, the one urllib3 sent again too, after the pause the 429 set.
    assert {key: changes.pop(key) for key in [BUDGET_CALLS, counter("stackone_admin_budget_pauses_total"),
                                              counter("stackone_admin_budget_denied_total", reason="paused")]
            } == {BUDGET_CALLS: 6, counter("stackone_admin_budget_pauses_total"): 1,
                  counter("stackone_admin_budget_denied_total", reason="paused"): 1}
    assert 0 < changes.pop(counter("stackone_admin_budget_wait_seconds_total")) <= 1  # Retry-After, capped
    assert changes == {
        requests_total("candidate_get", "200"): 2,  # the check before the PATCH, the read-back after it
        requests_total("account_meta_get", "200"): 1,  # which fields the account's ATS accepts
        requests_total("custom_field_definitions_list", "200"): 1,  # data health, for the refreshed row
    }


def test_the_budget_counts_its_grants_refusals_waits_and_pauses(metrics_on: str, settings, db: None,
                                                                 monkeypatch) -> None:
    settings.STACKONE_RATE_LIMIT = "3/minute"
    fake_budget_clock(monkeypatch)
    before = scrape()
    assert [budget_try() for _ in range(4)] == [0.0, 0.0, 0.0, 60 + EDGE]
    budget_sleep(60.0)  # one second at a time
    budget_pause(5)
    assert budget_try() == 5.0
    after = scrape()
    assert moved(before, after) == {
        counter("stackone_admin_budget_calls_total"): 3,
        counter("stackone_admin_budget_denied_total", reason="exhausted"): 1,
        counter("stackone_admin_budget_denied_total", reason="paused"): 1,
        counter("stackone_admin_budget_wait_seconds_total"): 1.0,
        counter("stackone_admin_budget_pauses_total"): 1,
    }
    assert value(after, "stackone_admin_budget_remaining") == 0
    assert value(after, "stackone_admin_budget_limit") == 3
    assert value(after, "stackone_admin_budget_paused_seconds") == 5.0


def test_a_job_whose_worker_went_quiet_counts_as_stalled_whatever_it_was_doing(metrics_on: str,
                                                                               db: None) -> None:
    long_ago = timezone.now() - timedelta(minutes=5)
    for status in ("parsing", "previewing", "queued", "running", "ready", "done"):
        BulkJob.objects.create(account_id=SANDBOX_ACCOUNT, filename=f"{status}.csv", status=status,
                               heartbeat_at=long_ago)
    BulkJob.objects.create(account_id=SANDBOX_ACCOUNT, filename="live.csv", status="running",
                           heartbeat_at=timezone.now())
    # Reading its file, reading current values, queued or running: each has a worker that reports.
    assert value(scrape(), "stackone_admin_bulk_jobs_stalled") == 4


def test_a_bulk_job_counts_each_row_its_429s_and_the_pauses_they_caused(
        sandbox, ops_user, metrics_on: str, monkeypatch) -> None:
    fake_budget_clock(monkeypatch)  # the pause after a 429 passes at once, exactly
    ids = [f"c-{n:04d}" for n in range(2, 7)]
    parsed = bulk_csv_parse(csv_bytes(["id", "title"], [[cid, f"Metrics {cid}"] for cid in ids]))
    job = bulk_job_create(user=ops_user, account_id=SANDBOX_ACCOUNT, filename="t.csv", parsed=parsed,
                          concurrency=1)
    bulk_preview_run(job_id=job.pk)
    before = scrape()
    assert value(before, "stackone_admin_bulk_rows", status="pending") == 5
    assert value(before, "stackone_admin_bulk_jobs", status="ready") == 1
    set_faults(fail_status=429, fail_count=2, fail_methods=["PATCH"], retry_after_seconds=1)
    assert bulk_job_start(job=job, user=ops_user)
    queued = scrape()
    assert value(queued, "stackone_admin_tasks", status="ready") == 1
    assert value(queued, "stackone_admin_bulk_jobs", status="queued") == 1
    run_queued_tasks()
    after = scrape()
    assert moved(before, after) == {
        requests_total("candidate_update", "200"): 5,
        requests_total("candidate_update", "429"): 2,
        # each row read again right before it is sent: 5, and the two 429s' rows again before resending
        requests_total("candidate_get", "200"): 7,
        counter("stackone_admin_stackone_rate_limited_total", operation="candidate_update"): 2,
        BUDGET_CALLS: 15,  # every call: 7 reads + 7 PATCHes + data health's read
        counter("stackone_admin_budget_pauses_total"): 2,
        counter("stackone_admin_budget_denied_total", reason="paused"): 2,
        counter("stackone_admin_budget_wait_seconds_total"): 2.0,
        saves("bulk", "saved"): 5,
        saves("bulk", "rejected"): 2,  # the two 429s: rejected before processing, then sent again
        requests_total("custom_field_definitions_list", "200"): 1,  # data health, once (then cached)
    }
    assert value(after, "stackone_admin_bulk_jobs", status="done") == 1
    assert value(after, "stackone_admin_bulk_jobs_stalled") == 0
    assert sum(v for (name, _), v in after.items() if name == "stackone_admin_bulk_rows") == 0  # none left
    assert value(after, "stackone_admin_tasks", status="ready") == 0
    assert not label_values(after) & {*ids, *(f"Metrics {cid}" for cid in ids)}
