"""The candidate list at population scale, over real HTTP (live_server): full walks at page size
100 while candidates are edited, filter[updated_after] walks (both the few-rows and the SQL paths),
fields, and the page size bounds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests
from django.conf import settings

from sandbox import store
from sandbox.models import SandboxCandidate
from sandbox.seed import GREENHOUSE, seed_population
from sandbox.store import CANDIDATE_FIELDS, apply_patch, iso, now_ms

POPULATION = 600
TOTAL = POPULATION + 64  # with the demo data's 64 in sbx-greenhouse


@pytest.fixture
def http(sandbox: str) -> Iterator[requests.Session]:
    """A session speaking to the live sandbox as the app does (Basic auth, x-account-id)."""
    seed_population(account_id=GREENHOUSE, count=POPULATION)
    session = requests.Session()
    session.auth = (settings.SANDBOX_API_KEY, "")
    session.headers["x-account-id"] = GREENHOUSE
    session.base_url = sandbox
    yield session
    session.close()


def _list(http: requests.Session, **params: str) -> dict:
    response = http.get(f"{http.base_url}/unified/ats/candidates", params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def _patch(http: requests.Session, candidate_id: str, body: dict) -> None:
    url = f"{http.base_url}/unified/ats/candidates/{candidate_id}"
    assert http.patch(url, json=body, timeout=30).status_code == 200


def _walk(http: requests.Session, between_pages=None, **params: str) -> tuple[list[list[str]], list[dict]]:
    """Every page of a cursor walk: (ids per page, every item)."""
    pages: list[list[str]] = []
    items: list[dict] = []
    body = _list(http, **params)
    while True:
        pages.append([item["id"] for item in body["data"]])
        items += body["data"]
        if not body["next"]:
            return pages, items
        if between_pages:
            between_pages(len(pages))
        body = _list(http, **params, next=body["next"])


def _ordered_ids(**filters) -> list[str]:
    rows = SandboxCandidate.objects.filter(account_id=GREENHOUSE, **filters)
    return list(rows.order_by("created_at", "candidate_id").values_list("candidate_id", flat=True))


@pytest.fixture(params=["few", "sql"])
def updated_path(request, monkeypatch) -> str:
    """Run a test through both ways the store pages filter[updated_after]."""
    if request.param == "sql":
        monkeypatch.setattr(store, "FEW_UPDATED", 3)
    return request.param


def _touch(candidate_ids: list[str]) -> None:
    for candidate_id in candidate_ids:
        apply_patch(
            SandboxCandidate.objects.get(account_id=GREENHOUSE, candidate_id=candidate_id), {"tags": []}
        )


def test_a_full_walk_at_page_size_100_sees_everyone_once_while_candidates_are_edited(http):
    # The population (created in 2021) comes first, then the demo data (2024).
    def edit(page_number: int) -> None:
        # After each page: a row already served, a row on the next page, and c-0002 (last page).
        _patch(http, f"pop-0-{page_number * 40:07d}", {"title": f"Edited after page {page_number}"})
        ahead = f"pop-0-{page_number * 100 + 45:07d}" if page_number < 6 else "c-0030"
        _patch(http, ahead, {"title": f"Edited ahead {page_number}"})
        _patch(http, "c-0002", {"company": f"Moved {page_number}"})

    pages, items = _walk(http, between_pages=edit, page_size="100")
    ids = [candidate_id for page in pages for candidate_id in page]
    assert [len(page) for page in pages] == [100] * 6 + [64]
    assert ids == _ordered_ids()  # created_at, then id; edits do not move anyone
    assert len(ids) == len(set(ids)) == TOTAL
    served = {item["id"]: item for item in items}
    assert served["pop-0-0000145"]["title"] == "Edited ahead 1"  # edited before it was served
    assert served["c-0030"]["title"] == "Edited ahead 6"
    assert served["c-0002"]["company"] == "Moved 6"
    assert served["pop-0-0000040"]["title"] != "Edited after page 1"  # served before the edit


def test_updated_after_walks_exactly_the_changed_candidates(http, updated_path):
    cutoff = now_ms()
    changed = [
        "pop-0-0000600",
        "c-0040",
        "pop-0-0000049",
        "pop-0-0000050",
        "pop-0-0000002",
        "c-0002",
        "c-0064",
    ]
    changed += [f"pop-0-{n:07d}" for n in range(101, 600, 37)]
    _touch(changed)
    pages, items = _walk(http, page_size="4", **{"filter[updated_after]": iso(cutoff)})
    ids = [candidate_id for page in pages for candidate_id in page]
    assert ids == _ordered_ids(updated_at__gt=cutoff)
    assert sorted(ids) == sorted(changed)
    assert len(changed) == 21
    assert [len(page) for page in pages] == [4, 4, 4, 4, 4, 1]
    # pop-0-0000050 shares pop-0-0000049's created_at: the id breaks the tie, on both paths.
    assert ids.index("pop-0-0000050") == ids.index("pop-0-0000049") + 1
    assert all(item["updated_at"] > iso(cutoff) for item in items)


def test_updated_after_walk_with_edits_during_it_serves_nobody_twice(http, updated_path):
    cutoff = now_ms()
    first_batch = [f"pop-0-{n:07d}" for n in range(10, 600, 20)]  # 30 rows
    _touch(first_batch)
    late = ["pop-0-0000595", "pop-0-0000011"]  # ahead of the cursor / already passed

    def edit(page_number: int) -> None:
        if page_number == 2:
            _touch(late + first_batch[:3])  # re-edits too

    pages, _ = _walk(http, between_pages=edit, page_size="10", **{"filter[updated_after]": iso(cutoff)})
    ids = [candidate_id for page in pages for candidate_id in page]
    assert len(ids) == len(set(ids))
    assert set(first_batch) <= set(ids)
    assert "pop-0-0000595" in ids  # edited while the walk was before it: served
    # pop-0-0000011 was edited after the walk had passed it: the next incremental run gets it.
    assert set(ids) - set(first_batch) <= {"pop-0-0000595", "pop-0-0000011"}


def test_updated_after_with_nothing_changed_is_one_empty_page(http, updated_path):
    body = _list(http, page_size="100", **{"filter[updated_after]": iso(now_ms() + timedelta(seconds=1))})
    assert body == {"next": None, "data": []}


def test_fields_returns_only_the_named_fields(http):
    body = _list(http, page_size="100", fields="updated_at,id,name,emails,phone_numbers,no_such_field")
    assert len(body["data"]) == 100
    for item in body["data"]:
        assert list(item) == ["id", "name", "emails", "phone_numbers", "updated_at"]  # the spec's order
    deep = _list(http, page_size="100", fields="id", next=body["next"])
    assert [list(item) for item in deep["data"]] == [["id"]] * 100
    with_custom = _list(http, page_size="2", fields="id,custom_fields", include="custom_fields")
    assert [list(item) for item in with_custom["data"]] == [["id", "custom_fields"]] * 2
    everything = _list(http, page_size="1")["data"][0]
    assert list(everything) == [name for name in CANDIDATE_FIELDS if name != "custom_fields"]


def test_fields_and_updated_after_together_list_only_the_changed_candidates_named_fields(http, updated_path):
    cutoff = now_ms()
    _touch(["pop-0-0000300", "pop-0-0000007"])
    body = _list(http, page_size="100", fields="id,updated_at", **{"filter[updated_after]": iso(cutoff)})
    assert [sorted(item) for item in body["data"]] == [["id", "updated_at"]] * 2
    assert [item["id"] for item in body["data"]] == ["pop-0-0000007", "pop-0-0000300"]


def test_page_size_100_is_accepted_and_101_refused(http):
    assert len(_list(http, page_size="100")["data"]) == 100
    response = http.get(f"{http.base_url}/unified/ats/candidates", params={"page_size": "101"}, timeout=30)
    assert response.status_code == 400
    assert response.json()["message"] == "page_size must be an integer between 1 and 100"
