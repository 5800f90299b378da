"""What the review page shows: each changed field with its current and new value, list
fields entry by entry (added, removed, changed; ``change_text`` reads them), and the exact JSON
body that will be sent."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from candidates.editor.change_text import FieldChange, recorded_changes, value_summary
from candidates.editor.compare import body_changes, field_values
from candidates.editor.fields import FIELD_LABELS
from candidates.editor.payloads import CandidateEdit, EmailFollow, candidate_patch_body
from candidates.types import Candidate, CustomFieldDefinition, JSONValue


@dataclass(frozen=True)
class Review:
    changes: tuple[FieldChange, ...]
    body: dict[str, JSONValue]
    # Email and Emails following each other (candidates.editor.email_follow), shown with a "keep" choice.
    email_follow: EmailFollow | None = None

    @property
    def body_json(self) -> str:
        return json.dumps(self.body, indent=2, ensure_ascii=False)


def candidate_review(original: Candidate, edit: CandidateEdit, *,
                     definitions: Iterable[CustomFieldDefinition] = ()) -> Review:
    """Return what the review page shows for saving ``edit`` over ``original`` (the minimal
    PATCH body, empty when nothing changed, and each change as ``change_text`` reads it)."""
    body = candidate_patch_body(original, edit)
    changes = recorded_changes(body_changes(original, body), definitions=definitions)
    return Review(changes=tuple(changes), body=body, email_follow=edit.email_follow)


@dataclass(frozen=True)
class ConflictRow:
    """One field both the user and someone else changed: the three values to choose from."""

    field: str
    label: str
    loaded: str
    now: str
    yours: str


def conflict_rows(*, original: Candidate, current: Candidate, body: dict[str, JSONValue],
                  fields: list[str], definitions: Iterable[CustomFieldDefinition] = ()) -> list[ConflictRow]:
    """Return, per clashing field, its value when loaded, now in StackOne, and the user's."""
    loaded, now = field_values(original), field_values(current)
    definitions = tuple(definitions)

    def shown(name: str, value: JSONValue) -> str:
        return value_summary(name, value, definitions=definitions)

    return [ConflictRow(field=name, label=FIELD_LABELS.get(name, name), loaded=shown(name, loaded.get(name)),
                        now=shown(name, now.get(name)), yours=shown(name, body.get(name))) for name in fields]
