"""Upgrading: findings stored under the old rules lose the fixes the new rules do not offer
(migration 0002), and HEALTH_PHONE_REGION must name a region (a system check)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from candidates.health.system_checks import phone_region_check

BEFORE, AFTER = [("health", "0001_initial")], [("health", "0002_lossless_fixes")]


@pytest.mark.parametrize(("region", "errors"), [("", []), ("GB", []), ("UK", ["health.E001"])])
def test_health_phone_region_must_be_a_region(settings, region, errors):
    settings.HEALTH_PHONE_REGION = region
    assert [error.id for error in phone_region_check()] == errors


def test_the_migration_drops_the_stored_fixes_the_new_rules_do_not_offer(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("health", "HealthFinding")
    name_note = "The name is not first name + last name."
    rows = {
        "middle name": ("name_spacing", "name", "Ada Augusta Byron", name_note, "Ada Byron"),
        "empty name": ("name_spacing", "name", "", "The name is empty.", "Ada Byron"),
        "spaces": ("name_spacing", "title", "Head  of", "Doubled spaces.", "Head of"),
        "national": ("phone_format", "phone", "555-1234", "Not in E.164.", "+15551234"),
        "invalid": ("phone_format", "phone", "+44 7700 900123", "Not in E.164.", "+447700900123"),
        "valid": ("phone_format", "phone", "0044 20 7946 0000", "Not in E.164.", "+442079460000"),
        "marker": ("name_spacing", "company", "__CLEAR__  x", "Doubled spaces.", "__CLEAR__"),
        "formula": ("name_spacing", "company", "=1  +1", "Doubled spaces.", "=1 +1"),
    }
    for candidate_id, (check, field, value, note, fix) in rows.items():
        old.objects.create(
            account_id="acc",
            candidate_id=candidate_id,
            check_name=check,
            field=field,
            value=value,
            note=note,
            fix=fix,
        )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("health", "HealthFinding")
    after = {row.candidate_id: (row.fix, row.note) for row in new.objects.all()}
    assert {cid: fix for cid, (fix, _) in after.items()} == {
        "middle name": None,
        "empty name": "Ada Byron",
        "spaces": "Head of",
        "national": None,
        "invalid": None,
        "valid": "+442079460000",
        "marker": None,
        "formula": None,
    }
    assert after["middle name"][1].startswith("Not first name + last name. Reported only")
    assert after["national"][1].startswith("Not in E.164. Written without its country code")
    assert (
        after["invalid"][1] == "Not a valid phone number for its country code (a digit missing or too many?)."
    )
    assert (
        after["marker"][1]
        == "Doubled spaces. No fix: it would write a line break, a bulk marker or a formula."
    )
    call_command("migrate", verbosity=0)  # leave the database as the other tests expect it
