"""What the directory keeps of a candidate: ``Candidate`` → the column values of its row."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import phonenumbers
from django.utils.dateparse import parse_datetime

from candidates.countries import country_code
from candidates.directory.name_keys import name_words, text_normalise
from candidates.types import Candidate

__all__ = ["entry_fields", "name_text", "phone_digit_forms", "search_text", "text_normalise"]

_NOT_DIGIT = re.compile(r"\D")


def phone_digit_forms(phone: str, region: str | None = None) -> list[str]:
    """Return the digit-only spellings a number can be searched by: as stored, international
    (country code and number) and national (with its trunk prefix, e.g. 0), so that
    ``+44 7700 900123``, ``447700900123``, ``07700 900123`` and ``7700 900123`` all find
    ``+447700900123``. ``region`` (a two-letter country code) reads a number written without its
    country code. A number phonenumbers cannot parse keeps only its own digits."""
    forms = [_NOT_DIGIT.sub("", phone)]
    spelled = phone.strip()
    if spelled.startswith("00"):
        spelled = "+" + spelled[2:]
    try:
        number = phonenumbers.parse(spelled, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None:
        national = str(number.national_number)
        # The trunk prefix ("0" in the UK, "1" in the US) as dialled before a national number.
        region = phonenumbers.region_code_for_country_code(number.country_code or 0)
        trunk = phonenumbers.ndd_prefix_for_region(region, True) or ""
        forms += [f"{number.country_code}{national}", national, trunk + national]
    return [form for form in dict.fromkeys(forms) if form]


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
    fields["name_text"] = name_text(fields)
    fields["company_text"] = " ".join(name_words(fields["company"]))
    fields["search_text"] = search_text(candidate.id or "", fields)
    return fields


def name_text(fields: dict[str, Any]) -> str:
    """Return the words of the names (name, first and last name; see ``name_keys.name_words``),
    one space apart: what typo, sound and prefix search compare."""
    return " ".join(name_words(fields["name"], fields["first_name"], fields["last_name"]))


def search_text(candidate_id: str, fields: dict[str, Any]) -> str:
    """Return the normalised text a query is matched against: every field search covers, each
    phone number also in its digit-only forms (see ``phone_digit_forms``)."""
    region = country_region(fields.get("country", ""))
    digits = [form for phone in fields["phones"].splitlines() for form in phone_digit_forms(phone, region)]
    parts = [fields["name"], fields["first_name"], fields["last_name"], fields["emails"],
             fields["phones"], *digits, fields["company"], fields["title"], candidate_id, fields["remote_id"]]
    text = text_normalise(" ".join(part for part in parts if part))
    # The name words not written as such in the text (Latin letters of another script, "obrien"
    # of O'Brien), so that they are found as typed too.
    spaced = f" {text} "
    extra = [word for word in fields.get("name_text", "").split() if f" {word} " not in spaced]
    return " ".join([text, *extra]) if extra else text


def country_region(country: str) -> str | None:
    """Return the two-letter region of a country as stored ("GB", "gb", "United Kingdom", "UK"),
    which reads a phone number written without its country code; None when unknown (the one
    table: ``candidates.countries``)."""
    return country_code(country)
