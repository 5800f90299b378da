"""Deterministic demo data for the sandbox (``manage.py sandbox_seed`` / ``seed_sandbox()``).

Same data on every machine: a fixed ``random.Random`` seed and fixed timestamps (never "now").

Accounts
  ``sbx-greenhouse``  "Greenhouse (sandbox)", active, 64 candidates ``c-0001`` … ``c-0064``
  ``sbx-lever``       "Lever (sandbox)", active, 10 candidates (``lv-0001`` …, one id with a slash)
  ``sbx-workable``    "Workable (sandbox)", **inactive** (the API answers 412), 3 candidates

``c-0001`` is Ada Lovelace with a fixed shape that browser tests rely on (see ADA below).
"""

from __future__ import annotations

import copy
import itertools
import random
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from sandbox.models import SandboxAccount, SandboxCandidate, SandboxCustomFieldDefinition, build_email_index
from sandbox.population import TAGS, candidate_population  # one tag list for the demo data and the population
from sandbox.store import COLUMN_FIELDS

SEED = 20240108
BASE_TIME = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
LATEST_TIME = datetime(2025, 6, 30, 17, 0, tzinfo=UTC)

GREENHOUSE = "sbx-greenhouse"
LEVER = "sbx-lever"
WORKABLE = "sbx-workable"
ADA_ID = "c-0001"
SLASH_ID = "lv/0010"  # provider ids may contain "/" (sent as %2F in the URL path)

ACCOUNTS = [
    {
        "id": GREENHOUSE,
        "provider": "greenhouse",
        "provider_name": "Greenhouse",
        "status": "active",
        "label": "Greenhouse (sandbox)",
        "origin_owner_id": "org-acme-eu",
        "origin_owner_name": "Acme Recruiting Ltd",
        "origin_username": "talent@acme.example",
        "created_at": datetime(2024, 1, 2, 9, 0, tzinfo=UTC),
        "updated_at": datetime(2024, 1, 2, 9, 0, tzinfo=UTC),
    },
    {
        "id": LEVER,
        "provider": "lever",
        "provider_name": "Lever",
        "status": "active",
        "label": "Lever (sandbox)",
        "origin_owner_id": "org-acme-us",
        "origin_owner_name": "Acme Recruiting Inc.",
        "origin_username": "hiring@acme.example",
        "created_at": datetime(2024, 1, 3, 9, 0, tzinfo=UTC),
        "updated_at": datetime(2024, 1, 3, 9, 0, tzinfo=UTC),
    },
    {
        "id": WORKABLE,
        "provider": "workable",
        "provider_name": "Workable",
        "status": "inactive",
        "label": "Workable (sandbox)",
        "origin_owner_id": "org-acme-apac",
        "origin_owner_name": "Acme Recruiting Pty",
        "origin_username": "",
        "created_at": datetime(2024, 1, 4, 9, 0, tzinfo=UTC),
        "updated_at": datetime(2024, 2, 1, 9, 0, tzinfo=UTC),
    },
]

STAGE_OPTIONS = [
    {"id": "opt_stage_not_started", "value": "Not Started"},
    {"id": "opt_stage_in_progress", "value": "In Progress"},
    {"id": "opt_stage_completed", "value": "Completed"},
]
SKILL_OPTIONS = [
    {"id": f"opt_skill_{slug}", "value": label}
    for slug, label in [
        ("python", "Python"),
        ("django", "Django"),
        ("sql", "SQL"),
        ("typescript", "TypeScript"),
        ("react", "React"),
        ("go", "Go"),
        ("rust", "Rust"),
        ("k8s", "Kubernetes"),
        ("ml", "Machine learning"),
        ("ux", "UX research"),
    ]
]


def _definition(cf_id, remote_id, name, type_value, source, description, options=None) -> dict[str, Any]:
    return {
        "id": cf_id,
        "remote_id": remote_id,
        "name": name,
        "description": description,
        "type": {"value": type_value, "source_value": source},
        "options": options,
    }


CUSTOM_FIELD_DEFINITIONS = {
    GREENHOUSE: [
        _definition(
            "cf_notice_period",
            "r_cf_notice",
            "Notice period (days)",
            "integer",
            "number",
            "Contractual notice period in days",
        ),
        _definition(
            "cf_relocate",
            "r_cf_relocate",
            "Willing to relocate",
            "boolean",
            "boolean",
            "Candidate is open to relocation",
        ),
        _definition(
            "cf_stage",
            "r_cf_stage",
            "Screening status",
            "single_select",
            "single_select",
            "Where the phone screen stands",
            STAGE_OPTIONS,
        ),
        _definition(
            "cf_salary_expectation",
            "r_cf_salary",
            "Salary expectation (EUR)",
            "float",
            "currency",
            "Expected gross yearly salary",
        ),
        _definition(
            "cf_available_from", "r_cf_available", "Available from", "date", "date", "Earliest start date"
        ),
        _definition(
            "cf_skills", "r_cf_skills", "Skills", "multi_select", "multi_select", "Key skills", SKILL_OPTIONS
        ),
        _definition(
            "cf_referrer", "r_cf_referrer", "Referred by", "text", "short_text", "Name of the referrer"
        ),
        _definition("cf_portfolio", "r_cf_portfolio", "Portfolio URL", "url", "url", "Public portfolio"),
    ],
    LEVER: [
        _definition("cf_notice_period", "lv_notice", "Notice period (days)", "integer", "number", None),
        _definition(
            "cf_stage", "lv_stage", "Screening status", "single_select", "dropdown", None, STAGE_OPTIONS
        ),
        _definition("cf_source", "lv_source", "Source", "text", "text", "Where the candidate came from"),
        _definition("cf_skills", "lv_skills", "Skills", "multi_select", "multi-select", None, SKILL_OPTIONS),
    ],
    WORKABLE: [
        _definition("cf_notice_period", "wk_notice", "Notice period (days)", "integer", "number", None),
    ],
}

# The fixed record browser tests rely on. Do not change without updating tests/e2e.
ADA: dict[str, Any] = {
    "name": "Ada Lovelace",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "emails": [
        {"type": "personal", "value": "ada@example.com"},
        {"type": "work", "value": "ada.lovelace@analytical.example"},
    ],
    "social_links": [{"type": "linkedin", "url": "https://www.linkedin.com/in/ada-lovelace"}],
    "phone": None,
    "phone_numbers": [
        {"type": "mobile", "phone": "+447700900123"},
        {"type": "work", "phone": "+442079460000"},
    ],
    "company": "Analytical Engines Ltd",
    "title": "Mathematician",
    "application_ids": ["app-0001-a", "app-0001-b"],
    "remote_application_ids": ["gh-app-90001", "gh-app-90002"],
    "hired_at": None,
    "country": "United Kingdom",
    "custom_fields": [
        {
            "id": "cf_notice_period",
            "remote_id": "r_cf_notice",
            "name": "Notice period (days)",
            "value": 30,
            "value_id": None,
            "remote_value_id": None,
        },
        {
            "id": "cf_relocate",
            "remote_id": "r_cf_relocate",
            "name": "Willing to relocate",
            "value": True,
            "value_id": None,
            "remote_value_id": None,
        },
        {
            "id": "cf_stage",
            "remote_id": "r_cf_stage",
            "name": "Screening status",
            "value": "Completed",
            "value_id": None,
            "remote_value_id": None,
        },
    ],
    "tags": [{"remote_id": "tag-analytical", "name": "Analytical"}],
    "unified_custom_fields": None,
}
ADA_TIMES = (datetime(2024, 1, 8, 9, 0, tzinfo=UTC), datetime(2024, 6, 1, 10, 0, tzinfo=UTC))
ADA_REMOTE_ID = "gh-cand-10001"

# (first_name, last_name, display name or None, country, ascii email stem or None)
SPECIAL_PEOPLE = [
    ("Zoë", "Ångström", None, "Sweden", None),
    ("José", "Núñez", None, "Spain", None),
    ("小龙", "李", "李小龙", "China", "li.xiaolong"),
    ("Shōhei", "Ōtani", "Ōtani Shōhei", "Japan", None),
    ("Siobhán", "O'Connor-Ní Bhriain", None, "Ireland", None),
    ("Ελένη", "Παπαδοπούλου", None, "Greece", "eleni.papadopoulou"),
    ("Дмитрий", "Иванов", None, "Germany", "dmitry.ivanov"),
    ("نور", "الهدى", None, "United Arab Emirates", "nour.alhuda"),
    ("Nguyễn", "Thị Minh Khai", "Nguyễn Thị Minh Khai", "Vietnam", None),
    ("François", "Müller-Lüdenscheidt", None, "Switzerland", None),
    ("Søren", "Kierkegård", None, "Denmark", "soren.kierkegard"),
    ("Łukasz", "Żółkiewski", None, "Poland", "lukasz.zolkiewski"),
    ("Ayşe", "Çelik", None, "Turkey", None),
    ("Priya", "Raghunathan", None, "India", None),
]
FIRST_NAMES = [
    "Grace",
    "Alan",
    "Katherine",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Frances",
    "Edsger",
    "Radia",
    "Tim",
    "Hedy",
    "Claude",
    "Anita",
    "Donald",
    "Sophie",
    "John",
    "Mary",
    "Niklaus",
    "Adele",
    "Guido",
    "Shafi",
    "Vint",
    "Joan",
    "Bjarne",
    "Lynn",
    "Yukihiro",
    "Evelyn",
    "James",
]
LAST_NAMES = [
    "Hopper",
    "Turing",
    "Johnson",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Berners-Lee",
    "Lamarr",
    "Shannon",
    "Borg",
    "Knuth",
    "Wilson",
    "Backus",
    "Keller",
    "Wirth",
    "Goldberg",
    "van Rossum",
    "Goldwasser",
    "Cerf",
    "Clarke",
    "Stroustrup",
    "Conway",
    "Matsumoto",
    "Berezin",
    "Gosling",
]
COUNTRIES = [
    "United Kingdom",
    "United States",
    "Germany",
    "France",
    "Netherlands",
    "Spain",
    "Canada",
    "Ireland",
]
COMPANIES = [
    "Acme Robotics",
    "Globex",
    "Initech",
    "Umbrella Analytics",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Tyrell Corp",
    "Cyberdyne Systems",
    "Soylent Foods",
    "Massive Dynamic",
    "Aperture Science",
]
TITLES = [
    "Software Engineer",
    "Senior Software Engineer",
    "Staff Engineer",
    "Data Scientist",
    "Product Manager",
    "Engineering Manager",
    "QA Analyst",
    "DevOps Engineer",
    "UX Designer",
    "Technical Recruiter",
]
PHONE_TYPES = ["personal", "work", "mobile", "home", "unknown", "other"]
REFERRERS = ["Grace Hopper", "Alan Turing", "Zoë Ångström", "李小龙", "an old colleague"]
SOURCES = ["LinkedIn", "Referral", "Careers page", "Meetup", "Job board"]
LONG_TITLE = (
    "Principal Distinguished Senior Staff Software Engineering Architect and Technical Lead for "
    "Cross-Functional Platform Reliability, Observability, Developer Experience, Internal Tooling, "
    "Continuous Delivery and Security Hardening Initiatives across the "
    "European, Middle Eastern and African Region, EMEA"
)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch in ".-") or "candidate"


def _phone(rng: random.Random, country: str) -> str:
    """An E.164 number that python-phonenumbers considers valid."""
    if country in ("United States", "Canada"):
        return f"+1202555{rng.randint(100, 199):04d}"
    if country == "Germany":
        return f"+49151{rng.randint(10_000_000, 99_999_999)}"
    if country == "France":
        return f"+3361{rng.randint(1_000_000, 9_999_999)}"
    if country == "Spain":
        return f"+346{rng.randint(10_000_000, 99_999_999)}"
    if country == "Japan":
        return f"+8190{rng.randint(10_000_000, 99_999_999)}"
    if rng.random() < 0.5:
        return f"+447400{rng.randint(100_000, 999_999)}"
    return f"+44207946{rng.randint(0, 999):04d}"


def _custom_fields(rng: random.Random, definitions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    fields = []
    for definition in definitions:
        if rng.random() < 0.35:
            continue
        cf_id = definition["id"]
        value: Any
        value_id = None
        if cf_id == "cf_notice_period":
            value = rng.choice([0, 7, 14, 30, 60, 90])
        elif cf_id == "cf_relocate":
            value = rng.random() < 0.5
        elif cf_id == "cf_stage":
            option = rng.choice(STAGE_OPTIONS)
            value, value_id = option["value"], option["id"]
        elif cf_id == "cf_salary_expectation":
            value = rng.choice([52000, 61500.5, 75000, 88250.75, 120000])
        elif cf_id == "cf_available_from":
            day = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 200))
            value = day.strftime("%Y-%m-%dT00:00:00.000Z")
        elif cf_id == "cf_skills":
            value = [option["value"] for option in rng.sample(SKILL_OPTIONS, rng.randint(1, 4))]
        elif cf_id == "cf_referrer":
            value = rng.choice(REFERRERS)
        elif cf_id == "cf_portfolio":
            value = f"https://portfolio.example/{rng.randint(100, 999)}"
        elif cf_id == "cf_source":
            value = rng.choice(SOURCES)
        else:
            value = None
        fields.append(
            {
                "id": cf_id,
                "remote_id": definition["remote_id"],
                "name": definition["name"],
                "value": value,
                "value_id": value_id,
                "remote_value_id": f"r_{value_id}" if value_id else None,
            }
        )
    return fields


def _candidate(
    rng: random.Random,
    index: int,
    prefix: str,
    first: str,
    last: str,
    display: str | None,
    country: str,
    stem: str | None,
    definitions: list[dict[str, Any]],
) -> dict[str, Any]:
    stem = stem or f"{_ascii(first)}.{_ascii(last)}"
    emails = [{"type": "personal", "value": f"{stem}@example.com"}]
    if rng.random() < 0.6:
        emails.append({"type": "work", "value": f"{stem}@{rng.choice(['work.example', 'example.org'])}"})
    phone_types = rng.sample(PHONE_TYPES, rng.randint(0, 3))
    socials = []
    for kind, url in [
        ("linkedin", f"https://www.linkedin.com/in/{stem.replace('.', '-')}"),
        ("github", f"https://github.com/{stem.replace('.', '')}"),
        ("twitter", f"https://twitter.com/{stem.replace('.', '_')}"),
        ("website", f"https://{stem.replace('.', '')}.example.net"),
    ]:
        if rng.random() < 0.45:
            socials.append({"type": kind, "url": url})
    app_count = rng.randint(0, 3)
    return {
        "name": display or f"{first} {last}",
        "first_name": first,
        "last_name": last,
        "email": emails[0]["value"],
        "emails": emails,
        "social_links": socials,
        "phone": None,
        "phone_numbers": [{"type": kind, "phone": _phone(rng, country)} for kind in phone_types],
        "company": rng.choice(COMPANIES) if rng.random() < 0.85 else None,
        "title": rng.choice(TITLES) if rng.random() < 0.9 else None,
        "application_ids": [f"app-{prefix}{index:04d}-{n}" for n in range(app_count)],
        "remote_application_ids": [f"{prefix}app-{rng.randint(10_000, 99_999)}" for _ in range(app_count)],
        "hired_at": (
            (BASE_TIME + timedelta(days=rng.randint(30, 500))).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            if rng.random() < 0.2
            else None
        ),
        "country": country,
        "custom_fields": _custom_fields(rng, definitions),
        "tags": rng.sample(TAGS, rng.randint(0, 2)),
        "unified_custom_fields": (
            {"sandbox_source": rng.choice(SOURCES), "sandbox_priority": rng.randint(1, 3)}
            if rng.random() < 0.25
            else None
        ),
    }


def build_candidates() -> dict[str, list[dict[str, Any]]]:
    """account id → list of {candidate_id, remote_id, data, created_at, updated_at}."""
    rng = random.Random(SEED)
    out: dict[str, list[dict[str, Any]]] = {GREENHOUSE: [], LEVER: [], WORKABLE: []}

    out[GREENHOUSE].append(
        {
            "candidate_id": ADA_ID,
            "remote_id": ADA_REMOTE_ID,
            "data": copy.deepcopy(ADA),
            "created_at": ADA_TIMES[0],
            "updated_at": ADA_TIMES[1],
        }
    )
    defs = CUSTOM_FIELD_DEFINITIONS[GREENHOUSE]
    people = list(SPECIAL_PEOPLE)
    created = ADA_TIMES[0]
    for index in range(2, 65):
        if people:
            first, last, display, country, stem = people.pop(0)
        else:
            first = FIRST_NAMES[(index * 7) % len(FIRST_NAMES)]
            last = LAST_NAMES[(index * 11) % len(LAST_NAMES)]
            display, country, stem = None, rng.choice(COUNTRIES), f"{_ascii(first)}.{_ascii(last)}{index}"
        data = _candidate(rng, index, "gh", first, last, display, country, stem, defs)
        if index != 11:  # c-0010 and c-0011 share created_at: the id breaks the tie
            created = created + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 9))
        updated = min(created + timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 600)), LATEST_TIME)
        out[GREENHOUSE].append(
            {
                "candidate_id": f"c-{index:04d}",
                "remote_id": f"gh-cand-{10000 + index}",
                "data": data,
                "created_at": created,
                "updated_at": max(updated, created),
            }
        )
    _special_cases({row["candidate_id"]: row["data"] for row in out[GREENHOUSE]}, rng)

    created = datetime(2024, 2, 1, 8, 0, tzinfo=UTC)
    for index in range(1, 11):
        first = FIRST_NAMES[(index * 3 + 1) % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 5 + 2) % len(LAST_NAMES)]
        data = _candidate(
            rng,
            index,
            "lv",
            first,
            last,
            None,
            rng.choice(COUNTRIES),
            f"{_ascii(first)}.{_ascii(last)}.lv{index}",
            CUSTOM_FIELD_DEFINITIONS[LEVER],
        )
        created = created + timedelta(days=rng.randint(1, 10))
        candidate_id = SLASH_ID if index == 10 else f"lv-{index:04d}"
        out[LEVER].append(
            {
                "candidate_id": candidate_id,
                "remote_id": f"lever-opp-{7000 + index}",
                "data": data,
                "created_at": created,
                "updated_at": created + timedelta(days=rng.randint(0, 60)),
            }
        )

    created = datetime(2024, 1, 10, 8, 0, tzinfo=UTC)
    for index in range(1, 4):
        first, last = FIRST_NAMES[index], LAST_NAMES[-index]
        data = _candidate(
            rng,
            index,
            "wk",
            first,
            last,
            None,
            "Australia",
            f"{_ascii(first)}.wk{index}",
            CUSTOM_FIELD_DEFINITIONS[WORKABLE],
        )
        created = created + timedelta(days=index)
        out[WORKABLE].append(
            {
                "candidate_id": f"wk-{index:04d}",
                "remote_id": f"wk-{500 + index}",
                "data": data,
                "created_at": created,
                "updated_at": created,
            }
        )
    return out


def _special_cases(by_id: dict[str, dict[str, Any]], rng: random.Random) -> None:
    """Edge cases a UI must survive, on fixed ids (see the module docstring)."""
    nunez = by_id["c-0003"]  # mixed-case address: filter[email] is case-insensitive
    nunez["emails"] = [
        {"type": "work", "value": "Jose.Nunez@Example.COM"},
        {"type": "personal", "value": "jose.nunez@example.com"},
    ]
    nunez["email"] = "Jose.Nunez@Example.COM"

    long_one = by_id["c-0016"]
    long_one["title"] = LONG_TITLE
    long_one["company"] = "The Extremely Long and Formally Registered Name of a Holding Company " * 2

    many = by_id["c-0017"]
    many["emails"] = [
        {
            "type": "personal" if n % 2 else "work",
            "value": f"many.emails{n}@example.{'com' if n % 2 else 'org'}",
        }
        for n in range(1, 13)
    ]
    many["email"] = many["emails"][0]["value"]

    minimal = by_id["c-0018"]
    for key in (
        "social_links",
        "phone_numbers",
        "application_ids",
        "remote_application_ids",
        "custom_fields",
        "tags",
    ):
        minimal[key] = []
    for key in ("company", "title", "hired_at", "country", "unified_custom_fields"):
        minimal[key] = None
    minimal["emails"] = minimal["emails"][:1]

    every_phone = by_id["c-0019"]
    every_phone["phone_numbers"] = [
        {"type": kind, "phone": phone}
        for kind, phone in zip(
            PHONE_TYPES,
            [
                "+442071838750",
                "+442079460001",
                "+447911123456",
                "+442079460002",
                "+12025550143",
                "+4915123456789",
            ],
            strict=True,
        )
    ]
    every_phone["phone"] = "+442071838750"  # the deprecated single field, still returned by some providers

    markup = by_id["c-0020"]
    markup["company"] = 'Smith & Sons <Holdings> "Ltd"'
    markup["title"] = "Senior <b>Rockstar</b> Engineer & 'Ninja'"

    hired = by_id["c-0021"]
    hired["hired_at"] = "2024-09-02T09:00:00.000Z"
    hired["unified_custom_fields"] = {
        "sandbox_source": "Referral",
        "sandbox_priority": 1,
        "sandbox_vip": True,
    }
    hired["custom_fields"] = [
        {
            "id": "cf_notice_period",
            "remote_id": "r_cf_notice",
            "name": "Notice period (days)",
            "value": 0,
            "value_id": None,
            "remote_value_id": None,
        },
        {
            "id": "cf_salary_expectation",
            "remote_id": "r_cf_salary",
            "name": "Salary expectation (EUR)",
            "value": 71250.5,
            "value_id": None,
            "remote_value_id": None,
        },
        {
            "id": "cf_available_from",
            "remote_id": "r_cf_available",
            "name": "Available from",
            "value": "2024-09-01T00:00:00.000Z",
            "value_id": None,
            "remote_value_id": None,
        },
        {
            "id": "cf_skills",
            "remote_id": "r_cf_skills",
            "name": "Skills",
            "value": ["Python", "Django", "SQL"],
            "value_id": None,
            "remote_value_id": None,
        },
        {
            "id": "cf_relocate",
            "remote_id": "r_cf_relocate",
            "name": "Willing to relocate",
            "value": False,
            "value_id": None,
            "remote_value_id": None,
        },
    ]


def build_accounts() -> list[dict[str, Any]]:
    return copy.deepcopy(ACCOUNTS)


def counts() -> dict[str, int]:
    return {
        "accounts": SandboxAccount.objects.count(),
        "candidates": SandboxCandidate.objects.count(),
        "custom_field_definitions": SandboxCustomFieldDefinition.objects.count(),
    }


def seed_sandbox(reset: bool = False) -> dict[str, Any]:
    """Seed the sandbox tables when they are empty (or always, after wiping, with ``reset``).

    Returns ``{"seeded": bool, "accounts": n, "candidates": n, "custom_field_definitions": n}``;
    ``seeded`` is False when data was already there (and left untouched).
    """
    with transaction.atomic():
        if reset:
            SandboxAccount.objects.all().delete()  # cascades to candidates and definitions
        elif SandboxAccount.objects.exists():
            return {"seeded": False, **counts()}
        for account in build_accounts():
            SandboxAccount.objects.create(**account)
        for account_id, definitions in CUSTOM_FIELD_DEFINITIONS.items():
            SandboxCustomFieldDefinition.objects.bulk_create(
                SandboxCustomFieldDefinition(
                    account_id=account_id, definition_id=d["id"], position=position, data=copy.deepcopy(d)
                )
                for position, d in enumerate(definitions)
            )
        SandboxCandidate.objects.bulk_create(
            SandboxCandidate(account_id=account_id, email_index=build_email_index(row["data"]), **row)
            for account_id, rows in build_candidates().items()
            for row in rows
        )
    return {"seeded": True, **counts()}


# --- a large generated population (manage.py sandbox_seed --candidates N) --------------------

POPULATION_BATCH_SIZE = 2000


def seed_population(
    *,
    account_id: str,
    count: int,
    seed: int = 0,
    batch_size: int = POPULATION_BATCH_SIZE,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Add ``count`` generated candidates (``sandbox.population``) to an account, in batches.

    Ids are ``pop-<seed>-<n>``, so running it again with the same seed adds nothing and leaves
    candidates edited since untouched (existing ids are skipped, not overwritten); a larger count
    adds only the missing ones. Each batch is one ``executemany`` of ``INSERT … ON CONFLICT DO
    NOTHING`` in its own transaction, and only one batch is in memory at a time.
    ``on_progress(done, count)`` is called after each batch.

    Returns ``{"generated": n, "inserted": n, "total": candidates in the account now}``.
    Raises SandboxAccount.DoesNotExist for an unknown account.
    """
    account = SandboxAccount.objects.get(pk=account_id)
    before = SandboxCandidate.objects.filter(account=account).count()
    bodies = candidate_population(count, seed=seed, account_id=account.pk)
    sql = _population_insert_sql()
    done = 0
    while batch := list(itertools.islice(bodies, batch_size)):
        rows = [_population_row(account.pk, body) for body in batch]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        done += len(batch)
        if on_progress is not None:
            on_progress(done, count)
    with connection.cursor() as cursor:
        # Fresh planner statistics, so filter[updated_after] picks its index at once.
        cursor.execute(f"ANALYZE {connection.ops.quote_name(SandboxCandidate._meta.db_table)}")
    total = SandboxCandidate.objects.filter(account=account).count()
    return {"generated": done, "inserted": total - before, "total": total}


_POPULATION_COLUMNS = (
    "account",
    "candidate_id",
    "remote_id",
    "data",
    "email_index",
    "last_passthrough",
    "created_at",
    "updated_at",
)


def _column(name: str) -> str:
    """Return the database column of SandboxCandidate's concrete field ``name``. Raises LookupError."""
    field = SandboxCandidate._meta.get_field(name)
    column = getattr(field, "column", None)  # a relation's reverse side has no column
    if not isinstance(column, str):
        raise LookupError(f"SandboxCandidate.{name} is not a column")
    return column


def _population_insert_sql() -> str:
    # Raw SQL rather than bulk_create: building model instances and compiling the INSERT cost
    # about two thirds of the time at 100,000 rows. Both SQLite and PostgreSQL accept this form.
    meta, quote = SandboxCandidate._meta, connection.ops.quote_name
    columns = ", ".join(quote(_column(name)) for name in _POPULATION_COLUMNS)
    values = ", ".join(["%s"] * len(_POPULATION_COLUMNS))
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING"


def _population_row(account_id: str, body: dict[str, Any]) -> tuple[Any, ...]:
    """The INSERT's parameters, adapted as the model's fields would adapt them."""
    ops = connection.ops
    data = {name: value for name, value in body.items() if name not in COLUMN_FIELDS}
    return (
        account_id,
        body["id"],
        body["remote_id"] or "",
        ops.adapt_json_value(data, None),
        build_email_index(data),
        None,
        ops.adapt_datetimefield_value(datetime.fromisoformat(body["created_at"])),
        ops.adapt_datetimefield_value(datetime.fromisoformat(body["updated_at"])),
    )
