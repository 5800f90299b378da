"""The one rule for a phone number someone types, shared by the edit page and bulk cells: read
it, and store it in E.164 (``+442079460099``: no spaces, no punctuation), which every search,
data-health check and ATS reads the same way.

A number that starts with ``+`` (or ``00``) carries its country. A national one
(``020 7946 0099``) is read only where its region is certain: the candidate's country, else the
account's default region (settings ``PHONE_ACCOUNT_REGIONS``, then ``PHONE_DEFAULT_REGION``), and
only when it is a valid number there. An extension (``… ext. 12``) has no place in E.164: such
a number is kept as typed, never cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from phonenumbers import PhoneNumberFormat

from candidates.countries import country_code, country_name

INTERNATIONAL_HINT = "start with + and the country code, e.g. +44 7700 900123"
# Written with its country code: "+" or the international prefix "00" first (after any bracket or
# space), e.g. "(+44) 20 …", "0049 151 …" (data health reads stored numbers by the same rule).
INTERNATIONAL_PREFIX = re.compile(r"^[^\d+]*(\+|00)")


@dataclass(frozen=True)
class PhoneRegion:
    """Where a national number is read: an ISO 3166 alpha-2 ``code`` and why (``source``)."""

    code: str
    source: str  # "the candidate's country" or "this account's default region"

    @property
    def text(self) -> str:
        return f"{country_name(self.code)} ({self.source})"


def phone_region(*, country: str | None, account_id: str | None) -> PhoneRegion | None:
    """Return the region a national number of this candidate is read in: its ``country``, else
    the account's default region (settings); None when neither is known."""
    code = country_code(country)
    if code and code in phonenumbers.SUPPORTED_REGIONS:
        return PhoneRegion(code, "the candidate's country")
    # (settings upper-cases both)
    default = settings.PHONE_ACCOUNT_REGIONS.get(account_id or "") or settings.PHONE_DEFAULT_REGION
    if default in phonenumbers.SUPPORTED_REGIONS:
        return PhoneRegion(default, "this account's default region")
    return None


def phone_stored(value: str, *, region: PhoneRegion | None) -> str:
    """Return the number typed in ``value`` as it is stored: E.164, or as typed when it has an
    extension. Raises ValidationError saying what to type instead."""
    text = value.strip()
    international = INTERNATIONAL_PREFIX.match(text)
    read = text[:international.start(1)] + "+" + text[international.end(1):] if international else text
    try:
        number = phonenumbers.parse(read, None if international else (region.code if region else None))
    except phonenumbers.NumberParseException as exc:
        if not international and region is None and sum(char.isdigit() for char in text) >= 3:
            raise ValidationError("This number has no country code and the candidate's country is not "
                                  f"known: {INTERNATIONAL_HINT}.", code="invalid") from exc
        raise ValidationError(f"This is not a phone number: {INTERNATIONAL_HINT}.", code="invalid") from exc
    if international:
        if not phonenumbers.is_possible_number(number):
            raise ValidationError("This is not a possible phone number for its country code.", code="invalid")
    elif not phonenumbers.is_valid_number(number):
        # Read in a region: only a number valid there is certain.
        assert region is not None
        raise ValidationError(f"This is not a valid number in {region.text}: {INTERNATIONAL_HINT}.",
                              code="invalid")
    if number.extension:
        return text
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)
