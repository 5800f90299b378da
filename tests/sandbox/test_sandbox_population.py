"""sandbox.population: the large deterministic candidate population (no database needed)."""

from __future__ import annotations

import collections
import re
import unicodedata
from datetime import datetime

import phonenumbers
import pytest

from sandbox.population import PHONE_PLANS, candidate_id_for, candidate_population
from sandbox.store import CANDIDATE_FIELDS
from tests.sandbox_support import validate_against

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture(scope="module")
def population() -> list[dict]:
    return list(candidate_population(5000))


def _scripts(text: str) -> set[str]:
    """{'LATIN', 'CJK', 'CYRILLIC', ...}: the first word of each letter's Unicode name."""
    return {unicodedata.name(ch).split()[0] for ch in text if ch.isalpha()}


def test_same_seed_gives_the_same_bodies_and_another_seed_does_not():
    assert list(candidate_population(300, seed=7)) == list(candidate_population(300, seed=7))
    other = list(candidate_population(300, seed=8))
    assert [c["name"] for c in other] != [c["name"] for c in candidate_population(300, seed=7)]
    assert other[0]["id"] == "pop-8-0000001"


def test_the_first_n_are_the_same_whatever_the_count(population):
    assert list(candidate_population(200)) == population[:200]


def test_the_population_has_the_count_asked_for_with_unique_sequential_ids(population):
    assert len(population) == 5000
    assert [c["id"] for c in population[:2]] == ["pop-0-0000001", "pop-0-0000002"]
    assert population[-1]["id"] == candidate_id_for(5000) == "pop-0-0005000"
    assert len({c["id"] for c in population}) == 5000
    assert len({c["remote_id"] for c in population}) == 5000
    assert list(candidate_population(0)) == []


def test_every_body_matches_the_spec_and_has_every_candidate_field(population):
    for candidate in population[:500]:
        assert list(candidate) == list(CANDIDATE_FIELDS)
        validate_against("Candidate", candidate)


def test_names_have_accents_and_several_scripts(population):
    scripts = set().union(*(_scripts(c["name"]) for c in population))
    assert {"LATIN", "CJK", "CYRILLIC", "GREEK", "ARABIC", "HANGUL", "HIRAGANA"} <= scripts
    names = {c["name"] for c in population}
    accented = {n for n in names if _scripts(n) == {"LATIN"} and not n.isascii()}
    assert len(accented) > 200
    firsts = {c["first_name"] for c in population}
    lasts = {c["last_name"] for c in population}
    assert {"Zoë", "José", "Łukasz", "Мария", "Ngozi", "Margaret"} <= firsts
    assert {"Ångström", "Núñez", "Żółć", "Иванова", "Okonkwo", "Johnson", "山田", "Nguyễn"} <= lasts
    # Family name first, as written in Japan and Vietnam; no space in Chinese names.
    assert any(re.fullmatch(r"山田 \S+", n) for n in names)
    assert any(n.startswith("Nguyễn ") for n in names)
    assert any(re.fullmatch(r"[王李张刘陈杨黄赵周吴]\S+", n) for n in names)
    # Given and family names line up with the display name.
    for c in population[:300]:
        assert c["first_name"] in c["name"] and c["last_name"] in c["name"]


def test_emails_are_zero_to_three_and_email_is_the_first(population):
    counts = collections.Counter(len(c["emails"]) for c in population)
    assert set(counts) == {0, 1, 2, 3}
    assert counts[0] < counts[1]
    for c in population:
        assert c["email"] == (c["emails"][0]["value"] if c["emails"] else None)
        for item in c["emails"]:
            assert item["value"].isascii() and item["value"].count("@") == 1
    addresses = [c["email"].lower() for c in population if c["email"]]
    assert len(set(addresses)) == len(addresses)  # the personal address carries the row number


def test_phones_mix_e164_and_national_formats_and_are_all_valid(population):
    numbers = [(c["country"], p["phone"]) for c in population for p in c["phone_numbers"]]
    assert any(E164.match(text) for _, text in numbers)
    assert any(text.startswith("0") for _, text in numbers)  # national, with the trunk prefix
    assert any(text.startswith("+") and " " in text for _, text in numbers)  # international, spaced
    assert any(not c["phone_numbers"] for c in population)
    for country, text in numbers:
        region = phonenumbers.region_code_for_country_code(int(PHONE_PLANS[country][0]))
        parsed = phonenumbers.parse(text, region)
        assert phonenumbers.is_valid_number(parsed), (country, text)


def test_companies_come_in_the_spellings_people_type(population):
    companies = collections.Counter(c["company"] for c in population)
    assert {"Acme Inc", "ACME, Inc.", "acme inc", "Globex Corp.", "GLOBEX", "Müller & Söhne GmbH"} <= set(
        companies
    )
    assert 0 < companies[None] < len(population) / 3


def test_times_are_spread_over_years_ordered_and_sometimes_tied(population):
    created = [c["created_at"] for c in population]
    assert all(ISO_MS.match(c["created_at"]) and ISO_MS.match(c["updated_at"]) for c in population)
    assert created == sorted(created)
    assert len(set(created)) < len(created)  # ties: the id orders them
    assert all(c["updated_at"] >= c["created_at"] for c in population)
    assert any(c["updated_at"] > c["created_at"] for c in population)
    assert any(c["updated_at"] == c["created_at"] for c in population)
    span = datetime.fromisoformat(created[-1]) - datetime.fromisoformat(created[0])
    assert span.days > 60


def test_the_account_changes_remote_ids_but_not_candidate_ids():
    a = next(candidate_population(1, account_id="sbx-greenhouse"))
    b = next(candidate_population(1, account_id="sbx-lever"))
    assert a["id"] == b["id"] == "pop-0-0000001"
    assert a["remote_id"] != b["remote_id"]


@pytest.mark.parametrize("seed", [0, 41])
def test_the_first_eight_are_the_featured_people_whatever_the_seed(seed):
    first = list(candidate_population(9, seed=seed))
    assert [c["name"] for c in first[:8]] == [
        "Zoë Ångström",
        "José Núñez",
        "Łukasz Żółć",
        "山田 太郎",
        "Мария Иванова",
        "Ngozi Okonkwo",
        "Nguyễn Văn An",
        "Margaret Johnson",
    ]
    yamada = first[3]
    assert (yamada["first_name"], yamada["last_name"], yamada["country"]) == ("太郎", "山田", "Japan")
    assert all(
        e["value"].split("@")[0].strip("0123456789").lower()
        in {"taro.yamada", "taroy", "tyamada", "yamada_taro"}
        for e in yamada["emails"][:1]
    )
