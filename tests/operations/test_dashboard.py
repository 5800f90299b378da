"""The Grafana dashboard and the alert rules in the docs ask only for metrics the app serves, and
the docs' table names every metric it serves."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.test import Client

from tests.operations.conftest import TOKEN

DOCS = Path(__file__).resolve().parents[2] / "docs" / "operations"
NAME = re.compile(r"\b((?:stackone_admin|django_http)_[a-z_]+)\b")


def served(client: Client) -> set[str]:
    """Every series name a scrape holds, or would hold once counted (a histogram's parts too)."""
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    names = set(re.findall(r"^(?:# (?:HELP|TYPE) )?([a-zA-Z_:][\w:]*)", text, re.M))
    for histogram in re.findall(r"^# TYPE (\w+) histogram$", text, re.M):
        names |= {f"{histogram}_{part}" for part in ("bucket", "count", "sum")}
    return names


def test_every_metric_the_dashboard_and_the_alerts_ask_for_is_served(client: Client, db: None,
                                                                      metrics_on: str) -> None:
    dashboard = json.loads((DOCS / "grafana-dashboard.json").read_text(encoding="utf-8"))
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    exprs += [variable["definition"] for variable in dashboard["templating"]["list"]
              if "definition" in variable]
    page = (DOCS / "monitoring.md").read_text(encoding="utf-8")
    [rules] = re.findall(r"```yaml\ngroups:.*?```", page, re.S)
    asked = {name for text in [*exprs, rules] for name in NAME.findall(text)}
    assert len(asked) > 15
    assert sorted(asked - served(client)) == []


def test_every_metric_of_ours_is_in_the_docs_table(client: Client, db: None, metrics_on: str) -> None:
    page = (DOCS / "monitoring.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(stackone_admin_[a-z_]+)`", page))
    ours = {name for name in served(client) if name.startswith("stackone_admin_")
            and not name.endswith(("_created", "_bucket", "_count", "_sum"))}
    assert sorted(ours - documented) == []
