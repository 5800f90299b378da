"""What drawing the edit page's field groups costs, in time and in instructions.

Builds the editor for the sandbox's Ada Lovelace (c-0001: two emails, two phones, a social
link, three custom fields with definitions) in this process, with the benchmark settings, and
renders its field groups (``{{ groups }}``, ``candidates.editor.display.EditorGroups``: the
candidate form and its four lists with their "Add row" templates, everything drawn by Django's
Jinja2 form renderer) N times. Prints the inputs on the page, the
widgets rendered per page and the fastest render's CPU milliseconds. With ``--instructions``
it runs itself twice under valgrind's callgrind (N and N + 10 renders) and prints the
instructions one render costs: unlike milliseconds, that figure does not move with the load of
a shared machine, so before/after comparisons of a change can be made on a busy one.

    .venv/bin/python benchmarks/edit_page_cost.py [-n 50] [--instructions]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import ACCOUNT, bench_env, django_setup, workspace  # noqa: E402

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


def _render(draw, times: int) -> list[float]:  # type: ignore[no-untyped-def]
    spent = []
    for _ in range(times):
        started = time.process_time()
        draw()
        spent.append((time.process_time() - started) * 1000)
    return spent


def _instructions(times: int) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
         "-n", str(times), "--quiet"], capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no total: {out.stderr[-500:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--instructions", action="store_true", help="count instructions with callgrind")
    parser.add_argument("--quiet", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.instructions:
        if shutil.which("valgrind") is None:
            print("valgrind is not installed (apt-get install valgrind)")
            return 1
        few, more = _instructions(args.n), _instructions(args.n + 10)
        print(f"instructions per render of the field groups: {(more - few) / 10 / 1e6:.1f} M "
              f"(callgrind, {args.n} and {args.n + 10} renders)")
        return 0
    with workspace(None) as (_, database_url):
        django_setup(bench_env(database_url))
        make_editor = _editor()
        from django.forms.renderers import Jinja2

        from candidates.editor.display import EditorGroups

        drawn: Counter[str] = Counter()
        original = Jinja2.render

        def counting(self, template_name, context, request=None):  # type: ignore[no-untyped-def]
            drawn[template_name.rsplit("/", 1)[-1]] += 1
            return original(self, template_name, context, request)

        def draw() -> str:
            return str(EditorGroups(make_editor()))

        Jinja2.render = counting  # type: ignore[method-assign]
        html = draw()
        Jinja2.render = original  # type: ignore[method-assign]
        spent = _render(draw, args.n)
        if args.quiet:
            return 0
        inputs = {kind: len(re.findall(f"<{kind}[ >]", html)) for kind in ("input", "select", "textarea")}
        print(f"Ada's field groups: {len(html):,} bytes; {inputs['input']} inputs, "
              f"{inputs['select']} selects, {inputs['textarea']} text areas (add-row templates included)")
        kinds = ", ".join(f"{name} {count}" for name, count in drawn.most_common())
        print(f"templates rendered per page: {sum(drawn.values())} ({kinds})")
        median = sorted(spent)[len(spent) // 2]
        print(f"render: fastest {min(spent):.2f} ms, median {median:.2f} ms of CPU (N = {args.n})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
