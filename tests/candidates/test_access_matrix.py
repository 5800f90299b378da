"""The role matrix: every URL of the app × {no grant, Recruiter on A, Ops on A, Auditor on A,
Ops on all accounts, superuser} × {account A, account B}, against the sandbox over real HTTP.

The URLs come from the URL conf: a URL without a row in ``ROUTES`` (or named in ``PUBLIC``) fails
``test_every_url_is_in_the_matrix``, so a new page cannot be forgotten.

What "allowed" means per kind of URL:
- an account's page (``account``): allowed with one of its permissions on that account; else 404
  for an account the user holds no role on (as if it did not exist), 403 for one they hold
  another role on;
- a bulk job's page (``job``): needs Ops somewhere (403), then the job's account (404);
- a page without an account (``list``): needs the permission somewhere (403), then shows
  account X's data exactly when the permission reaches X.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from candidates.access import (
    AUDIT_PERMISSION,
    BULK_PERMISSION,
    EDIT_PERMISSION,
    VIEW_PERMISSION,
    access_allows,
)
from candidates.models import AuditEntry, BulkJob, BulkRow
from candidates.views import EDIT_STEPS
from sandbox.models import SandboxCandidate
from sandbox.seed import GREENHOUSE, LEVER
from tests.conftest import grant

A, B = GREENHOUSE, LEVER
USERS = ["no grant", "Recruiter on A", "Ops on A", "Auditor on A", "Ops on all", "superuser"]

# Named URLs outside the matrix, each with the reason.
PUBLIC = {
    "healthz": "the load balancer's probe: no data",
    "login": "the sign-in page", "logout": "signing out",
    "oidc_sign_in": "off to the identity provider", "oidc_callback": "back from it",
}
PUBLIC_NAMESPACES = {
    "admin": "Django admin: its audit log is narrowed in tests/candidates/test_access.py",
    "sandbox": "the sandbox's own API (its key) and controls (superusers)",
}


@dataclass(frozen=True)
class Route:
    scope: str  # "account", "job" or "list"
    perms: tuple[str, ...]
    request: Callable[[Client, str, dict[str, Any]], Any]
    # For "list" pages: does the response show account X's data?
    shows: Callable[[Any, str, dict[str, Any]], bool] | None = None


def _get(path: str) -> Callable[[Client, str, dict[str, Any]], Any]:
    return lambda client, account, world: client.get(path.format(account=account, **world[account]))


def _post(path: str, data: dict[str, str] | None = None) -> Callable[[Client, str, dict[str, Any]], Any]:
    return lambda client, account, world: client.post(path.format(account=account, **world[account]),
                                                      data or {})


def _home(client: Client, account: str, world: dict[str, Any]) -> Any:
    world["settings"].STACKONE_ACCOUNT_ID = account  # the default account "/" would go to
    return client.get("/")


def _health_home(client: Client, account: str, world: dict[str, Any]) -> Any:
    # Every linked account the reader runs data health on, by name, linked to its page.
    return client.get("/health/")


def _each_step(client: Client, account: str, world: dict[str, Any]) -> Any:
    # One URL name, a step each (confirm, review, back, resolve, add-row): each answers alike.
    responses = [client.post(f"{CANDIDATE}{step}/".format(account=account, **world[account]))
                 for step in EDIT_STEPS]
    assert len({_outcome(response) for response in responses}) == 1, [r.status_code for r in responses]
    return responses[0]


def _text(response: Any) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


CANDIDATE = "/accounts/{account}/candidates/{candidate}/"
JOB = "/bulk/jobs/{job}/"
VIEW, EDIT, BULK, AUDIT = (VIEW_PERMISSION,), (EDIT_PERMISSION,), (BULK_PERMISSION,), (AUDIT_PERMISSION,)
ROUTES: dict[str, Route] = {
    "candidates:home": Route("list", (), _home,
                             shows=lambda r, account, w: r["Location"] == f"/accounts/{account}/candidates/"),
    "candidates:accounts": Route("list", VIEW, _get("/accounts/"),
                                 shows=lambda r, account, w: f"<code>{account}</code>" in _text(r)),
    "candidates:list": Route("account", VIEW, _get("/accounts/{account}/candidates/")),
    "candidates:directory_sync": Route("account", BULK, _post("/accounts/{account}/directory/sync/")),
    "candidates:directory_status": Route("account", VIEW, _get("/accounts/{account}/directory/status/")),
    "candidates:history": Route("account", VIEW + AUDIT, _get(CANDIDATE + "history/")),
    "candidates:edit_step": Route("account", EDIT, _each_step),
    "candidates:new_row": Route("account", EDIT, _get("/accounts/{account}/editor/new-row/?list=emails")),
    "candidates:edit": Route("account", VIEW, _get(CANDIDATE)),
    "candidates:revert": Route("account", EDIT, _get(CANDIDATE + "revert/{entry}/")),
    "candidates:health": Route("account", BULK, _get("/accounts/{account}/health/")),
    "candidates:health_fix": Route("account", BULK, _post("/accounts/{account}/health/fix/")),
    "candidates:health_clusters": Route("account", BULK, _post("/accounts/{account}/health/clusters/")),
    "candidates:health_home": Route("list", BULK, _health_home,
                                    shows=lambda r, account, w:
                                    f'href="/accounts/{account}/health/"' in _text(r)),
    "candidates:health_export": Route("account", BULK, _get("/accounts/{account}/health/export.csv")),
    "candidates:audit": Route("list", AUDIT, _get("/audit/"),
                              shows=lambda r, account, w: f"audit-{account}" in _text(r)),
    "candidates:audit_export": Route("list", AUDIT, _get("/audit/export.csv"),
                                     shows=lambda r, account, w: f"audit-{account}" in _text(r)),
    # A preference of the user's own: no account's data.
    "candidates:preferences": Route("list", EDIT, _post("/preferences/review/", {"next": "/"})),
    "candidates:bulk": Route("list", BULK, _get("/bulk/"),
                             shows=lambda r, account, w:
                             f'href="/bulk/jobs/{w[account]["job"]}/"' in _text(r)),
    "candidates:bulk_job": Route("job", BULK, _get(JOB)),
    "candidates:bulk_status": Route("job", BULK, _get(JOB + "status.json")),
    "candidates:bulk_start": Route("job", BULK, _post(JOB + "start/")),
    "candidates:bulk_resume": Route("job", BULK, _post(JOB + "resume/")),
    "candidates:bulk_retry": Route("job", BULK, _post(JOB + "retry/")),
    "candidates:bulk_conflicts": Route("job", BULK, _post(JOB + "conflicts/")),
    "candidates:bulk_revert": Route("job", BULK, _post(JOB + "revert/")),
    "candidates:bulk_results": Route("job", BULK, _get(JOB + "results.csv")),
}


def url_names(patterns: list[Any] | None = None, namespace: str = "") -> list[str]:
    """Every named URL of the URL conf, as ``namespace:name``, except the public ones."""
    names = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            if (pattern.namespace or "") not in PUBLIC_NAMESPACES:
                names += url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in PUBLIC:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_is_in_the_matrix() -> None:
    names = url_names()
    assert [name for name in names if name not in ROUTES] == []
    assert sorted(set(ROUTES) - set(names)) == []  # no row for a URL that is gone


def _users() -> dict[str, User]:
    users = {kind: User.objects.create_user(kind.replace(" ", "-").lower()) for kind in USERS}
    grant(users["Recruiter on A"], "Recruiter", A)
    grant(users["Ops on A"], "Ops", A)
    grant(users["Auditor on A"], "Auditor", A)
    grant(users["Ops on all"], "Ops")
    users["superuser"].is_superuser = True
    users["superuser"].save()
    return users


def _world(settings: Any) -> dict[str, Any]:
    world: dict[str, Any] = {"settings": settings}
    for account in (A, B):
        candidate = SandboxCandidate.objects.filter(account_id=account).order_by("candidate_id").first()
        assert candidate is not None
        job = BulkJob.objects.create(username="uploader", account_id=account, filename=f"{account}.csv",
                                     status=BulkJob.Status.READY)
        BulkRow.objects.create(job=job, line=2, candidate_id=candidate.candidate_id,
                               values={"title": "x"}, body={"title": "x"})
        entry = AuditEntry.objects.create(username=f"audit-{account}", account_id=account,
                                          candidate_id=candidate.candidate_id,
                                          outcome=AuditEntry.Outcome.SAVED)
        world[account] = {"candidate": candidate.candidate_id, "job": job.pk, "entry": entry.pk}
    return world


def _expected(route: Route, user: User, account: str) -> str:
    """"allowed", "404" or "403" for ``user`` on ``route`` for ``account``."""
    def on(target: str) -> bool:
        return any(access_allows(user, perm, target) for perm in route.perms)

    def anywhere() -> bool:
        return not route.perms or any(user.has_perm(perm) for perm in route.perms)

    if route.scope == "account":
        if on(account):
            return "allowed"
        holds_a_role = any(access_allows(user, perm, account) for perm in
                           (VIEW_PERMISSION, EDIT_PERMISSION, BULK_PERMISSION, AUDIT_PERMISSION))
        return "403" if holds_a_role else "404"
    if not anywhere():
        return "403"
    if route.scope == "job":
        return "allowed" if on(account) else "404"
    return "allowed"


def _outcome(response: Any) -> str:
    if response.status_code in (403, 404):
        return str(response.status_code)
    assert response.status_code < 500
    assert not response.get("Location", "").startswith("/login/"), "signed in, sent to sign in"
    return "allowed"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_the_role_matrix(name: str, sandbox: str, settings: Any) -> None:
    route = ROUTES[name]
    users, world = _users(), _world(settings)
    wrong = []
    for kind, user in users.items():
        client = Client()
        client.force_login(user)
        for label, account in (("A", A), ("B", B)):
            response = route.request(client, account, world)
            got, want = _outcome(response), _expected(route, user, account)
            if got != want:
                wrong.append(f"{kind} × account {label}: got {got}, want {want}")
            elif got == "allowed" and route.shows is not None:
                may = (not route.perms and access_allows(user, VIEW_PERMISSION, account)) or (
                    bool(route.perms) and any(access_allows(user, perm, account) for perm in route.perms))
                if route.shows(response, account, world) != may:
                    wrong.append(f"{kind} × account {label}: shows the account's data: "
                                 f"{route.shows(response, account, world)}, want {may}")
    assert wrong == []
