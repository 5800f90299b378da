"""The README stays short and its links lead somewhere; the documentation keeps up with the code
it describes: every setting the app reads is on the configuration page, and every benchmark script
has its ``make bench-…`` target and its section on the benchmarks page.

Links between the site's own pages (and their anchors) are checked by ``make docs``, which builds
the site with ``mkdocs build --strict``; these tests cover what that build does not read.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
LINK = re.compile(r"\]\(([^)\s]+)\)")  # a Markdown link or image: ](target)


def bench_targets() -> dict[str, str]:
    """``make`` target → the script it runs, from the Makefile."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return dict(re.findall(r"^(bench-[\w-]+): install\n\t\$\(PY\) benchmarks/(\w+\.py)", makefile, re.M))


def test_the_readme_stays_under_8_kb() -> None:
    assert len(README.read_bytes()) <= 8 * 1024


def test_every_relative_link_in_the_readme_leads_to_a_file() -> None:
    targets = [target for target in LINK.findall(README.read_text(encoding="utf-8"))
               if not re.match(r"[a-z][a-z0-9+.-]*:", target) and not target.startswith("#")]
    assert targets, "the README links into docs/"
    missing = [target for target in targets if not (ROOT / target.split("#")[0]).is_file()]
    assert missing == []


def test_the_readmes_screenshot_is_small() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+\.png)\)", README.read_text(encoding="utf-8"))
    assert images
    assert all((ROOT / image).stat().st_size <= 200 * 1024 for image in images)


def test_every_setting_the_app_reads_is_on_the_configuration_page() -> None:
    settings = (ROOT / "stackone_admin" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', settings))
    page = (DOCS / "operations" / "configuration.md").read_text(encoding="utf-8")
    assert {"STACKONE_API_KEY", "DATABASE_URL", "DIRECTORY_RETENTION_DAYS"} <= names
    assert sorted(name for name in names if f"`{name}`" not in page) == []


def test_every_benchmark_script_has_a_make_target_and_its_section() -> None:
    targets = bench_targets()
    scripts = {path.name for path in (ROOT / "benchmarks").glob("*.py")} - {"__init__.py", "harness.py"}
    assert sorted(scripts - set(targets.values())) == []
    page = (DOCS / "benchmarks.md").read_text(encoding="utf-8")
    undocumented = [target for target, script in targets.items()
                    if f"make {target}" not in page or f"benchmarks/{script}" not in page]
    assert undocumented == []


def test_every_make_bench_command_the_docs_name_exists() -> None:
    texts = [README.read_text(encoding="utf-8")]
    texts += [path.read_text(encoding="utf-8") for path in DOCS.rglob("*.md")]
    named = {name for text in texts for name in re.findall(r"make (bench-[a-z-]*[a-z])", text)}
    assert sorted(named - set(bench_targets())) == []
