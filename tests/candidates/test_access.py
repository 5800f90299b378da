"""Grants: what each one reaches, the answers an account not granted gets, the pages that narrow
their lists, jobs checked when started or resumed, the commands, the Django admin and the
migration from group memberships (the role matrix is tests/candidates/test_access_matrix.py)."""

from __future__ import annotations

import csv
import io
import re
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from candidates.access import BULK_PERMISSION, VIEW_PERMISSION, access_allows, access_reach
from candidates.bulk.jobs import bulk_job_resume, bulk_job_start
from candidates.models import AccessGrant, AuditEntry, BulkJob, SignInIdentity
from stackone_admin.oidc_grants import ROLE_NAMES, grants_for_groups, grants_mapping
from tests.conftest import BASE_URL, grant

A, B = "acc-a", "acc-b"
ACCOUNTS = [{"id": account, "provider": "lever", "provider_name": "Lever", "status": "active",
             "label": f"Label of {account}"} for account in (A, B)]


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _user(name: str, *grants: tuple[str, str]) -> User:
    user = User.objects.create_user(name, password="pw-for-tests-1")
    for role, account in grants:
        grant(user, role, account)
    return user


# -- what a grant reaches --------------------------------------------------------------------------


def test_a_grant_reaches_its_account_and_a_groups_grant_its_members(db: None) -> None:
    user = _user("rec", ("Recruiter", A))
    assert access_allows(user, VIEW_PERMISSION, A) and not access_allows(user, VIEW_PERMISSION, B)
    assert not access_allows(user, BULK_PERMISSION, A)
    group = Group.objects.create(name="emea-ops")
    grant(group, "Ops", B)
    user = User.objects.get(pk=user.pk)  # grants are read once per user object
    user.groups.add(group)
    assert access_reach(user, BULK_PERMISSION).accounts == {B}
    assert access_reach(user, VIEW_PERMISSION).accounts == {A, B}


def test_superusers_have_everything_and_inactive_users_nothing(db: None) -> None:
    boss = User.objects.create_superuser("boss", password="pw-for-tests-1")
    assert access_reach(boss, BULK_PERMISSION).everywhere
    gone = _user("gone", ("Ops", ""))
    gone.is_active = False
    assert not access_reach(gone, VIEW_PERMISSION).anywhere


def test_the_database_refuses_a_grant_without_one_holder_or_one_scope(db: None) -> None:
    user = _user("rec")
    with pytest.raises(IntegrityError, match="access_grant_one_scope"), transaction.atomic():
        AccessGrant.objects.create(user=user, role="Ops", all_accounts=True, account_id=A)
    with pytest.raises(IntegrityError, match="access_grant_one_holder"), transaction.atomic():
        AccessGrant.objects.create(role="Ops", all_accounts=True)


# -- an account not granted is an account that does not exist -------------------------------------------


def test_an_account_not_granted_answers_exactly_as_one_that_does_not_exist(db: None) -> None:
    client = _signed_in(_user("rec", ("Recruiter", A)))
    for path in ("/accounts/{}/candidates/", "/accounts/{}/candidates/c-1/",
                 "/accounts/{}/candidates/c-1/history/"):
        other, missing = client.get(path.format(B)), client.get(path.format("no-such-account"))
        assert other.status_code == missing.status_code == 404
        assert _page(other).replace(B, "X") == _page(missing).replace("no-such-account", "X")


def _page(response: Any) -> str:
    """The page without its CSRF token (masked anew in every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_role_that_does_not_allow_the_page_on_a_granted_account_is_403(db: None) -> None:
    client = _signed_in(_user("aud", ("Auditor", A)))
    assert client.get(f"/accounts/{A}/candidates/").status_code == 403
    assert client.get(f"/accounts/{B}/candidates/").status_code == 404


def test_the_accounts_page_lists_only_the_accounts_granted_with_sync_where_ops(db: None, stackone) -> None:
    stackone.get(f"{BASE_URL}/accounts", json=ACCOUNTS)
    page = _signed_in(_user("mixed", ("Ops", A))).get("/accounts/").content.decode()
    assert "Label of acc-a" in page and "Label of acc-b" not in page
    stackone.get(f"{BASE_URL}/accounts", json=ACCOUNTS)
    user = _user("two", ("Recruiter", A), ("Ops", B))
    page = _signed_in(user).get("/accounts/").content.decode()
    assert "Label of acc-a" in page and "Label of acc-b" in page
    # "Sync now" (Ops) only on the account the user is Ops on.
    assert f'action="/accounts/{B}/directory/sync/"' in page
    assert f'action="/accounts/{A}/directory/sync/"' not in page


def test_the_home_page_goes_only_to_a_granted_account(db: None, settings) -> None:
    settings.STACKONE_ACCOUNT_ID = B
    client = _signed_in(_user("rec", ("Recruiter", A)))
    assert client.get("/")["Location"] == "/accounts/"
    session = client.session
    session["account_id"] = A
    session.save()
    assert client.get("/")["Location"] == f"/accounts/{A}/candidates/"


def test_the_audit_log_and_its_export_hold_only_the_accounts_audited(db: None) -> None:
    for account in (A, B):
        AuditEntry.objects.create(username=f"editor-of-{account}", account_id=account, candidate_id="c-1",
                                  outcome=AuditEntry.Outcome.SAVED)
    client = _signed_in(_user("aud", ("Auditor", A)))
    page = client.get("/audit/").content.decode()
    assert "editor-of-acc-a" in page and "editor-of-acc-b" not in page
    assert "editor-of-acc-b" not in client.get(f"/audit/?account={B}").content.decode()
    export = client.get("/audit/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert [row["username"] for row in rows] == ["editor-of-acc-a"]


def test_django_admin_shows_a_staff_auditor_only_their_accounts_entries(db: None) -> None:
    for account in (A, B):
        AuditEntry.objects.create(username=f"editor-of-{account}", account_id=account, candidate_id="c-1")
    auditor = _user("aud", ("Auditor", A))
    auditor.is_staff = True
    auditor.save()
    auditor.user_permissions.add(*Permission.objects.filter(codename="view_auditentry"))
    page = _signed_in(auditor).get("/admin/candidates/auditentry/").content.decode()
    assert "editor-of-acc-a" in page and "editor-of-acc-b" not in page


# -- bulk jobs ---------------------------------------------------------------------------------------


def test_a_bulk_upload_for_an_account_not_granted_is_refused_beside_the_field(db: None, stackone) -> None:
    stackone.get(f"{BASE_URL}/accounts", json=ACCOUNTS)
    client = _signed_in(_user("ops", ("Ops", A)))
    upload = SimpleUploadedFile("p.csv", b"id,title\nc-1,X\n")
    response = client.post("/bulk/", {"account_id": B, "file": upload})
    assert response.status_code == 200 and BulkJob.objects.count() == 0
    assert "Choose one of the active linked accounts." in response.content.decode()
    assert f'<option value="{B}"' not in response.content.decode()


def test_a_job_starts_and_resumes_only_for_someone_granted_ops_on_its_account(db: None) -> None:
    job = BulkJob.objects.create(username="uploader", account_id=B, status=BulkJob.Status.READY)
    recruiter, ops_elsewhere = _user("rec", ("Recruiter", B)), _user("ops", ("Ops", A))
    for user in (recruiter, ops_elsewhere):
        with pytest.raises(PermissionDenied):
            bulk_job_start(job=job, user=user)
        with pytest.raises(PermissionDenied):
            bulk_job_resume(job=job, user=user)
    assert BulkJob.objects.get(pk=job.pk).status == BulkJob.Status.READY
    assert bulk_job_start(job=job, user=_user("ops-b", ("Ops", B))) is True


def test_a_grant_revoked_after_the_upload_stops_the_start(db: None) -> None:
    ops = _user("ops", ("Ops", A))
    client = _signed_in(ops)
    job = BulkJob.objects.create(user=ops, username="ops", account_id=A, status=BulkJob.Status.READY)
    call_command("access_revoke", "ops", "--account", A, "--role", "Ops", stdout=StringIO())
    assert client.post(f"/bulk/jobs/{job.pk}/start/").status_code == 403
    assert BulkJob.objects.get(pk=job.pk).status == BulkJob.Status.READY


# -- commands -------------------------------------------------------------------------------------------


def _call(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_access_grant_revoke_and_list(db: None) -> None:
    _user("ada")
    Group.objects.create(name="emea")
    assert _call("access_grant", "ada", "--account", A, "--role", "Recruiter") == (
        "Granted: Recruiter on account acc-a to ada.\n")
    assert _call("access_grant", "ada", "--account", A, "--role", "Recruiter") == (
        "Already granted: Recruiter on account acc-a to ada.\n")
    assert _call("access_grant", "emea", "--group", "--all", "--role", "Auditor") == (
        "Granted: Auditor on all accounts to group emea.\n")
    User.objects.get(username="ada").groups.add(Group.objects.get(name="emea"))
    assert _call("access_list", "ada").splitlines() == [
        "who         role       accounts      source",
        "group emea  Auditor    all accounts  granted here",
        "ada         Recruiter  acc-a         granted here",
    ]
    assert _call("access_revoke", "ada", "--account", A, "--role", "Recruiter") == (
        "Revoked: Recruiter on account acc-a from ada.\n")
    with pytest.raises(CommandError, match="ada holds no grant of Recruiter on account acc-a"):
        call_command("access_revoke", "ada", "--account", A, "--role", "Recruiter")
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("access_grant", "nobody", "--all", "--role", "Ops")
    with pytest.raises(CommandError, match="invalid choice: 'Admin'"):
        call_command("access_grant", "ada", "--all", "--role", "Admin")


@pytest.mark.parametrize("command", [
    ["bulk_update", "{csv}", "--account", B],
    ["candidates_health", "--account", B],
    ["candidates_sync", "--account", B],
    ["candidates_purge", "--account", B],
    ["bulk_revert", "{job}"],
])
def test_commands_with_user_check_that_users_grants(db: None, tmp_path: Any, command: list[str]) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b"id,title\nc-1,X\n")
    done = BulkJob.objects.create(username="ops-b", account_id=B, status=BulkJob.Status.DONE)
    args = [arg.format(csv=path, job=done.pk) for arg in command]
    _user("ops-a", ("Ops", A)), _user("rec-b", ("Recruiter", B))
    for name in ("ops-a", "rec-b"):
        with pytest.raises(CommandError, match=f"{name} has no grant that allows this on account “acc-b”"):
            call_command(*args, "--user", name, stdout=StringIO())
    assert list(BulkJob.objects.all()) == [done]


def test_purge_with_a_user_granted_ops_runs(db: None) -> None:
    _user("ops-b", ("Ops", B))
    assert (_call("candidates_purge", "--account", B, "--user", "ops-b")
            == "acc-b: 0 directory rows deleted.\n")


# -- OIDC_GRANTS ---------------------------------------------------------------------------------------


def test_oidc_grants_maps_groups_to_grants() -> None:
    mapping = grants_mapping({"emea": {"role": "Recruiter", "accounts": [A, B]},
                              "ops": {"role": "Ops", "accounts": "*"}})
    assert grants_for_groups(mapping, ["emea", "ops", "unknown"]) == [
        ("Ops", ""), ("Recruiter", A), ("Recruiter", B)]
    assert grants_for_groups(mapping, []) == []


@pytest.mark.parametrize(("raw", "message"), [
    ([], "must be a JSON object"),
    ({"g": {"role": "Admin", "accounts": "*"}},
     r"OIDC_GRANTS\['g'\]: role must be one of Recruiter, Ops, Auditor"),
    ({"g": {"role": "Ops"}}, r"OIDC_GRANTS\['g'\]: accounts must be"),
    ({"g": {"role": "Ops", "accounts": []}}, r"OIDC_GRANTS\['g'\]: accounts must be"),
])
def test_a_wrong_oidc_grants_stops_the_start(raw: Any, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        grants_mapping(raw)


def test_the_settings_role_names_are_the_models() -> None:
    assert ROLE_NAMES == tuple(AccessGrant.Role.values)


# -- Django admin: grants on the user and group pages ----------------------------------------------------


def _group_form(name: str, **grant: str) -> dict[str, str]:
    data = {"name": name, "access_grants-TOTAL_FORMS": "1", "access_grants-INITIAL_FORMS": "0",
            "access_grants-MIN_NUM_FORMS": "0", "access_grants-MAX_NUM_FORMS": "1000"}
    return data | {f"access_grants-0-{key}": value for key, value in grant.items()}


def test_grants_are_managed_on_the_group_page(admin_client: Client) -> None:
    group = Group.objects.create(name="emea")
    url = f"/admin/auth/group/{group.pk}/change/"
    assert "Grants: roles on linked accounts" in admin_client.get(url).content.decode()
    response = admin_client.post(url, _group_form("emea", role="Recruiter"))
    assert response.status_code == 200 and not AccessGrant.objects.filter(group=group).exists()
    assert "Give the linked account ID, or tick all accounts." in response.content.decode()
    response = admin_client.post(url, _group_form("emea", role="Recruiter", account_id=" acc-a "))
    assert response.status_code == 302
    grants = AccessGrant.objects.filter(group=group)
    assert (list(grants.values_list("role", "all_accounts", "account_id", "source"))
            == [("Recruiter", False, "acc-a", "manual")])


def test_the_user_page_shows_the_users_grants_and_provider_identity(admin_client: Client) -> None:
    user = _user("ada", ("Ops", A))
    SignInIdentity.objects.create(user=user, issuer="https://sso.example.test", subject="00u-ada")
    page = admin_client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert "Grants: roles on linked accounts" in page and 'value="acc-a"' in page
    assert "00u-ada" in page and "https://sso.example.test" in page


def test_a_page_reads_the_grants_once_however_many_checks_it_makes(db: None, stackone) -> None:
    from django.test.utils import CaptureQueriesContext

    stackone.get(f"{BASE_URL}/accounts", json=ACCOUNTS)
    client = _signed_in(_user("two", ("Recruiter", A), ("Ops", B)))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/accounts/").status_code == 200  # the nav's four checks, two accounts' Sync now
    assert len([q for q in queries if "candidates_accessgrant" in q["sql"]]) == 1


# -- the migration from group memberships --------------------------------------------------------------


def test_the_migration_turns_group_memberships_and_permissions_into_all_accounts_grants(
        transactional_db: None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("candidates", "0010_auditentry_request_id")])
    try:
        _before_grants(executor.loader.project_state([("candidates", "0010_auditentry_request_id")]).apps)
    finally:  # whatever happens, the next tests get the database at its latest migration
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    grants = sorted((g.group.name if g.group else g.user.username, g.role, g.all_accounts)
                    for g in AccessGrant.objects.select_related("user", "group"))
    assert grants == [("Auditor", "Auditor", True), ("Ops", "Ops", True), ("Recruiter", "Recruiter", True),
                      ("Team leads", "Auditor", True), ("Team leads", "Recruiter", True),
                      ("direct", "Ops", True)]
    assert access_reach(User.objects.get(username="member"), BULK_PERMISSION).everywhere
    assert not Group.objects.get(name="Team leads").permissions.exists()  # grants are the one source


def _before_grants(apps: Any) -> None:
    """What a deployment held before grants: the role groups (0003_roles; a flushed test
    database lacks them) with a member, a group of its own and a user with permissions."""
    Permission, OldGroup = apps.get_model("auth", "Permission"), apps.get_model("auth", "Group")
    OldUser = apps.get_model("auth", "User")
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="candidates")}
    roles = {"Recruiter": ["view_candidates", "edit_candidates"],
             "Ops": ["view_candidates", "edit_candidates", "bulk_update", "view_audit"],
             "Auditor": ["view_audit"]}
    for name, codenames in roles.items():
        OldGroup.objects.get_or_create(name=name)[0].permissions.add(*(perms[c] for c in codenames))
    team = OldGroup.objects.create(name="Team leads")
    team.permissions.add(perms["view_candidates"], perms["edit_candidates"], perms["view_audit"])
    direct = OldUser.objects.create(username="direct")
    direct.user_permissions.add(perms["view_candidates"], perms["bulk_update"])
    member = OldUser.objects.create(username="member")
    member.groups.add(OldGroup.objects.get(name="Ops"))
