"""``Cache-Control: no-store`` on every page and export with personal data (shared machines).

The pages are the real ones, reading the built-in sandbox over HTTP.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.snapshot import snapshot_dumps
from candidates.editor.tokens import token_new
from candidates.models import BulkJob
from candidates.services import candidate_get
from candidates.stackone import stackone_client
from candidates.worker import run_queued_tasks
from tests.candidates.form_data import editor_post_data

ACCOUNT = "sbx-greenhouse"
EDIT = f"/accounts/{ACCOUNT}/candidates/c-0001/"


def assert_no_store(response) -> None:
    assert response.status_code in (200, 400), response.status_code
    assert "no-store" in response["Cache-Control"], response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.fixture
def signed_in(sandbox: str, admin_client: Client) -> Client:
    return admin_client


@pytest.mark.parametrize("path", [
    f"/accounts/{ACCOUNT}/candidates/",
    f"/accounts/{ACCOUNT}/candidates/?q=ada",
    EDIT,
    f"{EDIT}history/",
    "/audit/",
    "/audit/export.csv",
    "/bulk/",
])
def test_pages_with_personal_data_are_never_stored(signed_in: Client, path: str) -> None:
    assert_no_store(signed_in.get(path))


def test_the_review_page_and_a_form_shown_again_are_never_stored(signed_in: Client) -> None:
    candidate = candidate_get(client=stackone_client(), account_id=ACCOUNT, candidate_id="c-0001")
    data = editor_post_data(CandidateEditor(candidate)) | {
        "snapshot": snapshot_dumps(candidate, account_id=ACCOUNT), "form_token": token_new(),
    }

    review = signed_in.post(EDIT, data | {"title": "Chief Analyst"})
    refused = signed_in.post(EDIT, data | {"email": "not an address"})

    assert "Review changes to" in review.content.decode()
    assert_no_store(review)
    assert refused.status_code == 400
    assert_no_store(refused)


def test_bulk_job_pages_and_the_results_export_are_never_stored(signed_in: Client) -> None:
    upload = signed_in.post("/bulk/", {"account_id": ACCOUNT,
                                       "file": SimpleUploadedFile("people.csv", b"id,title\nc-0001,CTO\n")})
    job = BulkJob.objects.get()
    assert upload.status_code == 302
    run_queued_tasks()

    for page in ("", "status.json", "results.csv"):
        assert_no_store(signed_in.get(f"/bulk/jobs/{job.pk}/{page}"))
