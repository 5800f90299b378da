"""The directory sync against the sandbox over real HTTP: pages and cursor, the fields asked
for, updated_after, deletions, a crash mid-sync and its resume without refetching pages, a
failure and its resume, and the shared StackOne budget."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from candidates import services
from candidates.budget import budget_try, budget_usage
from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.directory.status import SyncProgress, directory_status
from candidates.directory.sync import DirectorySyncBusy, directory_sync
from candidates.exceptions import StackOneError
from sandbox.faults import reset_stats, set_faults, stats
from sandbox.models import SandboxCandidate
from tests.directory.conftest import ACCOUNT, PAGES, list_calls, sandbox_change
from tests.fake_clock import fake_budget_clock


class Crash(BaseException):
    """The process dies: nothing after it runs (not even ``except Exception``)."""


def _row(candidate_id: str) -> DirectoryEntry:
    return DirectoryEntry.objects.get(account_id=ACCOUNT, candidate_id=candidate_id)


def test_a_full_sync_pages_through_every_candidate_once(
        synced_sandbox) -> None:
    seen: list[SyncProgress] = []
    result = directory_sync(account_id=ACCOUNT, on_progress=seen.append)
    assert (result.full, result.pages, result.fetched) == (True, PAGES, 64)
    assert (result.indexed, result.removed) == (64, 0)
    assert list_calls() == PAGES
    assert [p.pages for p in seen] == list(range(1, PAGES + 1))
    assert [p.fetched for p in seen][-2:] == [60, 64]
    ada = _row("c-0001")
    assert (ada.name, ada.first_name, ada.last_name) == ("Ada Lovelace", "Ada", "Lovelace")
    assert "ada lovelace" in ada.search_text
    assert DirectoryEntry.objects.filter(account_id=ACCOUNT).exclude(sync_run=result.run_id).count() == 0
    run = DirectorySync.objects.get(pk=result.run_id)
    assert (run.status, run.cursor, run.full) == ("done", "", True)
    status = directory_status(account_id=ACCOUNT)
    assert status.ready and status.indexed == 64 and status.running is None and status.last_sync_at


def test_an_incremental_sync_asks_only_for_what_changed_since_the_last_sync_started(
        synced_sandbox, settings) -> None:
    first = directory_sync(account_id=ACCOUNT)
    started = DirectorySync.objects.get(pk=first.run_id).started_at
    sandbox_change("c-0005", first_name="Margaret", last_name="Johnson", name="Margaret Johnson")
    reset_stats()
    result = directory_sync(account_id=ACCOUNT)
    assert (result.full, result.pages, result.fetched, result.indexed) == (False, 1, 1, 64)
    assert list_calls() == 1
    run = DirectorySync.objects.get(pk=result.run_id)
    assert run.updated_after == started - timedelta(seconds=settings.DIRECTORY_SYNC_SKEW_SECONDS)
    assert _row("c-0005").name == "Margaret Johnson"
    assert "margaret johnson" in _row("c-0005").search_text


def test_an_incremental_sync_without_a_full_one_is_full(
        synced_sandbox) -> None:
    result = directory_sync(account_id=ACCOUNT, full=False)
    assert result.full and result.fetched == 64


def test_a_full_sync_removes_candidates_stackone_no_longer_lists(
        synced_sandbox) -> None:
    directory_sync(account_id=ACCOUNT)
    SandboxCandidate.objects.filter(account_id=ACCOUNT, candidate_id__in=["c-0010", "c-0064"]).delete()
    incremental = directory_sync(account_id=ACCOUNT)
    assert incremental.removed == 0 and incremental.indexed == 64  # an incremental sync cannot see deletions
    full = directory_sync(account_id=ACCOUNT, full=True)
    assert (full.fetched, full.removed, full.indexed) == (62, 2, 62)
    assert not DirectoryEntry.objects.filter(candidate_id__in=["c-0010", "c-0064"]).exists()
    assert DirectoryEntry.objects.filter(account_id="sbx-lever").count() == 0  # other accounts untouched


def test_a_crash_mid_sync_resumes_from_the_last_page_stored_without_refetching(
        synced_sandbox) -> None:
    def crash_after_three_pages(progress: SyncProgress) -> None:
        if progress.pages == 3:
            raise Crash

    with pytest.raises(Crash):
        directory_sync(account_id=ACCOUNT, on_progress=crash_after_three_pages)
    run = DirectorySync.objects.get()
    assert (run.status, run.pages, run.fetched) == ("running", 3, 30) and run.cursor
    assert DirectoryEntry.objects.count() == 30
    # While its heartbeat is fresh, another worker leaves it alone.
    with pytest.raises(DirectorySyncBusy):
        directory_sync(account_id=ACCOUNT)
    # After a restart the heartbeat has gone stale: the next sync takes it over.
    DirectorySync.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert directory_status(account_id=ACCOUNT).running.stale
    reset_stats()
    result = directory_sync(account_id=ACCOUNT)
    assert result.run_id == run.pk and result.resumed
    assert list_calls() == PAGES - 3  # pages 4 to 7 only
    assert (result.pages, result.fetched, result.indexed, result.removed) == (PAGES, 64, 64, 0)
    assert DirectorySync.objects.get().status == "done"


def test_a_failed_sync_records_its_error_and_the_next_one_resumes(
        synced_sandbox) -> None:
    def fail_from_page_four(progress: SyncProgress) -> None:
        if progress.pages == 2:  # page 3 is already asked for (read ahead): let it be answered
            deadline = time.monotonic() + 10
            # Pages answered, not every 200: the custom field definitions are a GET too.
            while list_calls() < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
            set_faults(fail_status=403, fail_count=1, fail_methods=["GET"])

    with pytest.raises(StackOneError):
        directory_sync(account_id=ACCOUNT, on_progress=fail_from_page_four)
    status = directory_status(account_id=ACCOUNT)
    assert status.last_error.startswith("StackOne:") and "(403)" in status.last_error
    assert not status.ready and status.running is None and status.indexed == 30
    reset_stats()
    result = directory_sync(account_id=ACCOUNT)
    assert result.resumed and list_calls() == PAGES - 3 and result.indexed == 64
    assert directory_status(account_id=ACCOUNT).last_error == ""


def test_a_429_pauses_and_the_page_is_read_again(synced_sandbox, monkeypatch) -> None:
    services.custom_field_definitions(account_id=ACCOUNT)  # read (and cached) first: the 429 hits a page
    clock = fake_budget_clock(monkeypatch)
    set_faults(fail_status=429, fail_count=1, fail_methods=["GET"], retry_after_seconds=1)
    result = directory_sync(account_id=ACCOUNT)
    assert result.fetched == 64 and stats()["by_status"]["429"] == 1
    assert clock.sleeps[0] == 1.0  # the shared pause (Retry-After: 1) was waited out
    assert list_calls() == PAGES + 1


def test_the_sync_draws_from_the_budget_bulk_jobs_share(
        synced_sandbox, settings) -> None:
    settings.STACKONE_RATE_LIMIT = "100/minute"
    reset_stats()
    directory_sync(account_id=ACCOUNT)
    # Every call it made (its pages, the custom field definitions data health reads) is background.
    assert list_calls() == PAGES
    assert budget_usage().background == stats()["total"] and budget_usage().interactive == 0


def test_the_sync_waits_when_the_shared_budget_is_spent(
        synced_sandbox, settings, monkeypatch) -> None:
    settings.STACKONE_RATE_LIMIT = "3 per 2 seconds"
    settings.STACKONE_SYNC_PAGE_SIZE = 100
    clock = fake_budget_clock(monkeypatch)
    assert [budget_try() for _ in range(3)] == [0.0, 0.0, 0.0]  # a bulk job just spent it
    result = directory_sync(account_id=ACCOUNT)
    assert result.pages == 1 and sum(clock.sleeps) >= 2  # until the window's 2 s had passed


def test_a_worker_whose_run_was_taken_over_stops_without_storing_its_page(
        synced_sandbox) -> None:
    from candidates.directory.sync import DirectorySyncTakenOver

    def taken_over_after_page_two(progress: SyncProgress) -> None:
        if progress.pages == 2:  # a second worker claimed the run (this one looked dead)
            DirectorySync.objects.update(worker="someone-else")

    with pytest.raises(DirectorySyncTakenOver):
        directory_sync(account_id=ACCOUNT, on_progress=taken_over_after_page_two)
    run = DirectorySync.objects.get()
    assert (run.status, run.pages, run.worker) == ("running", 2, "someone-else")
    assert DirectoryEntry.objects.count() == 20  # page 3 rolled back: the new owner stores it


def test_a_sync_whose_worker_is_stopping_is_queued_again_and_resumes_at_the_next_page(
        synced_sandbox, monkeypatch) -> None:
    from candidates import worker_process
    from candidates.directory.sync import DirectorySyncStopped
    from candidates.directory.tasks import directory_sync_task

    stopping = threading.Event()
    monkeypatch.setattr(worker_process, "_stopping", stopping)

    def sigterm_after_page_two(progress: SyncProgress) -> None:
        if progress.pages == 2:
            stopping.set()  # SIGTERM reached this worker while page 3 was being read

    with pytest.raises(DirectorySyncStopped):
        directory_sync(account_id=ACCOUNT, on_progress=sigterm_after_page_two)
    run = DirectorySync.objects.get()
    assert (run.status, run.pages, DirectoryEntry.objects.count()) == ("queued", 2, 20)

    stopping.clear()  # another worker
    reset_stats()
    directory_sync_task.call(ACCOUNT)

    run.refresh_from_db()
    assert (run.status, run.pages, run.fetched) == ("done", PAGES, 64)
    assert list_calls() == PAGES - 2  # it went on at page 3: no page read twice


def test_the_sync_task_queues_itself_again_when_its_worker_stops(synced_sandbox, monkeypatch) -> None:
    from django_tasks_db.models import DBTaskResult

    from candidates import worker_process
    from candidates.directory.queue import directory_sync_start
    from candidates.directory.tasks import directory_sync_task

    stopping = threading.Event()
    stopping.set()
    monkeypatch.setattr(worker_process, "_stopping", stopping)
    directory_sync_start(account_id=ACCOUNT)
    DBTaskResult.objects.all().delete()

    directory_sync_task.call(ACCOUNT)

    assert DirectorySync.objects.get().status == "queued"
    assert list(DBTaskResult.objects.values_list("task_path", "args_kwargs")) == [
        ("candidates.directory.tasks.directory_sync_task", {"args": [ACCOUNT, False, ""], "kwargs": {}})]


def test_a_slow_page_keeps_the_heartbeat_fresh(
        synced_sandbox, settings, monkeypatch) -> None:
    from candidates.directory import sync

    services.custom_field_definitions(account_id=ACCOUNT)  # read (and cached) first: only pages wait
    settings.STACKONE_RATE_LIMIT = "1 per 2 seconds"
    settings.STACKONE_SYNC_PAGE_SIZE = 50  # two pages: the second waits ~2 s for the budget
    monkeypatch.setattr(sync, "HEARTBEAT_SECONDS", 0.2)
    beats: list[dict] = []
    original = sync._run_save
    monkeypatch.setattr(sync, "_run_save",
                        lambda run, **values: (beats.append(values), original(run, **values)))
    assert directory_sync(account_id=ACCOUNT).pages == 2
    assert sum(1 for values in beats if not values) >= 3  # heartbeats alone, while waiting


def test_a_row_a_write_refreshed_during_a_full_sync_is_kept(synced_sandbox) -> None:
    from candidates.directory.refresh import directory_refresh
    from candidates.types import Candidate

    directory_sync(account_id=ACCOUNT)
    DirectoryEntry.objects.create(account_id=ACCOUNT, candidate_id="gone", name="Deleted In The ATS")

    def saved_meanwhile(progress: SyncProgress) -> None:
        if progress.pages == 7:  # saved after the sync passed the page that would list it
            directory_refresh(account_id=ACCOUNT, candidate=Candidate.from_api(
                {"id": "c-late", "name": "Ada King", "first_name": "Ada", "last_name": "King"}))

    result = directory_sync(account_id=ACCOUNT, full=True, on_progress=saved_meanwhile)
    assert result.removed == 1 and not DirectoryEntry.objects.filter(candidate_id="gone").exists()
    assert _row("c-late").name == "Ada King" and _row("c-late").sync_run == 0
