"""One renderer of changes for people (issue 19 part 1, issue 25 item 2): field names and readable
values (``Score: 42 → 77``, an option by its label, ``Skills: Django, Go``, dates readable, a
moment in the reader's time zone on pages), list entries by their label and paired by identity,
never id dumps, JSON or ISO strings; the ids behind "details". Checked on the renderer itself and
on Review, History, the audit log and its CSV export."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client

from candidates import services
from candidates.editor.change_text import entry_label, field_change, recorded_changes, removed_entries
from candidates.models import AuditEntry
from candidates.types import CustomFieldDefinition
from tests.candidates.view_helpers import ACCOUNT, DEFINITIONS_URL, post_step, text_of, unedited_post

STAGE = CustomFieldDefinition.from_api({
    "id": "cf_stage", "remote_id": "r_stage", "name": "Training status", "type": {"value": "single_select"},
    "options": [{"id": "opt_done", "value": "Completed"}, {"id": "opt_pending", "value": "Pending"}]})
NOTICE = {"id": "cf_notice", "remote_id": "r_notice", "name": "Notice period (days)", "value": 30,
          "value_id": None, "remote_value_id": None}


def test_scalars_read_as_values_never_json_or_iso() -> None:
    assert field_change("title", "Analyst", "Engineer").text == "Title: Analyst → Engineer"
    assert field_change("company", "Acme", None).text == "Company: Acme → cleared"
    hired = field_change("hired_at", None, "2024-05-01T09:30:00.000Z")
    assert hired.text == "Hired at: (empty) → 1 May 2024, 09:30 UTC"
    assert hired.new_at is not None and hired.new_at.isoformat() == "2024-05-01T09:30:00+00:00"
    assert field_change("unified_custom_fields", None, {"ref": "R-1", "ok": True}).text == \
        "Unified custom fields: (empty) → ref: R-1, ok: Yes"


def test_custom_fields_read_by_name_and_value_with_options_by_label() -> None:
    old = [NOTICE, {"id": "cf_stage", "name": "Training status", "value": None, "value_id": "opt_done"},
           {"id": "cf_skills", "name": "Skills", "value": ["Django"]},
           {"id": "cf_start", "name": "Available from", "value": "2024-05-01"}]
    new = [{**NOTICE, "value": 45}, {"id": "cf_stage", "name": "Training status", "value": "Pending",
                                     "value_id": "opt_pending"},
           {"id": "cf_skills", "name": "Skills", "value": ["Django", "Go"]},
           {"id": "cf_start", "name": "Available from", "value": "2025-01-31"},
           {"id": "cf_relocate", "name": "Willing to relocate", "value": True}]
    change = field_change("custom_fields", old, new, definitions=[STAGE])
    assert change.text == (
        "Custom fields: Notice period (days): 30 → 45; Training status: Completed → Pending; "
        "Skills: Django → Django, Go; Available from: 1 May 2024 → 31 Jan 2025; "
        "added Willing to relocate: Yes")
    assert change.rows[0].details == "id: cf_notice · remote_id: r_notice"


def test_list_entries_pair_by_identity_never_by_position() -> None:
    old = [{"type": "personal", "value": "ada@example.com"}, {"type": "work", "value": "ada@work.example"}]
    new = [{"type": "work", "value": "ada@work.example"}, {"type": "work", "value": "ada@example.com"}]
    assert field_change("emails", old, new).text == "Emails: ada@example.com: personal → work"
    assert removed_entries("emails", old, [old[1]]) == ["ada@example.com (personal)"]
    assert removed_entries("application_ids", ["app-1", "app-2"], None) == ["app-1", "app-2"]
    assert removed_entries("custom_fields", [NOTICE], []) == ["Notice period (days): 30"]
    # A number written another way is the same entry: nothing is removed.
    assert removed_entries("phone_numbers", [{"type": "mobile", "phone": "07700 900123"}],
                           [{"type": "mobile", "phone": "+447700900123"}]) == []
    assert entry_label("social_links", {"type": "github", "url": "https://github.com/ada"}) == \
        "https://github.com/ada (github)"


def _auditor_client() -> Client:
    user = User.objects.create_user("auditor", password="pw-for-tests-1")
    user.groups.add(Group.objects.get(name="Auditor"))
    client = Client()
    client.force_login(user)
    return client


def _entry(**fields: object) -> AuditEntry:
    values: dict[str, object] = {
        "username": "recruiter", "account_id": ACCOUNT, "candidate_id": "c-1", "outcome": "saved",
        "changes": [
            {"field": "custom_fields",
             "old": [NOTICE, {"id": "cf_stage", "value": None, "value_id": "opt_done"}],
             "new": [{**NOTICE, "value": 45}, {"id": "cf_stage", "value": None, "value_id": "opt_pending"}]},
            {"field": "hired_at", "old": None, "new": "2024-05-01T09:30:00.000Z"},
        ],
        "request_body": {"hired_at": "2024-05-01T09:30:00.000Z"}}
    values.update(fields)
    return AuditEntry.objects.create(**values)


def test_history_and_the_audit_log_read_like_the_review_page(roles: None, editor_client: Client) -> None:
    # The definitions a page read lately name options (no StackOne call from these pages).
    cache.set(services._definitions_key(ACCOUNT), [STAGE], 60)  # as a page that read them left it
    _entry()
    for page in (text_of(editor_client.get(f"/accounts/{ACCOUNT}/candidates/c-1/history/")),
                 text_of(_auditor_client().get("/audit/"))):
        assert ('<span class="badge">changed</span> Notice period (days): <del>30</del> → <ins>45</ins>'
                in page)
        assert ('<span class="badge">changed</span> Training status: <del>Completed</del> → '
                '<ins>Pending</ins>') in page
        assert "<summary>details</summary><code>id: cf_notice · remote_id: r_notice</code>" in page
        # A moment in the reader's time zone: a <time> the page's script rewrites, UTC until then.
        assert ('<strong>Hired at</strong>: <del>(empty)</del> → <ins><time datetime="2024-05-01T09:30:00Z" '
                'title="2024-05-01 09:30:00 UTC" data-local>1 May 2024, 09:30 UTC</time></ins>') in page
        assert "2024-05-01T09:30:00.000Z" not in page.split("<code>")[0]


def test_the_audit_csv_export_reads_the_changes(roles: None) -> None:
    cache.set(services._definitions_key(ACCOUNT), [STAGE], 60)  # as a page that read them left it
    _entry()
    response = _auditor_client().get("/audit/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["changes"] == ("Custom fields: Notice period (days): 30 → 45; "
                                  "Training status: Completed → Pending "
                                  "| Hired at: (empty) → 1 May 2024, 09:30 UTC")
    assert recorded_changes("not a list") == []


def test_the_review_page_names_options_by_label(editor_client: Client, stackone) -> None:
    stackone.get(DEFINITIONS_URL, json={"next": None, "data": [
        {"id": "cf_notice", "name": "Notice period", "type": {"value": "integer"}, "options": []}]})
    data = unedited_post(title="Engineer")
    data["custom_fields-0-value"] = "45"
    response = post_step(editor_client, data, step="save")
    page = text_of(response)
    assert "Review changes to Ada Lovelace" in page
    assert "Notice period: <del>30</del> → <ins>45</ins>" in page
    changes = page.split('class="request-body"')[0]  # the exact JSON body stays behind its disclosure
    assert "value:" not in changes and "{&quot;" not in changes
