"""The candidate list page over the directory: count, page numbers, sort, filters, links to the
edit page, errors beside the fields, permissions, and StackOne's exact-email search as the
fallback when the directory is off or not ready."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from responses import matchers

from tests.candidates.test_views import LIST_FIELDS
from tests.conftest import BASE_URL
from tests.directory.support import ACCOUNT, PEOPLE, body, entries_create

LIST_PATH = f"/accounts/{ACCOUNT}/candidates/"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def names_of(page: str) -> list[str]:
    return re.findall(rf'<a href="{LIST_PATH}[^"]+/">([^<]+)</a>', page)


@pytest.fixture
def people(db: None) -> None:
    entries_create(PEOPLE)


def test_a_search_lists_the_matches_with_a_link_to_each_edit_page(viewer_client: Client,
                                                                  people: None) -> None:
    response = viewer_client.get(LIST_PATH, {"q": "margret jonson"})
    page = text_of(response)
    assert response.status_code == 200
    assert "<strong>1 candidate</strong> for “margret jonson”" in page
    assert f'<a href="{LIST_PATH}c-margaret/">Margaret Johnson</a>' in page
    assert "m.johnson@acme.io" in page and "Head of Talent" in page and "Acme Corp" in page
    assert '<time datetime="2026-11-25T09:00:00+00:00" title="2026-11-25 09:00:00 UTC">' in page
    assert re.search(r"title=\"2026-11-25 09:00:00 UTC\">\d[^<]* ago</time>", page)


def test_the_page_is_never_cached(viewer_client: Client, people: None) -> None:
    response = viewer_client.get(LIST_PATH, {"q": "ada"})
    assert "no-store" in response["Cache-Control"]


def test_without_a_query_every_candidate_is_listed_most_recently_updated_first(
        viewer_client: Client, people: None) -> None:
    page = text_of(viewer_client.get(LIST_PATH))
    assert "<strong>8 candidates</strong>" in page
    assert names_of(page)[:3] == ["Margaret Johnson", "Ada Lovelace", "Joan Lamarr"]


def test_the_count_has_thousands_separators_and_real_page_numbers(viewer_client: Client, db: None) -> None:
    entries_create([body(f"c-{n:04d}", name=f"Person {n:04d}", company="Bulk Ltd") for n in range(1204)])
    params = {"q": "bulk", "sort": "name", "page": "3", "page_size": "10"}
    page = text_of(viewer_client.get(LIST_PATH, params))
    assert "<strong>1,204 candidates</strong> for “bulk”" in page
    # Pages stop at the first 1,000 results (100 pages of 10), and the page says so.
    assert "Page 3 of 100" in page
    assert "Pages show the first 1,000 results: add a word or a filter to narrow the search." in page
    assert names_of(page)[0] == "Person 0020"
    assert ('<a aria-current="page" href="?q=bulk&amp;sort=name&amp;page_size=10&amp;page=3">'
            '<strong>3</strong></a>') in page
    assert '<a href="?q=bulk&amp;sort=name&amp;page_size=10&amp;page=100">100</a>' in page
    assert "page=101" not in page
    assert '<a rel="prev" href="?q=bulk&amp;sort=name&amp;page_size=10&amp;page=2">' in page
    assert '<a rel="next" href="?q=bulk&amp;sort=name&amp;page_size=10&amp;page=4">' in page
    assert "…" in page


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "acme", "sort": "name"}, ["José Núñez", "Margaret Johnson"]),
    ({"q": "acme", "sort": "updated"}, ["Margaret Johnson", "José Núñez"]),
    ({"q": "ada"}, ["Ada Lovelace", "Adam Smith"]),
    ({"company": "acme", "title": "developer"}, ["José Núñez"]),
    ({"country": "GB", "no_phone": "on"}, ["Adam Smith"]),
    ({"no_email": "on"}, ["Grace Hopper"]),
    ({"updated_from": "2026-09-01", "updated_to": "2026-10-01", "sort": "name"},
     ["José Núñez", "Zoë Ångström"]),
    ({"created_from": "2025-01-01"}, ["Zoë Ångström"]),
])
def test_each_filter_and_sort_lists_the_matching_candidates_in_order(
    viewer_client: Client, people: None, params: dict[str, str], expected: list[str]
) -> None:
    assert names_of(text_of(viewer_client.get(LIST_PATH, params))) == expected


def test_no_match_says_so_and_keeps_what_was_typed(viewer_client: Client, people: None) -> None:
    page = text_of(viewer_client.get(LIST_PATH, {"q": "xyzzy", "company": "acme"}))
    assert "<strong>0 candidates</strong>" in page
    assert "No candidates match “xyzzy” with these filters." in page
    assert 'value="xyzzy"' in page and 'value="acme"' in page


def test_bad_input_gets_a_message_beside_its_field(viewer_client: Client, people: None) -> None:
    response = viewer_client.get(LIST_PATH, {"q": "x" * 5000, "updated_from": "2026-12-01",
                                             "updated_to": "2026-01-01", "created_from": "not a date"})
    page = text_of(response)
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters (it has 5000)." in page
    assert "This date is before the start of the range." in page
    assert "Enter a valid date." in page
    assert 'value="not a date"' in page


@pytest.mark.parametrize("q", ["%", "_", "'", '"', "NEAR(", "*", "ada\x00", "a\\", "(", ")", "-", ":", "^"])
def test_hostile_queries_return_a_page(viewer_client: Client, people: None, q: str) -> None:
    response = viewer_client.get(LIST_PATH, {"q": q, "page": "abc"})
    assert response.status_code == 200
    assert "candidate" in text_of(response)


def test_a_page_past_the_end_shows_the_last_page(viewer_client: Client, people: None) -> None:
    page = text_of(viewer_client.get(LIST_PATH, {"page": "999999999999", "page_size": "10"}))
    assert "Page 1 of 1" in page and len(names_of(page)) == 8


def test_search_needs_the_list_permission(client: Client, people: None) -> None:
    assert client.get(LIST_PATH, {"q": "ada"})["Location"].startswith("/login/?next=")
    client.force_login(User.objects.create_user("nobody", password="pw-for-tests-1"))
    response = client.get(LIST_PATH, {"q": "ada"})
    assert response.status_code == 404  # no grant on the account: as if it did not exist
    assert "Lovelace" not in text_of(response)


def test_another_accounts_directory_is_not_shown(viewer_client: Client, people: None) -> None:
    entries_create([body("c-else", name="Someone Else")], account_id="acc-other")
    assert "Someone Else" not in text_of(viewer_client.get(LIST_PATH))
    assert names_of(text_of(viewer_client.get(LIST_PATH, {"q": "someone"}))) == []


# -- fallback: StackOne's exact-email search ---------------------------------------------------


def _stackone_answers(stackone, email: str | None = None) -> None:
    params = {"page_size": "25", "fields": LIST_FIELDS}  # only the columns the list shows
    if email:
        params["filter[email]"] = email
    stackone.get(f"{BASE_URL}/unified/ats/candidates", json={"data": [
        {"id": "c-remote", "name": "Remote Person", "email": "remote@example.com"}]},
        match=[matchers.query_param_matcher(params)])


def test_with_the_directory_off_the_page_searches_stackone(viewer_client: Client, people: None, stackone,
                                                           settings) -> None:
    settings.CANDIDATE_DIRECTORY = False
    _stackone_answers(stackone, email="remote@example.com")
    page = text_of(viewer_client.get(LIST_PATH, {"email": "remote@example.com"}))
    assert f'<a href="{LIST_PATH}c-remote/">Remote Person</a>' in page
    assert "Ada Lovelace" not in page and "not ready" not in page
    assert 'name="q"' not in page


def test_until_the_directory_is_ready_the_page_says_so_and_searches_stackone(
        viewer_client: Client, stackone) -> None:
    _stackone_answers(stackone, email="remote@example.com")
    response = viewer_client.get(LIST_PATH, {"q": "remote@example.com"})
    page = text_of(response)
    assert "The candidate directory for this account is not ready yet" in page
    assert "exact email address" in page
    assert f'<a href="{LIST_PATH}c-remote/">Remote Person</a>' in page
    assert "no-store" in response["Cache-Control"]


def test_a_search_past_its_time_limit_says_it_was_too_broad_and_keeps_the_query(
        viewer_client: Client, people: None, settings) -> None:
    from candidates.directory.models import DirectoryEntry

    DirectoryEntry.objects.filter(account_id=ACCOUNT).delete()
    entries_create([body(f"c-{n:04d}", name=f"Ada Lovelace {n:04d}", company="Bulk Ltd")
                    for n in range(3000)])
    settings.DIRECTORY_SEARCH_TIME_LIMIT_MS = 1  # ranking 3,000 matches takes longer than that
    response = viewer_client.get(LIST_PATH, {"q": "lovelace bulk"})
    page = text_of(response)
    assert response.status_code == 200
    assert ("This search matches too much to answer in time. Add a word, type more letters, or set a "
            "filter to narrow it.") in page
    assert 'value="lovelace bulk"' in page and names_of(page) == []


def test_filters_are_folded_away_until_one_is_set(viewer_client: Client, people: None) -> None:
    plain = text_of(viewer_client.get(LIST_PATH, {"q": "ada"}))
    assert '<details class="filters">' in plain and "<summary>Filters</summary>" in plain
    narrowed = text_of(viewer_client.get(LIST_PATH, {"q": "ada", "country": "GB", "no_phone": "on"}))
    assert '<details class="filters" open>' in narrowed and "<summary>Filters (2)</summary>" in narrowed
    assert names_of(narrowed) == ["Adam Smith"]


def test_the_empty_box_lists_the_candidates_opened_last(viewer_client: Client, stackone) -> None:
    from tests.candidates.view_helpers import ACCOUNT as EDIT_ACCOUNT
    from tests.candidates.view_helpers import EDIT_PATH, candidate_json, mock_get

    entries_create([body("c-1", name="Ada Lovelace"), body("c-2", name="Grace Hopper")],
                   account_id=EDIT_ACCOUNT)
    mock_get(stackone, candidate_json(name="Ada Lovelace"))
    assert viewer_client.get(EDIT_PATH).status_code == 200  # the recruiter opens Ada
    list_path = f"/accounts/{EDIT_ACCOUNT}/candidates/"
    page = viewer_client.get(list_path).content.decode()
    recent = page.split('<h2 id="recent-heading">Recently opened</h2>')[1].split("</section>")[0]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', recent) == [(EDIT_PATH, "Ada Lovelace")]
    assert "Recently opened" not in viewer_client.get(list_path, {"q": "grace"}).content.decode()
