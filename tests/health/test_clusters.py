"""The cross-candidate checks: company spellings clustered on the fingerprint key (8) and the
same email on several candidates (3), from the directory's columns."""

from __future__ import annotations

import pytest

from candidates.directory.models import DirectoryEntry
from candidates.health.clusters import (
    cluster_findings,
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
    assert cluster.chosen == "Acme Inc"
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


def test_a_tie_takes_the_alphabetically_first_spelling():
    [cluster] = company_clusters_of([("acme", 1), ("Acme", 1), ("", 5), ("Globex", 3)])
    assert cluster.chosen == "Acme" and cluster.to_fix == 1


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
