"""The cross-candidate checks, computed from the directory's columns by grouping on a key (one
pass over the rows, never comparing every pair): the same email on several candidates (3), and
company spellings that collide on OpenRefine's fingerprint key (8)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

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

    @property
    def to_fix(self) -> int:
        return sum(n for spelling, n in self.spellings if spelling != self.chosen)


def company_clusters_of(spellings: Iterable[tuple[str, int]]) -> list[CompanyCluster]:
    """Return the clusters of two or more spellings among ``(company, candidates)`` counts, the
    most candidates to fix first. Each distinct spelling is fingerprinted once."""
    by_key: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for company, count in spellings:
        if company and company.strip() and (key := fingerprint(company)):
            by_key[key][company] += count
    clusters = []
    for key, counts in by_key.items():
        if len(counts) < 2:
            continue
        ranked = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        clusters.append(CompanyCluster(key=key, chosen=ranked[0][0], spellings=ranked))
    return sorted(clusters, key=lambda c: (-c.to_fix, c.key))


def company_clusters(account_id: str) -> list[CompanyCluster]:
    """Return the account's company clusters: the database counts each distinct spelling, so
    only those (not every row) come back."""
    counts = (
        DirectoryEntry.objects.filter(account_id=account_id)
        .exclude(company="")
        .values_list("company")
        .annotate(n=Count("id"))
        .order_by()
    )
    return company_clusters_of(counts)


def cluster_findings(
    account_id: str,
    clusters: Iterable[CompanyCluster],
    *,
    limit: int | None = None,
    candidate_ids: Iterable[str] | None = None,
) -> list[Finding]:
    """Return one finding per candidate whose spelling is not its cluster's chosen one (the
    first ``limit`` by candidate id; only ``candidate_ids`` when given)."""
    chosen = {
        spelling: cluster
        for cluster in clusters
        for spelling, _ in cluster.spellings
        if spelling != cluster.chosen
    }
    if not chosen:
        return []
    entries = DirectoryEntry.objects.filter(account_id=account_id, company__in=list(chosen))
    if candidate_ids is not None:
        entries = entries.filter(candidate_id__in=list(candidate_ids))
    rows = entries.order_by("candidate_id").values_list("candidate_id", "company")
    if limit is not None:
        rows = rows[:limit]
    found = []
    for candidate_id, spelling in rows.iterator(chunk_size=CHUNK):
        cluster = chosen[spelling]
        count = dict(cluster.spellings)[cluster.chosen]
        found.append(
            Finding(
                "company_cluster",
                candidate_id,
                "company",
                None,
                spelling,
                f"Spelt {cluster.chosen!r} on {count} candidates.",
                fix=cluster.chosen,
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
