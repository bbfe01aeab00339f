#!/usr/bin/env python3
"""Test the force's site for accessibility and write the record its accessibility statement reports.

Builds the site (or uses --site DIR), runs the Nu Html Checker on every page and axe-core's WCAG 2.2 AA
rules in Chromium on one page of each kind at a phone's and a desktop's width, and writes what ran, on
how many pages, when, and every failure found into the file `[accessibility] test_record` names in
site.toml (wmpsite/core/tested.py reads it). The statement then says so, and lists each failure as a
known issue: nothing in it is typed by hand.

    make accessibility                                   # build the demo, test, write the record
    .venv/bin/python scripts/accessibility_audit.py --site _site

Needs what `make test` installs: Java and vnu.jar, /usr/bin/chromium and node_modules/axe-core.
Exit codes: 0 nothing failed; 1 something failed (the record is written anyway, listing it); 2 wrong
usage or a missing tool.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.quality import tools  # noqa: E402
from wmpsite.core.config import load_config  # noqa: E402
from wmpsite.core.errors import BuildFailed  # noqa: E402

WIDTHS = {"phone": tools.PHONE["viewport"]["width"], "desktop": tools.DESKTOP["viewport"]["width"]}


def package_version(name: str) -> str:
    return json.loads((tools.NODE_MODULES / name / "package.json").read_text(encoding="utf-8"))["version"]


def browser_version() -> str:
    out = subprocess.run([str(tools.CHROMIUM), "--version"], capture_output=True, text=True, timeout=60).stdout
    return " ".join(out.split()[:2]) or "Chromium"  # 'Chromium 156.0.8078.114'


def page_path(rel: str) -> str:
    """'birmingham-south/index.html' -> '/birmingham-south/'."""
    rel = rel.removeprefix("main/")
    return "/" + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)


def audit(main: Path) -> tuple[list[dict], list[dict]]:
    """The tools run on `main` (a built main site) and the failures they found."""
    failures = [{"page": page_path(m.file), "problem": f"The HTML is not valid: {m.message}"}
                for m in tools.run_vnu(main)]
    pages = {kind: path for kind, path in tools.sample_pages(main).items() if path is not None}
    with tools.serve(main) as base, tools.launch_chromium() as browser:
        for viewport, width in WIDTHS.items():
            context = tools.new_context(browser, viewport)
            try:
                for path in pages.values():
                    page, _ = tools.open_page(context, base + path, settle=True)
                    failures += [{"page": page_path(path), "problem": f"{v.help} at {width} px wide ({v.rule})"}
                                 for v in tools.run_axe(page)]
                    page.close()
            finally:
                context.close()
    html_pages = sum(1 for _ in main.rglob("*.html"))
    ran = [
        {"name": "Nu Html Checker", "version": package_version("vnu-jar"), "what": "valid HTML",
         "pages": html_pages},
        {"name": "axe-core", "version": package_version("axe-core"),
         "what": f"the WCAG 2.2 A and AA rules it can test, at {WIDTHS['phone']} and {WIDTHS['desktop']} "
                 "pixels wide, one page of each kind", "pages": len(pages)},
    ]
    return ran, sorted({(f["page"], f["problem"]): f for f in failures}.values(), key=lambda f: (f["page"], f["problem"]))


def toml_record(tested_on: dt.date, browser: str, ran: list[dict], failures: list[dict]) -> str:
    """The record as TOML. Strings are written as JSON strings, which are TOML basic strings."""
    def text(value) -> str:
        return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)

    lines = ["# What the last accessibility test run ran, when, and what it found. Written by",
             "# `make accessibility` (scripts/accessibility_audit.py): run it again rather than editing this.",
             f"tested_on = {tested_on.isoformat()}", f"browser = {text(browser)}"]
    for table, rows in (("tools", ran), ("failures", failures)):
        for row in rows:
            lines += ["", f"[[{table}]]", *(f"{key} = {text(value)}" for key, value in row.items())]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=REPO_ROOT, help="the force's folder (with site.toml)")
    parser.add_argument("--site", type=Path, help="a built site (default: build it into a temporary folder)")
    args = parser.parse_args(argv)
    try:
        settings = tomllib.loads((args.source / "site.toml").read_text(encoding="utf-8"))
        rel = settings["accessibility"]["test_record"]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError):
        print("accessibility_audit: site.toml's [accessibility] names no test_record to write", file=sys.stderr)
        return 2
    record = args.source / rel
    if not record.is_file():  # the first run: a record of no tools, so that the site builds to be tested
        record.write_text(toml_record(dt.date.today(), browser_version(), [], []), encoding="utf-8")
    try:
        config = load_config(args.source / "site.toml")
    except BuildFailed as failed:
        print(failed, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.site
        if folder is None:
            folder = Path(tmp) / "_site"
            subprocess.run([sys.executable, str(REPO_ROOT / "build.py"), "build", "--quiet", "--source",
                            str(args.source), "--output", str(folder)], check=True)
        ran, failures = audit(folder / "main")
    tested_on = dt.datetime.now(ZoneInfo(config.force.time_zone)).date()
    record.write_text(toml_record(tested_on, browser_version(), ran, failures), encoding="utf-8")
    print(f"{record}: {len(failures)} failure(s) on {ran[0]['pages']} pages")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
