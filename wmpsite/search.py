"""Full-text search of the main site with Pagefind: its index, built in the staging folder, and the /search/ page (issue 4).

Pagefind (PyPI `pagefind[bin]`) reads the built HTML and writes a static
bundle: the index in fragments, its WebAssembly and `pagefind.js`. It indexes
only what templates mark `data-pagefind-body` (the main content of articles,
advice, pages, LPU homes, teams, priorities, events, appeals), so navigation,
footers and lists stay out of the results. The index comes in parts (news by
year, the rest), each its own bundle under `main/pagefind/`, cached by the
hash of its pages, and our script merges them in the browser (issue 6: a
large archive re-indexes only the year that changed, in bounded memory).
The build indexes the staging folder before the swap, so a failed index never
publishes. Same pages in, same bytes out (tests/test_search.py checks it).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .cache import Cache, key_of
from .urls import MAIN

if TYPE_CHECKING:  # render imports this module's builder lazily
    from .plan import PlannedPage
    from .render import Renderer

#: Where the page lives on the main site, Pagefind's bundle folder, and our script (under static/).
PATH = "search/"
BUNDLE = "pagefind"
SCRIPT = "js/search.js"
#: The part of the index for everything that is not a news article; what marks a page's indexed content.
REST = "site"
PART_PAGES = 2000
MARK = b"data-pagefind-body"
#: Pagefind's ready-made interfaces, which our own script replaces: not published.
_UNUSED = re.compile(r"pagefind-((.*-)?ui\.(js|css)|highlight\.js)$")


class SearchIndexFailed(RuntimeError):
    """Pagefind is missing or could not index the site; nothing was published."""


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the PyPI package `pagefind-bin`, or SearchIndexFailed."""
    try:
        import pagefind_bin
        return pagefind_bin.get_executable()
    except (ImportError, FileNotFoundError) as exc:
        raise SearchIndexFailed("Pagefind is not installed, so the search index cannot be built "
                                "(pip install 'pagefind[bin]'): " + str(exc)) from None


def shards(plan: Iterable[PlannedPage]) -> dict[str, list[str]]:
    """The main site's pages (paths in its folder), grouped into the parts of the search index: news
    articles by year, the rest together. An edit re-indexes only its part, and no Pagefind run holds the whole archive in memory."""
    groups: dict[str, list[str]] = {}
    for page in plan:
        if page.location.site != MAIN:
            continue
        date = getattr(page.item, "date", None) if page.kind == "article" else None
        groups.setdefault(f"news-{date.year}" if date else REST, []).append(
            page.location.file.removeprefix(f"{MAIN}/"))
    parts = {}
    for name, pages in groups.items():  # Pagefind takes a glob of about 3,000 paths at most
        for number, start in enumerate(range(0, len(pages), PART_PAGES), 1):
            parts[name if number == 1 else f"{name}.{number}"] = pages[start:start + PART_PAGES]
    return parts


def index_files(site: Path, groups: dict[str, list[str]], cache: Cache | None) -> list[tuple[str, bytes]]:
    """The search bundle of the main site written in the folder `site` (staged, not yet swapped in), as
    files relative to it: one Pagefind bundle per group that has marked pages, at `pagefind/<group>/`,
    and `pagefind/shards.json` naming them (the part with the other pages first, then news newest
    first) for our script to merge.

    A group's bundle is cached under the hash of its pages' bytes, the Pagefind binary and this
    code, so an unchanged group is never indexed again and a cached bundle is never stale. Raises SearchIndexFailed with Pagefind's own message.
    """
    executable = pagefind_executable()
    files: list[tuple[str, bytes]] = []
    names = []
    for name in sorted(groups, key=_order):
        pages = [(rel, data) for rel in groups[name] if MARK in (data := (site / rel).read_bytes())]
        if not pages:
            continue
        key = key_of("pagefind", _version(executable), *(f"{rel} {hashlib.sha256(data).hexdigest()}"
                                                          for rel, data in pages))
        bundle = cache.get(key) if cache is not None else None
        if bundle is None:
            bundle = _run_pagefind(executable, site, [rel for rel, _ in pages])
            if cache is not None:
                cache.put_many([(key, bundle)])
        names.append(name)
        files.extend((f"{BUNDLE}/{name}/{rel}", data) for rel, data in sorted(bundle.items()))
    files.append((f"{BUNDLE}/shards.json", (json.dumps([f"{n}/" for n in names]) + "\n").encode()))
    return files


def _order(name: str) -> tuple:
    """The order of the parts: site, site.2, ..., then news, newest year first, each year's parts in turn."""
    group, _, number = name.partition(".")
    return group != REST, -int(group.removeprefix("news-") or 0) if group != REST else 0, int(number or 1)


def _run_pagefind(executable: Path, site: Path, pages: list[str]) -> dict[str, bytes]:
    """Index `pages` (files under the folder `site`) with Pagefind; return its bundle, path -> bytes.

    Pagefind runs on the whole site folder with a glob naming just these pages, given in a
    pagefind.yml of our own (a command line would be too long for a year of news), with fixed
    options and none of the PAGEFIND_* settings of the environment, so that only the pages
    decide the bundle's bytes.
    """
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site.parent))
    try:
        glob = "{" + ",".join(re.sub(r"([{}\[\],*?\\])", r"\\\1", rel) for rel in pages) + "}"
        (work / "pagefind.yml").write_text(json.dumps({"glob": glob}), encoding="utf-8")  # JSON is YAML
        env = {key: value for key, value in os.environ.items() if not key.upper().startswith("PAGEFIND_")}
        command = [str(executable), "--site", str(site.resolve()), "--output-path", str(work / "bundle"), "--silent"]
        proc = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            output = "\n".join(part.strip() for part in (proc.stdout, proc.stderr) if part.strip())
            raise SearchIndexFailed(f"Pagefind could not build the search index (exit {proc.returncode}): {output}")
        bundle = work / "bundle"
        return {path.relative_to(bundle).as_posix(): path.read_bytes()
                for path in sorted(bundle.rglob("*")) if path.is_file() and not _UNUSED.match(path.name)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


@functools.lru_cache(maxsize=None)
def _version(executable: Path) -> str:
    """What besides the pages decides a bundle's bytes: the Pagefind binary and this module's code."""
    return hashlib.sha256(executable.read_bytes() + Path(__file__).read_bytes()).hexdigest()


# The page ------------------------------------------------------------------------------


def page(r: Renderer, page: PlannedPage, site: str):
    """Context builder for `search.html`: where the bundle and our script are, and where to go without JavaScript."""
    script = r.static.get(SCRIPT)
    version = hashlib.sha256(script.read_bytes()).hexdigest()[:10] if script else "0"
    own = {
        "bundle_url": r.urls.static(BUNDLE + "/", site),
        "base_path": r.urls.sites[site].base_path,
        "script_url": r.urls.static(SCRIPT, site) + f"?v={version}",
        "news_url": r.link(r.urls.main("news/"), site),
    }
    return (own, "Search", f"Search the news, advice, neighbourhood teams and priorities of {r.config.force.name}.",
            (), None)
