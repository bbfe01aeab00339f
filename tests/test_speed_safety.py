"""Speed must never change the result: parallel builds and cached builds give the bytes of a clean serial build."""

from __future__ import annotations

import shutil

from conftest import MINIMAL, NOW, copy_site
from test_build import tree_digest
from wmpsite.build import pipeline
from wmpsite.core.config import THEME_ROOT


def test_parallel_build_is_byte_identical_to_serial(tmp_path, monkeypatch):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    pipeline.build(MINIMAL, tmp_path / "serial", now=NOW, jobs=1, cache=False)
    pipeline.build(MINIMAL, tmp_path / "parallel", now=NOW, jobs=2, cache=False)
    pipeline.build(MINIMAL, tmp_path / "many", now=NOW, jobs=5, cache=True)
    serial = tree_digest(tmp_path / "serial")
    assert len(serial) > 50
    assert tree_digest(tmp_path / "parallel") == serial
    assert tree_digest(tmp_path / "many") == serial


def test_cache_never_gives_a_stale_page(tmp_path, monkeypatch):
    """Edit content, templates, settings and static files between cached builds;
    after each edit the cached build must equal a clean build without any cache."""
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    site = copy_site(MINIMAL, tmp_path / "site")
    shutil.copytree(THEME_ROOT / "templates", site / "templates")

    def edit(rel, old, new):
        path = site / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new))

    edits = [
        # content: a body, front matter, a link target's address
        lambda: edit("content/news/2026-02-01-new-chief.md", "starts today.", "starts *today*."),
        lambda: edit("content/advice/burglary.md", "title: Protect your home from burglary",
                     "title: Protect your home\nslug: home-security"),
        # a template
        lambda: edit("templates/article.html", "Published", "First published"),
        # settings
        lambda: edit("site.toml", 'name = "Testshire Police"', 'name = "Testshire Constabulary"'),
        # a static file that Markdown links are checked against: removing it must fail, restoring must pass
        lambda: edit("content/pages/about-us.md", "Read our", "See our map: ![A map of Testshire](/images/bike.svg). Read our"),
    ]
    for number, change in enumerate(edits):
        change()
        cached = tmp_path / f"cached-{number}"
        clean = tmp_path / f"clean-{number}"
        pipeline.build(site, cached, now=NOW, jobs=2, cache=True)
        pipeline.build(site, clean, now=NOW, jobs=1, cache=False)
        assert tree_digest(cached) == tree_digest(clean), f"edit {number} gave a stale page"
    # The cache really was used: it holds entries for the converted bodies.
    assert (tmp_path / "cache" / "wmpsite.sqlite").stat().st_size > 0
