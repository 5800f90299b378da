"""Names, not ids (issue 25 item 1): the audit log, History and its CSV export name each
candidate from the directory, the id beside it in small type; the audit filter takes a name or
part of one (through the directory's search) as well as an id."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.models import Group, User
from django.test import Client

from candidates.models import AuditEntry
from tests.candidates.view_helpers import mock_definitions, post_step, unedited_post
from tests.directory.support import ACCOUNT, body, entries_create

OTHER = "acc-other"


def _auditor() -> Client:
    user = User.objects.create_user("auditor", password="pw-for-tests-1")
    user.groups.add(Group.objects.get(name="Auditor"))
    client = Client()
    client.force_login(user)
    return client


def _people() -> None:
    entries_create([body("c-0019", name="Priya Raghunathan", first_name="Priya", last_name="Raghunathan"),
                    body("c-0020", name="Arjun Mehta")])
    entries_create([body("c-0019", name="Someone Else")], account_id=OTHER)
    for account_id, candidate_id in ((ACCOUNT, "c-0019"), (ACCOUNT, "c-0020"), (OTHER, "c-0019"),
                                     (ACCOUNT, "c-not-indexed")):
        AuditEntry.objects.create(username="recruiter", account_id=account_id, candidate_id=candidate_id,
                                  outcome="saved", changes=[{"field": "title", "old": "A", "new": "B"}])


def _rows(page: str) -> list[str]:
    return page.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]


def test_the_audit_log_names_each_candidate_with_the_id_in_small_type(roles: None) -> None:
    _people()
    page = _auditor().get("/audit/").content.decode()
    assert ('<span class="candidate-name">Priya Raghunathan</span> <small class="candidate-id">'
            '<code>c-0019</code></small>') in page
    assert '<span class="candidate-name">Someone Else</span>' in page  # the name of that account's c-0019
    assert "<code>c-not-indexed</code>" in page  # no name known: the id alone


def test_the_audit_filter_finds_a_candidate_by_part_of_their_name(roles: None) -> None:
    _people()
    client = _auditor()
    page = client.get("/audit/", {"candidate": "Priya"}).content.decode()
    rows = _rows(page)
    assert len(rows) == 1 and "Priya Raghunathan" in rows[0]
    assert "1 entry" in page
    # Part of a surname, in another case; and a typo, as the list page's search forgives it.
    for typed in ("raghu", "Raghunatan"):
        assert "Priya Raghunathan" in client.get("/audit/", {"candidate": typed}).content.decode()
    # The id still works, in every account that has it; the account filter narrows the name search.
    assert len(_rows(client.get("/audit/", {"candidate": "c-0019"}).content.decode())) == 2
    narrowed = client.get("/audit/", {"candidate": "someone", "account": OTHER}).content.decode()
    assert len(_rows(narrowed)) == 1 and "Someone Else" in narrowed
    assert "No audit entries match" in client.get("/audit/", {"candidate": "someone", "account": ACCOUNT}
                                                  ).content.decode()


def test_the_audit_export_has_the_name_beside_the_id_and_follows_the_name_filter(roles: None) -> None:
    _people()
    response = _auditor().get("/audit/export.csv", {"candidate": "priya"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["candidate_id"], row["candidate_name"]) for row in rows] == [("c-0019", "Priya Raghunathan")]


def test_history_names_the_candidate(roles: None, editor_client: Client) -> None:
    _people()
    page = editor_client.get(f"/accounts/{ACCOUNT}/candidates/c-0019/history/").content.decode()
    assert ('<h1>History of <span class="candidate-name">Priya Raghunathan</span> '
            '<small class="candidate-id"><code>c-0019</code></small></h1>') in page


def test_the_review_page_names_its_before_column_for_what_it_is(editor_client: Client, stackone) -> None:
    # Issue 25 item 8: the column shows the value when the page was loaded, so it says so.
    mock_definitions(stackone)
    page = post_step(editor_client, unedited_post(title="Engineer"), step="save").content.decode()
    assert '<th scope="col">When you opened it</th><th scope="col">After saving</th>' in page
    assert "Now in StackOne" not in page
