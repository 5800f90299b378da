"""The per-candidate data-health checks: pure functions ``(Candidate, CheckContext)`` →
``[Finding]``, and ``CHECKS``, the one list of every check (per-candidate and cross-candidate).

A finding carries a fix only when the fix provably keeps every piece of information and its
value is certain (docs/user/data-health.md): whitespace collapsed, an empty name filled from first
+ last, a phone number that is valid in a country it was written with or the candidate's own, the
Email added to Emails, an ISO code written as its country's name. Everything else is reported
for a person to decide. A fix value is never a bulk marker, never spans lines and never starts
like a spreadsheet formula (``fix_value_problem``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

import phonenumbers
from django.conf import settings
from django.utils.dateparse import parse_datetime
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from candidates.bulk.handoff import CLEAR_MARKER
from candidates.countries import country_accepted, country_code, country_normal
from candidates.csv_cells import FORMULA_STARTS
from candidates.phones import INTERNATIONAL_PREFIX
from candidates.types import Candidate, CustomFieldDefinition, JSONValue


@dataclass(frozen=True)
class Finding:
    """One problem in one candidate's field (``row``: index in a list field; for an append fix,
    the list's length). ``fix`` is the new scalar or the new list row, None when no fix keeps
    every piece of information; ``list_value`` is the list as read when a list row has a fix.
    ``guessed_region``: the region a phone fix was read in when the candidate's country is not
    known (HEALTH_PHONE_REGION): such a fix is listed apart and never part of "Apply all"."""

    check: str
    candidate_id: str
    field: str
    row: int | None
    value: str
    note: str
    fix: JSONValue = None
    list_value: list[dict[str, JSONValue]] | None = None
    guessed_region: str = ""


@dataclass(frozen=True)
class CheckContext:
    """What a per-candidate check reads besides the candidate: the account's custom field
    definitions (by id and by remote id) and the region national phone numbers are read in when
    the candidate's country is not known ("" = none: such numbers are reported, not read)."""

    definitions: Mapping[str, CustomFieldDefinition] = field(default_factory=dict)
    region: str = ""


def check_context(
    *, definitions: Iterable[CustomFieldDefinition] | None = None, region: str | None = None
) -> CheckContext:
    """Return the context for one account's checks (``region`` None: the HEALTH_PHONE_REGION
    setting)."""
    by_id: dict[str, CustomFieldDefinition] = {}
    for definition in definitions or ():
        for key in (definition.id, definition.remote_id):
            if key:
                by_id.setdefault(key, definition)
    return CheckContext(
        definitions=by_id,
        region=(settings.HEALTH_PHONE_REGION if region is None else region).strip().upper(),
    )


CheckRun = Callable[[Candidate, CheckContext], list["Finding"]]


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    description: str
    fixes: str  # what its fix does, or "" when it has none
    run: CheckRun | None = None  # None: computed across candidates from the directory (clusters.py)

    @property
    def cross(self) -> bool:
        return self.run is None


TEXT_FIELDS = ("name", "first_name", "last_name", "company", "title", "country")
E164 = re.compile(r"\+[1-9][0-9]{1,14}")
NOTE_MAX = 500
# The characters str.splitlines() breaks a line at.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def capped_note(text: str) -> str:
    """Return ``text`` cut to what a finding's note holds."""
    return text if len(text) <= NOTE_MAX else text[: NOTE_MAX - 1] + "…"


def fix_value_problem(value: str) -> str | None:
    """Return why ``value`` may not be written by a fix, or None. A fix never writes the bulk
    marker that clears a field, a value that spans lines, or one a spreadsheet would run as a
    formula (leading = + - @; a phone fix in E.164 is exempt: it is ``+`` and digits only)."""
    if any(char in LINE_BREAKS for char in value):
        return "it spans lines"
    if value.strip().upper() == CLEAR_MARKER.upper():
        return f"it is the bulk marker {CLEAR_MARKER}, which clears a field"
    if value[:1] in FORMULA_STARTS and not E164.fullmatch(value):
        return f"it starts with {value[:1]}, which a spreadsheet runs as a formula"
    return None


def fix_text(fix: JSONValue) -> str:
    """Return the text a fix writes: the value itself, or a list row's number or address."""
    if isinstance(fix, dict):
        return str(fix.get("phone") or fix.get("value") or "")
    return "" if fix is None else str(fix)


def _safe(finding: Finding, shown: str) -> Finding:
    """Return ``finding`` as it is when its fix (``shown``: the text that fix writes) may be
    written, else without a fix and with the reason in its note (``fix_value_problem``)."""
    problem = fix_value_problem(shown)
    if problem is None:
        return finding
    return replace(
        finding,
        fix=None,
        list_value=None,
        guessed_region="",
        note=capped_note(f"{finding.note} No fix: it would write {shown!r}, and {problem}."),
    )


# -- 1. invalid emails ---------------------------------------------------------------------------


# Plain ASCII addresses email-validator always accepts: a dot-atom local part, and LDH labels
# with an alphabetic top-level label (no "--", so no punycode or reserved labels). They skip the
# full validation, which costs about 0.35 ms an address (tests/health/test_checks.py proves the
# fast path never accepts what email-validator rejects).
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
FAST_EMAIL = re.compile(
    rf"{_ATEXT}(?:\.{_ATEXT})*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+[A-Za-z]{{2,63}}"
)
_SPECIAL_USE = frozenset(SPECIAL_USE_DOMAIN_NAMES)


def email_plainly_valid(value: str) -> bool:
    """True when ``value`` is a plain address email-validator accepts, without running it."""
    if len(value) > 254 or not FAST_EMAIL.fullmatch(value):
        return False
    local, _, domain = value.rpartition("@")
    domain = domain.lower()
    # Every special-use name is one label, and a plain domain has a dot: its last label decides.
    return len(local) <= 64 and "--" not in domain and domain.rpartition(".")[2] not in _SPECIAL_USE


def email_problem(value: str) -> str | None:
    """Return why ``value`` is not a valid address (RFC 5322/6531, no DNS), or None."""
    if email_plainly_valid(value):
        return None
    return _email_problem(value)


@lru_cache(maxsize=4096)
def _email_problem(value: str) -> str | None:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def check_invalid_email(candidate: Candidate, context: CheckContext) -> list[Finding]:
    found = []
    cid = candidate.id or ""
    if candidate.email and (problem := email_problem(candidate.email)):
        found.append(Finding("invalid_email", cid, "email", None, candidate.email, capped_note(problem)))
    for index, row in enumerate(candidate.emails):
        if row.value and (problem := email_problem(row.value)):
            found.append(Finding("invalid_email", cid, "emails", index, row.value, capped_note(problem)))
    return found


# -- 2. Email among Emails ------------------------------------------------------------------------


def email_key(value: str) -> str:
    """Return the address as compared within one candidate: trimmed, domain lower-cased (the
    local part may be case-sensitive, so "Jose@x" and "jose@x" stay two addresses)."""
    local, at, domain = value.strip().rpartition("@")
    return f"{local}@{domain.lower()}" if at else value.strip()


def check_email_list(candidate: Candidate, context: CheckContext) -> list[Finding]:
    found = []
    cid = candidate.id or ""
    rows: list[dict[str, JSONValue]] = [{"type": row.type, "value": row.value} for row in candidate.emails]
    seen: dict[str, int] = {}
    for index, row in enumerate(candidate.emails):
        if not row.value or not row.value.strip():
            continue
        key = email_key(row.value)
        if key in seen:
            found.append(
                Finding("email_list", cid, "emails", index, row.value, f"Repeats Emails row {seen[key] + 1}.")
            )
        else:
            seen[key] = index
    email = candidate.email
    if email and email.strip() and email_key(email) not in seen:
        valid = email_problem(email.strip()) is None
        finding = Finding(
            "email_list",
            cid,
            "emails",
            len(rows),
            email,
            "The Email is not among the Emails."
            + ("" if valid else " Not added: it is not a valid address."),
            fix={"type": "other", "value": email.strip()} if valid else None,
            list_value=rows if valid else None,
        )
        found.append(_safe(finding, email.strip()) if valid else finding)
    return found


# -- 4. phone numbers --------------------------------------------------------------------------

@dataclass(frozen=True)
class PhoneReading:
    """A stored phone number read: ``e164`` when it is a valid number, else None and ``problem``
    says why; ``national``: it was read in a region (written without its country code)."""

    e164: str | None
    problem: str = ""
    national: bool = False


@lru_cache(maxsize=65536)
def phone_reading(value: str, region: str) -> PhoneReading:
    """Return ``value`` read as a phone number: as written when it starts with + or 00, else as a
    national number of ``region`` ("" = not read). Only a valid number (python-phonenumbers'
    ``is_valid_number``: a real range and length, not merely a possible length) gets its E.164."""
    international = INTERNATIONAL_PREFIX.match(value)
    if international:
        text, read_in = value[: international.start(1)] + "+" + value[international.end(1) :], None
    elif region:
        text, read_in = value, region
    else:
        return PhoneReading(
            None,
            "Written without its country code (+ or 00), and the candidate's country is not known: "
            "not read, since a guessed country could make it another number.",
        )
    try:
        number = phonenumbers.parse(text, read_in)
    except phonenumbers.NumberParseException:
        return PhoneReading(None, "Cannot be read as a phone number.", national=read_in is not None)
    if not phonenumbers.is_valid_number(number):
        if read_in is None:
            return PhoneReading(
                None, "Not a valid phone number for its country code (a digit missing or too many?)."
            )
        return PhoneReading(
            None,
            f"Not a valid {read_in} number: written without its area code, or a digit missing or too many.",
            national=True,
        )
    if number.extension:
        # E.164 has no place for an extension: rewriting the number would drop it (the editor
        # keeps such a number as typed too), so a person decides.
        return PhoneReading(None, "Has an extension, which E.164 cannot hold: not rewritten, so that the "
                                  "extension is not lost.", national=read_in is not None)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return PhoneReading(e164, national=read_in is not None)


def _phone_finding(
    cid: str,
    field: str,
    row: int | None,
    value: str,
    region: str,
    guessed: bool,
    rows: list[dict[str, JSONValue]] | None,
) -> Finding | None:
    if E164.fullmatch(value):
        return None
    reading = (
        phone_reading(value, region)
        if len(value) <= 64
        else PhoneReading(None, "Too long for a phone number.")
    )
    if reading.e164 is None:
        return Finding("phone_format", cid, field, row, value, reading.problem)
    fix: JSONValue = reading.e164
    if rows is not None and row is not None:
        fix = {**rows[row], "phone": reading.e164}
    if not reading.national:
        note, guessed_region = "Not in E.164.", ""
    elif guessed:
        note = (
            f"Not in E.164. Read as a {region} number (HEALTH_PHONE_REGION) because the candidate's "
            "country is not known: check it before fixing."
        )
        guessed_region = region
    else:
        note, guessed_region = f"Not in E.164 (read as a {region} number: the candidate's country).", ""
    finding = Finding(
        "phone_format", cid, field, row, value, note, fix=fix, list_value=rows, guessed_region=guessed_region
    )
    return _safe(finding, reading.e164)


def check_phone_format(candidate: Candidate, context: CheckContext) -> list[Finding]:
    """National numbers are read in the candidate's country when it is recognised, else in the
    context's region (the fix is then marked ``guessed_region``), else not at all."""
    own = country_code(candidate.country)
    region, guessed = (own, False) if own else (context.region, bool(context.region))
    found = []
    cid = candidate.id or ""
    if candidate.phone and candidate.phone.strip():
        if finding := _phone_finding(cid, "phone", None, candidate.phone, region, guessed, None):
            found.append(finding)
    rows: list[dict[str, JSONValue]] = [
        {"type": row.type, "phone": row.phone} for row in candidate.phone_numbers
    ]
    for index, row in enumerate(candidate.phone_numbers):
        if row.phone and row.phone.strip():
            if finding := _phone_finding(cid, "phone_numbers", index, row.phone, region, guessed, rows):
                found.append(finding)
    return found


# -- 5. names and spaces -------------------------------------------------------------------------


# Whitespace that collapse() would change: at either end, two in a row, or any but a plain space.
BAD_SPACES = re.compile(r"^\s|\s$|\s\s|[^\S ]")


def collapse(value: str) -> str:
    """Return ``value`` trimmed, with every run of whitespace made one space."""
    return " ".join(value.split())


def _name_matches(name: str, first: str, last: str) -> bool:
    """True when ``name`` is first + last in either order (family name first is common in East
    Asia: "李小龙" = 李 + 小龙), with or without the space between them."""
    return name in (f"{first} {last}", f"{last} {first}", first + last, last + first)


def check_name_spacing(candidate: Candidate, context: CheckContext) -> list[Finding]:
    """Only whitespace is ever rewritten, and an empty name filled from first + last. A name
    that differs from first + last is reported only: it may hold a middle name ("Ada Augusta
    Byron"), the name the person goes by ("Bill Gates", first name William), a title or a second
    family name ("María José García López"), which first + last would lose."""
    found = []
    cid = candidate.id or ""
    first, last = collapse(candidate.first_name or ""), collapse(candidate.last_name or "")
    joined = f"{first} {last}".strip()
    name = candidate.name or ""
    if not name.strip():
        empty = Finding("name_spacing", cid, "name", None, name, "The name is empty.")
        found.append(_safe(replace(empty, fix=joined), joined) if joined else empty)
    elif first and last and not _name_matches(collapse(name), first, last):
        found.append(
            Finding(
                "name_spacing",
                cid,
                "name",
                None,
                name,
                capped_note(
                    f"Not first name + last name ({joined!r}). Reported only: it may hold a middle name, "
                    "the name the person goes by, a title or a second family name."
                ),
            )
        )
    for text_field in TEXT_FIELDS:
        value = getattr(candidate, text_field) or ""
        if not value.strip() or not BAD_SPACES.search(value):
            continue
        fixed = collapse(value)
        if fixed == value.strip():
            # The app compares and sends text trimmed (editor.fields.text), so a bulk job would see
            # "no change": reported, with no fix to offer until that comparison keeps the spaces.
            found.append(Finding("name_spacing", cid, text_field, None, value, "Leading or trailing spaces."))
        else:
            spaced = Finding(
                "name_spacing",
                cid,
                text_field,
                None,
                value,
                "Spaces to collapse: doubled, tabs, line breaks or no-break spaces.",
            )
            found.append(_safe(replace(spaced, fix=fixed), fixed))
    return found


# -- 6. social links -----------------------------------------------------------------------------

# The hosts a social link type must point to (a subdomain counts: www.linkedin.com).
SOCIAL_HOSTS: dict[str, tuple[str, ...]] = {
    "linkedin": ("linkedin.com", "lnkd.in"),
    "github": ("github.com",),
    "gitlab": ("gitlab.com",),
    "twitter": ("twitter.com", "x.com"),
    "x": ("x.com", "twitter.com"),
    "facebook": ("facebook.com", "fb.com"),
    "instagram": ("instagram.com",),
    "youtube": ("youtube.com", "youtu.be"),
    "stackoverflow": ("stackoverflow.com",),
    "dribbble": ("dribbble.com",),
    "behance": ("behance.net",),
    "medium": ("medium.com",),
}


# The common shape, read without urlsplit: http(s)://host[:port] then /, ?, # or the end.
PLAIN_URL = re.compile(r"https?://([A-Za-z0-9.-]+)(?::[0-9]{1,5})?(?:[/?#]|$)", re.IGNORECASE)


def social_link_problem(type_: str | None, url: str) -> str | None:
    """Return what is wrong with a social link, or None."""
    url = url.strip()
    plain = PLAIN_URL.match(url)
    if plain:
        host = plain.group(1).lower()
    else:
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            return "The address is not a URL."
        if parts.scheme.lower() not in ("http", "https") or not host:
            return "The address is not an http(s) URL."
    hosts = SOCIAL_HOSTS.get((type_ or "").strip().lower())
    if hosts and not any(host == h or host.endswith("." + h) for h in hosts):
        return f"Type {type_} but the address is on {host}."
    return None


def check_social_link(candidate: Candidate, context: CheckContext) -> list[Finding]:
    found = []
    for index, link in enumerate(candidate.social_links):
        if link.url and link.url.strip() and (problem := social_link_problem(link.type, link.url)):
            found.append(
                Finding(
                    "social_link", candidate.id or "", "social_links", index, link.url, capped_note(problem)
                )
            )
    return found


# -- 7. countries --------------------------------------------------------------------------------

# The names and codes accepted, and each one's code: candidates/countries.py (the phone rule reads
# a national number in the candidate's country with the same table).


def check_country(candidate: Candidate, context: CheckContext) -> list[Finding]:
    value = candidate.country or ""
    if not value.strip():
        return []
    if country_accepted(collapse(value)):
        return []  # spacing alone is reported by name_spacing
    normal = country_normal(value)
    cid = candidate.id or ""
    if normal is None:
        return [Finding("country", cid, "country", None, value, "Not recognised as a country name or code.")]
    return [_safe(Finding("country", cid, "country", None, value, f"Means {normal}.", fix=normal), normal)]


# -- 9. custom field values ----------------------------------------------------------------------


def _is_number(value: JSONValue) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_date(value: JSONValue) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return parse_datetime(value) is not None or bool(date.fromisoformat(value))
    except ValueError:
        return False


def _option_labels(definition: CustomFieldDefinition) -> set[str]:
    labels: set[str] = set()
    for option in definition.options:
        if isinstance(option, dict):
            labels.update(str(option[key]) for key in ("id", "value") if option.get(key) is not None)
        elif option is not None:
            labels.add(str(option))
    return labels


def custom_value_problem(
    value: JSONValue, definition: CustomFieldDefinition, value_id: str | None = None
) -> str | None:
    """Return why ``value`` does not fit ``definition``'s type, or None (also for an empty value
    and types it cannot judge)."""
    kind = (definition.type or "").lower()
    if value is None or value == "":
        return None
    if kind == "integer" and not (_is_number(value) and float(value).is_integer()):  # type: ignore[arg-type]
        return "Not a whole number."
    if kind == "float" and not _is_number(value):
        return "Not a number."
    if kind in ("boolean", "checkbox") and not isinstance(value, bool):
        return "Not true or false."
    if kind == "date" and not _is_date(value):
        return "Not a date."
    if kind == "text" and not isinstance(value, str):
        return "Not text."
    if kind == "url" and not (isinstance(value, str) and urlsplit(value.strip()).scheme in ("http", "https")):
        return "Not an http(s) address."
    options = _option_labels(definition)
    if kind == "single_select":
        if isinstance(value, (list, dict)):
            return "Not a single option."
        if options and str(value) not in options and (value_id or "") not in options:
            return "Not among the field's options."
    if kind in ("multi_select", "list"):
        if not isinstance(value, list):
            return "Not a list."
        if kind == "multi_select" and options:
            unknown = [str(item) for item in value if str(item) not in options]
            if unknown:
                return "Not among the field's options: " + ", ".join(unknown)
    return None


def check_custom_field_type(candidate: Candidate, context: CheckContext) -> list[Finding]:
    by_id = context.definitions
    if not by_id:
        return []
    found = []
    for index, custom in enumerate(candidate.custom_fields):
        matched = by_id.get(custom.id or "") or by_id.get(custom.remote_id or "")
        if matched is None:
            continue
        definition = matched
        if problem := custom_value_problem(custom.value, definition, custom.value_id):
            shown = custom.value if isinstance(custom.value, str) else _json_text(custom.value)
            label = definition.name or definition.id or "custom field"
            found.append(
                Finding(
                    "custom_field_type",
                    candidate.id or "",
                    "custom_fields",
                    index,
                    shown,
                    capped_note(f"{label} ({definition.type}): {problem}"),
                )
            )
    return found


def _json_text(value: JSONValue) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- all of them ---------------------------------------------------------------------------------

CHECKS: tuple[Check, ...] = (
    Check(
        "invalid_email",
        "Invalid email addresses",
        "An Email or Emails address that is not a valid address (checked without DNS).",
        "",
        check_invalid_email,
    ),
    Check(
        "email_list",
        "Email missing from Emails, or listed twice",
        "The Email is not among the Emails, or an Emails row repeats another.",
        "adds the Email to the Emails",
        check_email_list,
    ),
    Check(
        "duplicate_email",
        "Same email on several candidates",
        "Two or more candidates share an email address: possible duplicates.",
        "",
    ),
    Check(
        "phone_format",
        "Phone numbers not in E.164",
        "A phone number not in international E.164 form (+441234567890), or one that cannot be read.",
        "rewrites a valid number in E.164 when its country is certain (written with + or 00, or the "
        "candidate's own country)",
        check_phone_format,
    ),
    Check(
        "name_spacing",
        "Names and spaces",
        "The name is empty or differs from first name + last name, or a text field has leading, "
        "trailing or doubled spaces.",
        "collapses doubled spaces; fills an empty name with first + last (a name that differs is "
        "reported only)",
        check_name_spacing,
    ),
    Check(
        "social_link",
        "Social links",
        "A social link whose type does not match its address (a linkedin link to github.com), or "
        "whose address is not http(s).",
        "",
        check_social_link,
    ),
    Check(
        "country",
        "Countries",
        "A country that is not written as a country's name.",
        "writes the country's name",
        check_country,
    ),
    Check(
        "company_cluster",
        "Company spellings",
        "Company names that differ only in case, punctuation, accents or legal suffix.",
        "uses the spelling you pick (by default the most common, exactly as written)",
    ),
    Check(
        "custom_field_type",
        "Custom field values",
        "A custom field value whose type does not match its definition (text in a number field, an "
        "option that is not among the options).",
        "",
        check_custom_field_type,
    ),
)
CHECK_NAMES = tuple(check.name for check in CHECKS)
CHECKS_BY_NAME = {check.name: check for check in CHECKS}
CUSTOM_CHECK = "custom_field_type"


def candidate_findings(candidate: Candidate, context: CheckContext) -> list[Finding]:
    """Return every per-candidate finding of ``candidate`` (each check of ``CHECKS`` that runs
    per candidate, in that order)."""
    return [finding for check in CHECKS if check.run is not None for finding in check.run(candidate, context)]
