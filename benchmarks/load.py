"""Load: concurrent signed-in users browsing and saving against a production-style server.

Starts, on loopback: a throwaway PostgreSQL (Debian's packages; ``--sqlite`` to skip it), the
sandbox and the app as gunicorn processes (the app as ``make serve`` runs it: 3 workers × 4
threads), then runs ``--users`` threads, each with its own signed-in session and its own
candidate, repeating: the candidate list, the edit page, a save (the form POSTed to the review
page's Confirm step, …/confirm/) and the page shown after it. It stops by itself after ``--iterations`` rounds
per user or ``--duration`` seconds, whichever comes first, and prints throughput, p50/p95 per
request kind and the errors (anything but the expected status, or no answer).

    .venv/bin/python benchmarks/load.py [--users 50] [--iterations 5] [--duration 120] [--latency 0]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from benchmarks.harness import (  # noqa: E402
    ACCOUNT,
    SandboxControl,
    bench_env,
    django_setup,
    edit_form,
    percentile,
    session_for,
    start_server,
    throwaway_postgres,
    workspace,
)

EXPECTED = {"list": 200, "page": 200, "save": 302, "after save": 200}


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()

    def record(self, kind: str, started: float, response: requests.Response | None, error: str = "") -> None:
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            if response is not None and response.status_code == EXPECTED[kind]:
                self.times[kind].append(elapsed)
            else:
                self.errors[f"{kind}: {error or response.status_code}"] += 1  # type: ignore[union-attr]


def user_loop(app_url: str, session: requests.Session, candidate_id: str, results: Results, iterations: int,
              deadline: float, form_lock: threading.Lock) -> None:
    page_url = f"{app_url}/accounts/{ACCOUNT}/candidates/{candidate_id}/"
    csrf = ""

    def call(kind: str, method: str, url: str, **kwargs) -> requests.Response | None:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            response = session.request(method, url, timeout=120, allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            results.record(kind, started, None, type(exc).__name__)
            return None
        results.record(kind, started, response)
        return response

    for i in range(iterations):
        if time.monotonic() > deadline:
            return
        call("list", "GET", f"{app_url}/accounts/{ACCOUNT}/candidates/", params={"page_size": "25"})
        page = call("page", "GET", page_url)
        if page is not None and not csrf:
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            csrf = found.group(1) if found else ""
        with form_lock:  # building the form uses this process's Django (one thread at a time)
            data = edit_form(candidate_id, title=f"Load test title {i}", csrfmiddlewaretoken=csrf)
        # The review page's Confirm step: it sends whatever the user's review preference is.
        if call("save", "POST", f"{page_url}confirm/", data=data) is not None:
            call("after save", "GET", page_url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--iterations", type=int, default=5, help="rounds per user (default 5)")
    parser.add_argument("--duration", type=float, default=120,
                        help="stop after this many seconds (default 120)")
    parser.add_argument("--latency", type=int, default=0, help="added ms per StackOne call (sandbox fault)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sqlite", action="store_true",
                        help="a SQLite file instead of a throwaway PostgreSQL")
    args = parser.parse_args()
    with ExitStack() as stack:
        tmp, database_url = stack.enter_context(workspace(None))
        if not args.sqlite:
            database_url = stack.enter_context(throwaway_postgres(tmp))
        env = bench_env(database_url)
        django_setup(env)
        sandbox = start_server("sandbox", env, workers=2, threads=8, log=tmp / "sandbox.log")
        stack.callback(sandbox.stop)
        app = start_server("app", bench_env(database_url, STACKONE_BASE_URL=f"{sandbox.url}/sandbox"),
                           workers=args.workers, threads=args.threads, log=tmp / "app.log")
        stack.callback(app.stop)
        control = SandboxControl(sandbox.url)
        control.reset_faults()
        if args.latency:
            control.faults(latency_ms=args.latency)
        sessions = [session_for(app.url, f"load-user-{k}") for k in range(args.users)]
        results, form_lock = Results(), threading.Lock()
        deadline = time.monotonic() + args.duration
        threads = [threading.Thread(target=user_loop, args=(app.url, sessions[k], f"c-{k + 1:04d}", results,
                                                            args.iterations, deadline, form_lock))
                   for k in range(args.users)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        total = sum(len(t) for t in results.times.values()) + sum(results.errors.values())
        print(f"database: {database_url.split('://')[0]}; "
              f"app: gunicorn {args.workers} workers × {args.threads} "
              f"threads; sandbox: gunicorn 2 × 8, added latency {args.latency} ms; {args.users} users, "
              f"{args.iterations} rounds each (limit {args.duration:g} s)")
        print(f"{total} requests in {wall:.1f} s: {total / wall:.1f} requests/s, "
              f"{len(results.times['save']) / wall:.2f} saves/s")
        print(f"{'kind':11} {'count':>6} {'p50 ms':>8} {'p95 ms':>8}")
        for kind in EXPECTED:
            times = results.times[kind]
            if times:
                print(f"{kind:11} {len(times):6} {statistics.median(times):8.0f} "
                      f"{percentile(times, 0.95):8.0f}")
        print(f"errors: {sum(results.errors.values())}"
              + "".join(f"\n  {k}: {n}" for k, n in results.errors.items()))
        print(f"sandbox calls: {control.stats()['by_route']} "
              "(the sandbox worker that answered the stats call)")
    return 1 if results.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
