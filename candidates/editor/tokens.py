"""One-time form tokens: each rendered edit form carries one; a repeated POST with the same
token (double click, browser resubmit) sends nothing more and shows the first outcome.

Tokens are signed so that one the server never issued is refused as forged.
"""

from __future__ import annotations

import secrets

from django.core import signing

_SALT = "candidates.form-token.v1"


class TokenInvalid(Exception):
    """The token is missing, forged or altered."""


def token_new() -> str:
    """Return a fresh signed token for a rendered form."""
    return signing.dumps(secrets.token_hex(16), salt=_SALT)


def token_nonce(signed: str) -> str:
    """Return the token's nonce (what the audit row stores). Raises TokenInvalid."""
    try:
        nonce = signing.loads(signed, salt=_SALT)
    except signing.BadSignature as exc:
        raise TokenInvalid("forged or altered form token") from exc
    if not isinstance(nonce, str) or len(nonce) != 32:
        raise TokenInvalid("malformed form token")
    return nonce
