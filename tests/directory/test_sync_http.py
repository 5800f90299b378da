"""The exact requests a sync sends (``responses`` at the HTTP edge): the page size setting,
``fields=`` with only what the directory keeps, the cursor, ``filter[updated_after]``."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.budget import budget_reset
from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.directory.sync import directory_sync

LIST_URL = "https://stackone.test/unified/ats/candidates"
FIELDS = ("id,remote_id,name,first_name,last_name,email,emails,phone,phone_numbers,company,title,country,"
          "created_at,updated_at,social_links,custom_fields")


def _candidate(n: int) -> dict[str, object]:
    return {"id": f"c-{n}", "remote_id": f"r-{n}", "name": f"Person {n}", "first_name": "Person",
            "last_name": str(n), "emails": [{"type": "personal", "value": f"p{n}@example.com"}],
            "phone_numbers": [{"type": "mobile", "phone": f"+44 7700 90{n:04d}"}], "company": "Acme",
            "updated_at": "2025-01-02T03:04:05.000Z", "created_at": "2024-01-02T03:04:05.000Z"}


def _list_calls(mock: responses.RequestsMock) -> list[responses.Call]:
    """The list requests (the sync also reads the account's custom field definitions, once)."""
    return [call for call in mock.calls if call.request.url.split("?")[0] == LIST_URL]


def _queries(mock: responses.RequestsMock) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(call.request.url).query) for call in _list_calls(mock)]


@pytest.fixture(autouse=True)
def _budget(db: None, settings) -> None:
    settings.CANDIDATE_DIRECTORY = True
    budget_reset()


def test_a_full_sync_asks_for_the_kept_fields_at_the_sync_page_size_and_follows_the_cursor(
        stackone, settings) -> None:
    assert settings.STACKONE_SYNC_PAGE_SIZE == 100  # the default
    stackone.get(LIST_URL, json={"next": "cursor-2", "data": [_candidate(1), _candidate(2)]})
    stackone.get(LIST_URL, json={"next": None, "data": [_candidate(3)]})
    result = directory_sync(account_id="acct-1")
    first, second = _queries(stackone)
    assert first == {"page_size": ["100"], "fields": [FIELDS], "include": ["custom_fields"]}
    assert second == {"page_size": ["100"], "fields": [FIELDS], "include": ["custom_fields"],
                      "next": ["cursor-2"]}
    assert _list_calls(stackone)[0].request.headers["x-account-id"] == "acct-1"
    assert (result.pages, result.fetched, result.indexed) == (2, 3, 3)
    row = DirectoryEntry.objects.get(candidate_id="c-3")
    assert (row.email, row.phones, row.remote_updated_at) == (
        "p3@example.com", "+44 7700 900003", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))


def test_an_incremental_sync_sends_updated_after_the_last_start_minus_the_skew(
        stackone, settings) -> None:
    settings.DIRECTORY_SYNC_SKEW_SECONDS = 600
    DirectorySync.objects.create(account_id="acct-1", full=True, status="done",
                                 started_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
                                 finished_at=datetime(2026, 3, 1, 12, 5, tzinfo=UTC))
    stackone.get(LIST_URL, json={"next": None, "data": [_candidate(7)]})
    result = directory_sync(account_id="acct-1")
    assert not result.full
    assert _queries(stackone)[0]["filter[updated_after]"] == ["2026-03-01T11:50:00Z"]


def test_a_page_answered_503_is_read_again(stackone, monkeypatch) -> None:
    monkeypatch.setattr("candidates.directory.sync.time.sleep", lambda seconds: None)
    stackone.get(LIST_URL, status=503, json={"statusCode": 503, "message": "busy"})
    stackone.get(LIST_URL, json={"next": None, "data": [_candidate(1)]})
    assert directory_sync(account_id="acct-1").fetched == 1
    assert len(_list_calls(stackone)) == 2  # bulk's client: no urllib3 retry on top of the sync's own


def test_two_workers_never_run_one_accounts_sync_at_once(stackone) -> None:
    from candidates.directory.sync import DirectorySyncBusy

    DirectorySync.objects.create(account_id="acct-1", full=True, status="queued")
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a second active run
        DirectorySync.objects.create(account_id="acct-1", full=False, status="running")
    DirectorySync.objects.filter(account_id="acct-1").update(status="running", heartbeat_at=timezone.now())
    with pytest.raises(DirectorySyncBusy):
        directory_sync(account_id="acct-1")
    assert len(stackone.calls) == 0
