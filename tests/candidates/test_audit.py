"""audit_start: a reused form token is a duplicate submission; any other constraint is not."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from candidates.audit import DuplicateSubmission, audit_start
from candidates.models import AuditEntry
from candidates.types import Candidate
from tests.candidates.form_data import candidate_api

pytestmark = pytest.mark.django_db


def _start(form_token: str | None) -> AuditEntry:
    return audit_start(user=None, account_id="acc-1", candidate_id="c-1",
                       original=Candidate.from_api(candidate_api()), body={"title": "CTO"},
                       form_token=form_token)


def test_a_reused_form_token_is_a_duplicate_submission_naming_the_first_attempt() -> None:
    first = _start("token-1")

    with pytest.raises(DuplicateSubmission) as raised:
        _start("token-1")

    assert raised.value.entry == first


def test_a_token_taken_by_a_racing_request_is_a_duplicate_too(monkeypatch: pytest.MonkeyPatch) -> None:
    first = _start("token-1")
    # The other request wrote its row between our check and our insert.
    monkeypatch.setattr("candidates.audit.audit_token_unused", lambda token: None)

    with pytest.raises(DuplicateSubmission) as raised:
        _start("token-1")

    assert raised.value.entry == first


@pytest.mark.parametrize("form_token", ["token-2", None])
def test_another_integrity_error_is_not_reported_as_a_duplicate(
    monkeypatch: pytest.MonkeyPatch, form_token: str | None
) -> None:
    def broken_create(**kwargs: object) -> None:
        raise IntegrityError("NOT NULL constraint failed: candidates_auditentry.changes")

    monkeypatch.setattr(AuditEntry.objects, "create", broken_create)

    with pytest.raises(IntegrityError, match="NOT NULL constraint failed"):
        _start(form_token)
