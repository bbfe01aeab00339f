"""The output folder is replaced whole or not at all, even when a build fails or is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import MINIMAL, NOW, REPO
from test_build import tree_digest
from wmpsite import output, pipeline
from wmpsite.errors import BuildFailed


def test_content_error_leaves_last_good_site_untouched(site_copy, tmp_path):
    site = site_copy()
    out = tmp_path / "out"
    pipeline.build(site, out, now=NOW)
    before = tree_digest(out)
    (site / "content/news/2026-01-05-winter-safety.md").write_text("---\ntitle: Broken\n---\n")
    with pytest.raises(BuildFailed):
        pipeline.build(site, out, now=NOW)
    assert tree_digest(out) == before


def test_failure_half_way_through_writing_leaves_last_good_site(tmp_path, monkeypatch):
    out = tmp_path / "out"
    pipeline.build(MINIMAL, out, now=NOW)
    before = tree_digest(out)
    real_write = Path.write_bytes
    written = []

    def failing_write(self, data):
        written.append(self)
        if len(written) == 10:
            raise OSError(28, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(OSError):
        pipeline.build(MINIMAL, out, now=NOW)
    monkeypatch.undo()
    assert len(written) == 10
    assert tree_digest(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left behind


def test_killed_build_leaves_last_good_site_and_next_build_cleans_up(tmp_path):
    out = tmp_path / "out"
    pipeline.build(MINIMAL, out, now=NOW)
    before = tree_digest(out)
    # A build that stalls while writing its staging folder, then is killed.
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from wmpsite import pipeline
        real = Path.write_bytes
        count = [0]
        def slow(self, data):
            count[0] += 1
            if count[0] == 5:
                print("writing", flush=True)
                time.sleep(60)
            return real(self, data)
        Path.write_bytes = slow
        import datetime as dt
        pipeline.build(Path({str(MINIMAL)!r}), Path({str(out)!r}), now=dt.datetime(2026, 11, 25))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "out"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".out.staging-")
    assert tree_digest(out) == before
    pipeline.build(MINIMAL, out, now=NOW)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert tree_digest(out) == before


def test_write_output_replaces_removed_pages(tmp_path):
    out = tmp_path / "out"
    output.write_output([("main/a/index.html", b"a"), ("main/b/index.html", b"b")], out)
    output.write_output(iter([("main/a/index.html", b"a2")]), out)
    assert tree_digest(out).keys() == {"main/a/index.html"}
    assert (out / "main/a/index.html").read_bytes() == b"a2"
