"""Search semantics: a table of queries and the candidates each finds, on whichever database the
suite runs on (SQLite by default, PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

from datetime import date

import pytest

from candidates.directory.index import entry_fields
from candidates.directory.models import DirectoryEntry
from candidates.directory.search import DirectoryFilters, DirectoryQuery, directory_search, query_words
from candidates.types import Candidate
from tests.directory.support import ACCOUNT, PEOPLE, body, entries_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> None:
    entries_create(PEOPLE)
    entries_create([body("c-lukasz", first_name="Łukasz", last_name="Søren-Wójcik",
                         updated_at="2020-01-01T00:00:00Z")])
    entries_create([body("c-other-account", name="Ada Lovelace", email="ada@example.com")],
                   account_id="acc-else")


def found(q: str, **options: object) -> list[str]:
    results = directory_search(account_id=ACCOUNT, query=DirectoryQuery(q=q, page_size=100, **options))
    return [row.candidate_id for row in results.rows]


TABLE = [
    # any part of a name, first or last name, case-insensitively
    ("ada", {"c-ada", "c-adam"}),
    ("LOVELACE", {"c-ada"}),
    ("lovel", {"c-ada"}),
    ("velac", {"c-ada"}),
    ("hopper", {"c-grace"}),
    # accents either way
    ("zoe angstrom", {"c-zoe"}),
    ("Zoë Ångström", {"c-zoe"}),
    ("jose nunez", {"c-jose"}),
    ("JOSÉ", {"c-jose"}),
    ("núñez", {"c-jose"}),
    ("lukasz soren", {"c-lukasz"}),
    ("ŁUKASZ Søren", {"c-lukasz"}),
    # typos in names
    ("margret jonson", {"c-margaret"}),
    ("jonson", {"c-margaret"}),
    ("lovelase", {"c-ada"}),
    ("angstrem", {"c-zoe"}),
    ("lamar", {"c-joan"}),
    # any email, any part of it
    ("ada@example.com", {"c-ada"}),
    ("countess@", {"c-ada"}),
    ("analytical.org", {"c-ada"}),
    ("m.johnson@acme", {"c-margaret"}),
    ("lamarr.dev", {"c-joan"}),
    # phone numbers however typed
    ("+44 7700 900123", {"c-ada"}),
    ("447700900123", {"c-ada"}),
    ("7700 900123", {"c-ada"}),
    ("07700 900123", {"c-ada"}),
    ("+44 (0)7700 900123", {"c-ada"}),
    ("0044 7700 900123", {"c-ada"}),
    ("900123", {"c-ada"}),
    ("+1 (415) 555-0100", {"c-margaret"}),
    ("415-555-0100", {"c-margaret"}),
    ("4155550100", {"c-margaret"}),
    ("+34 612 345 678", {"c-jose"}),
    ("612345678", {"c-jose"}),
    ("+44 7700 900456", {"c-joan"}),  # stored as 07700 900456 with country GB
    ("07700 900456", {"c-joan"}),
    ("7700", {"c-ada", "c-joan"}),
    # company, title, ids
    ("acme", {"c-margaret", "c-jose"}),
    ("acme corp", {"c-margaret", "c-jose"}),
    ("nordisk", {"c-zoe"}),
    ("talent", {"c-margaret"}),
    ("engineer", {"c-zoe"}),
    ("c-grace", {"c-grace"}),
    ("r-c-joan", {"c-joan"}),
    # several words narrow
    ("acme jose", {"c-jose"}),
    ("acme margaret", {"c-margaret"}),
    ("ada smith", {"c-adam"}),
    ("lovelace smith", set()),
    ("joan inventor", {"c-joan"}),
    # nothing
    ("xyzzy", set()),
    ("ada zzzzzz", set()),
    # hostile input: literal characters, never a database error (a one- or two-character word
    # without a letter or digit starts no name word: alone it finds nothing)
    ("%", set()),
    ("_", set()),
    ("100%", {"c-odd"}),
    ("o'brien_x", {"c-odd"}),
    ('"quoted"', {"c-odd"}),
    ('"', set()),
    ("near(labs)*", {"c-odd"}),
    ("NEAR(", {"c-odd"}),
    ("*", set()),
    ("ada OR grace", set()),
    ("ada AND NOT lovelace", set()),
    ("percy NEAR(x y)", set()),
    ("^ada", set()),
    ("'; DROP TABLE directory_directoryentry; --", set()),
    ("\\", set()),
    ("lovelace\x00", {"c-ada"}),
    ("x" * 5000, set()),
    ("ada " * 1500, {"c-ada", "c-adam"}),
]


@pytest.mark.parametrize(("q", "expected"), TABLE, ids=[repr(q[:30]) for q, _ in TABLE])
def test_a_query_finds_exactly_these_candidates(people: None, q: str, expected: set[str]) -> None:
    assert set(found(q)) == expected


def test_an_empty_query_lists_the_account_most_recently_updated_first(people: None) -> None:
    assert found("") == ["c-margaret", "c-ada", "c-joan", "c-zoe", "c-jose", "c-adam", "c-odd", "c-grace",
                         "c-lukasz"]


def test_exact_words_rank_before_prefixes_before_inside_a_word_before_typos(people: None) -> None:
    entries_create([body("c-nada", name="Nada Canada"), body("c-adah", name="Adah Ellis"),
                    body("c-adda", name="Adda Jones")])
    # Adda sounds like Ada (Metaphone AT): found, after every match of the letters typed.
    assert found("ada") == ["c-ada", "c-adah", "c-adam", "c-nada", "c-adda"]
    entries_create([body("c-johnson", name="Lee Johnson"), body("c-jonson", name="Kim Jonson")])
    assert found("jonson") == ["c-jonson", "c-johnson", "c-margaret"]  # exact, then typos by name


def test_the_sort_by_name_and_by_update(people: None) -> None:
    assert found("acme", sort="name") == ["c-jose", "c-margaret"]
    # "a" alone: the rows with a name or company word starting with it (Acme, Ada, Ångström, …)
    assert found("a", sort="updated")[:3] == ["c-margaret", "c-ada", "c-zoe"]


@pytest.mark.parametrize(("filters", "expected"), [
    (DirectoryFilters(company="acme"), {"c-margaret", "c-jose"}),
    (DirectoryFilters(company="ACME CORP", title="talent"), {"c-margaret"}),
    (DirectoryFilters(title="engineer"), {"c-zoe"}),
    (DirectoryFilters(country="gb"), {"c-ada", "c-joan", "c-adam"}),
    (DirectoryFilters(no_email=True), {"c-grace", "c-lukasz"}),
    (DirectoryFilters(no_phone=True), {"c-zoe", "c-grace", "c-adam", "c-odd", "c-lukasz"}),
    (DirectoryFilters(updated_from=date(2026, 11, 1)), {"c-ada", "c-margaret", "c-joan"}),
    (DirectoryFilters(updated_from=date(2026, 9, 1),
                      updated_to=date(2026, 10, 1)), {"c-zoe", "c-jose"}),
    (DirectoryFilters(created_to=date(2020, 1, 1)), {"c-ada", "c-grace"}),
    (DirectoryFilters(updated_to=date(2020, 1, 1)), {"c-lukasz"}),
    (DirectoryFilters(created_from=date(2025, 1, 1)), {"c-zoe"}),
])
def test_each_filter_stackone_cannot_apply_finds_the_matching_candidates(
    people: None, filters: DirectoryFilters, expected: set[str]
) -> None:
    assert set(found("", filters=filters)) == expected


def test_filters_narrow_a_query(people: None) -> None:
    assert set(found("a", filters=DirectoryFilters(no_phone=True, country="GB"))) == {"c-adam"}


def test_pages_are_counted_and_a_page_past_the_end_shows_the_last(people: None) -> None:
    first = directory_search(account_id=ACCOUNT, query=DirectoryQuery(page_size=3, page=1))
    last = directory_search(account_id=ACCOUNT, query=DirectoryQuery(page_size=3, page=99))
    assert (first.total, first.pages, len(first.rows)) == (9, 3, 3)
    assert (last.page, [row.candidate_id for row in last.rows]) == (3, ["c-odd", "c-grace", "c-lukasz"])


def test_a_phone_number_typed_with_spaces_is_one_word() -> None:
    assert [word.text for word in query_words("Ada +44 (0)7700 900-123")] == ["ada", "447700900123"]
    assert [word.text for word in query_words("flat 12 b")] == ["flat", "12", "b"]


def test_a_renamed_candidate_is_found_at_once_by_a_typo_of_the_new_name(people: None) -> None:
    assert found("lovelase") == ["c-ada"]  # (on SQLite this reads the account's name words)
    renamed = next(item for item in PEOPLE if item["id"] == "c-ada") | {"name": "Ada Kingsbury",
                                                                         "last_name": "Kingsbury"}
    entry = DirectoryEntry.objects.get(account_id=ACCOUNT, candidate_id="c-ada")
    for column, value in entry_fields(Candidate.from_api(renamed)).items():
        setattr(entry, column, value)
    entry.save()
    assert found("kingsbry") == ["c-ada"]
    assert found("lovelace") == []


@pytest.fixture
def short_names() -> None:
    """Names whose words are one or two characters (no trigram), written as StackOne holds them."""
    entries_create([
        body("c-min", first_name="敏", last_name="张", name="张敏", company="Acme Corp"),
        body("c-hina", first_name="陽菜", last_name="小林", name="小林 陽菜", company="Globex"),
        body("c-xiaolong", first_name="小龙", last_name="黄", name="黄小龙", company="Acme Corp"),
        body("c-jo", first_name="Jo", last_name="Li", name="Jo Li", company="Initech"),
    ])


@pytest.mark.parametrize(("q", "expected"), [
    ("敏", {"c-min"}),
    ("张敏", {"c-min"}),  # two characters inside one word of the name
    ("敏 张", {"c-min"}),
    ("小", {"c-hina", "c-xiaolong"}),
    ("小林", {"c-hina"}),
    ("林陽", set()),  # not next to each other in the name
    ("陽菜 小林", {"c-hina"}),
    ("敏 acme", {"c-min"}),
    ("小 acme", {"c-xiaolong"}),
    ("jo", {"c-jo"}),
    ("li jo", {"c-jo"}),
    ("ab", set()),
])
def test_words_of_one_or_two_characters_match_any_part_of_the_text(short_names: None, q: str,
                                                                     expected: set[str]) -> None:
    assert set(found(q)) == expected


def test_a_typo_finds_names_stored_many_rows_at_a_time() -> None:
    """The sync stores a page of rows in one statement: a typo finds every one of them."""
    entries_create([body("c-first", name="Ada Lovelace")])
    DirectoryEntry.objects.bulk_create([
        DirectoryEntry(account_id=ACCOUNT, candidate_id=f"c-{n}", **entry_fields(Candidate.from_api(
            body(f"c-{n}", first_name=first, last_name="Featherstonehaugh"))))
        for n, first in enumerate(["Bartholomew", "Wilhelmina", "Ottoline"])])
    assert set(found("wilhelmena")) == {"c-1"}
    assert set(found("featherstonhaugh")) == {"c-0", "c-1", "c-2"}
    assert found("lovelase") == ["c-first"]


def test_a_query_counts_its_matches_and_a_page_past_the_last_returns_the_last(people: None) -> None:
    first = directory_search(account_id=ACCOUNT, query=DirectoryQuery(q="a", page_size=2, page=1))
    last = directory_search(account_id=ACCOUNT, query=DirectoryQuery(q="a", page_size=2, page=99))
    every = found("a")
    # Acme Corp (Margaret, José), Ada, Ångström, Adam: most recently updated first
    assert every == ["c-margaret", "c-ada", "c-zoe", "c-jose", "c-adam"]
    assert (first.total, first.pages, [row.candidate_id for row in first.rows]) == (5, 3, every[:2])
    assert (last.page, last.total, [row.candidate_id for row in last.rows]) == (3, 5, every[4:])
    none = directory_search(account_id=ACCOUNT, query=DirectoryQuery(q="xyzzy", page=3))
    assert (none.total, none.page, none.pages, none.rows) == (0, 1, 1, ())
