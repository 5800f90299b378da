"""The cross-candidate checks, computed from the directory's columns by grouping on a key (one
pass over the rows, never comparing every pair): the same email on several candidates (3), and
company spellings that collide on OpenRefine's fingerprint key (8), each cluster showing every
spelling exactly as written (the key is only for grouping, never written), and the clusters an
account chose to ignore."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from candidates.directory.models import DirectoryEntry
from candidates.health.checks import BAD_SPACES, Finding, capped_note, fix_value_problem
from candidates.health.models import IgnoredCompanyCluster

# Legal-form words dropped from a company's key ("Acme Inc", "ACME, Inc.", "Acme Incorporated").
LEGAL_SUFFIXES = frozenset(
    """
    inc incorporated corp corporation co company ltd limited llc llp lp plc gmbh ag kg sa sas sarl srl
    spa bv nv oy ab as aps pty pvt pte sl kk
""".split()
)
_PUNCTUATION = re.compile(r"[^\w\s]|_", re.UNICODE)
CHUNK = 5000


def fingerprint(value: str) -> str:
    """Return OpenRefine's fingerprint key of ``value`` without legal suffixes: lower case, accents
    and punctuation removed, unique tokens sorted ("ACME, Inc." and "Acme" → "acme")."""
    text = unicodedata.normalize("NFKD", value.strip().casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    tokens = _PUNCTUATION.sub("", text).split()
    kept = sorted({token for token in tokens if token not in LEGAL_SUFFIXES})
    return " ".join(kept or sorted(set(tokens)))  # a name that is only a legal form keeps it


@dataclass(frozen=True)
class SpellingOption:
    """One spelling of a cluster as the page offers it: ``problem`` says why it cannot be kept
    (``fix_value_problem``), None when it can."""

    spelling: str
    count: int
    problem: str | None
    default: bool


@dataclass(frozen=True)
class CompanyCluster:
    key: str
    default: str | None  # the spelling proposed (see ``spelling_rank``); None when none can be kept
    spellings: tuple[tuple[str, int], ...]  # (spelling exactly as written, candidates), proposed order

    @property
    def to_fix(self) -> int:
        """The candidates whose spelling the default would change."""
        return self.changed(self.default)

    def changed(self, keep: str | None) -> int:
        """The candidates whose spelling keeping ``keep`` would change (0 when it cannot be kept)."""
        if keep is None or not self.keepable(keep):
            return 0
        return sum(n for spelling, n in self.spellings if spelling != keep)

    def keepable(self, spelling: str) -> bool:
        """True when ``spelling`` is one of the cluster's and may be written to the others."""
        return spelling in dict(self.spellings) and fix_value_problem(spelling) is None

    @property
    def options(self) -> list[SpellingOption]:
        return [
            SpellingOption(spelling, n, fix_value_problem(spelling), spelling == self.default)
            for spelling, n in self.spellings
        ]


def spelling_rank(spelling: str, count: int) -> tuple[int, bool, int, bool, str]:
    """Sort key of a cluster's spellings, the proposed one first: the most candidates; on a tie
    the spelling that carries more (no stray spaces, more accented letters, mixed case), then
    alphabetical. "Société Générale" comes before "Societe Generale", "Acme Inc" before "ACME INC"
    and "acme inc": a tie never proposes the stripped form."""
    accented = sum(1 for char in spelling if not char.isascii() and char.isalpha())
    flat_case = spelling == spelling.lower() or spelling == spelling.upper()
    return (-count, bool(BAD_SPACES.search(spelling)), -accented, flat_case, spelling)


def company_clusters_of(
    spellings: Iterable[tuple[str, int]], ignored: Mapping[str, Iterable[str]] | None = None
) -> list[CompanyCluster]:
    """Return the clusters of two or more spellings among ``(company, candidates)`` counts, the
    most candidates to fix first, without those ``ignored`` (key → the spellings it had when
    ignored; a cluster that has gained a spelling since shows again). Each distinct spelling is
    fingerprinted once."""
    by_key: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for company, count in spellings:
        if company and company.strip() and (key := fingerprint(company)):
            by_key[key][company] += count
    ignored = ignored or {}
    clusters = []
    for key, counts in by_key.items():
        if len(counts) < 2 or (key in ignored and set(counts) <= set(ignored[key])):
            continue
        ranked = tuple(sorted(counts.items(), key=lambda item: spelling_rank(*item)))
        default = next((spelling for spelling, _ in ranked if fix_value_problem(spelling) is None), None)
        clusters.append(CompanyCluster(key=key, default=default, spellings=ranked))
    return sorted(clusters, key=lambda c: (-c.to_fix, c.key))


def _spelling_counts(account_id: str) -> list[tuple[str, int]]:
    """The account's company spellings with their candidates: the database counts each distinct
    spelling, so only those (not every row) come back."""
    return list(
        DirectoryEntry.objects.filter(account_id=account_id)
        .exclude(company="")
        .values_list("company")
        .annotate(n=Count("id"))
        .order_by()
    )


def company_clusters(account_id: str) -> list[CompanyCluster]:
    """Return the account's company clusters, those it ignores left out."""
    ignored = dict(
        IgnoredCompanyCluster.objects.filter(account_id=account_id).values_list("key", "spellings")
    )
    return company_clusters_of(_spelling_counts(account_id), ignored)


def ignored_clusters(account_id: str) -> list[IgnoredCompanyCluster]:
    """Return the clusters the account ignores, the latest first."""
    return list(IgnoredCompanyCluster.objects.filter(account_id=account_id).order_by("-created_at", "key"))


def company_cluster_ignore(*, user: Any, account_id: str, key: str) -> CompanyCluster | None:
    """Remember that the account leaves the cluster ``key`` alone (with its current spellings).
    Returns the cluster, or None when the account has no such cluster (nothing stored)."""
    cluster = next((c for c in company_clusters(account_id) if c.key == key), None)
    if cluster is None:
        return None
    IgnoredCompanyCluster.objects.update_or_create(
        account_id=account_id,
        key=key,
        defaults={
            "spellings": [spelling for spelling, _ in cluster.spellings],
            "user": user if getattr(user, "pk", None) else None,
            "username": getattr(user, "username", "") or "",
        },
    )
    return cluster


def company_cluster_unignore(*, account_id: str, key: str) -> bool:
    """Show the cluster ``key`` again. Returns False when it was not ignored."""
    deleted, _ = IgnoredCompanyCluster.objects.filter(account_id=account_id, key=key).delete()
    return bool(deleted)


def cluster_findings(
    account_id: str,
    clusters: Iterable[CompanyCluster],
    *,
    keep: Mapping[str, str] | None = None,
    limit: int | None = None,
    candidate_ids: Iterable[str] | None = None,
) -> list[Finding]:
    """Return one finding per candidate whose spelling is not the one its cluster keeps: the
    spelling ``keep`` names for the cluster's key, else its default (a cluster with neither is
    left out). The first ``limit`` by candidate id; only ``candidate_ids`` when given."""
    keep = keep or {}
    target: dict[str, tuple[str, int]] = {}
    for cluster in clusters:
        kept = keep.get(cluster.key, cluster.default)
        if kept is None or not cluster.keepable(kept):
            continue
        count = dict(cluster.spellings)[kept]
        target.update({spelling: (kept, count) for spelling, _ in cluster.spellings if spelling != kept})
    if not target:
        return []
    entries = DirectoryEntry.objects.filter(account_id=account_id, company__in=list(target))
    if candidate_ids is not None:
        entries = entries.filter(candidate_id__in=list(candidate_ids))
    rows = entries.order_by("candidate_id").values_list("candidate_id", "company")
    if limit is not None:
        rows = rows[:limit]
    found = []
    for candidate_id, spelling in rows.iterator(chunk_size=CHUNK):
        kept, count = target[spelling]
        found.append(
            Finding(
                "company_cluster",
                candidate_id,
                "company",
                None,
                spelling,
                capped_note(f"Spelt {kept!r} on {count} candidate{'s' if count != 1 else ''}."),
                fix=kept,
            )
        )
    return found


@dataclass(frozen=True)
class EmailGroup:
    email: str  # as first seen
    candidate_ids: tuple[str, ...]


def duplicate_emails_of(rows: Iterable[tuple[str, str]]) -> list[EmailGroup]:
    """Return the addresses (compared trimmed and case-insensitively) that two or more of the
    ``(candidate_id, emails one a line)`` rows share, the largest group first."""
    groups: dict[str, list[str]] = defaultdict(list)
    shown: dict[str, str] = {}
    for candidate_id, emails in rows:
        for line in {
            value.strip().lower(): value.strip() for value in emails.splitlines() if value.strip()
        }.items():
            key, value = line
            groups[key].append(candidate_id)
            shown.setdefault(key, value)
    found = [EmailGroup(shown[key], tuple(dict.fromkeys(ids))) for key, ids in groups.items()]
    found = [group for group in found if len(group.candidate_ids) > 1]
    return sorted(found, key=lambda g: (-len(g.candidate_ids), g.email))


def duplicate_emails(account_id: str) -> list[EmailGroup]:
    """Return the account's shared addresses, from the directory."""
    rows = (
        DirectoryEntry.objects.filter(account_id=account_id)
        .exclude(emails="")
        .values_list("candidate_id", "emails")
        .iterator(chunk_size=CHUNK)
    )
    return duplicate_emails_of(rows)


def duplicate_findings(groups: Iterable[EmailGroup]) -> list[Finding]:
    """Return one finding per candidate of each group (reported, never fixed)."""
    return [
        Finding(
            "duplicate_email",
            candidate_id,
            "emails",
            None,
            group.email,
            f"Also on {len(group.candidate_ids) - 1} other candidate(s).",
        )
        for group in groups
        for candidate_id in group.candidate_ids
    ]
