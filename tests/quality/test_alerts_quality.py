"""The major-incident banner and the social media directories with real tools.

The demo is built with one force-wide alert of each severity active; the Nu
Html Checker checks a sample of pages with banners, and axe-core runs on them
in headless chromium at phone and desktop widths.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from . import tools

ALERT = """---
title: "{title}"
severity: {severity}
start: 2026-11-25 06:00
end: 2026-11-26 06:00
summary: "Keep doors and windows closed if you live near Tyseley."
---
A large fire is producing smoke. [Advice on staying safe indoors](https://www.gov.uk/).
"""
PAGES = ["", "news/", "social-media/", "birmingham-south/", "birmingham-south/social-media/",
         "birmingham-south/teams/selly-oak/"]


@pytest.fixture(scope="module")
def alert_site(tmp_path_factory) -> Path:
    """The demo with three active alerts, built at a time inside them: its main site folder."""
    root = tools.copy_demo(tmp_path_factory.mktemp("alert-demo") / "site")
    for severity in ("critical", "major", "advisory"):
        (root / f"content/alerts/2026-11-25-{severity}.md").write_text(
            ALERT.format(title=f"A {severity} incident at Tyseley", severity=severity), encoding="utf-8")
    out = root / "_out"
    proc = subprocess.run([sys.executable, str(tools.REPO_ROOT / "build.py"), "build", "--source", str(root),
                           "--output", str(out), "--now", "2026-11-25T12:00", "--quiet"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out / "main"


def test_banner_pages_pass_the_nu_html_checker(alert_site, tmp_path):
    sample = tmp_path / "sample"
    for path in PAGES:
        target = sample / path / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(alert_site / path / "index.html", target)
        assert 'class="alert alert--critical"' in target.read_text(encoding="utf-8")
    errors = tools.run_vnu(sample)
    assert not errors, "\n".join(str(e) for e in errors)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations_with_banners(browser, alert_site, path, viewport):
    with tools.serve(alert_site) as base:
        visit, violations = tools.axe_check(browser, base + path, viewport)
    assert visit.status == 200
    tools.fail_on_axe(violations, path, viewport)
