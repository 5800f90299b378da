"""Directory search, in process, on SQLite and (with DATABASE_URL) PostgreSQL in one run: recall and
latency of about 4,500 queries in 17 kinds, each aimed at one known candidate of the sandbox
population, the list page with a query against the same page without one, the directory's size
on disk and the cost of indexing (rows/s through the sync's upsert).

    .venv/bin/python benchmarks/directory_search.py [--rows 100000] [--per-kind 265] [--seed 1]
    DATABASE_URL=postgres://…/db .venv/bin/python benchmarks/directory_search.py

SQLite: a throwaway file. PostgreSQL: the database DATABASE_URL names (migrated; the benchmark's
account rows are deleted at the end unless --reuse). Rows come from the sandbox's population
generator (``sandbox.population.candidate_population``) through the sync's upsert
(``entries.entries_upsert``, pages of 100, data health's receivers disconnected: the directory's
own cost). The queries are made from the population with their own seeded random generator, so
the same arguments give the same queries on every machine and every commit.

A result is relevant when it is the target or has what the query names (its first and last name
for a name query, since namesakes cannot be told apart by name; the number for a phone; the
address for part of an email). Recall@k: the share of queries with a relevant result in the
first k. Queries of one or two letters (and eight such words) have no target: their latency is
reported separately. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import bench_env, workspace  # noqa: E402

ACCOUNT = "bench-directory"
NAME_KINDS = ("one letter swapped", "one letter wrong", "one letter missing", "one letter extra",
              "two typos, 9+ letters", "last word being typed", "given-name variant", "transliterated",
              "exact", "accents dropped", "family name first", "last name + company")
KINDS = (*NAME_KINDS[:6], "phone, any form", *NAME_KINDS[6:], "part of an email",
         "one letter", "two letters", "eight short words")
SHORT_KINDS = ("one letter", "two letters", "eight short words")
# Spelling variants of given names the population has (the target's name → how someone writes it).
VARIANTS = {
    "katherine": ["catherine", "kathryn", "kathrine"], "sarah": ["sara"], "megan": ["meghan"],
    "hannah": ["hanna", "hana"], "isabelle": ["isabel", "isobel"], "sophie": ["sofie", "sophy"],
    "lukas": ["lucas"], "jurgen": ["juergen"], "bjorn": ["bjoern"], "chloe": ["khloe"],
    "matthew": ["mathew"], "rebecca": ["rebekah", "rebeca"], "jessica": ["jesica"], "zoe": ["zoey"],
    "stefan": ["stephan", "stefen"], "frederic": ["frederik", "fredric"], "mohamed": ["mohammed", "muhammad"],
    "elodie": ["elody"], "theo": ["teo"], "clemence": ["klemence"], "anais": ["anaiz"],
    "andres": ["andrez"], "javier": ["xavier", "javiar"], "oluwaseun": ["oluseun"], "adebayo": ["adebayoh"],
}


@dataclass(frozen=True)
class Query:
    kind: str
    q: str
    relevant: frozenset[str]
    form: str = ""


def fold(text: str) -> str:
    from sandbox.population import ascii_fold

    return " ".join(ascii_fold(text).split())


def romanised() -> dict[str, str]:
    """Return the population's Latin spelling of each Cyrillic and Greek name (as a recruiter
    hears it: ``Дмитрий`` → dmitry, ``Иванова`` → ivanova)."""
    from sandbox.population import LOCALES

    spelled = {}
    for locale in LOCALES:
        if locale["key"] not in ("ru", "el"):
            continue
        for given in locale["given"]:
            spelled[given[0]] = given[1]
        for family in locale["family"]:
            if len(family) == 3:  # (masculine, feminine, romanised masculine)
                spelled[family[0]], spelled[family[1]] = family[2], family[2] + "a"
            else:
                spelled[family[0]] = family[1]
    return spelled


def _typo(word: str, kind: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    if kind == "one letter swapped":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "one letter wrong":
        return word[:i] + rng.choice([c for c in letters if c != word[i]]) + word[i + 1:]
    if kind == "one letter missing":
        return word[:i] + word[i + 1:]
    if kind == "one letter extra":
        return word[:i] + rng.choice(letters) + word[i:]
    first = _typo(word, rng.choice(["one letter wrong", "one letter missing", "one letter extra",
                                     "one letter swapped"]), rng)
    second = _typo(first, rng.choice(["one letter wrong", "one letter missing", "one letter extra"]), rng)
    return second


def queries(bodies: list[dict[str, Any]], per_kind: int, seed: int) -> list[Query]:
    """Return ``per_kind`` queries of each kind in ``KINDS``, made from ``bodies`` (see the module
    docstring), deterministic for a seed."""
    import phonenumbers

    rng = random.Random(f"queries:{seed}")
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_number: dict[str, set[str]] = defaultdict(set)
    by_address: dict[str, set[str]] = defaultdict(set)
    by_last_company: dict[tuple[str, str], set[str]] = defaultdict(set)
    for body in bodies:
        first, last = fold(body["first_name"] or ""), fold(body["last_name"] or "")
        people[(first, last)].add(body["id"])
        by_last_company[(last, fold(body.get("company") or ""))].add(body["id"])
        for phone in body.get("phone_numbers") or []:
            number = phonenumbers.parse(phone["phone"], _region(body["country"]))
            by_number[str(number.national_number)].add(body["id"])
            by_number[str(number.national_number)[-7:]].add(body["id"])
        for email in body.get("emails") or []:
            by_address[email["value"].split("@")[0].lower()].add(body["id"])
    spelled = romanised()

    def namesakes(body: dict[str, Any]) -> frozenset[str]:
        return frozenset(people[(fold(body["first_name"] or ""), fold(body["last_name"] or ""))])

    made: list[Query] = []

    def draw(kind: str, make: Callable[[dict[str, Any]], Query | None]) -> None:
        count = 0
        for _ in range(per_kind * 400):
            query = make(rng.choice(bodies))
            if query is not None:
                made.append(query)
                count += 1
                if count == per_kind:
                    return

    def latin(body: dict[str, Any]) -> tuple[str, str] | None:
        first, last = fold(body["first_name"] or ""), fold(body["last_name"] or "")
        if not (first.isalpha() and last.replace(" ", "").isalpha() and first.isascii() and last.isascii()):
            return None
        return first, last

    for kind in NAME_KINDS[:5]:
        def typo_query(body: dict[str, Any], kind: str = kind) -> Query | None:
            names = latin(body)
            if names is None:
                return None
            first, last = names
            long_enough = 9 if kind.startswith("two") else 5
            words = [word for word in (last, first) if len(word) >= long_enough and " " not in word]
            if not words:
                return None
            word = words[0] if kind.startswith("two") else rng.choice(words)
            damaged = _typo(word, kind, rng)
            if damaged == word:
                return None
            return Query(kind, f"{first} {last}".replace(word, damaged, 1), namesakes(body))
        draw(kind, typo_query)

    def prefix_query(body: dict[str, Any]) -> Query | None:
        names = latin(body)
        if names is None or len(names[1]) < 4:
            return None
        first, last = names
        # As the examples: "margaret joh", "marg john" (at least three letters of a word;
        # one and two letters are kinds of their own).
        if rng.random() < 0.5:
            return Query("last word being typed", f"{first} {last[:rng.randrange(3, len(last))]}",
                         namesakes(body))
        return Query("last word being typed",
                     f"{first[:max(3, len(first) // 2)]} {last[:rng.randrange(3, len(last) + 1)]}",
                     namesakes(body))
    draw("last word being typed", prefix_query)

    forms = ["+CC spaced", "+CC (0)", "00CC", "national", "last 7 digits"]

    def phone_query(body: dict[str, Any]) -> Query | None:
        phones = body.get("phone_numbers") or []
        if not phones:
            return None
        number = phonenumbers.parse(phones[0]["phone"], _region(body["country"]))
        national = str(number.national_number)
        code = number.country_code
        trunk = phonenumbers.ndd_prefix_for_region(phonenumbers.region_code_for_number(number), True) or ""
        spaced = f"{national[:4]} {national[4:]}"
        form = forms[len([q for q in made if q.kind == "phone, any form"]) % len(forms)]
        typed = {"+CC spaced": f"+{code} {spaced}", "+CC (0)": f"+{code} ({trunk or 0}){spaced}",
                 "00CC": f"00{code} {spaced}", "national": f"{trunk}{spaced}",
                 "last 7 digits": national[-7:]}[form]
        if form == "+CC (0)" and not trunk:
            typed = f"+{code} {spaced}"
        relevant = by_number[national[-7:]] if form == "last 7 digits" else by_number[national]
        return Query("phone, any form", typed, frozenset(relevant), form)
    draw("phone, any form", phone_query)

    def variant_query(body: dict[str, Any]) -> Query | None:
        first, last = fold(body["first_name"] or ""), fold(body["last_name"] or "")
        if first not in VARIANTS or not last.isascii():
            return None
        return Query("given-name variant", f"{rng.choice(VARIANTS[first])} {last}", namesakes(body))
    draw("given-name variant", variant_query)

    def transliterated_query(body: dict[str, Any]) -> Query | None:
        first, last = body["first_name"] or "", body["last_name"] or ""
        if first not in spelled or last not in spelled:
            return None
        return Query("transliterated", f"{spelled[first]} {spelled[last]}", namesakes(body))
    draw("transliterated", transliterated_query)

    def exact_query(body: dict[str, Any]) -> Query | None:
        return Query("exact", f"{body['first_name']} {body['last_name']}", namesakes(body))
    draw("exact", exact_query)

    def accents_query(body: dict[str, Any]) -> Query | None:
        typed = f"{body['first_name']} {body['last_name']}"
        if typed.isascii() or not fold(typed).replace(" ", "").isalpha():
            return None
        return Query("accents dropped", fold(typed), namesakes(body))
    draw("accents dropped", accents_query)

    def family_first_query(body: dict[str, Any]) -> Query | None:
        return Query("family name first", f"{body['last_name']} {body['first_name']}", namesakes(body))
    draw("family name first", family_first_query)

    def company_query(body: dict[str, Any]) -> Query | None:
        company = body.get("company") or ""
        if not company:
            return None
        last = fold(body["last_name"] or "")
        return Query("last name + company", f"{body['last_name']} {company.split()[0]}",
                     frozenset(by_last_company[(last, fold(company))]) | namesakes(body))
    draw("last name + company", company_query)

    def email_query(body: dict[str, Any]) -> Query | None:
        emails = body.get("emails") or []
        if not emails:
            return None
        local = emails[0]["value"].split("@")[0].lower()
        return Query("part of an email", local, frozenset(by_address[local]))
    draw("part of an email", email_query)

    letters = "abcdefghijklmnoprstuvwyz"
    for kind, make_short in (
            ("one letter", lambda: rng.choice(letters)),
            ("two letters", lambda: rng.choice(letters) + rng.choice("aeiou")),
            ("eight short words", lambda: " ".join(rng.sample("aeinorst", 8)))):
        made.extend(Query(kind, make_short(), frozenset()) for _ in range(max(1, per_kind // 5)))
    return made


def _region(country: str) -> str | None:
    """The population's country names as ISO codes (the benchmark's own reading, whatever the
    app's: the same on every commit measured)."""
    import pycountry

    try:
        return {"Turkey": "TR"}.get(country) or str(pycountry.countries.lookup(country).alpha_2)
    except LookupError:
        return None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def load(bodies: list[dict[str, Any]]) -> float:
    """Store the rows as a full sync does (``entries_upsert``, pages of 100) with data health's
    receivers off; return the seconds taken."""
    from django.utils import timezone

    from candidates.directory.entries import entries_upsert
    from candidates.directory.models import DirectoryEntry, DirectorySync
    from candidates.directory.signals import entries_indexed
    from candidates.types import Candidate

    DirectoryEntry.objects.filter(account_id=ACCOUNT).delete()
    receivers, entries_indexed.receivers = entries_indexed.receivers, []
    entries_indexed.sender_receivers_cache.clear()
    try:
        started = time.perf_counter()
        for start in range(0, len(bodies), 100):
            page = [Candidate.from_api(body) for body in bodies[start:start + 100]]
            entries_upsert(ACCOUNT, page, sync_run=1)
        seconds = time.perf_counter() - started
    finally:
        entries_indexed.receivers = receivers
        entries_indexed.sender_receivers_cache.clear()
    # As after the account's first full sync: the list page searches the directory, not StackOne.
    DirectorySync.objects.filter(account_id=ACCOUNT).delete()
    DirectorySync.objects.create(account_id=ACCOUNT, full=True, status=DirectorySync.Status.DONE,
                                 finished_at=timezone.now())
    return seconds


def search_quality(made: list[Query]) -> None:
    from candidates.directory.search import DirectoryQuery, directory_search

    try:
        from candidates.directory.search import SearchTooBroad
    except ImportError:  # an older commit, measured for "before"
        SearchTooBroad = RuntimeError  # noqa: N806
    directory_search(account_id=ACCOUNT, query=DirectoryQuery(q="warm up"))
    timings: dict[str, list[float]] = defaultdict(list)
    hits1: dict[str, list[bool]] = defaultdict(list)
    hits10: dict[str, list[bool]] = defaultdict(list)
    by_form: dict[str, list[bool]] = defaultdict(list)
    slowest = []
    misses: dict[str, list[str]] = defaultdict(list)
    refused = 0
    for query in made:
        started = time.perf_counter()
        try:
            rows = directory_search(account_id=ACCOUNT, query=DirectoryQuery(q=query.q)).rows
        except SearchTooBroad:
            rows, refused = (), refused + 1
        elapsed = (time.perf_counter() - started) * 1000
        timings[query.kind].append(elapsed)
        slowest.append((elapsed, query.kind, query.q))
        if query.kind in SHORT_KINDS:
            continue
        ids = [row.candidate_id for row in rows[:10]]
        hits1[query.kind].append(bool(ids[:1]) and ids[0] in query.relevant)
        hits10[query.kind].append(any(candidate in query.relevant for candidate in ids))
        if query.form:
            by_form[query.form].append(hits10[query.kind][-1])
        if not hits10[query.kind][-1] and len(misses[query.kind]) < 4:
            misses[query.kind].append(query.q)
    print(f"{'kind':<24} {'n':>4} {'recall@1':>9} {'recall@10':>10} {'p50 ms':>8} {'p95 ms':>8}")
    for kind in KINDS:
        values = timings.get(kind, [])
        if not values:
            continue
        recall = (f"{statistics.fmean(hits1[kind]):>9.2f} {statistics.fmean(hits10[kind]):>10.2f}"
                  if kind in hits10 else f"{'—':>9} {'—':>10}")
        print(f"{kind:<24} {len(values):>4} {recall} {percentile(values, 0.5):>8.1f} "
              f"{percentile(values, 0.95):>8.1f}")
    every = [ms for kind, values in timings.items() if kind not in SHORT_KINDS for ms in values]
    short = [ms for kind in SHORT_KINDS for ms in timings.get(kind, [])]
    targeted = [hit for kind in hits10 for hit in hits10[kind]]
    print(f"all targeted queries: {len(every)}, recall@1 "
          f"{statistics.fmean(hit for kind in hits1 for hit in hits1[kind]):.3f}, recall@10 "
          f"{statistics.fmean(targeted):.3f}, p50 {percentile(every, 0.5):.1f} ms, "
          f"p95 {percentile(every, 0.95):.1f} ms")
    print(f"one/two-letter and eight-short-word queries: {len(short)}, p50 {percentile(short, 0.5):.1f} ms, "
          f"p95 {percentile(short, 0.95):.1f} ms, over the time limit: {refused}")
    print("phone forms, recall@10: " + ", ".join(f"{form} {statistics.fmean(hits):.2f}"
                                                 for form, hits in by_form.items()))
    print("slowest: " + "; ".join(f"{q!r} ({kind}) {ms:.0f} ms"
                                  for ms, kind, q in sorted(slowest, reverse=True)[:5]))
    for kind, queries_missed in misses.items():
        print(f"  missed ({kind}): " + ", ".join(repr(q) for q in queries_missed))


def page_ratio(made: list[Query], rounds: int) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    user, _ = User.objects.get_or_create(username="bench-directory", defaults={"is_superuser": True})
    # One session for each side: a page remembers its query in the session (a write when it changes).
    plain_client, query_client = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    path = f"/accounts/{ACCOUNT}/candidates/"
    for client in (plain_client, query_client):
        client.force_login(user)
        client.get(path)

    def load_ms(params: dict[str, str]) -> float:
        client = query_client if params else plain_client
        started = time.perf_counter()
        response = client.get(path, params)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed

    # Each load with a query follows a load without one, so that the machine's load (shared with
    # other work) weighs on both sides of the ratio alike. Ten queries, one of each of ten kinds.
    firsts = {query.kind: query for query in reversed(made)}
    sample = [firsts[kind] for kind in KINDS[:10] if kind in firsts]
    plain_times: list[float] = []
    searched = []
    for query in sample:
        times = []
        for _ in range(rounds):
            plain_times.append(load_ms({}))
            times.append(load_ms({"q": query.q}))
        searched.append(statistics.median(times))
    plain = statistics.median(plain_times)
    with_query = statistics.median(searched)
    print(f"list page: no query {plain:.1f} ms (median of {len(plain_times)}, between the others), with a "
          f"query {with_query:.1f} ms (median of {len(sample)} queries × {rounds}): "
          f"ratio {with_query / plain:.2f}")


def size_on_disk(rows: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                           "WHERE c.relname IN ('directory_directoryentry', 'directory_name_word', "
                           "'directory_name_key') AND c.relkind = 'r'")
            total = float(cursor.fetchone()[0])
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'directory%'")
            names = [name for (name,) in cursor.fetchall()]
            marks = ",".join("%s" for _ in names)
            cursor.execute(f"SELECT SUM(pgsize) FROM dbstat WHERE name IN ({marks})", names)
            total = cursor.fetchone()[0]
    count = rows or 1
    print(f"directory on disk ({connection.vendor}, tables, indexes and search tables): {total / 1e6:.1f} MB "
          f"for {rows:,} rows = {total / count * 100_000 / 1e6:.1f} MB per 100,000 candidates")


def run_one(args: argparse.Namespace) -> None:
    with workspace(os.environ.get("DATABASE_URL")) as (_, database_url):
        os.environ.update(bench_env(database_url, CANDIDATE_DIRECTORY="on"))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import override_settings

        from sandbox.population import candidate_population

        # The page's static files from the finders: no collectstatic for an in-process benchmark.
        override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
        call_command("migrate", verbosity=0, interactive=False)
        from candidates.directory.models import DirectoryEntry

        print(f"== {connection.vendor} ({connection.settings_dict['NAME']})")
        bodies = list(candidate_population(args.rows, seed=args.seed, account_id=ACCOUNT))
        reuse = args.reuse and connection.vendor == "postgresql"
        if reuse and DirectoryEntry.objects.filter(account_id=ACCOUNT).count() == args.rows:
            print(f"reusing the {args.rows:,} rows already loaded")
        else:
            seconds = load(bodies)
            with connection.cursor() as cursor:
                # PostgreSQL: as autovacuum leaves a table that has been sitting a while (the visibility
                # map set, so that counting the account reads its index alone), not as minutes after a load.
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            print(f"indexing: {args.rows:,} rows through the sync's upsert in {seconds:.1f} s = "
                  f"{args.rows / seconds:,.0f} rows/s")
        made = queries(bodies, args.per_kind, args.seed)
        try:
            search_quality(made)
            page_ratio(made, args.rounds)
            size_on_disk(args.rows)
        finally:
            if connection.vendor == "postgresql" and not reuse:
                from candidates.directory.models import DirectorySync

                DirectoryEntry.objects.filter(account_id=ACCOUNT).delete()
                DirectorySync.objects.filter(account_id=ACCOUNT).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--per-kind", type=int, default=265, help="queries per kind (short kinds: a fifth)")
    parser.add_argument("--rounds", type=int, default=5, help="page loads per query for the page ratio")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: keep the benchmark rows afterwards, and reuse them when the "
                             "account already has --rows of them (same --seed), skipping the load")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # a child: this database only
    args = parser.parse_args()
    if args.one:
        run_one(args)
        return
    # One process per database (Django is set up once per process): SQLite, then PostgreSQL.
    databases = [None, os.environ["DATABASE_URL"]] if os.environ.get("DATABASE_URL", "").startswith(
        "postgres") else [None]
    failed = 0
    for database_url in databases:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        if database_url:
            env["DATABASE_URL"] = database_url
        failed |= subprocess.run([sys.executable, __file__, *sys.argv[1:], "--one"], env=env).returncode
    sys.exit(failed)


if __name__ == "__main__":
    main()
