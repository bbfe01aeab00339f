"""Progress: a bar with the stage and counts on a terminal, nothing in logs, stage times when verbose."""

import io

from conftest import MINIMAL, NOW
from wmpsite.build import pipeline
from wmpsite.core.progress import Progress


def test_bar_shows_stage_and_counts_and_clears_itself():
    out = io.StringIO()
    progress = Progress(out, bar=True)
    progress.start("render", 3)
    progress.advance(3)
    progress._draw(force=True)
    progress.finish()
    text = out.getvalue()
    assert "render" in text and "3/3" in text and "[" + "#" * 30 + "]" in text
    assert text.endswith("\r\x1b[K")


def test_no_bar_when_not_a_terminal_and_stage_times_when_verbose(tmp_path):
    quiet, verbose = io.StringIO(), io.StringIO()
    pipeline.build(MINIMAL, tmp_path / "a", now=NOW, progress=Progress(quiet, bar=False))
    pipeline.build(MINIMAL, tmp_path / "b", now=NOW, progress=Progress(verbose, bar=False, verbose=True))
    assert quiet.getvalue() == ""
    lines = verbose.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["load", "check", "plan", "reuse", "render", "search"]
    content_files = [p for p in (MINIMAL / "content").rglob("*.md")]
    assert lines[0].startswith(f"load: {len(content_files)} in ")
