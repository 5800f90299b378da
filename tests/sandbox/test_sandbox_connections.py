"""The sandbox's connection count: distinct (REMOTE_ADDR, REMOTE_PORT) pairs API requests came
on, which shows whether the app reuses its TCP connection (see benchmarks/overhead.py)."""

from __future__ import annotations

from sandbox.faults import connection_stats, reset_stats
from tests.sandbox.helpers import CANDIDATES_URL
from tests.sandbox_support import api_headers

ADA_URL = f"{CANDIDATES_URL}/c-0001"


def _on(port: str, addr: str = "127.0.0.1") -> dict[str, str]:
    return {"REMOTE_ADDR": addr, "REMOTE_PORT": port}


def test_requests_on_one_connection_count_once(api, seeded):
    for _ in range(3):
        api.get(ADA_URL, **_on("50001"))
    api.patch(ADA_URL, {"title": "Countess"}, **_on("50001"))
    assert connection_stats() == {"connections": 1}


def test_each_new_port_or_address_is_a_new_connection(api, seeded):
    api.get(ADA_URL, **_on("50001"))
    api.get(ADA_URL, **_on("50002"))
    api.get(ADA_URL, **_on("50001", addr="127.0.0.2"))
    api.get(ADA_URL, **_on("50002"))
    assert connection_stats() == {"connections": 3}


def test_a_reset_forgets_the_connections_seen(api, seeded):
    api.get(ADA_URL, **_on("50001"))
    reset_stats()
    assert connection_stats() == {"connections": 0}
    api.get(ADA_URL, **_on("50001"))  # the same connection, seen again after the reset
    assert connection_stats() == {"connections": 1}


def test_a_server_that_does_not_give_the_port_counts_nothing(api, seeded):
    api.get(ADA_URL)  # Django's test client, like runserver, sets no REMOTE_PORT
    assert connection_stats() == {"connections": 0}


def test_the_control_endpoint_reports_and_is_not_counted_itself(api, seeded, admin_client):
    api.get(ADA_URL, **_on("50001"))
    response = admin_client.get("/sandbox/_control/connections", **api_headers(), **_on("50009"))
    assert response.json() == {"connections": 1}
    admin_client.delete("/sandbox/_control/stats", **api_headers())
    assert admin_client.get("/sandbox/_control/connections", **api_headers()).json() == {"connections": 0}
    assert admin_client.get("/sandbox/_control/connections").status_code == 401
