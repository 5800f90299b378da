"""What drawing the edit page costs, in time and in instructions.

Builds the editor for the sandbox's Ada Lovelace (c-0001: two emails, two phones, a social
link, three custom fields with definitions) in this process, with the benchmark settings, and
renders its field groups (``{{ groups }}``, ``candidates.editor.display.EditorGroups``: the
candidate form and its four lists, their stored rows only (a new row is fetched when someone
presses "Add row"), everything drawn by Django's Jinja2 form renderer) N times. Prints the
inputs on the page, the templates rendered per page and the fastest render's CPU milliseconds.

With ``--page`` it measures the whole edit page instead: a signed-in GET of Ada's edit page
through Django's test client in this process (middleware, session, the page's templates, the
field groups), StackOne answered by the sandbox running as a gunicorn process beside it (its
work is not counted; the app's HTTP client is).

With ``--instructions`` it runs itself under valgrind's callgrind, counting only while it draws
(setup runs uninstrumented: ``callgrind_control`` switches counting on and off around the
draws), once with N draws and once with N + 10, and prints the instructions one draw costs:
unlike milliseconds, that figure does not move with the load of a shared machine, so
before/after comparisons of a change can be made on a busy one.

    .venv/bin/python benchmarks/edit_page_cost.py [-n 50] [--instructions] [--page]
"""

from __future__ import annotations

import argparse
import gc
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import (  # noqa: E402
    ACCOUNT,
    USERNAME,
    bench_env,
    django_setup,
    start_server,
    workspace,
)

CANDIDATE = "c-0001"


def _editor():  # type: ignore[no-untyped-def]
    from candidates.editor.candidate_editor import CandidateEditor
    from candidates.types import Candidate, CustomFieldDefinition
    from sandbox.models import SandboxAccount
    from sandbox.store import custom_field_definitions, get_candidate, serialize_candidate

    account = SandboxAccount.objects.get(pk=ACCOUNT)
    stored = get_candidate(account, CANDIDATE)
    assert stored is not None, "the sandbox seed holds Ada"
    candidate = Candidate.from_api(serialize_candidate(stored, include_custom_fields=True))
    definitions = [CustomFieldDefinition.from_api(item) for item in custom_field_definitions(account)]
    return lambda: CandidateEditor(candidate, definitions=definitions)


def _groups() -> Callable[[], str]:
    from candidates.editor.display import EditorGroups

    make_editor = _editor()
    return lambda: str(EditorGroups(make_editor()))


def _page(sandbox_url: str) -> Callable[[], str]:
    from django.contrib.auth.models import User
    from django.test import Client, override_settings

    override_settings(STACKONE_BASE_URL=f"{sandbox_url}/sandbox", ALLOWED_HOSTS=["testserver"]).enable()
    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    path = f"/accounts/{ACCOUNT}/candidates/{CANDIDATE}/"

    def draw() -> str:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    return draw


def _render(draw: Callable[[], str], times: int) -> list[float]:
    spent = []
    for _ in range(times):
        started = time.process_time()
        draw()
        spent.append((time.process_time() - started) * 1000)
    return spent


def _paced(draw: Callable[[], str], times: int) -> None:
    """Under callgrind: say "ready", wait while the parent switches counting on, draw, say
    "done", wait while it switches counting off."""
    print("ready", flush=True)
    sys.stdin.readline()
    _render(draw, times)
    print("done", flush=True)
    sys.stdin.readline()


def _instructions(times: int, *, page: bool) -> int:
    """Return the instructions callgrind counted over ``times`` draws (nothing else counted)."""
    child = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null",
         sys.executable, __file__, "-n", str(times), "--paced", *(["--page"] if page else [])],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdin is not None and child.stdout is not None
    for switch in ("on", "off"):
        line = child.stdout.readline()
        if line.strip() not in ("ready", "done"):
            child.kill()
            raise RuntimeError(f"the run under callgrind stopped: {line!r}\n{child.communicate()[1][-2000:]}")
        subprocess.run(["callgrind_control", f"--instr={switch}", str(child.pid)], check=True,
                       capture_output=True)
        child.stdin.write("\n")
        child.stdin.flush()
    _, err = child.communicate()
    found = re.search(r"Collected : (\d+)", err)
    if child.returncode or found is None:
        raise RuntimeError(f"callgrind printed no total: {err[-2000:]}")
    return int(found.group(1))


def _report_groups(draw: Callable[[], str], times: int) -> None:
    from django.forms.renderers import Jinja2

    drawn: Counter[str] = Counter()
    original = Jinja2.render

    def counting(self, template_name, context, request=None):  # type: ignore[no-untyped-def]
        drawn[template_name.rsplit("/", 1)[-1]] += 1
        return original(self, template_name, context, request)

    Jinja2.render = counting  # type: ignore[method-assign]
    html = draw()
    Jinja2.render = original  # type: ignore[method-assign]
    spent = _render(draw, times)
    inputs = {kind: len(re.findall(f"<{kind}[ >]", html)) for kind in ("input", "select", "textarea")}
    print(f"Ada's field groups: {len(html):,} bytes; {inputs['input']} inputs, "
          f"{inputs['select']} selects, {inputs['textarea']} text areas (stored rows only: no blank "
          "row, no add-row template)")
    kinds = ", ".join(f"{name} {count}" for name, count in drawn.most_common())
    print(f"templates rendered per page: {sum(drawn.values())} ({kinds})")
    median = sorted(spent)[len(spent) // 2]
    print(f"render: fastest {min(spent):.2f} ms, median {median:.2f} ms of CPU (N = {times})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--instructions", action="store_true", help="count instructions with callgrind")
    parser.add_argument("--page", action="store_true", help="the whole edit page (a GET), not its groups")
    parser.add_argument("--paced", action="store_true", help=argparse.SUPPRESS)  # under callgrind
    args = parser.parse_args()
    if args.instructions:
        if shutil.which("valgrind") is None:
            print("valgrind is not installed (apt-get install valgrind)")
            return 1
        few, more = _instructions(args.n, page=args.page), _instructions(args.n + 10, page=args.page)
        what = "edit page GET" if args.page else "render of the field groups"
        print(f"instructions per {what}: {(more - few) / 10 / 1e6:.1f} M "
              f"(callgrind, {args.n} and {args.n + 10} of them)")
        return 0
    with workspace(None) as (tmp, database_url):
        env = bench_env(database_url)
        django_setup(env)
        sandbox = (start_server("sandbox", env, workers=1, threads=2, log=tmp / "sandbox.log")
                   if args.page else None)
        try:
            draw = _page(sandbox.url) if sandbox else _groups()
            draw()  # templates compiled, caches filled: every draw counted does the same work
            # Setup's objects leave the collector's view, so a count does not depend on whether a
            # full collection of them happens to fall among the draws (both sides of a comparison
            # alike).
            gc.freeze()
            if args.paced:
                _paced(draw, args.n)
            elif sandbox:
                spent = _render(draw, args.n)
                median = sorted(spent)[len(spent) // 2]
                print(f"edit page GET: fastest {min(spent):.2f} ms, median {median:.2f} ms of CPU in the "
                      f"app's process (N = {args.n}; the sandbox's own work not counted)")
            else:
                _report_groups(draw, args.n)
        finally:
            if sandbox:
                sandbox.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
