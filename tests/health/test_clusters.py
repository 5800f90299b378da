"""The cross-candidate checks: company spellings clustered on the fingerprint key (8) and the
same email on several candidates (3), from the directory's columns."""

from __future__ import annotations

import pytest

from candidates.directory.models import DirectoryEntry
from candidates.health.clusters import (
    cluster_findings,
    company_cluster_ignore,
    company_cluster_unignore,
    company_clusters,
    company_clusters_of,
    duplicate_emails,
    duplicate_emails_of,
    duplicate_findings,
    fingerprint,
)


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("Acme Inc", "acme"),
        ("ACME, Inc.", "acme"),
        ("Acme Incorporated", "acme"),
        ("  acme  ", "acme"),
        ("Société Générale S.A.", "generale societe"),
        ("Societe Generale", "generale societe"),
        ("Globex Corporation", "globex"),
        ("Initech GmbH", "initech"),
        ('Smith & Sons <Holdings> "Ltd"', "holdings smith sons"),
        ("Inc.", "inc"),  # only a legal form: kept, not emptied
        ("Ångström Labs", "angstrom labs"),
        ("Labs Ångström", "angstrom labs"),
    ],
)
def test_a_company_fingerprint_ignores_legal_forms_accents_case_and_word_order(value, key):
    assert fingerprint(value) == key


@pytest.mark.parametrize(
    ("a", "b"), [("Acme Robotics", "Acme Rocketry"), ("Globex", "Globe"), ("Initech", "Initrode")]
)
def test_different_companies_do_not_collide(a, b):
    assert fingerprint(a) != fingerprint(b)


def test_a_cluster_proposes_the_most_common_spelling_for_the_others(db):
    rows = [
        ("c-1", "Acme Inc"),
        ("c-2", "Acme Inc"),
        ("c-3", "ACME, Inc."),
        ("c-4", "Acme Incorporated"),
        ("c-5", "Globex"),
        ("c-6", "Globex"),
        ("c-7", ""),
        ("c-8", "Initech"),
        ("c-9", "Ácme  Inc"),
        ("c-10", "<b>Acme</b> Inc"),  # markup is not punctuation: "bacmeb inc", another key
    ]
    for candidate_id, company in rows:
        DirectoryEntry.objects.create(account_id="acc-1", candidate_id=candidate_id, company=company)
    [cluster] = company_clusters("acc-1")
    assert cluster.default == "Acme Inc"
    assert cluster.spellings == (
        ("Acme Inc", 2),
        ("ACME, Inc.", 1),
        ("Acme Incorporated", 1),
        ("Ácme  Inc", 1),
    )
    assert cluster.to_fix == 3
    assert [(f.candidate_id, f.value, f.fix) for f in cluster_findings("acc-1", [cluster])] == [
        ("c-3", "ACME, Inc.", "Acme Inc"),
        ("c-4", "Acme Incorporated", "Acme Inc"),
        ("c-9", "Ácme  Inc", "Acme Inc"),
    ]
    assert [f.candidate_id for f in cluster_findings("acc-1", [cluster], limit=1)] == ["c-3"]
    assert [f.candidate_id for f in cluster_findings("acc-1", [cluster], candidate_ids=["c-4", "c-1"])] == [
        "c-4"
    ]


@pytest.mark.parametrize(
    ("spellings", "default"),
    [
        # The most common spelling, exactly as written: its case and accents kept.
        ([("Société Générale", 3), ("Societe Generale", 2), ("SOCIETE GENERALE SA", 1)], "Société Générale"),
        ([("acme inc", 3), ("Acme Inc", 1)], "acme inc"),  # as written, even lower-case
        # A tie never proposes the stripped form: accents, then mixed case, then no stray spaces.
        ([("Societe Generale", 2), ("Société Générale", 2)], "Société Générale"),
        ([("acme inc", 1), ("ACME INC", 1), ("Acme Inc", 1)], "Acme Inc"),
        ([("Ácme  Inc", 1), ("Ácme Inc", 1)], "Ácme Inc"),
        ([("Acme", 1), ("acme", 1)], "Acme"),
        # A spelling a fix may not write is never proposed, however common.
        ([("__CLEAR__", 5), ("Clear", 1)], "Clear"),
        ([("Acme\nInc", 5), ("Acme Inc", 1)], "Acme Inc"),
        ([("@Acme", 5), ("Acme", 1)], "Acme"),
        ([("=Acme", 2), ("-Acme", 1)], None),  # none can be kept: reported only
    ],
)
def test_a_cluster_proposes_the_most_common_spelling_as_written_never_the_key(spellings, default):
    [cluster] = company_clusters_of([*spellings, ("", 5), ("Globex", 3)])
    assert cluster.default == default
    assert default is None or default in dict(spellings)  # a spelling as written, never the key
    assert {spelling for spelling, _ in cluster.spellings} == {spelling for spelling, _ in spellings}
    assert cluster.to_fix == (sum(n for s, n in spellings if s != default) if default else 0)


def test_each_spelling_says_whether_it_can_be_kept():
    [cluster] = company_clusters_of([("Acme", 2), ("ACME\r\nInc", 1), ("=acme", 1)])
    assert [(o.spelling, o.count, o.problem, o.default) for o in cluster.options] == [
        ("Acme", 2, None, True),
        ("=acme", 1, "it starts with =, which a spreadsheet runs as a formula", False),
        ("ACME\r\nInc", 1, "it spans lines", False),  # stray spaces rank after, at the same count
    ]
    assert cluster.keepable("Acme") and not cluster.keepable("=acme") and not cluster.keepable("Other")
    assert cluster.changed("Acme") == 2 and cluster.changed("=acme") == 0


def test_the_spelling_picked_is_written_exactly_as_written(db):
    for n, company in enumerate(
        ["Societe Generale", "Societe Generale", "Société Générale", "SOCIETE GENERALE"]
    ):
        DirectoryEntry.objects.create(account_id="acc-1", candidate_id=f"c-{n}", company=company)
    [cluster] = company_clusters("acc-1")
    assert cluster.default == "Societe Generale"  # the most common
    findings = cluster_findings("acc-1", [cluster], keep={cluster.key: "Société Générale"})
    assert [(f.candidate_id, f.value, f.fix, f.note) for f in findings] == [
        ("c-0", "Societe Generale", "Société Générale", "Spelt 'Société Générale' on 1 candidate."),
        ("c-1", "Societe Generale", "Société Générale", "Spelt 'Société Générale' on 1 candidate."),
        ("c-3", "SOCIETE GENERALE", "Société Générale", "Spelt 'Société Générale' on 1 candidate."),
    ]
    # A pick that is not keepable falls back to nothing for that cluster, never to the key.
    assert cluster_findings("acc-1", [cluster], keep={cluster.key: "societe generale"}) == []


def test_an_ignored_cluster_no_longer_shows_until_a_new_spelling_joins_it(db, ops_user):
    for n, company in enumerate(["Acme Inc", "Acme Inc", "ACME, Inc.", "Globex", "GLOBEX"]):
        DirectoryEntry.objects.create(account_id="acc-1", candidate_id=f"c-{n}", company=company)
    DirectoryEntry.objects.create(account_id="acc-2", candidate_id="c-9", company="Acme Inc")
    DirectoryEntry.objects.create(account_id="acc-2", candidate_id="c-8", company="ACME")
    assert [c.key for c in company_clusters("acc-1")] == ["acme", "globex"]
    ignored = company_cluster_ignore(user=ops_user, account_id="acc-1", key="acme")
    assert ignored is not None and ignored.default == "Acme Inc"
    assert [c.key for c in company_clusters("acc-1")] == ["globex"]
    assert [c.key for c in company_clusters("acc-2")] == ["acme"]  # per account
    assert company_cluster_ignore(user=ops_user, account_id="acc-1", key="acme") is None  # already gone
    assert company_cluster_ignore(user=ops_user, account_id="acc-1", key="initech") is None
    DirectoryEntry.objects.create(account_id="acc-1", candidate_id="c-6", company="Acme")
    assert [c.key for c in company_clusters("acc-1")] == ["acme", "globex"]  # a new spelling: shown again
    assert company_cluster_unignore(account_id="acc-1", key="acme")
    assert not company_cluster_unignore(account_id="acc-1", key="acme")


def test_duplicate_emails_are_grouped_case_insensitively_and_never_fixed():
    rows = [
        ("c-1", "Ada@Example.com\nada.work@example.com"),
        ("c-2", "ada@example.com"),
        ("c-3", "other@example.com"),
        ("c-4", " ADA@example.COM "),
        ("c-5", "ada.work@example.com"),
        ("c-6", "solo@example.com\nsolo@EXAMPLE.com"),
    ]  # one candidate's own repeat is check 2's
    groups = duplicate_emails_of(rows)
    assert [(g.email, g.candidate_ids) for g in groups] == [
        ("Ada@Example.com", ("c-1", "c-2", "c-4")),
        ("ada.work@example.com", ("c-1", "c-5")),
    ]
    findings = duplicate_findings(groups)
    assert len(findings) == 5 and all(f.fix is None for f in findings)


def test_both_read_the_directory_of_one_account(db):
    for n, (company, emails) in enumerate(
        [("Acme Inc", "a@x.com"), ("ACME inc.", "a@x.com"), ("Acme Inc", "b@x.com")]
    ):
        DirectoryEntry.objects.create(
            account_id="acc-1", candidate_id=f"c-{n}", company=company, emails=emails
        )
    DirectoryEntry.objects.create(account_id="acc-2", candidate_id="c-9", company="acme", emails="a@x.com")
    [cluster] = company_clusters("acc-1")
    assert cluster.spellings == (("Acme Inc", 2), ("ACME inc.", 1))
    assert [g.candidate_ids for g in duplicate_emails("acc-1")] == [("c-0", "c-1")]
    assert company_clusters("acc-3") == [] and duplicate_emails("acc-3") == []
