"""`build --site NAME`: one separately deployable site, the same bytes as in a full build."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import MINIMAL, NOW, REPO
from test_build import tree_digest
from wmpsite.build import pipeline
from wmpsite.core.errors import UnknownSite


def test_each_site_alone_is_byte_identical_to_its_folder_in_a_full_build(tmp_path, minimal_build):
    out = tmp_path / "out"
    pipeline.build(MINIMAL, out, site="riverside", now=NOW)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["next-change.json", "riverside"]
    assert tree_digest(out / "riverside") == tree_digest(minimal_build / "riverside")
    assert (out / "next-change.json").read_bytes() == (minimal_build / "next-change.json").read_bytes()
    # The main site, search index included, lands beside it and leaves it alone.
    pipeline.build(MINIMAL, out, site="main", now=NOW, jobs=2)
    assert tree_digest(out / "main") == tree_digest(minimal_build / "main")
    assert tree_digest(out / "riverside") == tree_digest(minimal_build / "riverside")
    assert (out / "main/pagefind/shards.json").is_file()


def test_a_site_build_renders_only_that_sites_pages(tmp_path, monkeypatch):
    from wmpsite.build import render
    rendered = []
    real = render.Renderer.render
    monkeypatch.setattr(render.Renderer, "render", lambda self, page, shown=None: rendered.append(page.location.site)
                        or real(self, page, shown))
    pipeline.build(MINIMAL, tmp_path / "out", site="riverside", now=NOW)
    assert rendered and set(rendered) == {"riverside"}


def test_unknown_site_names_the_sites_there_are(tmp_path):
    with pytest.raises(UnknownSite, match="'nowhere'; this project has: main, riverside"):
        pipeline.build(MINIMAL, tmp_path / "out", site="nowhere", now=NOW)
    assert not (tmp_path / "out").exists()
    result = subprocess.run([sys.executable, "build.py", "build", "--source", str(MINIMAL), "--output",
                             str(tmp_path / "out"), "--site", "nowhere", "--now", "2026-11-25"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2
    assert "there is no separately deployable site 'nowhere'; this project has: main, riverside" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_summary_names_the_site(tmp_path):
    result = subprocess.run([sys.executable, "build.py", "build", "--source", str(MINIMAL), "--output",
                             str(tmp_path / "out"), "--site", "riverside", "--now", "2026-11-25"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert f"of the site 'riverside' into {tmp_path / 'out' / 'riverside'} in " in result.stdout
