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
from wmpsite.build import output, pipeline
from wmpsite.core.errors import BuildFailed, MachineFailed


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
            raise OSError(28, "No space left on device")  # as write(2) fails: naming no file
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(MachineFailed, match="No space left on device") as raised:
        pipeline.build(MINIMAL, out, now=NOW)
    monkeypatch.undo()
    assert len(written) == 10
    assert str(raised.value).startswith(f"{written[-1]}: ")  # the file it could not write
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.record", "out"]  # no staging folder left behind


def test_killed_build_leaves_last_good_site_and_next_build_cleans_up(tmp_path):
    out = tmp_path / "out"
    pipeline.build(MINIMAL, out, now=NOW)
    before = tree_digest(out)
    # A build that stalls while writing its staging folder, then is killed.
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from wmpsite.build import pipeline
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
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("out", ".out.record")]
    assert len(leftovers) == 1 and leftovers[0].startswith(".out.staging-")
    assert tree_digest(out) == before
    pipeline.build(MINIMAL, out, now=NOW)
    # the tree before, for reuse, and what each tree's build wrote (reuse.Record)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.previous", ".out.previous.record", ".out.record", "out"]
    assert tree_digest(out) == before


def test_write_output_replaces_removed_pages(tmp_path):
    out = tmp_path / "out"
    output.write_output([("main/a/index.html", b"a"), ("main/b/index.html", b"b")], out)
    output.write_output(iter([("main/a/index.html", b"a2")]), out)
    assert tree_digest(out).keys() == {"main/a/index.html"}
    assert (out / "main/a/index.html").read_bytes() == b"a2"


def test_rebuild_starts_from_the_tree_before_and_writes_only_what_changed(site_copy, tmp_path, monkeypatch):
    site = site_copy()
    out = tmp_path / "out"
    pipeline.build(site, out, now=NOW)
    pipeline.build(site, out, now=NOW)  # the first tree is now .out.previous, the next build's starting point
    real_write = Path.write_bytes
    written = []

    def counting_write(self, data):
        if ".staging-" in self.parent.as_posix():  # not the record beside the tree (reuse.py)
            written.append(self.as_posix().split(".staging-")[-1].split("/", 1)[-1])  # main/...
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", counting_write)
    pipeline.build(site, out, now=NOW)
    assert written == []
    story = site / "content/news/2026-01-05-winter-safety.md"
    story.write_text(story.read_text().replace("Use timer switches", "Use timer switches and smart bulbs"))
    pipeline.build(site, out, now=NOW)
    assert "main/news/winter-safety/index.html" in written
    assert "main/about-us/index.html" not in written and len(written) < 40
    monkeypatch.undo()
    pipeline.build(site, tmp_path / "clean", now=NOW, cache=False)
    assert tree_digest(out) == tree_digest(tmp_path / "clean")


def test_reused_tree_loses_what_the_build_no_longer_makes(tmp_path):
    out = tmp_path / "out"
    first = [("main/a/index.html", b"a"), ("main/b", b"b is a file"), ("main/c/x.html", b"x"), ("main/d/e/f.html", b"f")]
    output.write_output(first, out)
    output.write_output([("main/a/index.html", b"a")], out)  # `first` becomes the starting point of the next
    output.write_output([("main/a/index.html", b"a"), ("main/b/index.html", b"b is a folder"), ("main/c", b"c")], out)
    assert tree_digest(out) == tree_digest(_written(tmp_path / "expected", [
        ("main/a/index.html", b"a"), ("main/b/index.html", b"b is a folder"), ("main/c", b"c")]))
    assert not (out / "main/d").exists()  # emptied folders go too


def _written(folder: Path, files) -> Path:
    for rel, data in files:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder
