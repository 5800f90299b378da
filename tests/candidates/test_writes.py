"""The one write path: a single edit and a bulk row both open the audit row, send the PATCH,
complete the audit row and, after a success only, announce the write (``signals.candidate_written``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from candidates import signals
from candidates.bulk.jobs import bulk_job_run
from candidates.models import AuditEntry
from tests.bulk.test_preview import mock_get as bulk_mock_get
from tests.bulk.test_preview import previewed
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


@pytest.fixture
def after_write() -> Iterator[list[dict[str, Any]]]:
    """The announcements of finished writes, as a subscriber receives them."""
    calls: list[dict[str, Any]] = []

    def record(*, account_id: str, candidate_id: str, body: Any, read_back: Any, base: Any, **_: Any) -> None:
        calls.append({"account_id": account_id, "candidate_id": candidate_id, "candidate": read_back,
                      "body": body, "original": base})

    signals.candidate_written.connect(record, dispatch_uid="test-after-write")
    yield calls
    signals.candidate_written.disconnect(dispatch_uid="test-after-write")


def test_a_subscriber_that_fails_neither_undoes_nor_hides_the_save(
        editor_client: Client, stackone, caplog: pytest.LogCaptureFixture) -> None:
    def broken(**_: Any) -> None:
        raise RuntimeError("subscriber broke")

    signals.candidate_written.connect(broken, dispatch_uid="test-broken")
    try:
        mock_reads(stackone, after=candidate_json(last_name="Byron", name="Ada Byron"))
        patch_ok(stackone, {"last_name": "Byron"})
        assert post_step(editor_client, unedited_post(last_name="Byron")).status_code == 302
    finally:
        signals.candidate_written.disconnect(dispatch_uid="test-broken")
    assert AuditEntry.objects.get().outcome == "saved"
    assert any("announcement failed" in record.getMessage() and record.exc_info for record in caplog.records)


def test_a_single_edit_reaches_after_write_with_the_candidate_read_back(
        editor_client: Client, stackone, after_write: list[dict[str, Any]]) -> None:
    mock_reads(stackone, after=candidate_json(last_name="Byron", name="Ada Byron"))
    patch_ok(stackone, {"last_name": "Byron"})
    assert post_step(editor_client, unedited_post(last_name="Byron")).status_code == 302
    [call] = after_write
    assert (call["account_id"], call["candidate_id"]) == (ACCOUNT, "c-1")
    assert call["body"] == {"last_name": "Byron"}
    assert call["candidate"].last_name == "Byron"  # the read-back, not the form
    assert AuditEntry.objects.get().outcome == "saved"


def test_a_failed_single_edit_never_reaches_after_write(
        editor_client: Client, stackone, after_write: list[dict[str, Any]]) -> None:
    mock_definitions(stackone)
    mock_reads(stackone)
    stackone.patch(CANDIDATE_URL, status=422, json={"statusCode": 422, "message": "No."})
    assert post_step(editor_client, unedited_post(last_name="Byron")).status_code == 400
    assert after_write == []
    assert AuditEntry.objects.get().outcome == "rejected"


def test_each_saved_bulk_row_reaches_after_write_with_the_body_sent(
        db, stackone, after_write: list[dict[str, Any]]) -> None:
    bulk_mock_get(stackone, "c-1")
    bulk_mock_get(stackone, "c-2")
    job = previewed([["c-1", "Engineer"], ["c-2", "Engineer"]], ["id", "title"])
    stackone.patch(f"{BASE_URL}/unified/ats/candidates/c-1",
                   json={"statusCode": 200, "message": "ok", "data": {"id": "c-1", "remote_id": "r-c-1"}})
    stackone.patch(f"{BASE_URL}/unified/ats/candidates/c-2", status=400,
                   json={"statusCode": 400, "message": "No."})
    bulk_job_run(job_id=job.pk)
    [call] = after_write
    assert {key: call[key] for key in ("account_id", "candidate_id", "candidate", "body")} == {
        "account_id": job.account_id, "candidate_id": "c-1", "candidate": None, "body": {"title": "Engineer"}}
    assert call["original"].id == "c-1"  # the preview's read: what the body is merged into
    outcomes = dict(AuditEntry.objects.values_list("candidate_id", "outcome"))
    assert outcomes == {"c-1": "saved", "c-2": "rejected"}
