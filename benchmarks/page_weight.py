"""Edit page and save against candidate size: 1, 10, 50 and 200 rows in each of the four lists.

Starts the sandbox and the app as two gunicorn processes on loopback (the app: one worker, one
thread), on a throwaway SQLite file, adds one sandbox candidate per size (copies of c-0001 with
N emails, N phone numbers, N social links and N custom fields), then for each size prints:

- the edit page's median time over ``-n`` loads, its HTML bytes as sent (Django does not
  compress HTML), and gzipped at levels 1 (nginx's default ``gzip_comp_level``) and 6: what
  the nginx sample in docs/operations/deploying.md sends;
- the page's DOM nodes in Chromium (``document.getElementsByTagName('*')``; ``--no-browser``
  skips it);
- the save: the fields and bytes the form posts, and the median time of ``-n`` saves (the form
  POSTed to the edit page, review off, one field changed: GET check, PATCH, GET read-back,
  redirect).

    .venv/bin/python benchmarks/page_weight.py [--rows 1 10 50 200] [-n 5] [--no-browser]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from benchmarks.harness import (  # noqa: E402
    ACCOUNT,
    bench_env,
    django_setup,
    edit_form,
    sign_in,
    start_server,
    workspace,
)

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")


def add_candidate(rows: int) -> str:
    """Copy c-0001 into a new sandbox candidate with ``rows`` rows per list; return its id."""
    from sandbox.factories import list_rows
    from sandbox.models import SandboxCandidate

    template = SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id="c-0001")
    candidate_id = f"w-{rows:04d}"
    SandboxCandidate.objects.create(
        account_id=ACCOUNT, candidate_id=candidate_id, remote_id=f"r-{candidate_id}",
        data=template.data | list_rows(rows), created_at=template.created_at, updated_at=template.updated_at)
    return candidate_id


def _check(response: requests.Response, status: int) -> requests.Response:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.method} {response.url}: {response.status_code}\n"
                           f"{response.text[:2000]}")
    return response


def _timed_ms(call) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def dom_nodes(app_url: str, session: requests.Session, paths: list[str]) -> dict[str, int]:
    """Return the element count of each page in headless Chromium (signed in with ``session``)."""
    from playwright.sync_api import sync_playwright

    counts = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context()
            context.add_cookies([{"name": cookie.name, "value": cookie.value or "", "url": app_url}
                                 for cookie in session.cookies])
            page = context.new_page()
            for path in paths:
                _check_status = page.goto(app_url + path)
                if _check_status is None or _check_status.status != 200:
                    raise RuntimeError(f"Chromium could not load {path}")
                counts[path] = page.evaluate("document.getElementsByTagName('*').length")
        finally:
            browser.close()
    return counts


def measure(app_url: str, session: requests.Session, candidate_id: str, n: int) -> dict:
    path = f"/accounts/{ACCOUNT}/candidates/{candidate_id}/"
    page = _check(session.get(app_url + path), 200)  # also warms the custom field definitions
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    html = page.content
    pages = [_timed_ms(lambda: _check(session.get(app_url + path), 200)) for _ in range(n)]
    saves, fields, body_bytes = [], 0, 0
    for i in range(n):
        data = edit_form(candidate_id, title=f"Weighed {i}", csrfmiddlewaretoken=csrf)
        fields, body_bytes = len(data), len(urlencode(data))
        started = time.perf_counter()
        _check(session.post(app_url + path, data, allow_redirects=False), 302)
        saves.append((time.perf_counter() - started) * 1000)
    return {"path": path, "page_ms": statistics.median(pages), "html": len(html),
            "gzip1": len(gzip.compress(html, compresslevel=1)),
            "gzip6": len(gzip.compress(html, compresslevel=6)),
            "fields": fields, "body": body_bytes, "save_ms": statistics.median(saves)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1, 10, 50, 200], help="rows per list")
    parser.add_argument("-n", type=int, default=5, help="page loads and saves timed per size (default 5)")
    parser.add_argument("--no-browser", action="store_true", help="skip the DOM count (no Chromium)")
    args = parser.parse_args()
    with workspace(None) as (tmp, database_url):
        env = bench_env(database_url)
        django_setup(env)
        ids = [add_candidate(rows) for rows in args.rows]
        sandbox = start_server("sandbox", env, workers=1, threads=8, log=tmp / "sandbox.log")
        try:
            app = start_server("app", bench_env(database_url, STACKONE_BASE_URL=f"{sandbox.url}/sandbox"),
                               workers=1, threads=1, log=tmp / "app.log")
            try:
                session = sign_in(app.url)
                results = [measure(app.url, session, candidate_id, args.n) for candidate_id in ids]
                nodes = {} if args.no_browser else dom_nodes(app.url, session, [r["path"] for r in results])
            finally:
                app.stop()
        finally:
            sandbox.stop()
    print(f"app: gunicorn 1 worker × 1 thread, sandbox on loopback, no added latency; medians of {args.n}")
    print(f"{'rows/list':>9} {'page ms':>8} {'HTML B':>9} {'gzip -1':>8} {'gzip -6':>8} {'DOM nodes':>9} "
          f"{'fields':>7} {'POST B':>8} {'save ms':>8}")
    for rows, result in zip(args.rows, results, strict=True):
        dom = str(nodes[result["path"]]) if nodes else "-"
        print(f"{rows:9} {result['page_ms']:8.1f} {result['html']:9,} {result['gzip1']:8,} "
              f"{result['gzip6']:8,} {dom:>9} {result['fields']:7,} {result['body']:8,} "
              f"{result['save_ms']:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
