"""Each folder under tests/sites/invalid/ breaks the minimal site one way; the build must say exactly how.

A case folder holds `overlay/` (files written over a copy of the minimal site)
and `expected.txt` (the errors, one a line, as the editor sees them).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import INVALID, MINIMAL, REPO, copy_site

CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def make_case(name: str, tmp_path):
    overlay_dir = INVALID / name / "overlay"
    overlay = {p.relative_to(overlay_dir).as_posix(): p.read_text(encoding="utf-8")
               for p in sorted(overlay_dir.rglob("*")) if p.is_file()}
    return copy_site(MINIMAL, tmp_path / "site", overlay)


def expected_output(name: str) -> str:
    lines = (INVALID / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    numbered = [f"{i}. {line}" for i, line in enumerate(lines, 1)]
    noun = "error" if len(lines) == 1 else "errors"
    return "\n".join(numbered + [f"Found {len(lines)} {noun}; nothing was written."]) + "\n"


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_reports_exact_errors_and_writes_nothing(case, tmp_path):
    site = make_case(case, tmp_path)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--source", str(site),
                             "--output", str(out), "--now", "2026-11-25"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.stderr == expected_output(case)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()


@pytest.mark.parametrize("case", CASES)
def test_check_command_reports_the_same_errors(case, tmp_path):
    site = make_case(case, tmp_path)
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--source", str(site)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == expected_output(case)


def test_every_error_kind_has_a_case():
    # Each kind of error the loader reports, pinned by one case folder.
    wanted = {"missing-field", "wrong-type", "unknown-key", "bad-date", "duplicate-slug", "path-collision",
              "unknown-lpu", "unknown-team", "image-without-alt", "unsafe-html", "bad-yaml", "broken-link",
              "many-errors", "bad-config", "own-site-link"}
    assert wanted <= set(CASES)
