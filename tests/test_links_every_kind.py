"""A broken link in the body of any content kind is an error that `check` reports as `build` does.

The checks and the renderer resolve links against one list of every item (core/queries.py); when
they kept lists of their own, a link in a question passed `check` and crashed `build`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_site


#: One file of every kind that has a body, in the demo force (folders under content/).
KINDS = {
    "page": "pages", "news": "news", "advice": "advice", "alert": "alerts", "appeal": "appeals",
    "event": "events", "photo": "gallery", "question": "questions", "unit": "units",
    "lpu": "lpus/birmingham-south/_index.md", "team": "lpus/birmingham-south/teams",
    "local news": "lpus/birmingham-south/news", "priority": "lpus/birmingham-south/priorities",
    "local event": "lpus/birmingham-south/events", "local question": "lpus/birmingham-south/questions",
}


def _first(where: str) -> str:
    path = REPO / "content" / where
    return where if path.is_file() else f"{where}/{sorted(p.name for p in path.glob('*.md'))[0]}"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *args, "--now", "2026-12-03T12:00"], cwd=REPO,
                          capture_output=True, text=True)


@pytest.mark.parametrize("kind", KINDS)
def test_check_names_a_broken_link_in_every_kind(kind, tmp_path):
    rel = _first(KINDS[kind])
    text = (REPO / "content" / rel).read_text(encoding="utf-8")
    broken = f"\n\nSee [this]({'../' * rel.count('/')}pages/no-such-page.md).\n"
    site = copy_site(REPO, tmp_path / "site", {f"content/{rel}": text + broken})
    checked = _run("check", "--source", str(site))
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert f"content/{rel}:" in checked.stdout + checked.stderr
    assert "'content/pages/no-such-page.md' leads to no content file" in checked.stdout + checked.stderr
    if kind in ("question", "local question", "alert", "photo"):  # the kinds `build` once crashed on
        built = _run("build", "--source", str(site), "--output", str(tmp_path / "out"))
        assert built.returncode == 1, built.stdout + built.stderr
        assert sorted(checked.stdout.splitlines()) == sorted(built.stdout.splitlines())
        assert not (tmp_path / "out").exists()
