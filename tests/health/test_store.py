"""``health_index`` replaces the findings of the candidates it is given (and only those);
``health_forget`` drops them; a saved bulk row refreshes its candidate."""

from __future__ import annotations

from candidates.health.models import HealthFinding
from candidates.health.store import health_forget, health_index
from candidates.models import BulkJob, BulkRow
from candidates.types import Candidate, CustomFieldDefinition

DEFS = [CustomFieldDefinition("cf_n", "r_n", "Notice", "integer")]


def cand(cid: str, **fields: object) -> Candidate:
    return Candidate.from_api({"id": cid, "name": "A B", "first_name": "A", "last_name": "B", **fields})


def stored(account: str = "acc") -> list[tuple[str, str, str]]:
    return sorted(
        HealthFinding.objects.filter(account_id=account).values_list("candidate_id", "check_name", "value")
    )


def test_index_replaces_only_the_given_candidates_findings(db):
    health_index(account_id="acc", candidates=[cand("c-1", country="gb"), cand("c-2", email="x@")])
    health_index(account_id="other", candidates=[cand("c-1", country="gb")])
    assert stored() == [("c-1", "country", "gb"), ("c-2", "email_list", "x@"), ("c-2", "invalid_email", "x@")]
    health_index(account_id="acc", candidates=[cand("c-1", country="United Kingdom")])  # fixed
    assert stored() == [("c-2", "email_list", "x@"), ("c-2", "invalid_email", "x@")]
    assert stored("other") == [("c-1", "country", "gb")]
    health_forget(account_id="acc", candidate_ids=["c-2"])
    assert stored() == [] and stored("other") == [("c-1", "country", "gb")]


def test_only_what_is_wrong_is_kept_never_the_whole_candidate(db):
    health_index(
        account_id="acc",
        candidates=[
            cand(
                "c-1",
                phone="020 7946 0000",
                title="Secret title",
                emails=[{"type": "work", "value": "a@example.com"}],
            )
        ],
    )
    [finding] = HealthFinding.objects.all()
    assert (finding.field, finding.value, finding.fix, finding.list_value) == (
        "phone",
        "020 7946 0000",
        "+442079460000",
        None,
    )


def test_without_definitions_custom_field_findings_are_kept_as_they_were(db):
    bad = cand("c-1", custom_fields=[{"id": "cf_n", "value": "soon"}])
    health_index(account_id="acc", candidates=[bad], definitions=DEFS)
    assert stored() == [("c-1", "custom_field_type", "soon")]
    health_index(account_id="acc", candidates=[bad])  # e.g. a bulk row's refresh: no definitions at hand
    assert stored() == [("c-1", "custom_field_type", "soon")]
    health_index(
        account_id="acc",
        candidates=[cand("c-1", custom_fields=[{"id": "cf_n", "value": 3}])],
        definitions=DEFS,
    )
    assert stored() == []


def test_many_candidates_in_one_call(db):
    health_index(account_id="acc", candidates=[cand(f"c-{n}", country="gb") for n in range(1500)])
    assert HealthFinding.objects.count() == 1500
    health_index(account_id="acc", candidates=[cand(f"c-{n}") for n in range(1500)])
    assert HealthFinding.objects.count() == 0


def test_a_finished_bulk_job_refreshes_the_candidates_it_saved(db):
    health_index(account_id="acc", candidates=[cand("c-1", country="gb"), cand("c-2", country="gb")])
    job = BulkJob.objects.create(username="ops", account_id="acc", status=BulkJob.Status.RUNNING)
    for line, (cid, status) in enumerate([("c-1", BulkRow.Status.SAVED), ("c-2", BulkRow.Status.FAILED)], 2):
        baseline = {"id": cid, "name": "A B", "first_name": "A", "last_name": "B", "country": "gb"}
        BulkRow.objects.create(
            job=job,
            line=line,
            candidate_id=cid,
            values={"country": "United Kingdom"},
            baseline=baseline,
            body={"country": "United Kingdom"},
            status=status,
        )
    job.save(update_fields=["heartbeat_at"])  # still running: nothing yet
    assert stored() == [("c-1", "country", "gb"), ("c-2", "country", "gb")]
    job.status = BulkJob.Status.DONE
    job.save(update_fields=["status"])
    assert stored() == [("c-2", "country", "gb")]  # the failed row's candidate keeps its finding
