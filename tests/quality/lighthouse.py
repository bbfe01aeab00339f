"""Run Lighthouse (npm `lighthouse`, pinned in package.json) on pages of a built site, with Debian chromium.

Shared by tests/quality/test_lighthouse.py and scripts/lighthouse.py (which writes docs/quality.md).
Lighthouse runs with its defaults (a phone, simulated slow 4G and CPU throttling) on four pages:
the main home page, an LPU home, a team page and find your team. Nothing here downloads anything:
CHROME_PATH points at /usr/bin/chromium.

    report = run_lighthouse("http://127.0.0.1:8000/")
    report.scores  # {'performance': 100, 'accessibility': 100, 'best-practices': 100, 'seo': 100}
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import tools

LIGHTHOUSE_CLI = tools.NODE_MODULES / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: The categories the test holds to TARGET: they judge the pages themselves. Performance is a
#: timing (a busy machine scores the same page 71 and then 98), so it is only reported, in
#: docs/quality.md.
ASSERTED = ("accessibility", "best-practices", "seo")
TARGET = 95
TIMEOUT = 240  # seconds a page; a run takes about 11-13 s

#: The pages checked: label -> URL path on the main site, in the demo.
PAGES = {
    "Main home page": "",
    "LPU home page": "birmingham-south/",
    "Team page": "birmingham-south/teams/selly-oak/",
    "Find your team": "find-your-team/",
}


def find_lighthouse() -> Path | None:
    """Return Lighthouse's command-line script installed by npm, or None."""
    return LIGHTHOUSE_CLI if LIGHTHOUSE_CLI.is_file() and shutil.which("node") else None


def require_lighthouse() -> Path:
    """Return the Lighthouse CLI, or fail (in CI) / skip naming what is missing."""
    if tools.find_chromium() is None:
        tools.missing_tool(f"no Debian chromium at {tools.CHROMIUM}")
    cli = find_lighthouse()
    if cli is None:
        tools.missing_tool(f"no Lighthouse at {LIGHTHOUSE_CLI.relative_to(tools.REPO_ROOT)} (or no node)")
    return cli  # type: ignore[return-value]


def pages_in(main: Path) -> dict[str, str | None]:
    """PAGES that the build has; for the LPU and team pages, the first found when the demo's are not there."""
    sample = tools.sample_pages(main)
    found: dict[str, str | None] = {}
    for label, path in PAGES.items():
        if (main / path / "index.html").is_file():
            found[label] = path
        elif label == "LPU home page":
            found[label] = sample["lpu-home"]
        elif label == "Team page":
            found[label] = sample["team"]
        else:
            found[label] = None
    return found


def command(url: str, output: str | Path = "report.json", categories: tuple[str, ...] = CATEGORIES) -> list[str]:
    """The Lighthouse command line for one page (run it with CHROME_PATH=/usr/bin/chromium)."""
    return [
        "node", str(LIGHTHOUSE_CLI.relative_to(tools.REPO_ROOT)), url,
        f"--only-categories={','.join(categories)}",
        f"--chrome-flags={' '.join(tools.CHROMIUM_ARGS)}",
        "--output=json", f"--output-path={output}", "--quiet",
    ]


def shown_command(url: str) -> str:
    """The command as a person types it, for docs/quality.md."""
    return f"CHROME_PATH={tools.CHROMIUM} " + shlex.join(command(url))


@dataclass
class Audit:
    id: str
    category: str
    title: str
    score: float
    display: str = ""

    def __str__(self) -> str:
        extra = f" ({self.display})" if self.display else ""
        return f"  [{self.category}] {self.id}: {self.title}, score {self.score:.2f}{extra}"


@dataclass
class Report:
    """One Lighthouse run: the scores (0-100) of the categories it ran, and every audit that was not perfect."""

    url: str
    scores: dict[str, int]
    imperfect: list[Audit] = field(default_factory=list)
    lighthouse_version: str = ""
    user_agent: str = ""

    def below(self, target: int = TARGET, categories: tuple[str, ...] = CATEGORIES) -> dict[str, int]:
        """The scores of `categories` (those this run has) below target."""
        return {c: s for c, s in self.scores.items() if s < target and c in categories}


def run_lighthouse(url: str, *, categories: tuple[str, ...] = CATEGORIES, timeout: float = TIMEOUT) -> Report:
    """Run Lighthouse's `categories` on url with Debian chromium; return their scores and imperfect audits."""
    require_lighthouse()
    with tempfile.TemporaryDirectory(prefix="wmpsite-lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        env = {**os.environ, "CHROME_PATH": str(tools.CHROMIUM), "TMPDIR": tmp}
        proc = subprocess.run(command(url, out, categories), cwd=tools.REPO_ROOT, env=env, capture_output=True,
                              text=True, timeout=timeout)
        if proc.returncode != 0 or not out.is_file():
            raise RuntimeError(f"lighthouse exited {proc.returncode} on {url}:\n{proc.stderr[-3000:]}")
        data = json.loads(out.read_text(encoding="utf-8"))
    return parse_report(data, categories)


def run_steady(url: str, *, target: int = TARGET, runs: int = 3) -> tuple[Report, list[Report]]:
    """Run Lighthouse once; if a score is below target, run it again until `runs` runs and take
    each category's median (Lighthouse's own advice on variance: a busy 2-core machine makes
    Total Blocking Time jump). Returns (the report with median scores, every run)."""
    first = run_lighthouse(url)
    if not first.below(target):
        return first, [first]
    reports = [first] + [run_lighthouse(url) for _ in range(runs - 1)]
    median = {c: sorted(r.scores[c] for r in reports)[len(reports) // 2] for c in CATEGORIES}
    middle = min(reports, key=lambda r: sum(abs(r.scores[c] - median[c]) for c in CATEGORIES))
    return Report(first.url, median, middle.imperfect, first.lighthouse_version, first.user_agent), reports


def parse_report(data: dict, categories: tuple[str, ...] = CATEGORIES) -> Report:
    """Scores of `categories` and their imperfect audits from Lighthouse's JSON report."""
    if data.get("runtimeError"):
        raise RuntimeError(f"lighthouse could not test {data.get('finalDisplayedUrl')}: {data['runtimeError']}")
    scores, imperfect = {}, []
    for cid in categories:
        category = data["categories"][cid]
        if category.get("score") is None:
            raise RuntimeError(f"lighthouse gave no {cid} score for {data.get('finalDisplayedUrl')}")
        scores[cid] = round(category["score"] * 100)
        for ref in category["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") != "informative":
                imperfect.append(Audit(ref["id"], cid, audit.get("title", ""), audit["score"],
                                       audit.get("displayValue", "")))
    return Report(data.get("finalDisplayedUrl") or data.get("requestedUrl", ""), scores, imperfect,
                  data.get("lighthouseVersion", ""), data.get("environment", {}).get("hostUserAgent", ""))
