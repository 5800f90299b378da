"""Countries as people write them ("United Kingdom", "UK", "gb", "Deutschland" is not one):
ISO 3166 names, common and official names, alpha-2 and alpha-3 codes in any case, and a few
well-known spellings ISO writes otherwise. Read by the phone rule (a national number's region)
by data health's country check and by the directory (a phone's digit forms for search)."""

from __future__ import annotations

from functools import lru_cache

import pycountry

# Abbreviations ISO 3166 does not list, mapped to the code they mean.
COUNTRY_ALIASES = {"uk": "GB", "u.k.": "GB", "great britain": "GB", "u.s.": "US", "u.s.a.": "US"}
# Names that say which phone region (and country code) is meant, though data health does not
# rewrite them into another country's name ("England" stays England).
REGION_ALIASES = {"england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
                  "south korea": "KR", "north korea": "KP", "iran": "IR", "syria": "SY", "taiwan": "TW",
                  "vietnam": "VN", "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
                  "moldova": "MD"}
# Well-known English names ISO 3166 spells otherwise: accepted as they are.
COUNTRY_NAMES_ALSO = {
    "Turkey": "TR",
    "Russia": "RU",
    "Ivory Coast": "CI",
    "Cape Verde": "CV",
    "Brunei": "BN",
    "Vatican City": "VA",
    "Palestine": "PS",
    "Micronesia": "FM",
    "Macedonia": "MK",
    "Swaziland": "SZ",
}


def collapse(value: str) -> str:
    """Return ``value`` with runs of whitespace as one space, trimmed."""
    return " ".join(value.split())


@lru_cache(maxsize=1)
def _countries() -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    """(names accepted as they are: ISO 3166's name, common and official names; lower-cased
    name or code → the normalised name, the common name where ISO gives one; lower-cased name
    or code → the alpha-2 code)."""
    accepted: set[str] = set()
    lookup: dict[str, str] = {}
    codes: dict[str, str] = {}
    for country in pycountry.countries:
        normal = getattr(country, "common_name", None) or country.name
        accepted.update(
            name for name in (country.name, normal, getattr(country, "official_name", None)) if name
        )
        for label in (country.name, getattr(country, "official_name", None),
                      getattr(country, "common_name", None), country.alpha_2, country.alpha_3):
            if label:
                lookup.setdefault(label.lower(), normal)
                codes.setdefault(label.lower(), country.alpha_2)
    for alias, code in COUNTRY_ALIASES.items():
        country = pycountry.countries.get(alpha_2=code)
        lookup[alias] = getattr(country, "common_name", None) or country.name
        codes[alias] = code
    for name, code in COUNTRY_NAMES_ALSO.items():
        accepted.add(name)
        lookup[name.lower()] = name
        codes[name.lower()] = code
    for alias, code in REGION_ALIASES.items():
        codes.setdefault(alias, code)
    return frozenset(accepted), lookup, codes


def country_accepted(value: str) -> bool:
    """Return True when ``value`` is a country's name as ISO 3166 (or common use) writes it."""
    return value in _countries()[0]


def country_code(value: str | None) -> str | None:
    """Return the ISO alpha-2 code of a country name or code in any case, or None."""
    return _countries()[2].get(collapse(value).lower()) if value else None


def country_normal(value: str) -> str | None:
    """Return the country's name for a name, official name or ISO code in any case, or None."""
    return _countries()[1].get(collapse(value).lower())


def country_name(code: str) -> str:
    """Return the name people know the country of an alpha-2 ``code`` by ("GB" → "United Kingdom")."""
    country = pycountry.countries.get(alpha_2=code.upper())
    return (getattr(country, "common_name", None) or country.name) if country else code
