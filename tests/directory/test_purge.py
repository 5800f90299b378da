"""Purging an account (``candidates_purge``, retention): what is purged is gone, from the tables
and (SQLite) from the database file's bytes; the account's bulk rows no longer hold its
candidates; a sync that runs meanwhile is cancelled rather than refilling the directory; and who
asked for each sync and purge is recorded and shown on the accounts page. Run on SQLite and on
PostgreSQL."""

from __future__ import annotations

import getpass
import io
import re
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from candidates.bulk.jobs import bulk_job_start
from candidates.directory.index import entry_fields
from candidates.directory.models import DirectoryAction, DirectoryEntry, DirectorySync
from candidates.directory.queue import directory_sync_start
from candidates.directory.retention import directory_retention_purge
from candidates.directory.search import DirectoryQuery, directory_search
from candidates.directory.sync import DirectorySyncCancelled, directory_sync
from candidates.models import BulkJob, BulkRow
from candidates.types import Candidate
from candidates.worker import run_queued_tasks
from sandbox.faults import set_faults
from sandbox.models import SandboxCandidate
from tests.conftest import grant
from tests.directory.conftest import ACCOUNT

PURGED = "acc-purged"
KEPT = "acc-kept"
MARK = "zyxquorth"  # a surname no other text holds, nor any of its trigrams ("zyx", "yxq", "xqu")


def _run(*argv: str) -> tuple[int, str, str]:
    """Run a command as ``manage.py`` would (a CommandError: exit code 1 and its message on
    stderr), keeping the test's database connection open. Returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*argv, stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"CommandError: {error}\n")
        return 1, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _people(account_id: str, surname: str, count: int) -> None:
    DirectoryEntry.objects.bulk_create([
        DirectoryEntry(account_id=account_id, candidate_id=f"c-{n}", **entry_fields(
            Candidate.from_api({"id": f"c-{n}", "first_name": "Pat", "last_name": f"{surname}{n}",
                                "email": f"pat.{surname}{n}@example.com", "phone": f"+4477009{n:05d}"})))
        for n in range(count)])


def _job(account_id: str, status: str, *, rows: list[tuple[str, bool]], heartbeat_ago: int = 3600) -> BulkJob:
    """A bulk job of ``account_id`` with one row per (status, previewed) pair; a previewed row's
    baseline holds the whole candidate, as the preview stores it."""
    job = BulkJob.objects.create(account_id=account_id, username="ops", status=status,
                                 heartbeat_at=timezone.now() - timedelta(seconds=heartbeat_ago))
    for line, (row_status, previewed) in enumerate(rows, start=2):
        baseline = {"id": f"c-{line}", "first_name": "Pat", "last_name": MARK, "emails": [
            {"value": f"pat.{MARK}@example.com"}], "phone_numbers": [{"phone": "+447700900123"}],
            "custom_fields": [{"name": "Notes", "value": f"{MARK} prefers email"}]} if previewed else None
        read = {"candidate_name": f"Pat {MARK}",
                "conflicts": [{"field": "last_name", "baseline": MARK, "current": f"{MARK}-Smith",
                               "wanted": "X"}],
                "removals": [{"field": "emails", "label": f"pat.{MARK}@example.com"}]} if previewed else {}
        BulkRow.objects.create(job=job, line=line, candidate_id=f"c-{line}", values={"title": "CFO"},
                               baseline=baseline, body={"title": "CFO"} if previewed else {},
                               status=row_status,
                               **read)
    return job


def _database_bytes() -> bytes:
    path = Path(connection.settings_dict["NAME"])
    return b"".join(Path(f"{path}{suffix}").read_bytes() for suffix in ("", "-wal")
                    if Path(f"{path}{suffix}").exists())


# -- gone from the tables and from the file -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_purged_candidate_s_text_is_gone_from_the_tables_and_the_database_file() -> None:
    _people(PURGED, MARK, 300)
    _people(KEPT, "lovelace", 300)
    _job(PURGED, "done", rows=[("saved", True)])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA secure_delete").fetchone() == (1,)  # the app's connections
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # what was written is in the file now
        assert MARK.encode() in _database_bytes()

    code, out, _ = _run("candidates_purge", "--account", PURGED)

    assert code == 0 and out.startswith(f"{PURGED}: 300 directory rows deleted;")
    assert not DirectoryEntry.objects.filter(account_id=PURGED).exists()
    assert not BulkRow.objects.filter(baseline__isnull=False).exists()
    # nor the name, a conflict's values or the removed entries the preview read
    assert not BulkRow.objects.exclude(candidate_name="").exists()
    assert list(BulkRow.objects.values_list("conflicts", "removals")) == [([], [])]
    if connection.vendor == "sqlite":  # not in freed pages, old FTS5 segments or the log either
        data = _database_bytes()
        assert MARK.encode() not in data
        assert not [gram for gram in (b"zyx", b"yxq", b"xqu") if gram in data]
    kept = directory_search(account_id=KEPT, query=DirectoryQuery(q="lovelace12"))
    assert {row.candidate_id for row in kept.rows} >= {"c-12"}  # the others' search is intact


@pytest.mark.django_db(transaction=True)
def test_candidates_a_full_sync_removed_are_gone_from_the_database_file(synced_sandbox) -> None:
    SandboxCandidate.objects.filter(account_id=ACCOUNT, candidate_id="c-0010").update(
        data={"id": "c-0010", "first_name": "Pat", "last_name": MARK, "email": f"pat.{MARK}@example.com"})
    directory_sync(account_id=ACCOUNT)
    assert DirectoryEntry.objects.filter(account_id=ACCOUNT, last_name=MARK).exists()
    if connection.vendor == "sqlite":
        connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert MARK.encode() in _database_bytes()
    SandboxCandidate.objects.filter(account_id=ACCOUNT, candidate_id="c-0010").delete()  # deleted in the ATS

    assert directory_sync(account_id=ACCOUNT, full=True).removed == 1

    assert not DirectoryEntry.objects.filter(last_name=MARK).exists()
    if connection.vendor == "sqlite":
        data = _database_bytes()
        assert MARK.encode() not in data
        assert not [gram for gram in (b"zyx", b"yxq", b"xqu") if gram in data]


# -- bulk rows ----------------------------------------------------------------------------------


def test_a_purge_drops_the_account_s_bulk_baselines_and_keeps_each_row_s_outcome(db: None) -> None:
    done = _job(PURGED, "done", rows=[("saved", True), ("failed", True), ("no_change", True)])
    other = _job(KEPT, "done", rows=[("saved", True)])

    code, out, _ = _run("candidates_purge", "--account", PURGED)

    assert code == 0
    assert out == (f"{PURGED}: 0 directory rows deleted; 3 bulk rows no longer keep the candidate as "
                   "previewed.\n")
    rows = list(done.rows.order_by("line").values_list("status", "baseline", "body"))
    assert rows == [("saved", None, {"title": "CFO"}), ("failed", None, {"title": "CFO"}),
                    ("no_change", None, {"title": "CFO"})]
    assert other.rows.get().baseline["last_name"] == MARK  # another account's job is untouched


def test_a_purge_closes_an_unfinished_job_so_no_row_is_sent_without_its_baseline(db: None) -> None:
    ready = _job(PURGED, "ready", rows=[("pending", True), ("saved", True)])
    stopped = _job(PURGED, "running", rows=[("sending", True), ("pending", True)], heartbeat_ago=600)

    code, out, _ = _run("candidates_purge", "--account", PURGED)

    assert code == 0
    assert "2 unfinished bulk jobs closed, their unsent rows marked failed" in out
    ready.refresh_from_db()
    assert ready.status == "done" and not bulk_job_start(job=ready, user=None, username="cli:ops")
    pending = ready.rows.get(line=2)
    assert (pending.status, pending.baseline) == ("failed", None)
    assert pending.message.startswith("Not sent: this account's candidate data was purged")
    assert list(stopped.rows.order_by("line").values_list("status", flat=True)) == ["unknown", "failed"]


def test_a_purge_drops_an_uploaded_file_not_read_yet(db: None) -> None:
    job = BulkJob.objects.create(account_id=PURGED, username="ops", status="parsing",
                                 upload=f"id,last_name\nc-1,{MARK}\n".encode(),
                                 heartbeat_at=timezone.now() - timedelta(minutes=5))

    assert _run("candidates_purge", "--account", PURGED)[0] == 0

    job.refresh_from_db()
    assert (job.status, job.upload) == ("unreadable", None)
    assert job.parse_error == ("This account's candidate data was purged before the file was read: "
                               "upload it again.")


def test_a_purge_is_refused_while_a_worker_is_on_a_bulk_job_of_the_account(db: None) -> None:
    _people(PURGED, MARK, 3)
    running = _job(PURGED, "running", rows=[("sending", True), ("pending", True)], heartbeat_ago=2)

    code, out, err = _run("candidates_purge", "--account", PURGED)

    assert code == 1 and out == ""
    assert (f"{PURGED}: not purged: bulk job #{running.pk} is being worked on; purge when it has "
            "finished.") in err
    assert DirectoryEntry.objects.filter(account_id=PURGED).count() == 3
    assert running.rows.filter(baseline__isnull=False).count() == 2
    action = DirectoryAction.objects.get()
    assert (action.kind, action.outcome) == (
        "purge", f"not purged: bulk job #{running.pk} is being worked on; purge when it has finished")


def test_retention_purges_the_bulk_baselines_too_and_waits_for_a_running_job(db: None, settings) -> None:
    settings.DIRECTORY_RETENTION_DAYS = 30
    long_ago = timezone.now() - timedelta(days=40)
    for account_id in (PURGED, KEPT):
        _people(account_id, MARK, 2)
        DirectoryEntry.objects.filter(account_id=account_id).update(indexed_at=long_ago)
    _job(PURGED, "done", rows=[("saved", True)])
    _job(KEPT, "running", rows=[("pending", True)], heartbeat_ago=5)

    assert directory_retention_purge(active_account_ids=[]) == {PURGED: 2}

    assert not BulkRow.objects.filter(job__account_id=PURGED, baseline__isnull=False).exists()
    assert DirectoryEntry.objects.filter(account_id=KEPT).count() == 2  # a later pass takes it
    assert sorted(DirectoryAction.objects.values_list("account_id", "username", "outcome")) == [
        (KEPT, "retention", f"not purged: bulk job #{BulkJob.objects.get(account_id=KEPT).pk} is being "
                            "worked on; purge when it has finished"),
        (PURGED, "retention",
         "2 directory rows deleted; 1 bulk row no longer keeps the candidate as previewed")]


# -- a sync while the account is purged ---------------------------------------------------------


def test_a_purge_cancels_a_running_full_sync_whose_worker_then_stops(synced_sandbox) -> None:
    """The sync must not finish "ready" with the purge's missing rows: its worker, in another
    thread as on another host, stops at its next page and keeps nothing of it."""
    set_faults(latency_ms=250)
    outcome: dict[str, Any] = {}

    def worker() -> None:
        try:
            directory_sync(account_id=ACCOUNT, full=True)
        except Exception as error:  # noqa: BLE001  (what the worker ended with is the result)
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    deadline = timezone.now() + timedelta(seconds=60)
    while not DirectorySync.objects.filter(account_id=ACCOUNT, pages__gte=2).exists():
        assert timezone.now() < deadline and thread.is_alive()
    code, out, _ = _run("candidates_purge", "--account", ACCOUNT)
    thread.join(timeout=60)

    assert code == 0
    assert re.search(r"the full sync that was running \(run \d+\) cancelled", out)
    assert isinstance(outcome.get("error"), DirectorySyncCancelled)
    assert not DirectoryEntry.objects.filter(account_id=ACCOUNT).exists()
    assert not DirectorySync.objects.filter(account_id=ACCOUNT).exists()


def test_a_sync_queued_before_a_purge_does_not_run_after_it(synced_sandbox) -> None:
    directory_sync_start(account_id=ACCOUNT, full=True)

    code, out, _ = _run("candidates_purge", "--account", ACCOUNT)
    run_queued_tasks()

    assert code == 0 and "the full sync that was queued" in out
    assert DBTaskResult.objects.filter(task_path__endswith="directory_sync_task").count() == 1
    assert not DirectoryEntry.objects.filter(account_id=ACCOUNT).exists()
    assert not DirectorySync.objects.filter(account_id=ACCOUNT).exists()


# -- who asked ----------------------------------------------------------------------------------


def test_the_purge_command_records_who_asked(db: None) -> None:
    alice = User.objects.create_user("alice", password="pw-for-tests-1")
    grant(alice, "Ops", PURGED)  # --user runs as alice: she needs Ops on the account
    _people(PURGED, MARK, 2)

    assert _run("candidates_purge", "--account", PURGED, "--user", "alice")[0] == 0
    assert _run("candidates_purge", "--account", PURGED)[0] == 0
    code, _, err = _run("candidates_purge", "--account", PURGED, "--user", "nobody")

    assert code == 1 and "No user named 'nobody'." in err
    actions = list(DirectoryAction.objects.order_by("pk").values_list("kind", "user", "username", "outcome"))
    assert actions == [("purge", alice.pk, "alice", "2 directory rows deleted"),
                       ("purge", None, f"cli:{getpass.getuser()}", "0 directory rows deleted")]


def test_the_accounts_page_shows_who_asked_for_the_last_sync_and_purge(synced_sandbox, ops_client: Client,
                                                                       ops_user: User) -> None:
    directory_sync(account_id=ACCOUNT)
    ops_client.post(f"/accounts/{ACCOUNT}/directory/sync/", {"full": "1"})
    ops_client.post(f"/accounts/{ACCOUNT}/directory/sync/", {})  # while the first is queued
    _run("candidates_purge", "--account", "sbx-lever", "--user", "ops")

    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", ops_client.get("/accounts/").content.decode()))

    assert re.search(r"Sync asked by ops \d+ minutes? ago: not queued: a sync was already running\.", page)
    assert "Full sync asked by ops" not in page  # the latest sync request only
    assert re.search(r"Purge asked by ops \d+ minutes? ago: 0 directory rows deleted\.", page)
    assert list(DirectoryAction.objects.order_by("pk").values_list("kind", "username", "outcome")) == [
        ("full_sync", "ops", "queued"), ("sync", "ops", "not queued: a sync was already running"),
        ("purge", "ops", "0 directory rows deleted")]
