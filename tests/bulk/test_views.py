"""The bulk pages through Django's test client, StackOne mocked at the HTTP edge."""

from __future__ import annotations

import csv
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import strip_tags
from responses import matchers

from candidates.models import BulkJob
from candidates.worker import run_queued_tasks
from tests.bulk.conftest import csv_bytes
from tests.bulk.test_preview import ACCOUNT, mock_get
from tests.conftest import BASE_URL, grant

PAGES = ["/bulk/", "/bulk/jobs/1/", "/bulk/jobs/1/status.json", "/bulk/jobs/1/results.csv"]
POSTS = ["/bulk/jobs/1/start/", "/bulk/jobs/1/resume/", "/bulk/jobs/1/retry/"]


def upload(client: Client, data: bytes, name: str = "people.csv"):
    return client.post("/bulk/", {"account_id": ACCOUNT, "file": SimpleUploadedFile(name, data)})


def text_of(response) -> str:
    """The page's text as a person reads it (tags dropped, spaces collapsed)."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


@pytest.mark.parametrize("path", PAGES + POSTS)
def test_only_the_ops_role_may_use_bulk_pages(editor_client: Client, path: str) -> None:
    response = editor_client.post(path) if path in POSTS else editor_client.get(path)
    assert response.status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_bulk_pages_require_sign_in(client: Client, db: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_file_that_cannot_be_read_is_shown_beside_the_field(ops_client: Client) -> None:
    response = upload(ops_client, "id,name\nc-1,Ren\xe9e\n".encode("latin-1"))
    assert response.status_code == 200
    assert ('The file is not UTF-8 text (byte 0xe9 at position 15). Save it as "CSV UTF-8"'
            in text_of(response))
    assert not BulkJob.objects.exists()


def test_upload_preview_start_results_and_retry(
        transactional_db, ops_client: Client, stackone) -> None:
    mock_get(stackone, "c-1")
    mock_get(stackone, "c-2", title="Engineer")
    mock_get(stackone, "c-3")
    data = csv_bytes(["id", "title", "email"], [["c-1", "Engineer", ""], ["c-2", "Engineer", ""],
                                               ["c-3", "Engineer", ""], ["c-4", "", "nope"]])
    response = upload(ops_client, data)
    job = BulkJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bulk/jobs/{job.pk}/"
    # The request only stored the file: the background task reads it, then previews.
    assert ops_client.get(f"/bulk/jobs/{job.pk}/status.json").json()["status"] == "parsing"
    assert "Reading the file: 0 of about 4 rows checked." in text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    run_queued_tasks()
    page = text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    assert "Status: ready to start" in page
    assert "4 rows: 2 to send, 1 with no change (skipped), 1 invalid (never sent)." in page
    assert "Title: Analyst → Engineer" in page
    assert "line 5, column C (email): Enter an email address like name@example.com" in page
    assert "Start: send 2 rows" in page
    ok = {"statusCode": 201, "message": "Record updated", "timestamp": "2025-01-01T00:00:00Z",
          "data": {"id": "c-1", "remote_id": "r-c-1"}}
    stackone.patch(f"{BASE_URL}/unified/ats/candidates/c-1", json=ok,
                   match=[matchers.json_params_matcher({"title": "Engineer"}, strict_match=True)])
    stackone.patch(f"{BASE_URL}/unified/ats/candidates/c-3", status=422,
                   json={"statusCode": 422, "message": "Validation error."})
    assert ops_client.post(f"/bulk/jobs/{job.pk}/start/").status_code == 302
    assert ops_client.get(f"/bulk/jobs/{job.pk}/status.json").json()["status"] == "queued"
    run_queued_tasks()
    status = ops_client.get(f"/bulk/jobs/{job.pk}/status.json").json()
    assert {k: status[k] for k in ("status", "saved", "failed", "remaining", "percent")} == {
        "status": "done", "saved": 1, "failed": 1, "remaining": 0, "percent": 100}
    page = text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    assert "Download the results (CSV)" in page and "Retry failed rows" in page
    assert "422 Validation error." in page and "r-c-1" in page
    results = ops_client.get(f"/bulk/jobs/{job.pk}/results.csv")
    assert results["Content-Disposition"] == f'attachment; filename="bulk-job-{job.pk}-results.csv"'
    lines = list(csv.reader(io.StringIO(results.content.decode())))
    assert lines[0] == [
        "line", "id", "status", "remote_id", "returned_id", "http_status", "message", "changes"
    ]
    assert lines[1] == [
        "2", "c-1", "saved", "r-c-1", "c-1", "200", "Record updated", "Title: Analyst → Engineer"
    ]
    assert lines[2][:3] == ["3", "c-2", "no_change"]
    assert lines[3][:3] + lines[3][5:7] == ["4", "c-3", "failed", "422", "Validation error."]
    assert lines[4][:3] == ["5", "c-4", "invalid"] and lines[4][6].startswith(
        "column C (email): Enter an email address like")
    # Retry: a new job with only the failed row, previewed again.
    response = ops_client.post(f"/bulk/jobs/{job.pk}/retry/")
    retry = BulkJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == f"/bulk/jobs/{retry.pk}/" and retry.retry_of == job
    assert list(retry.rows.values_list("candidate_id", "status")) == [("c-3", "pending")]
    mock_get(stackone, "c-3")
    run_queued_tasks()
    assert list(retry.rows.values_list("status", "body")) == [("pending", {"title": "Engineer"})]


def test_a_file_without_changes_has_nothing_to_send(
        transactional_db, ops_client: Client, stackone) -> None:
    mock_get(stackone, "c-1", title="Engineer")
    upload(ops_client, csv_bytes(["id", "title"], [["c-1", "Engineer"]]))
    run_queued_tasks()
    job = BulkJob.objects.get()
    page = text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    assert "Nothing to send." in page and "Already holds these values." in page


def test_the_nav_links_bulk_updates_for_ops_only(ops_client: Client, editor_client: Client) -> None:
    assert '<a href="/bulk/">Bulk updates</a>' in ops_client.get("/audit/").content.decode()
    editor_home = editor_client.get("/login/", follow=True).content.decode()
    assert '<a href="/bulk/">Bulk updates</a>' not in editor_home


def _second_ops_client(username: str) -> Client:
    from django.contrib.auth.models import User

    user = User.objects.create_user(username=username, password="pw-for-tests-2")
    grant(user, "Ops")
    client = Client()
    client.force_login(user)
    return client


def test_rows_are_audited_as_whoever_started_or_resumed_the_run_not_the_uploader(
        transactional_db, ops_client: Client, stackone) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from candidates.models import AuditEntry

    for cid in ("c-1", "c-2"):
        mock_get(stackone, cid)
        stackone.patch(f"{BASE_URL}/unified/ats/candidates/{cid}", json={
            "statusCode": 200, "message": "Record updated", "data": {"id": cid, "remote_id": f"r-{cid}"}})
    starter, resumer = _second_ops_client("ops-b"), _second_ops_client("ops-c")
    # Uploaded by "ops", started by "ops-b": the rows are ops-b's.
    upload(ops_client, csv_bytes(["id", "title"], [["c-1", "Engineer"]]))
    run_queued_tasks()
    started = BulkJob.objects.get()
    starter.post(f"/bulk/jobs/{started.pk}/start/")
    run_queued_tasks()
    started.refresh_from_db()
    assert (started.username, started.started_by_username, started.resumed_by_username) == (
        "ops", "ops-b", "")
    assert list(AuditEntry.objects.filter(source="bulk").values_list("username", flat=True)) == ["ops-b"]
    # Started by "ops-b", whose worker died before sending; resumed by "ops-c": the rows are ops-c's.
    upload(ops_client, csv_bytes(["id", "title"], [["c-2", "Engineer"]]))
    run_queued_tasks()
    resumed = BulkJob.objects.exclude(pk=started.pk).get()
    starter.post(f"/bulk/jobs/{resumed.pk}/start/")
    DBTaskResult.objects.all().delete()  # the worker holding the run is gone
    BulkJob.objects.filter(pk=resumed.pk).update(status=BulkJob.Status.RUNNING,
                                                 heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert resumer.post(f"/bulk/jobs/{resumed.pk}/resume/").status_code == 302
    run_queued_tasks()
    resumed.refresh_from_db()
    assert (resumed.status, resumed.started_by_username, resumed.resumed_by_username) == (
        "done", "ops-b", "ops-c")
    assert AuditEntry.objects.get(source="bulk", candidate_id="c-2").username == "ops-c"
    page = text_of(ops_client.get(f"/bulk/jobs/{resumed.pk}/"))
    assert "uploaded by ops · started by ops-b · resumed by ops-c" in page
