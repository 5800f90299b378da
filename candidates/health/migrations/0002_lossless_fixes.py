"""Fixes that lose nothing (issue 19): a phone fix read in HEALTH_PHONE_REGION is marked
(``guessed_region``), and the fixes stored under the old rules that the new ones do not offer
are dropped, the finding kept as reported only:

- name = first + last for a name that was not empty (a middle name, the name a person goes by, a
  title or a second family name would be lost);
- a phone number written without its country code (it may have been read in a guessed region;
  its fix is worked out again when the candidate is indexed again: ``candidates_sync --full``
  does it for all), or one written with it that is not a valid number;
- a fix that would write a line break, the bulk marker __CLEAR__ or a leading = + - @.

Self-contained (python-phonenumbers only), so later changes to the checks never change it.
"""

import re

import phonenumbers
from django.db import migrations, models

LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
E164 = re.compile(r"\+[1-9][0-9]{1,14}")
INTERNATIONAL = re.compile(r"^[^\d+]*(\+|00)")
NAME_NOTE = (
    "Not first name + last name. Reported only: it may hold a middle name, the name the person goes "
    "by, a title or a second family name."
)
PHONE_NATIONAL_NOTE = (
    "Not in E.164. Written without its country code: its fix is worked out again when the candidate "
    "is indexed again (a full directory sync), and only if the candidate's country is known."
)
PHONE_INVALID_NOTE = "Not a valid phone number for its country code (a digit missing or too many?)."


def _text(fix):
    if isinstance(fix, dict):
        return str(fix.get("phone") or fix.get("value") or "")
    return "" if fix is None else str(fix)


def _unsafe(text):
    return (
        any(char in LINE_BREAKS for char in text)
        or text.strip().upper() == "__CLEAR__"
        or (text[:1] in ("=", "+", "-", "@", "\t", "\r") and not E164.fullmatch(text))
    )


def _phone_note(value):
    """None when a phone fix stays, else the note of the finding without it."""
    international = INTERNATIONAL.match(value)
    if not international:
        return PHONE_NATIONAL_NOTE
    text = value[: international.start(1)] + "+" + value[international.end(1) :]
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return "Cannot be read as a phone number."
    return None if phonenumbers.is_valid_number(number) else PHONE_INVALID_NOTE


def drop_lossy_fixes(apps, schema_editor):
    HealthFinding = apps.get_model("health", "HealthFinding")
    changed = []
    for finding in HealthFinding.objects.filter(fix__isnull=False).iterator(chunk_size=2000):
        note = None
        if finding.check_name == "name_spacing" and finding.note.startswith("The name is not first name"):
            note = NAME_NOTE
        elif finding.check_name == "phone_format":
            note = _phone_note(finding.value)
        if note is None and _unsafe(_text(finding.fix)):
            note = f"{finding.note} No fix: it would write a line break, a bulk marker or a formula."[:500]
        if note is not None:
            finding.fix, finding.list_value, finding.note = None, None, note
            changed.append(finding)
        if len(changed) >= 1000:
            HealthFinding.objects.bulk_update(changed, ["fix", "list_value", "note"])
            changed = []
    HealthFinding.objects.bulk_update(changed, ["fix", "list_value", "note"])


class Migration(migrations.Migration):
    dependencies = [("health", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="healthfinding",
            name="guessed_region",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The region (HEALTH_PHONE_REGION) a phone fix was read in because the candidate's "
                "country is not known; such fixes are never part of 'Apply all'.",
                max_length=2,
            ),
        ),
        migrations.RunPython(drop_lossy_fixes, migrations.RunPython.noop),
    ]
