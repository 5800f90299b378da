"""The sign-in page: the identity provider's button, PASSWORD_SIGNIN=off (superusers only), the
provider's sign-in turned into a user with grants, and the audit log's issuer and subject.
The whole flow against a real OpenID Provider is tests/e2e/test_oidc_sign_in.py."""

from __future__ import annotations

import re

import pytest
import responses
from django.contrib.auth.models import User
from django.test import Client

from candidates.access import VIEW_PERMISSION, access_reach
from candidates.models import AccessGrant, AuditEntry, SignInIdentity
from stackone_admin.oidc import provider_metadata, user_sign_in
from stackone_admin.oidc_grants import grants_mapping
from tests.candidates.view_helpers import (
    ACCOUNT,
    candidate_json,
    mock_reads,
    patch_ok,
    post_step,
    unedited_post,
)
from tests.conftest import grant

ISSUER = "https://idp.example.test"


@pytest.fixture
def oidc(settings) -> None:
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = ISSUER, "admin", "s3cret"
    settings.OIDC_PROVIDER_NAME = "Okta"
    settings.OIDC_GRANTS = grants_mapping({"emea": {"role": "Recruiter", "accounts": ["acc-1", "acc-2"]},
                                           "ops": {"role": "Ops", "accounts": "*"}})
    provider_metadata.cache_clear()
    yield
    provider_metadata.cache_clear()


def _page(client: Client) -> str:
    return re.sub(r"\s+", " ", client.get("/login/").content.decode())


def test_the_sign_in_page_offers_the_provider_when_one_is_set(client: Client, db: None, oidc: None) -> None:
    page = _page(client)
    assert ('<a class="button primary" href="/login/oidc/" data-testid="oidc-sign-in">Sign in with Okta</a>'
            in page)
    assert "Or with a password:" in page


def test_without_a_provider_there_is_no_button_and_its_urls_are_404(client: Client, db: None) -> None:
    assert "Sign in with" not in _page(client)
    assert client.get("/login/oidc/").status_code == 404
    assert client.get("/login/oidc/callback/?code=x&state=y").status_code == 404


def test_passwords_off_leave_the_form_to_superusers_only(client: Client, db: None, oidc: None,
                                                         settings) -> None:
    settings.PASSWORD_SIGNIN = False
    assert ("Passwords are turned off: sign in with Okta. The form below is for superusers only "
            "(break-glass).") in _page(client)
    User.objects.create_user("ada", password="pw-for-tests-1")
    response = client.post("/login/", {"username": "ada", "password": "pw-for-tests-1"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Please enter a correct username and password" in response.content.decode()
    User.objects.create_superuser("root", password="pw-for-tests-1")
    response = client.post("/login/", {"username": "root", "password": "pw-for-tests-1"})
    assert response.status_code == 302 and client.session["_auth_user_id"]


def test_a_provider_that_cannot_be_reached_sends_back_to_sign_in_with_a_message(client: Client, db: None,
                                                                                 oidc: None) -> None:
    with responses.RequestsMock() as mock:
        mock.get(f"{ISSUER}/.well-known/openid-configuration", status=503)
        response = client.get("/login/oidc/", follow=True)
    assert response.redirect_chain == [("/login/", 302)]
    assert "Signing in with Okta did not work." in response.content.decode()


def test_a_discovery_document_of_another_issuer_is_refused(client: Client, db: None, oidc: None) -> None:
    with responses.RequestsMock() as mock:
        mock.get(f"{ISSUER}/.well-known/openid-configuration",
                 json={"issuer": "https://evil.example.test", "authorization_endpoint": "https://evil/auth"})
        response = client.get("/login/oidc/")
    assert response["Location"] == "/login/"


def test_the_sign_in_request_carries_state_nonce_and_pkce(client: Client, db: None, oidc: None) -> None:
    with responses.RequestsMock() as mock:
        mock.get(f"{ISSUER}/.well-known/openid-configuration",
                 json={"issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/authorize"})
        location = client.get("/login/oidc/")["Location"]
    assert location.startswith(f"{ISSUER}/authorize?response_type=code&scope=openid+email+profile"
                               "&client_id=admin"
                               "&redirect_uri=http%3A%2F%2Ftestserver%2Flogin%2Foidc%2Fcallback%2F&state=")
    assert re.search(r"&nonce=\w{32}&code_challenge=[\w-]{43}&code_challenge_method=S256$", location)


def test_provider_groups_become_grants_replaced_at_each_sign_in(db: None, oidc: None) -> None:
    user = user_sign_in(issuer=ISSUER, subject="00u1", claims={"preferred_username": "ada",
                                                                "email": "ada@example.com"}, groups=["emea"])
    grant(user, "Auditor", "acc-9")  # made by hand: stays
    assert access_reach(user, VIEW_PERMISSION).accounts == {"acc-1", "acc-2"}
    again = user_sign_in(issuer=ISSUER, subject="00u1", claims={"preferred_username": "ada"}, groups=["ops"])
    assert again.pk == user.pk and again.email == "ada@example.com"
    assert sorted(AccessGrant.objects.filter(user=user).values_list("role", "account_id", "source")) == [
        ("Auditor", "acc-9", "manual"), ("Ops", "", "provider")]
    user_sign_in(issuer=ISSUER, subject="00u1", claims={}, groups=[])  # left every group
    grants = AccessGrant.objects.filter(user=user)
    assert list(grants.values_list("role", "account_id")) == [("Auditor", "acc-9")]


def test_a_provider_user_never_takes_over_a_local_account_of_the_same_name(db: None, oidc: None) -> None:
    local = User.objects.create_superuser("admin", password="pw-for-tests-1")
    user = user_sign_in(issuer=ISSUER, subject="00u2", claims={"preferred_username": "admin"}, groups=[])
    assert user.pk != local.pk and user.username == "admin-00u2" and not user.is_superuser
    assert not user.has_usable_password()


def test_the_audit_log_records_the_providers_issuer_and_subject(client: Client, db: None, oidc: None,
                                                               stackone) -> None:
    user = user_sign_in(issuer=ISSUER, subject="00u3", claims={"preferred_username": "ada"}, groups=["emea"])
    assert SignInIdentity.objects.get(user=user).groups == ["emea"]
    client.force_login(user)
    mock_reads(stackone, after=candidate_json(last_name="Byron"))
    patch_ok(stackone, {"last_name": "Byron"})
    post_step(client, unedited_post(last_name="Byron"))
    entry = AuditEntry.objects.get()
    assert (entry.username, entry.identity_issuer, entry.identity_subject, entry.account_id) == (
        "ada", ISSUER, "00u3", ACCOUNT)
    grant(user, "Auditor", ACCOUNT)
    assert f"00u3 at {ISSUER}" in client.get("/audit/").content.decode()
    export = b"".join(client.get("/audit/export.csv").streaming_content).decode()
    assert export.splitlines()[0].startswith(
        "created_at,completed_at,username,identity_issuer,identity_subject,")
    assert f",ada,{ISSUER},00u3," in export
