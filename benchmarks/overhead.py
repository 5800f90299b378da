"""Overhead of the app over the StackOne calls it makes, against the sandbox.

Starts the sandbox and the app as two gunicorn processes on loopback (one app worker, one
thread: one StackOne client), on a throwaway database. For each added latency (0 and 150 ms
per StackOne call, the sandbox's ``latency_ms`` fault) it times, in the same run:

- N edit-page loads through the app (a signed-in ``requests.Session``) and the bare call the
  app makes for one (GET the candidate);
- N saves through the app (the edit form POSTed to the edit page, review off) and the bare
  calls the app makes for one (GET conflict check, PATCH, GET read-back);

and prints medians, the ratio app ÷ bare, the app's added milliseconds, the StackOne calls per
page and per save (from the sandbox's statistics) and the distinct TCP connections the app
used for a burst of saves (the sandbox's connection count).

    .venv/bin/python benchmarks/overhead.py [-n 20] [--latency 0 150] [--database-url URL]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import (  # noqa: E402
    ACCOUNT,
    SandboxControl,
    bare_session,
    bench_env,
    django_setup,
    edit_form,
    sign_in,
    start_server,
    workspace,
)

CANDIDATE = "c-0001"
WARMUP = 3

WHY = {
    "page": {"get_candidate": "GET the candidate: the form shows every current value (custom field "
                              "definitions: one GET per app process every 5 minutes, cached)"},
    "save": {"get_candidate": "2 × GET: the conflict check before the PATCH (fields someone else changed "
                              "since the page was loaded are not overwritten) and the read-back after it "
                              "(StackOne's PATCH answer holds only id/remote_id; the read-back shows what "
                              "the ATS now holds, flags fields it did not apply, and is the page shown next)",
             "update_candidate": "PATCH: the change itself (only the changed fields)"},
}


def _timed(call) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def _check(response, *statuses: int):  # type: ignore[no-untyped-def]
    if response.status_code not in statuses:
        raise RuntimeError(f"{response.request.method} {response.url}: {response.status_code}\n"
                           f"{response.text[:2000]}")
    return response


def run_latency(app_url: str, sandbox_url: str, control: SandboxControl, latency_ms: int, n: int) -> dict:
    control.reset_faults()
    control.faults(latency_ms=latency_ms)
    page_path = f"{app_url}/accounts/{ACCOUNT}/candidates/{CANDIDATE}/"
    api_url = f"{sandbox_url}/sandbox/unified/ats/candidates/{CANDIDATE}"
    app, bare = sign_in(app_url), bare_session(sandbox_url)
    page = _check(app.get(page_path), 200)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    for _ in range(WARMUP):
        _check(app.get(page_path), 200)
        _check(bare.get(api_url, params={"include": "custom_fields"}), 200)

    # Pages.
    control.reset_stats()
    app_pages = [_timed(lambda: _check(app.get(page_path), 200)) for _ in range(n)]
    page_stats = control.stats()
    bare_pages = [_timed(lambda: _check(bare.get(api_url, params={"include": "custom_fields"}), 200))
                  for _ in range(n)]

    # Saves: alternate the last name so that every save changes something.
    names = ["Byron", "Lovelace"]
    control.reset_stats()
    app_saves = []
    for i in range(n):
        data = edit_form(CANDIDATE, last_name=names[i % 2], csrfmiddlewaretoken=csrf)
        app_saves.append(_timed(lambda data=data: _check(app.post(page_path, data, allow_redirects=False),
                                                         302)))
    save_stats, save_connections = control.stats(), control.connections()

    def bare_save(name: str) -> None:
        _check(bare.get(api_url, params={"include": "custom_fields"}), 200)
        _check(bare.patch(api_url, json={"last_name": name}), 200)
        _check(bare.get(api_url, params={"include": "custom_fields"}), 200)

    bare_saves = [_timed(lambda i=i: bare_save(names[i % 2])) for i in range(n)]
    control.reset_faults()
    return {"latency": latency_ms, "n": n, "app_pages": app_pages, "bare_pages": bare_pages,
            "app_saves": app_saves, "bare_saves": bare_saves, "page_stats": page_stats,
            "save_stats": save_stats, "save_connections": save_connections}


def report(result: dict) -> list[str]:
    n = result["n"]
    lines = [f"\n== added latency per StackOne call: {result['latency']} ms (N = {n}) =="]
    lines.append(f"{'':6} {'app median':>11} {'bare median':>12} {'ratio':>7} {'app adds':>9}")
    for kind in ("page", "save"):
        app, bare = statistics.median(result[f"app_{kind}s"]), statistics.median(result[f"bare_{kind}s"])
        lines.append(f"{kind:6} {app:9.1f}ms {bare:10.1f}ms {app / bare:7.2f} {app - bare:7.1f}ms")
    for kind in ("page", "save"):
        routes = result[f"{kind}_stats"]["by_route"]
        calls = ", ".join(f"{route} {count / n:g}" for route, count in sorted(routes.items()))
        lines.append(f"StackOne calls per {kind}: {result[f'{kind}_stats']['total'] / n:g} ({calls})")
    lines.append(f"TCP connections the app opened to StackOne for {n} saves: {result['save_connections']}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20,
                        help="page loads and saves timed per latency (default 20)")
    parser.add_argument("--latency", type=int, nargs="+", default=[0, 150], help="added ms per StackOne call")
    parser.add_argument("--database-url", default=None, help="default: a throwaway SQLite file")
    args = parser.parse_args()
    with workspace(args.database_url) as (tmp, database_url):
        sandbox_env = bench_env(database_url)
        django_setup(sandbox_env)
        sandbox = start_server("sandbox", sandbox_env, workers=1, threads=8, log=tmp / "sandbox.log")
        try:
            app = start_server("app", bench_env(database_url, STACKONE_BASE_URL=f"{sandbox.url}/sandbox"),
                               workers=1, threads=1, log=tmp / "app.log")
            try:
                control = SandboxControl(sandbox.url)
                print("app: gunicorn, 1 worker × 1 thread; sandbox: gunicorn, 1 worker × 8 threads; "
                      f"database: {database_url.split('://')[0]}")
                for latency in args.latency:
                    print("\n".join(report(run_latency(app.url, sandbox.url, control, latency, args.n))))
                print("\nWhy each call:")
                for kind, reasons in WHY.items():
                    for route, why in reasons.items():
                        print(f"  {kind} / {route}: {why}")
            finally:
                app.stop()
        finally:
            sandbox.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
