"""Every write refreshes its candidate's directory row with no extra StackOne call, and a
candidate StackOne answers 404 for leaves the directory when its edit page is opened."""

from __future__ import annotations

from candidates.bulk.csv_parse import bulk_csv_parse
from candidates.bulk.jobs import bulk_job_create, bulk_job_run
from candidates.bulk.preview import bulk_preview_run
from candidates.directory.models import DirectoryEntry
from candidates.directory.sync import directory_sync
from sandbox.faults import reset_stats, stats
from tests.bulk.conftest import csv_bytes
from tests.directory.conftest import ACCOUNT
from tests.faults.sandbox_forms import sandbox_edit_path, sandbox_post


def _row(candidate_id: str) -> DirectoryEntry:
    return DirectoryEntry.objects.get(account_id=ACCOUNT, candidate_id=candidate_id)


def test_a_saved_edit_refreshes_the_row_from_the_read_back(
        synced_sandbox, editor_client) -> None:
    directory_sync(account_id=ACCOUNT)
    assert _row("c-0002").last_name != "Byron"
    data = sandbox_post(candidate_id="c-0002", first_name="Augusta", last_name="Byron")
    reset_stats()
    response = editor_client.post(sandbox_edit_path(candidate_id="c-0002") + "confirm/", data)
    assert response.status_code == 302
    row = _row("c-0002")
    assert (row.first_name, row.last_name) == ("Augusta", "Byron")
    assert "augusta" in row.search_text and "byron" in row.search_text
    # The save's own candidate calls only: the read before, the PATCH and the read-back (the
    # account's definitions and meta, cached, are the only other reads).
    assert stats()["by_route"]["get_candidate"] == 2 and stats()["by_method"]["PATCH"] == 1
    assert stats()["by_route"].get("list_candidates", 0) == 0


def test_a_saved_edit_adds_the_row_of_a_candidate_not_yet_indexed(
        synced_sandbox, editor_client) -> None:
    data = sandbox_post(candidate_id="c-0007", company="Analytical Engines Ltd")
    editor_client.post(sandbox_edit_path(candidate_id="c-0007") + "confirm/", data)
    assert _row("c-0007").company == "Analytical Engines Ltd"


def test_a_saved_edit_writes_no_row_when_the_directory_is_off(
        synced_sandbox, editor_client, settings) -> None:
    settings.CANDIDATE_DIRECTORY = False
    data = sandbox_post(candidate_id="c-0007", company="Analytical Engines Ltd")
    assert editor_client.post(sandbox_edit_path(candidate_id="c-0007") + "confirm/", data).status_code == 302
    assert not DirectoryEntry.objects.exists()


def test_a_saved_bulk_row_refreshes_the_row_from_the_body_sent(
        synced_sandbox, ops_user) -> None:
    directory_sync(account_id=ACCOUNT)
    before = _row("c-0003")
    upload = csv_bytes(["id", "title", "company"], [["c-0003", "Chief Counter", "Difference Co"]])
    parsed = bulk_csv_parse(upload)
    job = bulk_job_create(user=ops_user, account_id=ACCOUNT, filename="t.csv", parsed=parsed)
    bulk_preview_run(job_id=job.pk)
    reset_stats()
    bulk_job_run(job_id=job.pk)
    # The row's check before its PATCH, then the PATCH: no further read for the directory.
    assert stats()["total"] == 2 and (stats()["by_method"]["GET"], stats()["by_method"]["PATCH"]) == (1, 1)
    row = _row("c-0003")
    assert (row.title, row.company) == ("Chief Counter", "Difference Co")
    assert (row.name, row.emails) == (before.name, before.emails)  # merged: the rest is kept
    assert "difference co" in row.search_text and row.remote_updated_at > before.remote_updated_at


def test_opening_a_candidate_stackone_answers_404_for_removes_its_row(
        synced_sandbox, editor_client) -> None:
    directory_sync(account_id=ACCOUNT)
    from sandbox.models import SandboxCandidate

    SandboxCandidate.objects.filter(account_id=ACCOUNT, candidate_id="c-0009").delete()
    response = editor_client.get(sandbox_edit_path(candidate_id="c-0009"))
    assert response.status_code == 404
    assert not DirectoryEntry.objects.filter(candidate_id="c-0009").exists()
    assert DirectoryEntry.objects.filter(account_id=ACCOUNT).count() == 63


def test_without_a_read_back_the_body_sent_is_merged_into_the_candidate_read_before(
        db, settings) -> None:
    from candidates.directory.refresh import directory_after_save
    from candidates.types import Candidate

    settings.CANDIDATE_DIRECTORY = True
    before = Candidate.from_api({"id": "c-1", "name": "Ada Lovelace", "first_name": "Ada",
                                 "last_name": "Lovelace", "company": "Engines",
                                 "emails": [{"type": "work", "value": "ada@example.com"}]})
    directory_after_save(account_id="acct", candidate_id="c-1", body={"last_name": "Byron", "company": None},
                         read_back=None, base=before)
    row = DirectoryEntry.objects.get(account_id="acct", candidate_id="c-1")
    assert (row.first_name, row.last_name, row.company, row.email) == ("Ada", "Byron", "", "ada@example.com")
    # And with nothing read before, into the row itself.
    directory_after_save(account_id="acct", candidate_id="c-1", body={"title": "Countess"})
    row = DirectoryEntry.objects.get(account_id="acct", candidate_id="c-1")
    assert (row.last_name, row.title, row.email) == ("Byron", "Countess", "ada@example.com")
