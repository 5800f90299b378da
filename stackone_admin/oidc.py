"""Sign-in with an OpenID Connect provider: mozilla-django-oidc's code flow (state, nonce, PKCE
S256, the ID token's signature checked against the provider's keys), with the endpoints
discovered from ``OIDC_ISSUER``'s ``.well-known/openid-configuration``.

At each sign-in the provider's groups (the ``OIDC_GROUPS_CLAIM`` claim) become the user's
provider grants through ``OIDC_GRANTS``, replacing the ones of the previous sign-in; grants made
here stay. The user is found by the provider's (issuer, subject), never by name or email, so an
account of the provider can never take over a local one. docs/operations/access.md.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from candidates.access import grants_replace_from_provider
from candidates.models import SignInIdentity
from stackone_admin.oidc_grants import grants_for_groups

logger = logging.getLogger(__name__)


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read or does not describe ``OIDC_ISSUER``."""


@lru_cache(maxsize=4)
def provider_metadata(issuer: str) -> dict[str, Any]:
    """Return the provider's discovery document (cached for the process; a failure is not
    cached). Raises ProviderUnavailable."""
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"cannot read {url}: {type(exc).__name__}") from exc
    # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was asked for.
    if not isinstance(metadata, dict) or metadata.get("issuer", "").rstrip("/") != issuer:
        raise ProviderUnavailable(f"{url} describes another issuer")
    return metadata


def _metadata() -> dict[str, Any]:
    return provider_metadata(settings.OIDC_ISSUER)


def _failed(request: HttpRequest) -> HttpResponse:
    messages.error(request, f"Signing in with {settings.OIDC_PROVIDER_NAME} did not work. Try again; "
                            "if it keeps failing, tell your administrator.")
    return redirect("login")


class ProviderSignInView(OIDCAuthenticationRequestView):
    """``/login/oidc/``: off to the provider's authorization endpoint with state, nonce and PKCE."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the endpoint is discovered per request, not read from settings
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ISSUER:
            raise Http404("OpenID Connect sign-in is off.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = _metadata()["authorization_endpoint"]
        except (ProviderUnavailable, KeyError) as exc:
            logger.warning("OpenID Connect sign-in unavailable: %s", exc)
            return _failed(request)
        return super().get(request)


class ProviderCallbackView(OIDCAuthenticationCallbackView):
    """``/login/oidc/callback/``: the provider sends the browser back here with the code."""

    def login_failure(self) -> HttpResponse:
        return _failed(self.request)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ISSUER:
            raise Http404("OpenID Connect sign-in is off.")
        try:
            return super().get(request)
        except (ProviderUnavailable, KeyError, requests.RequestException, SuspiciousOperation) as exc:
            logger.warning("OpenID Connect sign-in failed: %s", exc)
            return _failed(request)


class ProviderBackend(OIDCAuthenticationBackend):
    """Authenticates the provider's callback: tokens from the token endpoint, the ID token checked
    (signature, issuer, audience, expiry, nonce), the claims from the userinfo endpoint."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Nothing is fetched here: Django builds backends for every sign-in, passwords included.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not settings.OIDC_ISSUER or request is None or not (request.GET.get("code")
                                                               and request.GET.get("state")):
            return None  # not the provider's callback (a password sign-in)
        metadata = _metadata()
        self.OIDC_OP_TOKEN_ENDPOINT = metadata["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = metadata["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = metadata["jwks_uri"]
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss", "").rstrip("/") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("ID token from another issuer")
        if settings.OIDC_CLIENT_ID not in audiences or not payload.get("sub"):
            raise SuspiciousOperation("ID token for another client, or without a subject")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload["sub"]:  # OpenID Connect Core §5.3.2
            raise SuspiciousOperation("userinfo is about another subject")
        groups = claims.get(settings.OIDC_GROUPS_CLAIM, payload.get(settings.OIDC_GROUPS_CLAIM)) or []
        groups = [str(group) for group in groups] if isinstance(groups, list) else [str(groups)]
        return user_sign_in(issuer=payload["iss"].rstrip("/"), subject=payload["sub"], claims=claims,
                            groups=groups)


def user_sign_in(*, issuer: str, subject: str, claims: dict[str, Any], groups: list[str]) -> Any:
    """Return the user of (``issuer``, ``subject``), created on the first sign-in, with name and
    email from ``claims`` and the provider grants that ``groups`` give (replacing the last ones)."""
    with transaction.atomic():
        identity = (SignInIdentity.objects.select_for_update().select_related("user")
                    .filter(issuer=issuer, subject=subject).first())
        user = identity.user if identity else _user_new(claims, subject)
        user.email = str(claims.get("email") or user.email)[:254]
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        user.save(update_fields=["email", "first_name", "last_name"])
        identity = identity or SignInIdentity(user=user, issuer=issuer, subject=subject)
        identity.groups, identity.last_sign_in = groups, timezone.now()
        identity.save()
        grants_replace_from_provider(user=user, grants=grants_for_groups(settings.OIDC_GRANTS, groups))
    logger.info("OpenID Connect sign-in: %s (%s at %s), groups %s", user.username, subject, issuer, groups)
    return user


def _user_new(claims: dict[str, Any], subject: str) -> Any:
    """A new user named after the provider's ``preferred_username`` (else the email, else the
    subject); a name already taken gets the subject's start appended, never the other account."""
    User = get_user_model()
    name = str(claims.get("preferred_username") or claims.get("email") or subject)[:120]
    if User.objects.filter(username=name).exists():
        name = f"{name}-{subject[:20]}"[:150]
    user = User(username=name)
    user.set_unusable_password()
    user.save()
    return user
