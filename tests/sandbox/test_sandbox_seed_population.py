"""manage.py sandbox_seed --candidates N and seed_population: the generated population stored."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sandbox.models import SandboxCandidate
from sandbox.population import candidate_population
from sandbox.seed import GREENHOUSE, LEVER, seed_population, seed_sandbox
from tests.sandbox.helpers import CANDIDATES_URL, body_of

pytestmark = pytest.mark.django_db

RATE = re.compile(r"^[\d,]+ rows in \d+\.\d s \([\d,]+ rows/s\)\.$")


def _seed(*args: str) -> list[str]:
    out = StringIO()
    call_command("sandbox_seed", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def _count(account_id: str = GREENHOUSE) -> int:
    return SandboxCandidate.objects.filter(account_id=account_id).count()


def test_candidates_seeds_the_demo_data_first_then_adds_the_population():
    lines = _seed("--candidates", "120")
    assert lines[0] == "Sandbox seeded: 3 linked accounts, 77 candidates, 13 custom field definitions."
    assert lines[-2] == (
        "Added 120 generated candidates to sbx-greenhouse (0 already there); it now has 184 candidates."
    )
    assert RATE.match(lines[-1]) and lines[-1].startswith("120 rows in ")
    assert _count() == 184
    assert _count(LEVER) == 10
    ids = set(
        SandboxCandidate.objects.filter(candidate_id__startswith="pop-").values_list(
            "candidate_id", flat=True
        )
    )
    assert ids == {f"pop-0-{n:07d}" for n in range(1, 121)}


def test_running_it_again_adds_only_what_is_missing_and_keeps_edits(api):
    _seed("--candidates", "50")
    assert api.patch(f"{CANDIDATES_URL}/pop-0-0000007", {"title": "Edited by hand"}).status_code == 200
    lines = _seed("--candidates", "50")
    assert lines[0] == (
        "Added 0 generated candidates to sbx-greenhouse (50 already there); it now has 114 candidates."
    )
    lines = _seed("--candidates", "80")
    assert lines[0] == (
        "Added 30 generated candidates to sbx-greenhouse (50 already there); it now has 144 candidates."
    )
    assert api.candidate("pop-0-0000007")["title"] == "Edited by hand"
    assert _count() == 144


def test_stored_candidates_are_served_exactly_as_generated(api):
    seed_sandbox()
    seed_population(account_id=GREENHOUSE, count=40)
    generated = {c["id"]: c for c in candidate_population(40, account_id=GREENHOUSE)}
    for candidate_id in ("pop-0-0000001", "pop-0-0000003", "pop-0-0000040"):
        body = body_of(
            api.get(f"{CANDIDATES_URL}/{candidate_id}", {"include": "custom_fields"}), "CandidateResult"
        )
        assert body["data"] == generated[candidate_id]
    # The email index is built, so filter[email] finds them (case-insensitively).
    with_email = next(c for c in generated.values() if c["email"])
    found = api.get(CANDIDATES_URL, {"filter[email]": with_email["email"].upper()}).json()["data"]
    assert [c["id"] for c in found] == [with_email["id"]]


def test_account_and_seed_options_add_a_new_population_to_the_account_named():
    seed_sandbox()
    lines = _seed("--candidates", "10", "--account", LEVER, "--seed", "3")
    assert (
        lines[0] == "Added 10 generated candidates to sbx-lever (0 already there); it now has 20 candidates."
    )
    assert SandboxCandidate.objects.filter(account_id=LEVER, candidate_id="pop-3-0000010").exists()
    assert _count() == 64
    # Another seed is another population: nothing skipped.
    assert _seed("--candidates", "10", "--account", LEVER)[0].startswith("Added 10 generated candidates")


def test_unknown_account_and_account_without_candidates_are_refused():
    seed_sandbox()
    with pytest.raises(
        CommandError,
        match=r"^No sandbox account 'nope'\. Accounts: sbx-greenhouse, sbx-lever, sbx-workable\.$",
    ):
        _seed("--candidates", "5", "--account", "nope")
    with pytest.raises(CommandError, match=r"^--account needs --candidates N\.$"):
        _seed("--account", LEVER)
    assert SandboxCandidate.objects.count() == 77


def test_without_the_flag_nothing_is_generated():
    assert _seed() == ["Sandbox seeded: 3 linked accounts, 77 candidates, 13 custom field definitions."]
    assert _seed("--candidates", "0")[0] == (
        "Added 0 generated candidates to sbx-greenhouse (0 already there); it now has 64 candidates."
    )
    assert not SandboxCandidate.objects.filter(candidate_id__startswith="pop-").exists()


def test_outside_sandbox_mode_nothing_is_added(settings):
    settings.SANDBOX_MODE = False
    assert _seed("--candidates", "10") == ["STACKONE_API_KEY is set, so the sandbox is off: nothing seeded."]
    assert not SandboxCandidate.objects.exists()


def test_batches_report_progress_and_store_the_same_rows():
    seed_sandbox()
    progress: list[tuple[int, int]] = []
    result = seed_population(
        account_id=GREENHOUSE, count=30, batch_size=7, on_progress=lambda d, t: progress.append((d, t))
    )
    assert result == {"generated": 30, "inserted": 30, "total": 94}
    assert progress == [(7, 30), (14, 30), (21, 30), (28, 30), (30, 30)]
    stored = {
        c.candidate_id: (c.data["name"], c.created_at.isoformat(), c.updated_at.isoformat())
        for c in SandboxCandidate.objects.filter(candidate_id__startswith="pop-")
    }
    expected = {
        c["id"]: (
            c["name"],
            c["created_at"].replace(".000Z", "+00:00"),
            c["updated_at"].replace(".000Z", "+00:00"),
        )
        for c in candidate_population(30)
    }
    assert stored == expected


def test_the_command_prints_progress_for_large_counts():
    lines = _seed("--candidates", "5000", "--batch-size", "500")
    assert lines[1:10] == [f"  {n:,} / 5,000 generated…" for n in range(500, 5000, 500)]
    assert lines[-2].startswith("Added 5,000 generated candidates to sbx-greenhouse")
