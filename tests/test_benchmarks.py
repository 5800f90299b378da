"""Every benchmark script runs from a fresh clone's state, in a tiny configuration.

Each script runs in its own copy of the project's files without what a clone lacks
(staticfiles/, node_modules/, databases): a benchmark that relies on something prepared by
hand (collected static files, a seeded database) fails here, not on the next person's machine.
The scripts run side by side: a few rows, no added latency, no browser. Figures are not
checked, only that each ran to its end and printed its table.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# script → (tiny arguments, a line its report always prints)
TINY = {
    "overhead.py": (["-n", "1", "--latency", "0"], "StackOne calls per save: 3"),
    "load.py": (["--users", "2", "--iterations", "1", "--sqlite", "--workers", "1", "--threads", "2"],
                "errors: 0"),
    # The job against its floor of two calls per row (the check, then the PATCH), nothing lost.
    "bulk_benchmark.py": (["--rows", "3", "--latency", "0", "--rate", "100000", "--probe-rows", "4"],
                          ("(3 GETs + 3 PATCHes at 100000/min = 0 s)", "job calls: 3 GET + 3 PATCH",
                           "rows lost: 0; rows sent twice: 0")),
    "bulk_command.py": (["--rows", "3", "--sqlite"], "saved 3, failed 0, unknown 0"),
    "profile_page.py": (["-n", "1"], "== save:"),
    "edit_page_cost.py": (["-n", "2"], "templates rendered per page"),
    "page_weight.py": (["--rows", "2", "-n", "1", "--no-browser"], "rows/list  page ms"),
    "directory_search.py": (["--rows", "200", "--per-kind", "3", "--rounds", "1"], "directory on disk"),
    "sandbox_population.py": (["--candidates", "200", "-n", "2"], "query alone, 90 % deep"),
    "directory_sync.py": (["--candidates", "150", "--changed", "5", "--latency", "0", "--rate", "100000"],
                          "incremental sync after 5 changed"),
    "health_benchmark.py": (["--rows", "40"], "load average now"),
    "health_fix_benchmark.py": (["--rows", "4", "--latency", "0", "--rate", "100000"],
                                "job (1 GET + 1 PATCH per row)"),
    "metrics_scrape.py": (["--rows", "40", "-n", "1"], "scrape total"),
    # The whole stack in miniature: nothing sent twice or lost when a worker is killed or stopped.
    "scale_out.py": (["--users", "2", "--requests", "16", "--rows", "10", "--kill-rows", "20",
                      "--latency", "100", "--takeover", "3"],
                     ("rows sent twice 0, lost 0", "all phases: StackOne 429s 0")),
}
NOT_IN_A_CLONE = shutil.ignore_patterns(".git", ".venv", "node_modules", "staticfiles", "__pycache__",
                                        "*.sqlite3", "artifacts", ".hypothesis", "*.egg-info", ".env")


def test_every_benchmark_script_has_a_tiny_configuration() -> None:
    scripts = {path.name for path in (ROOT / "benchmarks").glob("*.py")} - {"__init__.py", "harness.py"}
    assert scripts == set(TINY)


def test_every_benchmark_runs_from_a_fresh_clone(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE", "STACKONE_API_KEY")}
    running = {}
    for script, (arguments, _) in TINY.items():
        clone = tmp_path / script.removesuffix(".py")
        shutil.copytree(ROOT, clone, ignore=NOT_IN_A_CLONE)
        assert not (clone / "staticfiles").exists()
        command = [sys.executable, f"benchmarks/{script}", *arguments]
        running[script] = subprocess.Popen(command, cwd=clone, env=env, stdout=subprocess.PIPE,
                                           stderr=subprocess.STDOUT, text=True)
    failures = []
    for script, process in running.items():
        try:
            output, _ = process.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        expected = TINY[script][1]
        if process.returncode != 0 or any(text not in output for text in
                                          ([expected] if isinstance(expected, str) else expected)):
            failures.append(f"{script} exited {process.returncode}; expected {expected!r} in:\n"
                            f"{output[-3000:]}")
    assert not failures, "\n\n".join(failures)
