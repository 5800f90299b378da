"""The one write path: every candidate write (a single edit, each bulk row) goes through here.

    write_open   the audit row, outcome ``unknown``, written before anything is sent
    write_send   the PATCH (no database access: a bulk pool thread may call it)
    write_close  the audit row completed with the outcome (saved, saved_with_warnings,
                 rejected, unknown) and, after a success, ``_after_write``

``candidate_write`` runs the three in a row for a single edit (reading the candidate back
after a success); a bulk run calls them itself, the PATCH on its pool threads. Nothing else
calls ``audit_start`` or sends a PATCH, so a step every write needs goes into ``_after_write``,
which announces the write to the wings (``candidates.signals``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from candidates.audit import audit_failed, audit_saved, audit_start
from candidates.editor.compare import not_applied
from candidates.exceptions import StackOneError
from candidates.metrics import save_observed
from candidates.models import AuditEntry
from candidates.signals import announce, candidate_written
from candidates.stackone import StackOneClient
from candidates.types import Candidate, JSONValue, UpdateResult

logger = logging.getLogger(__name__)
READ_BACK_FAILED = "(read-back failed: could not verify)"


@dataclass(frozen=True)
class CandidateWrite:
    """A write whose audit row is open: what is sent, to which candidate, since when."""

    entry: AuditEntry
    account_id: str
    candidate_id: str
    body: dict[str, JSONValue]
    started: float  # time.monotonic() when the audit row was opened
    original: Candidate | None = None  # what the body was computed against


@dataclass(frozen=True)
class WriteSent:
    """StackOne's answer to the PATCH: its result, or the error (never both)."""

    result: UpdateResult | None = None
    error: StackOneError | None = None


@dataclass(frozen=True)
class WriteOutcome:
    """A finished write: the audit outcome, StackOne's answer, and for a single edit the
    candidate read back afterwards and the fields it does not hold."""

    outcome: str  # an AuditEntry.Outcome
    entry: AuditEntry
    result: UpdateResult | None = None
    error: StackOneError | None = None
    current: Candidate | None = None
    not_applied: tuple[str, ...] = field(default=())


def write_open(*, user: Any, account_id: str, candidate_id: str, original: Candidate | None,
               body: dict[str, JSONValue], source: str = "edit", form_token: str | None = None,
               username: str = "", reverts: int | None = None) -> CandidateWrite:
    """Open the write's audit row (outcome ``unknown`` until completed). ``original``: the
    candidate the body was computed against (its values are the audit's "old" ones).
    ``username``: the name recorded when there is no user; ``reverts``: the audit entry of the
    write this one reverts. Raises DuplicateSubmission."""
    entry = audit_start(user=user, account_id=account_id, candidate_id=candidate_id, original=original,
                        body=body, source=source, form_token=form_token, username=username,
                        reverts=reverts)
    return CandidateWrite(entry=entry, account_id=account_id, candidate_id=candidate_id, body=body,
                          started=time.monotonic(), original=original)


def write_send(write: CandidateWrite, *, client: StackOneClient) -> WriteSent:
    """Send the PATCH. Returns StackOne's answer or its error; never touches the database.
    Anything else raised (a bug, the process being killed) leaves the audit row ``unknown``."""
    logger.info("candidate_write account=%s candidate=%s fields=%s", write.account_id, write.candidate_id,
                sorted(write.body))
    try:
        return WriteSent(result=client.candidate_update(account_id=write.account_id,
                                                        candidate_id=write.candidate_id, body=write.body))
    except StackOneError as error:
        return WriteSent(error=error)


def write_close(write: CandidateWrite, sent: WriteSent, *, current: Candidate | None = None,
                warnings: list[str] | None = None, others_changed: list[str] | None = None) -> WriteOutcome:
    """Complete the audit row with the outcome; after a success, run ``_after_write``.
    ``current``: the candidate read back after the PATCH, when it was. Returns the outcome."""
    if sent.result is None:
        assert sent.error is not None
        audit_failed(write.entry, error=sent.error, started=write.started)
        save_observed(source=write.entry.source, outcome=write.entry.outcome)
        return WriteOutcome(outcome=write.entry.outcome, entry=write.entry, error=sent.error)
    audit_saved(write.entry, result=sent.result, warnings=warnings or [], started=write.started,
                others_changed=others_changed or [])
    save_observed(source=write.entry.source, outcome=write.entry.outcome)
    _after_write(write, candidate=current)
    return WriteOutcome(outcome=write.entry.outcome, entry=write.entry, result=sent.result, current=current,
                        not_applied=tuple(warnings or ()))


def candidate_write(*, client: StackOneClient, user: Any, account_id: str, candidate_id: str,
                    original: Candidate, body: dict[str, JSONValue], form_token: str | None = None,
                    others_changed: list[str] | None = None, reverts: int | None = None) -> WriteOutcome:
    """Send a single edit: audit row opened → PATCH → candidate read back (fields it does not
    hold become warnings) → audit row completed. ``reverts``: the audit entry this edit reverts.
    Returns the outcome, its ``error`` set when the PATCH failed. Raises DuplicateSubmission
    (nothing sent)."""
    write = write_open(user=user, account_id=account_id, candidate_id=candidate_id, original=original,
                       body=body, form_token=form_token, reverts=reverts)
    sent = write_send(write, client=client)
    if sent.result is None:
        return write_close(write, sent)
    current, missing = _read_back(client, account_id, candidate_id, body)
    return write_close(write, sent, current=current, warnings=missing, others_changed=others_changed)


def _read_back(client: StackOneClient, account_id: str, candidate_id: str,
               body: dict[str, JSONValue]) -> tuple[Candidate | None, list[str]]:
    """Return the candidate as now held and the sent fields it does not hold.

    A failed read does not undo a confirmed save: it is reported as "could not verify".
    """
    try:
        now = client.candidate_get(account_id=account_id, candidate_id=candidate_id)
    except StackOneError as error:
        logger.warning("read-back after save failed for %s: %s", candidate_id, error.log_text)
        return None, [READ_BACK_FAILED]
    return now, not_applied(body, now)


def _after_write(write: CandidateWrite, *, candidate: Candidate | None) -> None:
    """The post-write step: runs after every successful write, single edit or bulk row, in the
    thread that writes to the database. ``candidate``: the candidate as read back after a single
    edit (None for a bulk row, or when the read-back failed); else the body sent, merged into the
    candidate it was computed against, is what the ATS now holds.

    It announces the write (``signals.candidate_written``): the directory refreshes the row
    (search finds a renamed candidate at once) and data health its findings, with no further
    StackOne call.
    """
    announce(candidate_written, account_id=write.account_id, candidate_id=write.candidate_id, body=write.body,
             read_back=candidate, base=write.original)
