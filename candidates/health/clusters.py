"""The cross-candidate checks, computed from the directory's columns by grouping on a key (one
pass over the rows, never comparing every pair): the same email on several candidates (3), and
company spellings that collide on OpenRefine's fingerprint key (8)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from candidates.directory.models import DirectoryEntry
from candidates.health.checks import Finding

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
class CompanyCluster:
    key: str
    chosen: str  # the most common spelling (ties: the alphabetically first)
    spellings: tuple[tuple[str, int], ...]  # (spelling, candidates), most common first
    candidate_ids: dict[str, tuple[str, ...]]  # spelling → candidates using it

    @property
    def to_fix(self) -> int:
        return sum(len(ids) for spelling, ids in self.candidate_ids.items() if spelling != self.chosen)


def company_clusters_of(rows: Iterable[tuple[str, str]]) -> list[CompanyCluster]:
    """Return the clusters of two or more spellings among ``(candidate_id, company)`` rows, the
    largest first."""
    by_key: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    keys: dict[str, str] = {}  # spelling → key (each distinct spelling is fingerprinted once)
    for candidate_id, company in rows:
        if not company or not company.strip():
            continue
        key = keys.get(company)
        if key is None:
            key = keys[company] = fingerprint(company)
        if key:
            by_key[key][company].append(candidate_id)
    clusters = []
    for key, spellings in by_key.items():
        if len(spellings) < 2:
            continue
        ranked = sorted(spellings.items(), key=lambda item: (-len(item[1]), item[0]))
        clusters.append(
            CompanyCluster(
                key=key,
                chosen=ranked[0][0],
                spellings=tuple((s, len(ids)) for s, ids in ranked),
                candidate_ids={s: tuple(ids) for s, ids in ranked},
            )
        )
    return sorted(clusters, key=lambda c: (-c.to_fix, c.key))


def company_clusters(account_id: str) -> list[CompanyCluster]:
    """Return the account's company clusters, from the directory."""
    rows = (
        DirectoryEntry.objects.filter(account_id=account_id)
        .exclude(company="")
        .values_list("candidate_id", "company")
        .iterator(chunk_size=CHUNK)
    )
    return company_clusters_of(rows)


def cluster_findings(clusters: Iterable[CompanyCluster]) -> list[Finding]:
    """Return one finding per candidate whose spelling is not its cluster's chosen one."""
    return [
        Finding(
            "company_cluster",
            candidate_id,
            "company",
            None,
            spelling,
            f"Spelt {cluster.chosen!r} on {dict(cluster.spellings)[cluster.chosen]} candidates.",
            fix=cluster.chosen,
        )
        for cluster in clusters
        for spelling, ids in cluster.candidate_ids.items()
        if spelling != cluster.chosen
        for candidate_id in ids
    ]


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
