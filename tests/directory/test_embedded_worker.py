"""The embedded default: the in-process worker runs the first sync a visit starts, and its
scheduler runs the incremental sync of every active account every DIRECTORY_SYNC_MINUTES."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from candidates import worker
from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.directory.queue import directory_ensure
from candidates.worker import inprocess_worker_stop
from tests.directory.conftest import ACCOUNT, sandbox_change


@pytest.fixture
def inprocess_worker(settings) -> Iterator[None]:
    settings.BULK_INPROCESS_WORKER = True
    settings.DIRECTORY_SYNC_MINUTES = 0.03  # about 2 s
    yield
    inprocess_worker_stop()


def _wait(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_visit_syncs_the_account_and_the_scheduler_keeps_it_current(
        synced_sandbox, inprocess_worker) -> None:
    directory_ensure(account_id=ACCOUNT, active=True)
    _wait(lambda: DirectorySync.objects.filter(account_id=ACCOUNT, full=True, status="done").exists())
    assert DirectoryEntry.objects.filter(account_id=ACCOUNT).count() == 64
    sandbox_change("c-0004", name="Zoë Ångström", first_name="Zoë", last_name="Ångström")
    renamed = DirectoryEntry.objects.filter(account_id=ACCOUNT, candidate_id="c-0004", name="Zoë Ångström")
    _wait(renamed.exists)
    assert DirectorySync.objects.filter(account_id=ACCOUNT, full=False, status="done").exists()
    assert not DirectorySync.objects.filter(account_id="sbx-lever").exists()  # never visited: not synced


@pytest.mark.django_db
def test_no_periodic_sync_when_the_directory_is_off_or_the_interval_is_zero(settings) -> None:
    # The scheduler itself still runs (it queues the recovery of lost workers' tasks), but its
    # ticks queue no directory sync.
    settings.DIRECTORY_SYNC_MINUTES = 0
    assert worker.scheduler_tick(now=1_000_000.0) == ["worker-recover"]
    settings.DIRECTORY_SYNC_MINUTES, settings.CANDIDATE_DIRECTORY = 15, False
    assert worker.scheduler_tick(now=2_000_000.0) == ["worker-recover"]
    settings.CANDIDATE_DIRECTORY = True
    assert sorted(worker.scheduler_tick(now=3_000_000.0)) == ["directory-sync", "worker-recover"]