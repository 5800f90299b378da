"""Accounts and directory (issue 25 item 6): a full sync's progress is estimated from what the last
full sync listed, never from the rows edits wrote before a first one ("1,700 of about 10"), and
an estimate the account has outgrown is dropped (no bar stuck full); the list page waiting for
its directory says it switches once ready (tests/e2e/test_product_pages.py watches it happen)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.directory.runs import run_new
from candidates.directory.status import directory_status

ACCOUNT = "acc-dir"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_first_full_sync_has_no_estimate_from_rows_edits_wrote(db: None) -> None:
    for n in range(10):  # written by saves before any sync
        DirectoryEntry.objects.create(account_id=ACCOUNT, candidate_id=f"c-{n}", name=f"N {n}")
    run = run_new(ACCOUNT, full=True)
    assert run.expected is None
    run.status, run.fetched, run.pages, run.started_at = "running", 1700, 17, timezone.now()
    run.heartbeat_at = timezone.now()
    run.save()
    progress = directory_status(account_id=ACCOUNT).running
    assert progress is not None and progress.percent is None and progress.eta_seconds is None


def test_a_later_full_sync_is_estimated_from_the_last_one_and_an_outgrown_one_dropped(db: None) -> None:
    DirectorySync.objects.create(account_id=ACCOUNT, full=True, status="done", fetched=1000,
                                 finished_at=timezone.now())
    run = run_new(ACCOUNT, full=True)
    assert run.expected == 1000
    run.status, run.fetched, run.pages = "running", 350, 4
    run.started_at, run.heartbeat_at = timezone.now() - timedelta(seconds=35), timezone.now()
    run.save()
    progress = directory_status(account_id=ACCOUNT).running
    assert progress is not None and progress.percent == 35 and progress.eta_seconds == 65.0
    run.fetched = 1700  # the account grew past the estimate
    run.save()
    progress = directory_status(account_id=ACCOUNT).running
    assert progress is not None and not progress.estimated and progress.percent is None
    assert progress.eta_seconds is None


def test_the_status_block_says_what_it_knows(db: None, editor_client: Client) -> None:
    DirectorySync.objects.create(account_id=ACCOUNT, full=True, status="done", fetched=10,
                                 finished_at=timezone.now() - timedelta(days=1))
    DirectorySync.objects.create(account_id=ACCOUNT, full=True, status="running", pages=17, fetched=1700,
                                 expected=10, started_at=timezone.now(), heartbeat_at=timezone.now())
    html = editor_client.get(f"/accounts/{ACCOUNT}/directory/status/").content.decode()
    assert "Full sync running: page 17, 1,700 candidates fetched." in _text(html)
    assert "of about" not in html and '<progress aria-label="Sync progress"></progress>' in html
