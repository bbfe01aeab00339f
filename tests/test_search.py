"""Full-text search with Pagefind: what is indexed, the /search/ page, failure and reproducibility.

The browser side (searching the built demo in Chromium) is in
tests/quality/test_find_team_search.py.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import MINIMAL, NOW, REPO
from test_build import tree_digest
from wmpsite.build import pipeline
from wmpsite.outputs import search

# Some pages of the minimal site whose main content is indexed, and the lists and tools that are not.
INDEXED = {
    "main/news/bike-marking/index.html", "main/advice/burglary/index.html", "main/about-us/index.html",
    "main/northfield/index.html", "main/northfield/teams/oldtown/index.html",
    "main/northfield/priorities/speeding/index.html",
}
NOT_INDEXED = {
    "main/index.html", "main/news/index.html", "main/news/page/2/index.html", "main/advice/index.html",
    "main/a-z/index.html", "main/accessibility/index.html", "main/404.html", "main/northfield/news/index.html",
    "main/northfield/priorities/index.html", "main/find-your-team/index.html", "main/search/index.html",
}


def page(out: Path, rel: str):
    return lxml_html.fromstring((out / rel).read_bytes())


def marked(site: Path) -> list[str]:
    """The URL paths of the site's pages that mark content for Pagefind."""
    return sorted("/" + p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html")
                  if lxml_html.fromstring(p.read_bytes()).xpath("//*[@data-pagefind-body]"))


def fragments(site: Path) -> dict[str, dict]:
    """Pagefind's indexed pages, read back from its bundle: url -> fragment (title, content...)."""
    found = {}
    for path in sorted((site / "pagefind").glob("*/fragment/*")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data[len(b"pagefind_dcd"):])
        found[fragment["url"]] = fragment
    return found


def test_build_writes_a_pagefind_bundle_per_part_of_the_main_site(minimal_build):
    root = minimal_build / "main/pagefind"
    parts = json.loads((root / "shards.json").read_bytes())
    assert parts == ["site/", "news-2026/"]  # the rest first (its Pagefind is loaded), then news by year
    pages = 0
    for part in parts:
        for name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en-gb.pagefind"):
            assert (root / part / name).is_file(), part + name
        assert not list((root / part).glob("pagefind-*ui.*")), "Pagefind's own UI is not used"
        entry = json.loads((root / part / "pagefind-entry.json").read_bytes())
        assert entry["version"].startswith("1.5.")
        pages += entry["languages"]["en-gb"]["page_count"]
    assert pages == len(marked(minimal_build / "main"))
    # A separately deployed LPU site is not indexed on its own (docs/search.md).
    assert not (minimal_build / "riverside/pagefind").exists()


def test_only_the_main_content_of_content_pages_is_indexed(minimal_build):
    for rel in INDEXED:
        doc = page(minimal_build, rel)
        assert [e.tag for e in doc.xpath("//*[@data-pagefind-body]")] == ["main"], rel
    for rel in NOT_INDEXED:
        assert not page(minimal_build, rel).xpath("//*[@data-pagefind-body]"), rel
    indexed = fragments(minimal_build / "main")
    assert sorted(indexed) == marked(minimal_build / "main")
    assert {"/" + rel.removeprefix("main/").removesuffix("index.html") for rel in INDEXED} <= set(indexed)
    team = indexed["/northfield/teams/oldtown/"]
    assert team["meta"]["title"] == "Oldtown neighbourhood team"
    assert "We patrol Oldtown and Mill End." in team["content"]
    # Navigation, footer and the 999/101 reminder on every contact block stay out.
    for fragment in indexed.values():
        for chrome in ("Skip to main content", "Crime prevention", "Accessibility statement",
                       "In an emergency, or if a crime is happening now"):
            assert chrome not in fragment["content"], (fragment["url"], chrome)


def test_advice_pages_say_what_they_are_about_for_search_to_rank_them_first(minimal_build):
    # Pagefind searches metadata too, and search.js weights a match in an advice page's `advice`
    # metadata (its title and summary) above one in any title: the browser test of the demo
    # (tests/quality/test_resident_phone.py) shows 'burglary' finding the advice first.
    indexed = fragments(minimal_build / "main")
    advice = indexed["/advice/burglary/"]
    assert advice["meta"]["title"] == "Protect your home from burglary"
    assert advice["meta"]["advice"] == ("Protect your home from burglary. Simple ways to make your home harder "
                                        "to break into.")
    assert [url for url, f in indexed.items() if "advice" in f["meta"]] == ["/advice/burglary/"]
    script = (REPO / "static/js/search.js").read_text()
    assert "var RANKING = { metaWeights: { title: 5, advice: 10 } };" in script
    assert "ranking: RANKING })" in script and "mergeIndex(bundle + part, { ranking: RANKING })" in script


def test_search_page_needs_wasm_and_says_what_to_do_without_javascript(minimal_build):
    doc = page(minimal_build, "main/search/index.html")
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "script-src 'self' 'wasm-unsafe-eval';" in csp
    box = doc.xpath("//div[@data-search]")[0]
    assert box.get("hidden") is not None
    assert box.get("data-bundle") == "/pagefind/" and box.get("data-base") == "/"
    assert doc.xpath("//script/@src")[0].startswith("/js/search.js?v=")
    nojs = doc.xpath("//div[@data-search-nojs]")[0]
    assert "needs JavaScript" in nojs.text_content()
    assert nojs.xpath(".//a/@href") == ["/a-z/", "/news/"]
    # Every other page keeps the strict policy.
    home = page(minimal_build, "main/index.html").xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "script-src 'self';" in home and "wasm" not in home


def test_every_page_links_to_search(minimal_build):
    for rel, href in [("main/index.html", "/search/"), ("main/news/bike-marking/index.html", "/search/"),
                      ("main/northfield/teams/oldtown/index.html", "/search/"),
                      ("riverside/index.html", "https://www.testshire.police.example/search/")]:
        assert page(minimal_build, rel).xpath("//nav[@class='site-nav']//a[text()='Search']/@href") == [href], rel
    current = page(minimal_build, "main/search/index.html").xpath("//a[@aria-current='page']/text()")
    assert current == ["Search"]


def test_failed_index_publishes_nothing(tmp_path, monkeypatch):
    out = tmp_path / "out"
    pipeline.build(MINIMAL, out, now=NOW)
    before = tree_digest(out)
    monkeypatch.setattr(search, "pagefind_executable", lambda: Path("/bin/false"))
    with pytest.raises(search.SearchIndexFailed, match=r"Pagefind could not build the search index \(exit 1\)"):
        pipeline.build(MINIMAL, out, now=NOW)
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.record", "out"]  # no staging folder left behind


def test_missing_pagefind_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pagefind_bin", None)
    with pytest.raises(search.SearchIndexFailed, match=r"pip install 'pagefind\[bin\]'"):
        search.pagefind_executable()


def test_cli_reports_a_failed_index_and_keeps_the_old_site(tmp_path):
    import subprocess
    out = tmp_path / "out"
    pipeline.build(MINIMAL, out, now=NOW)
    before = tree_digest(out)
    # A PAGEFIND_* setting cannot change the index, but a missing binary fails the build.
    code = ("import sys, pathlib; from wmpsite import cli; from wmpsite.outputs import search; "
            "search.pagefind_executable = lambda: pathlib.Path('/bin/false'); sys.exit(cli.main())")
    result = subprocess.run([sys.executable, "-c", code, "build", "--source", str(MINIMAL), "--output", str(out),
                             "--now", "2026-11-25"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 4, result.stderr  # a tool of the machine failed, not the content nor wmpsite
    assert "wmpsite build: /bin/false: Pagefind could not build the search index (exit 1)" in result.stderr
    assert "Check that it runs here (python -m pagefind --version)" in result.stderr
    assert tree_digest(out) == before


def test_two_builds_give_identical_search_bundles_whatever_the_environment(tmp_path, monkeypatch):
    pipeline.build(MINIMAL, tmp_path / "a", now=NOW, cache=False)
    # Pagefind reads PAGEFIND_* settings from the environment; the build ignores them.
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "fr")
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "h1")
    pipeline.build(MINIMAL, tmp_path / "b", now=NOW, jobs=2, cache=False)
    assert tree_digest(tmp_path / "a/main/pagefind") == tree_digest(tmp_path / "b/main/pagefind")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_demo_search_bundle_is_byte_identical_across_builds(tmp_path):
    """The demo (about 300 pages, Pagefind's threads at work): same input, same bundle."""
    now = NOW
    pipeline.build(REPO, tmp_path / "a", now=now, jobs=1, cache=False)
    pipeline.build(REPO, tmp_path / "b", now=now, jobs=2, cache=False)
    first, second = tree_digest(tmp_path / "a/main/pagefind"), tree_digest(tmp_path / "b/main/pagefind")
    assert len(first) > 100 and first == second


def test_an_edit_re_indexes_only_its_part_and_cached_parts_are_the_same_bytes(tmp_path, monkeypatch, site_copy):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    site = site_copy({"content/news/2025-06-01-summer.md": "---\ntitle: Summer patrols\ndate: 2025-06-01\n"
                                                            "summary: Patrols in the parks.\n---\nMore patrols.\n"})
    runs = []
    real = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda exe, site, pages: runs.append(pages) or real(exe, site, pages))
    pipeline.build(site, tmp_path / "first", now=NOW)
    assert len(runs) == 3
    runs.clear()
    story = site / "content/news/2026-01-05-winter-safety.md"
    story.write_text(story.read_text() + "\nA sentence about zebra crossings.\n")
    pipeline.build(site, tmp_path / "second", now=NOW)
    assert len(runs) == 1 and "news/winter-safety/index.html" in runs[0]
    assert all("news/" in rel for rel in runs[0]) and "news/summer/index.html" not in runs[0]
    assert json.loads((tmp_path / "second/main/pagefind/shards.json").read_bytes()) == \
        ["site/", "news-2026/", "news-2025/"]
    pipeline.build(site, tmp_path / "clean", now=NOW, cache=False)
    assert tree_digest(tmp_path / "second") == tree_digest(tmp_path / "clean")
    assert "zebra" in json.dumps(fragments(tmp_path / "second/main"))


def test_an_edit_does_not_add_a_bundle_to_the_cache(tmp_path, monkeypatch, site_copy):
    """Each part of the index has one slot in the cache: an edit replaces its bundle (megabytes at the
    reference size) instead of adding one, so the cache grows only by the edited file's own entries."""
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    site = site_copy()
    story = site / "content/news/2026-01-05-winter-safety.md"

    def rows() -> int:
        with sqlite3.connect(tmp_path / "cache" / "wmpsite.sqlite") as db:
            return db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]

    pipeline.build(site, tmp_path / "out", now=NOW)
    counts = [rows()]
    for n in range(2):
        story.write_text(story.read_text() + f"\nEdit number {n}.\n")
        pipeline.build(site, tmp_path / "out", now=NOW)
        counts.append(rows())
    assert [b - a for a, b in zip(counts, counts[1:])] == [2, 2]  # the story's parsed item and its Markdown


def test_large_groups_are_split_into_parts_pagefind_can_take(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "PART_PAGES", 2)  # each Pagefind run holds at most this many pages
    checked = pipeline.check(MINIMAL, now=NOW)
    parts = search.shards(checked.plan)
    assert all(len(pages) <= 2 for pages in parts.values())
    whole = sorted(page.location.file.removeprefix("main/") for page in checked.plan if page.location.site == "main")
    assert sorted(rel for pages in parts.values() for rel in pages) == whole
    assert {"site", "site.2", "news-2026", "news-2026.2"} <= set(parts)
    pipeline.build(MINIMAL, tmp_path / "out", now=NOW, cache=False)
    names = json.loads((tmp_path / "out/main/pagefind/shards.json").read_bytes())
    rest = [name for name in names if name.startswith("site")]  # parts without marked pages are left out
    assert len(rest) > 1 and names[:len(rest)] == rest and rest == sorted(rest, key=lambda n: int(n[5:-1] or 1))
    assert names[len(rest):len(rest) + 2] == ["news-2026/", "news-2026.2/"]
    assert sorted(fragments(tmp_path / "out/main")) == marked(tmp_path / "out/main")


def _cli_fragments(tmp_path: Path, pages: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's own command line over whole pages in a folder: its fragments, by file name."""
    for rel, data in pages.items():
        (tmp_path / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "site" / rel).write_bytes(data)
    subprocess.run([str(search.pagefind_executable()), "--site", "site", "--output-path", "bundle", "--silent"],
                   cwd=tmp_path, check=True, env={"PATH": "/usr/bin:/bin"})
    return {p.name: p.read_bytes() for p in (tmp_path / "bundle/fragment").iterdir()}


def test_pagefind_given_only_the_marked_region_indexes_what_it_finds_in_the_whole_page(minimal_build, tmp_path):
    """The build hands Pagefind each page's `<main>` with its language and title (search.searchable):
    every indexed page (title, words, metadata, headings) comes out as from the whole page."""
    site = minimal_build / "main"
    pages = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}
    pages = {rel: data for rel, data in pages.items() if search.MARK in data}
    assert all(len(search.searchable(data)) < len(data) / 2 for data in pages.values())
    made = search._run_pagefind(search.pagefind_executable(), site, sorted(pages))
    ours = {rel.removeprefix("fragment/"): data for rel, data in made.items() if rel.startswith("fragment/")}
    assert len(ours) == len(pages) and ours == _cli_fragments(tmp_path, pages)


def test_a_page_that_marks_anything_outside_its_main_is_indexed_whole(tmp_path):
    """A force's own template may mark metadata or a filter outside `<main>`, or have two: Pagefind
    reads those too, so such a page goes to it whole."""
    head = (b'<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<title>Bike marking - Police</title>\n'
            b'<meta name="description" content="x">\n')
    main = b'<main id="main" data-pagefind-body><h1>Bike marking</h1><p>Mark your bike.</p></main>'
    plain = head + b"</head>\n<body><nav>Menu</nav>" + main + b"<footer>Footer</footer></body></html>\n"
    small = search.searchable(plain)
    assert b"Menu" not in small and b"Footer" not in small and b'name="description"' not in small
    assert main in small and b'<html lang="en-GB">' in small and b"<title>Bike marking - Police</title>" in small
    for page in (head + b'<meta data-pagefind-meta="kind:news" content="">\n</head><body>' + main + b"</body></html>",
                 head + b"</head><body>" + main + b'<footer data-pagefind-filter="lpu">Northfield</footer></body></html>',
                 head + b"</head><body>" + main + b"<main>Another</main></body></html>",
                 head + b'</head><body><main id="main"><div data-pagefind-body>Text</div></main></body></html>'):
        assert search.searchable(page) == page
    fragments = _cli_fragments(tmp_path / "cli", {"news/bike/index.html": plain})
    site = tmp_path / "site"
    (site / "news/bike").mkdir(parents=True)
    (site / "news/bike/index.html").write_bytes(plain)
    made = search._run_pagefind(search.pagefind_executable(), site, ["news/bike/index.html"])
    assert {rel.removeprefix("fragment/"): data for rel, data in made.items() if rel.startswith("fragment/")} == fragments


def test_a_page_pagefind_refuses_is_named_and_fails_the_index(tmp_path):
    """When Pagefind's service answers a page with an error, the build stops with its words and the
    page's path (SearchIndexFailed: the machine's tool failed, exit 4), not a traceback."""
    refusing = tmp_path / "pagefind"  # answers as `pagefind --service` does, and refuses every page
    refusing.write_text(
        f"#!{sys.executable}\nimport base64, json, sys\nmessage = b''\n"
        "while byte := sys.stdin.buffer.read(1):\n"
        "    if byte != b',':\n"
        "        message += byte\n"
        "        continue\n"
        "    request, message = json.loads(base64.b64decode(message)), b''\n"
        "    payload = ({'type': 'NewIndex', 'index_id': 1} if request['payload']['type'] == 'NewIndex'\n"
        "               else {'type': 'Error', 'message': 'the HTML could not be parsed'})\n"
        "    sys.stdout.buffer.write(base64.b64encode(json.dumps({'message_id': request['message_id'],"
        " 'payload': payload}).encode()) + b',')\n"
        "    sys.stdout.buffer.flush()\n")
    refusing.chmod(0o755)
    site = tmp_path / "site"
    (site / "news/bike").mkdir(parents=True)
    (site / "news/bike/index.html").write_bytes(b'<html lang="en-GB"><body><main data-pagefind-body>'
                                                b"<h1>Bike</h1></main></body></html>")
    with pytest.raises(search.SearchIndexFailed,
                       match=r"^Pagefind could not index news/bike/index.html: the HTML could not be parsed$"):
        search._run_pagefind(refusing, site, ["news/bike/index.html"])
