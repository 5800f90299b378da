"""Directory rows for tests, made the way the sync makes them: StackOne JSON → Candidate →
``index.entry_fields``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from candidates.directory.index import entry_fields
from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.types import Candidate

ACCOUNT = "acc-dir"


def body(candidate_id: str, **fields: Any) -> dict[str, Any]:
    """Return a StackOne candidate JSON body with ``fields`` (StackOne's own key names)."""
    return {"id": candidate_id, "remote_id": f"r-{candidate_id}", **fields}


def entries_create(bodies: list[dict[str, Any]], *, account_id: str = ACCOUNT) -> list[DirectoryEntry]:
    """Insert one directory row per body, as the sync would, and mark the account's directory
    ready (a completed full sync), as after its first sync."""
    done = DirectorySync.objects.filter(account_id=account_id, full=True, status=DirectorySync.Status.DONE)
    if not done.exists():
        DirectorySync.objects.create(account_id=account_id, full=True, status=DirectorySync.Status.DONE,
                                     finished_at=timezone.now())
    return [DirectoryEntry.objects.create(account_id=account_id, candidate_id=item["id"],
                                          **entry_fields(Candidate.from_api(item)))
            for item in bodies]


PEOPLE = [
    body("c-ada", first_name="Ada", last_name="Lovelace", name="Ada Lovelace", email="ada@example.com",
         emails=[{"value": "countess@analytical.org", "type": "personal"}],
         phone_numbers=[{"phone": "+44 7700 900123", "type": "mobile"}], company="Analytical Engines Ltd",
         title="Mathematician", country="GB", updated_at="2026-11-20T10:00:00Z",
         created_at="2020-01-01T00:00:00Z"),
    body("c-margaret", first_name="Margaret", last_name="Johnson", email="m.johnson@acme.io",
         phone_numbers=[{"phone": "+1 (415) 555-0100"}], company="Acme Corp", title="Head of Talent",
         country="US", updated_at="2026-11-25T09:00:00Z", created_at="2024-06-01T00:00:00Z"),
    body("c-zoe", first_name="Zoë", last_name="Ångström", name="Zoë Ångström", email="zoe@nordic.se",
         company="Nordisk AB", title="Data Engineer", country="SE", updated_at="2026-10-01T00:00:00Z",
         created_at="2025-01-01T00:00:00Z"),
    body("c-jose", first_name="José", last_name="Núñez", name="José Núñez", email="jose.nunez@ejemplo.es",
         phone_numbers=[{"phone": "+34 612 34 56 78"}], company="Acme Corp", title="Backend Developer",
         country="ES", updated_at="2026-09-01T00:00:00Z", created_at="2023-03-03T00:00:00Z"),
    body("c-joan", first_name="Joan", last_name="Lamarr", name="Joan Lamarr", email="joan@lamarr.dev",
         phone="07700 900456", company="Frequency Hopping Inc", title="Inventor", country="GB",
         updated_at="2026-11-01T00:00:00Z", created_at="2022-02-02T00:00:00Z"),
    body("c-grace", first_name="Grace", last_name="Hopper", name="Grace Hopper", company="US Navy",
         title="Rear Admiral", country="US", updated_at="2025-01-01T00:00:00Z",
         created_at="2019-01-01T00:00:00Z"),
    body("c-adam", first_name="Adam", last_name="Smith", name="Adam Smith", email="adam@smith.example",
         company="Wealth of Nations", title="Economist", country="GB", updated_at="2026-08-01T00:00:00Z",
         created_at="2021-01-01T00:00:00Z"),
    body("c-odd", name='Percy 100% "Quoted" O\'Brien_x', email="percy@odd.example", company="NEAR(Labs)*",
         title="Tester", updated_at="2026-07-01T00:00:00Z", created_at="2021-05-05T00:00:00Z"),
]
