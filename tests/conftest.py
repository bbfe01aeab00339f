"""Shared fixtures: the fixture sites under tests/sites/, and a helper to write small sites."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import shutil
from pathlib import Path

import pytest

from wmpsite import pipeline

TESTS = Path(__file__).parent
REPO = TESTS.parent
MINIMAL = TESTS / "sites" / "minimal"
INVALID = TESTS / "sites" / "invalid"
# Fixture sites are read-only: keep every test build's cache out of them (subprocesses inherit this).
os.environ.setdefault("WMPSITE_CACHE_DIR", tempfile.mkdtemp(prefix="wmpsite-test-cache-"))

#: The build date of every fixture build, so 'upcoming' never depends on the clock.
NOW = dt.datetime(2026, 11, 25, 12, 0)


def copy_site(source: Path, target: Path, overlay: dict[str, str | None] | None = None) -> Path:
    """Copy a fixture site to `target`, then write (or, for None, delete) the files in `overlay`."""
    shutil.copytree(source, target)
    for rel, text in (overlay or {}).items():
        path = target / rel
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return target


@pytest.fixture
def site_copy(tmp_path):
    """Return a function that makes a modified copy of the minimal site: site_copy({path: text})."""
    def make(overlay: dict[str, str | None] | None = None) -> Path:
        return copy_site(MINIMAL, tmp_path / "site", overlay)
    return make


@pytest.fixture(scope="session")
def minimal_build(tmp_path_factory) -> Path:
    """The minimal fixture site, built once: returns the output folder."""
    out = tmp_path_factory.mktemp("minimal") / "_site"
    pipeline.build(MINIMAL, out, now=NOW)
    return out


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> Path:
    """The demo force (the repo's own content/), built once at NOW: returns the output folder."""
    out = tmp_path_factory.mktemp("demo") / "_site"
    pipeline.build(REPO, out, now=NOW, jobs=2)
    return out
