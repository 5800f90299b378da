"""``health_index`` replaces the findings of the candidates it is given (and only those);
``health_forget`` drops them; a saved write refreshes its candidate through the directory, and a
candidate that leaves the directory leaves data health."""

from __future__ import annotations

from candidates.directory.refresh import directory_after_save, directory_refresh, directory_remove
from candidates.directory.retention import directory_purge
from candidates.health.models import HealthFinding
from candidates.health.store import health_forget, health_index
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
                country="United Kingdom",
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


def test_a_national_number_is_read_in_health_phone_region_only_when_set_and_stored_as_guessed(db, settings):
    national = cand("c-1", phone="020 7946 0000")  # no country
    health_index(account_id="acc", candidates=[national])  # HEALTH_PHONE_REGION is empty by default
    [finding] = HealthFinding.objects.all()
    assert (finding.fix, finding.guessed_region) == (None, "")
    assert finding.note.startswith("Written without its country code (+ or 00)")
    settings.HEALTH_PHONE_REGION = "GB"
    health_index(account_id="acc", candidates=[national])
    [finding] = HealthFinding.objects.all()
    assert (finding.fix, finding.guessed_region) == ("+442079460000", "GB")


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


def test_a_saved_write_refreshes_its_candidates_findings_through_the_directory(db, settings, stackone):
    # A bulk row: no read-back, so the body sent merged into the preview's read is what the ATS holds.
    settings.CANDIDATE_DIRECTORY = True
    health_index(account_id="acc", candidates=[cand("c-1", country="gb"), cand("c-2", country="gb")])
    baseline = {"id": "c-1", "name": "A B", "first_name": "A", "last_name": "B", "country": "gb"}
    directory_after_save(account_id="acc", candidate_id="c-1", body={"country": "United Kingdom"},
                         base=baseline)
    assert stored() == [("c-2", "country", "gb")]  # the other candidate keeps its finding


def test_a_candidate_that_leaves_the_directory_leaves_data_health(db, settings, stackone):
    settings.CANDIDATE_DIRECTORY = True
    directory_refresh(account_id="acc", candidate=cand("c-1", country="gb"))
    directory_refresh(account_id="acc", candidate=cand("c-2", country="gb"))
    assert stored() == [("c-1", "country", "gb"), ("c-2", "country", "gb")]
    directory_remove(account_id="acc", candidate_id="c-1")  # StackOne answered 404
    assert stored() == [("c-2", "country", "gb")]
    directory_purge(account_id="acc")
    assert stored() == []
