"""What the directory keeps of a candidate: ``Candidate`` → the column values of its row."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from candidates.types import Candidate


def text_normalise(text: str) -> str:
    """Return ``text`` case-folded, without accents and with single spaces ("Zoë  Ångström" →
    "zoe angstrom"), the form both the stored search text and a query are compared in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())


def _when(value: str | None) -> datetime | None:
    try:
        return parse_datetime(value) if value else None
    except ValueError:
        return None


def entry_fields(candidate: Candidate) -> dict[str, Any]:
    """Return the directory columns of ``candidate`` (all but the account, id and bookkeeping)."""
    emails = [value for value in [candidate.email, *(e.value for e in candidate.emails)] if value]
    emails = list(dict.fromkeys(emails))
    phones = [value for value in [candidate.phone, *(p.phone for p in candidate.phone_numbers)] if value]
    phones = list(dict.fromkeys(phones))
    fields: dict[str, Any] = {
        "remote_id": candidate.remote_id or "",
        "name": candidate.name or " ".join(p for p in (candidate.first_name, candidate.last_name) if p),
        "first_name": candidate.first_name or "",
        "last_name": candidate.last_name or "",
        "email": emails[0] if emails else "",
        "emails": "\n".join(emails),
        "phones": "\n".join(phones),
        "company": candidate.company or "",
        "title": candidate.title or "",
        "country": candidate.country or "",
        "remote_created_at": _when(candidate.created_at),
        "remote_updated_at": _when(candidate.updated_at),
    }
    fields["search_text"] = search_text(candidate.id or "", fields)
    return fields


def search_text(candidate_id: str, fields: dict[str, Any]) -> str:
    """Return the normalised text a query is matched against."""
    parts = [fields["name"], fields["first_name"], fields["last_name"], fields["emails"],
             fields["phones"], fields["company"], fields["title"], candidate_id, fields["remote_id"]]
    return text_normalise(" ".join(part for part in parts if part))
