"""Where the app's own time goes on an edit-page load and a save (cProfile, in process).

Starts the sandbox as a gunicorn process, runs the app in this process through Django's test
client (same settings as the benchmarks), profiles N page loads and N saves, and prints the
share of time spent in template rendering, in StackOne HTTP calls, in the database and in the
rest, then the top functions by cumulative time.

    .venv/bin/python benchmarks/profile_page.py [-n 10]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import ACCOUNT, USERNAME, bench_env, django_setup, edit_form, start_server, workspace  # noqa: E402

CANDIDATE = "c-0001"
# (label, file fragment, function name): cumulative time of these entry points.
BUCKETS = [
    ("template rendering", "django/shortcuts.py", "render"),
    ("StackOne HTTP calls", "candidates/stackone.py", "_answer"),
    ("database (SQL)", "django/db/backends/utils.py", "execute"),
]


def _share(stats: pstats.Stats, total: float) -> list[str]:
    lines = []
    for label, fragment, name in BUCKETS:
        seconds = sum(value[3] for (path, _, func), value in stats.stats.items()  # type: ignore[attr-defined]
                      if path.endswith(fragment) and func == name)
        lines.append(f"  {label:22} {seconds / total:6.1%}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10)
    args = parser.parse_args()
    with workspace(None) as (tmp, database_url):
        env = bench_env(database_url)
        django_setup(env)
        sandbox = start_server("sandbox", env, workers=1, threads=4, log=tmp / "sandbox.log")
        try:
            from django.contrib.auth.models import User
            from django.test import Client, override_settings

            with override_settings(STACKONE_BASE_URL=f"{sandbox.url}/sandbox", ALLOWED_HOSTS=["testserver"]):
                client = Client()
                client.force_login(User.objects.get(username=USERNAME))
                path = f"/accounts/{ACCOUNT}/candidates/{CANDIDATE}/"
                for _ in range(3):
                    client.get(path)
                for kind in ("page", "save"):
                    profile = cProfile.Profile()
                    for i in range(args.n):
                        data = None
                        if kind == "save":
                            data = edit_form(CANDIDATE, last_name=["Byron", "Lovelace"][i % 2])
                        profile.enable()
                        response = client.post(path, data) if data else client.get(path)
                        profile.disable()
                        assert response.status_code == (302 if data else 200), response.status_code
                    stats = pstats.Stats(profile)
                    total = stats.total_tt  # type: ignore[attr-defined]
                    print(f"\n== {kind}: {total / args.n * 1000:.1f} ms per request under the profiler ==")
                    print("\n".join(_share(stats, total)))
                    stats.sort_stats("cumulative").print_stats(
                        r"candidates/|templates|django/(template|forms)/", 12)
                    if __import__("os").environ.get("PROFILE_TOTTIME"):
                        stats.sort_stats("tottime").print_stats(25)
        finally:
            sandbox.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
