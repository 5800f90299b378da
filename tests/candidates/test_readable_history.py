"""History and the audit log show changes as the review page does (issue 13, items 4 and 5)."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.test import Client

from candidates.directory.models import DirectoryEntry
from candidates.models import AuditEntry
from tests.candidates.view_helpers import ACCOUNT, text_of

HISTORY_PATH = f"/accounts/{ACCOUNT}/candidates/c-1/history/"
CHANGES = [
    {"field": "emails", "old": [{"type": "personal", "value": "ada@example.com"}],
     "new": [{"type": "personal", "value": "ada.king@example.com"},
             {"type": "work", "value": "a@w.example"}]},
    {"field": "custom_fields", "old": [{"id": "cf_notice", "name": "Notice period", "value": 30}],
     "new": [{"id": "cf_notice", "name": "Notice period", "value": 45}]},
    {"field": "title", "old": "Mathematician", "new": None},
    {"field": "unified_custom_fields", "old": None, "new": {"ref": "REF-1"}},
]


def _entry(**fields: object) -> AuditEntry:
    values: dict[str, object] = {"username": "recruiter", "account_id": ACCOUNT, "candidate_id": "c-1",
                                 "outcome": "saved_with_warnings", "changes": CHANGES,
                                 "warnings": ["custom_fields"], "request_body": {}}
    values.update(fields)
    return AuditEntry.objects.create(**values)


def test_history_shows_rows_labels_and_json_never_python_reprs(editor_client: Client) -> None:
    _entry()
    page = text_of(editor_client.get(HISTORY_PATH))
    assert "{'" not in page and "None" not in page and "&#x27;" not in page
    # Entries by what people know them by, paired by address (not by position); a custom field by
    # its name and value; the ids behind "details"; an object as "key: value", never JSON.
    assert '<span class="badge">removed</span> <del>ada@example.com (personal)</del>' in page
    assert '<span class="badge">added</span> <ins>ada.king@example.com (personal)</ins>' in page
    assert '<span class="badge">added</span> <ins>a@w.example (work)</ins>' in page
    assert ('<span class="badge">changed</span> Notice period: <del>30</del> → <ins>45</ins> '
            '<details class="tech-details"><summary>details</summary>'
            "<code>id: cf_notice</code></details>") in page
    assert ('<strong>Title</strong>: <del>Mathematician</del> → '
            '<strong class="cleared">cleared</strong>') in page
    assert "<strong>Unified custom fields</strong>: <del>(empty)</del> → <ins>ref: REF-1</ins>" in page
    assert "type:" not in page and "value:" not in page and "&quot;" not in page
    assert '<p class="field-flag">Not applied: Custom fields</p>' in page
    assert 'data-local>' in page and 'title="' in page  # readable time, exact UTC on hover


def test_history_names_the_candidate_when_the_directory_knows_it(editor_client: Client) -> None:
    DirectoryEntry.objects.create(account_id=ACCOUNT, candidate_id="c-1", name="Ada Lovelace")
    page = text_of(editor_client.get(HISTORY_PATH))
    assert '<h1>History of <span class="candidate-name">Ada Lovelace</span>' in page
    assert "<title>History · Ada Lovelace" in page


def test_the_audit_page_shows_not_applied_details(roles: None) -> None:
    user = User.objects.create_user("auditor", password="pw-for-tests-1")
    user.groups.add(Group.objects.get(name="Auditor"))
    client = Client()
    client.force_login(user)
    _entry(others_changed=["first_name"])
    page = text_of(client.get("/audit/"))
    assert '<p class="field-flag">Not applied: Custom fields</p>' in page
    assert "Changed by someone else meanwhile: First name" in page
    assert "<strong>Custom fields</strong>" in page and "Notice period: <del>30</del> → <ins>45</ins>" in page


def test_back_to_candidates_keeps_the_search(editor_client: Client, stackone) -> None:
    from tests.conftest import BASE_URL

    stackone.get(f"{BASE_URL}/unified/ats/candidates", json={"next": None, "data": []})
    editor_client.get(f"/accounts/{ACCOUNT}/candidates/?email=ada%40example.com&page_size=50")
    page = text_of(editor_client.get(HISTORY_PATH))
    back = f"/accounts/{ACCOUNT}/candidates/?email=ada%40example.com&amp;page_size=50"
    assert f'<a href="{back}">← Candidates</a>' in page
