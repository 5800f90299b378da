"""The seed data, the sandbox_seed and demo_user commands, and the factories."""

from __future__ import annotations

import re
from io import StringIO

import phonenumbers
import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from sandbox.factories import make_account, make_candidate, make_custom_field_definition
from sandbox.models import SandboxAccount, SandboxCandidate, SandboxCustomFieldDefinition
from sandbox.seed import ADA, ADA_ID, GREENHOUSE, LEVER, LONG_TITLE, WORKABLE, build_candidates, seed_sandbox
from sandbox.store import serialize_candidate
from tests.sandbox.helpers import CANDIDATES_URL
from tests.sandbox_support import validate_against

pytestmark = pytest.mark.django_db

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def _all_data(account_id: str = GREENHOUSE) -> list[dict]:
    return [c.data for c in SandboxCandidate.objects.filter(account_id=account_id)]


# --- seed_sandbox ----------------------------------------------------------------------------


def test_seed_creates_accounts_candidates_and_definitions():
    assert seed_sandbox() == {"seeded": True, "accounts": 3, "candidates": 77, "custom_field_definitions": 13}
    assert list(SandboxAccount.objects.order_by("id").values_list("id", "status", "label")) == [
        ("sbx-greenhouse", "active", "Greenhouse (sandbox)"),
        ("sbx-lever", "active", "Lever (sandbox)"),
        ("sbx-workable", "inactive", "Workable (sandbox)"),
    ]
    assert SandboxCandidate.objects.filter(account_id=GREENHOUSE).count() == 64
    assert SandboxCandidate.objects.filter(account_id=LEVER).count() == 10
    assert SandboxCandidate.objects.filter(account_id=WORKABLE).count() == 3


def test_seed_is_idempotent_and_keeps_edits(api):
    seed_sandbox()
    assert api.patch(f"{CANDIDATES_URL}/{ADA_ID}", {"title": "Countess"}).status_code == 200
    assert seed_sandbox() == {
        "seeded": False,
        "accounts": 3,
        "candidates": 77,
        "custom_field_definitions": 13,
    }
    assert api.candidate(ADA_ID)["title"] == "Countess"


def test_reset_wipes_and_reseeds(api):
    seed_sandbox()
    api.patch(f"{CANDIDATES_URL}/{ADA_ID}", {"title": "Countess"})
    make_candidate(SandboxAccount.objects.get(pk=GREENHOUSE), "extra-1")
    assert seed_sandbox(reset=True)["candidates"] == 77
    assert api.candidate(ADA_ID)["title"] == "Mathematician"
    assert not SandboxCandidate.objects.filter(candidate_id="extra-1").exists()


def test_seeding_again_gives_the_same_candidates_and_times():
    assert build_candidates() == build_candidates()
    seed_sandbox()
    first = {c.candidate_id: (c.data, c.created_at, c.updated_at) for c in SandboxCandidate.objects.all()}
    seed_sandbox(reset=True)
    second = {c.candidate_id: (c.data, c.created_at, c.updated_at) for c in SandboxCandidate.objects.all()}
    assert first == second


def test_ada_has_the_fixed_shape():
    seed_sandbox()
    ada = SandboxCandidate.objects.get(account_id=GREENHOUSE, candidate_id="c-0001")
    assert ada.data == ADA
    assert ada.remote_id == "gh-cand-10001"
    body = serialize_candidate(ada, include_custom_fields=True)
    assert body["first_name"] == "Ada" and body["last_name"] == "Lovelace"
    assert body["email"] == "ada@example.com"
    assert body["emails"] == [
        {"type": "personal", "value": "ada@example.com"},
        {"type": "work", "value": "ada.lovelace@analytical.example"},
    ]
    assert body["phone_numbers"] == [
        {"type": "mobile", "phone": "+447700900123"},
        {"type": "work", "phone": "+442079460000"},
    ]
    assert body["social_links"] == [{"type": "linkedin", "url": "https://www.linkedin.com/in/ada-lovelace"}]
    assert [(f["id"], f["name"], f["value"]) for f in body["custom_fields"]] == [
        ("cf_notice_period", "Notice period (days)", 30),
        ("cf_relocate", "Willing to relocate", True),
        ("cf_stage", "Screening status", "Completed"),
    ]
    assert body["custom_fields"][0]["remote_id"] == "r_cf_notice"
    assert (body["company"], body["title"], body["country"]) == (
        "Analytical Engines Ltd",
        "Mathematician",
        "United Kingdom",
    )


def test_seed_data_mixes_scripts_types_and_list_lengths():
    seed_sandbox()
    data = _all_data()
    names = {d["name"] for d in data}
    assert {"Zoë Ångström", "José Núñez", "李小龙", "Ōtani Shōhei"} <= names

    assert {e["type"] for d in data for e in d["emails"]} == {"personal", "work"}
    assert sum(len(d["emails"]) > 1 for d in data) >= 10
    assert max(len(d["emails"]) for d in data) >= 10

    phones = [p for d in data for p in d["phone_numbers"]]
    assert {p["type"] for p in phones} == {"personal", "work", "mobile", "home", "unknown", "other"}
    assert all(E164.match(p["phone"]) for p in phones)
    invalid = {p["phone"] for p in phones if not phonenumbers.is_valid_number(phonenumbers.parse(p["phone"]))}
    assert invalid == {"+447700900123"}  # Ada's mobile: Ofcom's drama range, fixed by the brief
    assert phonenumbers.is_possible_number(phonenumbers.parse("+447700900123"))

    assert {s["type"] for d in data for s in d["social_links"]} == {
        "linkedin",
        "github",
        "twitter",
        "website",
    }

    values = [f["value"] for d in data for f in d["custom_fields"]]
    kinds = {type(v).__name__ for v in values}
    assert {"int", "float", "bool", "str", "list"} <= kinds
    assert any(isinstance(v, str) and re.match(r"^\d{4}-\d{2}-\d{2}T", v) for v in values)
    assert all(f["id"].startswith("cf_") for d in data for f in d["custom_fields"])

    assert any(len(d["title"] or "") == 300 for d in data)
    assert len(LONG_TITLE) == 300
    assert sum(bool(d["hired_at"]) for d in data) >= 5
    assert sum(bool(d["unified_custom_fields"]) for d in data) >= 5
    assert sum(bool(d["application_ids"]) for d in data) >= 20
    assert all(len(d["application_ids"]) == len(d["remote_application_ids"]) for d in data if d is not ADA)
    assert sum(bool(d["tags"]) for d in data) >= 20
    assert any(d["company"] is None for d in data) and any(d["title"] is None for d in data)


def test_every_seeded_candidate_matches_the_spec():
    seed_sandbox()
    for candidate in SandboxCandidate.objects.all():
        validate_against("Candidate", serialize_candidate(candidate, include_custom_fields=True))


def test_seeded_custom_field_values_match_their_definitions():
    seed_sandbox()
    for account_id in (GREENHOUSE, LEVER):
        definitions = {
            d.definition_id: d.data
            for d in SandboxCustomFieldDefinition.objects.filter(account_id=account_id)
        }
        for data in _all_data(account_id):
            for field in data["custom_fields"]:
                definition = definitions[field["id"]]
                assert field["name"] == definition["name"]
                kind = definition["type"]["value"]
                if kind == "single_select":
                    assert field["value"] in [o["value"] for o in definition["options"]]
                elif kind == "multi_select":
                    assert set(field["value"]) <= {o["value"] for o in definition["options"]}
                elif kind == "integer":
                    assert type(field["value"]) is int
                elif kind == "boolean":
                    assert type(field["value"]) is bool


# --- the sandbox_seed command ----------------------------------------------------------------


def test_the_seed_command_seeds_once_leaves_data_alone_then_reseeds_on_reset():
    out = StringIO()
    call_command("sandbox_seed", stdout=out)
    assert out.getvalue().strip() == (
        "Sandbox seeded: 3 linked accounts, 77 candidates, 13 custom field definitions."
    )
    out = StringIO()
    call_command("sandbox_seed", stdout=out)
    assert out.getvalue().strip() == (
        "Sandbox already has data (3 linked accounts, 77 candidates, 13 custom field definitions); "
        "left unchanged. Use --reset to reseed."
    )
    SandboxCandidate.objects.filter(candidate_id="c-0002").delete()
    out = StringIO()
    call_command("sandbox_seed", "--reset", stdout=out)
    assert out.getvalue().strip() == (
        "Sandbox reset and seeded: 3 linked accounts, 77 candidates, 13 custom field definitions."
    )
    assert SandboxCandidate.objects.filter(candidate_id="c-0002").exists()


def test_seed_command_refuses_outside_sandbox_mode(settings):
    settings.SANDBOX_MODE = False
    out = StringIO()
    call_command("sandbox_seed", "--reset", stdout=out)
    assert out.getvalue().strip() == "STACKONE_API_KEY is set, so the sandbox is off: nothing seeded."
    assert not SandboxAccount.objects.exists()


# --- the demo_user command -----------------------------------------------------------------


def test_demo_user_is_created_and_updated_idempotently(roles, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_user", stdout=out)
    assert out.getvalue().strip() == "Created user 'demo' (password 'demo') in the roles Recruiter, Ops."
    user = get_user_model().objects.get(username="demo")
    user.set_password("changed")
    user.is_active = False
    user.save()
    out = StringIO()
    call_command("demo_user", stdout=out)
    assert out.getvalue().strip() == "Updated user 'demo' (password 'demo') in the roles Recruiter, Ops."
    assert get_user_model().objects.filter(username="demo").count() == 1
    user = authenticate(username="demo", password="demo")
    assert user is not None
    for perm in ("view_candidates", "edit_candidates", "bulk_update", "view_audit"):
        assert user.has_perm(f"candidates.{perm}"), perm
    assert sorted(user.groups.values_list("name", flat=True)) == ["Ops", "Recruiter"]


def test_demo_user_needs_the_roles(roles, settings):
    settings.DEBUG = True
    Group.objects.filter(name="Ops").delete()
    with pytest.raises(CommandError, match="run `manage.py migrate` first"):
        call_command("demo_user", stdout=StringIO())
    assert not get_user_model().objects.filter(username="demo").exists()


def test_demo_user_refuses_without_debug(roles, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off: the demo / demo login is for local development"):
        call_command("demo_user", stdout=StringIO())
    assert not get_user_model().objects.filter(username="demo").exists()


def test_demo_user_does_nothing_outside_sandbox_mode(settings):
    settings.SANDBOX_MODE = False
    out = StringIO()
    call_command("demo_user", stdout=out)
    assert out.getvalue().strip() == "STACKONE_API_KEY is set (not sandbox mode): no demo user created."
    assert not get_user_model().objects.filter(username="demo").exists()


# --- factories -----------------------------------------------------------------------------


def test_factory_made_candidates_and_definitions_are_served_and_a_suspended_account_answers_412(api):
    account = make_account("acc-factory")
    make_custom_field_definition(account, "cf_color", type={"value": "text", "source_value": "text"})
    candidate = make_candidate(
        account, "f-1", first_name="Fay", emails=[{"type": "work", "value": "Fay@X.example"}]
    )
    assert candidate.email_index == f"|fay@x.example|{candidate.data['email']}|"
    body = api.get(CANDIDATES_URL, {"filter[email]": "fay@x.example"}, account_id="acc-factory").json()
    assert [c["id"] for c in body["data"]] == ["f-1"]
    assert body["data"][0]["first_name"] == "Fay"
    validate_against("Candidate", body["data"][0])
    definitions = api.get(
        "/sandbox/unified/ats/custom_field_definitions/candidates", account_id="acc-factory"
    )
    assert [d["id"] for d in definitions.json()["data"]] == ["cf_color"]
    suspended = make_account(status="suspended")
    assert api.get(CANDIDATES_URL, account_id=suspended.id).status_code == 412
