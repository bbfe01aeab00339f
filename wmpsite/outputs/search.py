"""Full-text search of the main site with Pagefind: its index, built in the staging folder, and the /search/ page.

Pagefind (PyPI `pagefind[bin]`) reads the built HTML and writes a static
bundle: the index in fragments, its WebAssembly and `pagefind.js`. It indexes
only what templates mark `data-pagefind-body` (the main content of articles,
advice, pages, LPU homes, teams, priorities, events, appeals), so navigation,
footers and lists stay out of the results. The index comes in parts (news by
year, the rest), each its own bundle under `main/pagefind/`, cached by the
hash of its pages, and our script merges them in the browser, so a
large archive re-indexes only the year that changed, in bounded memory.
The build indexes the staging folder before the swap, so a failed index never
publishes. Same pages in, same bytes out (tests/test_search.py checks it).
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Iterable

from wmpsite.core.cache import Cache, digest, key_of
from wmpsite.core.errors import MachineFailed
from wmpsite.core.page import Built, PlannedPage
from wmpsite.core.urls import MAIN
from wmpsite.present.kit import Kit

#: Where the page lives on the main site, Pagefind's bundle folder, and our script (under static/).
PATH = "search/"
BUNDLE = "pagefind"
SCRIPT = "js/search.js"
#: The part of the index for everything that is not a news article; what marks a page's indexed content.
REST = "site"
PART_PAGES = 1000
MARK = b"data-pagefind-body"
#: Pagefind's ready-made interfaces, which our own script replaces: not published.
_UNUSED = re.compile(r"pagefind-((.*-)?ui\.(js|css)|highlight\.js)$")


class SearchIndexFailed(MachineFailed):
    """Pagefind is missing or could not index the site (a tool of the machine, exit 4); nothing was published."""


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
    for name, pages in groups.items():  # parts of bounded size: bounded memory for each Pagefind run
        for number, start in enumerate(range(0, len(pages), PART_PAGES), 1):
            parts[name if number == 1 else f"{name}.{number}"] = pages[start:start + PART_PAGES]
    return parts


def index_files(site: Path, groups: dict[str, list[str]], cache: Cache | None, jobs: int = 1,
                digests: dict[str, str] | None = None, project: str = "") -> list[tuple[str, bytes]]:
    """The search bundle of the main site written in the folder `site` (staged, not yet swapped in), as
    files relative to it: one Pagefind bundle per group that has marked pages, at `pagefind/<group>/`,
    and `pagefind/shards.json` naming them (the part with the other pages first, then news newest
    first) for our script to merge. Up to `jobs` Pagefind runs at once.

    A group's bundle is cached under the hash of its pages' bytes (`digests`, rel -> reuse.digest,
    as the build wrote them; else read here), the Pagefind binary and this code, so an unchanged
    group is never indexed again and a cached bundle is never stale. Each group of `project` has
    one slot in the cache (a bundle is megabytes: one per edit would fill the disk). A group without
    marked pages has an empty bundle and no part. Raises SearchIndexFailed with Pagefind's own message.
    """
    executable = pagefind_executable()
    digests = digests or {}
    parts = []  # (name, cache key, pages)
    for name in sorted(groups, key=_order):
        pages = groups[name]
        parts.append((name, key_of("pagefind", _version(executable),
                                   *(f"{rel} {digests.get(rel) or digest((site / rel).read_bytes())}" for rel in pages)),
                      pages))

    def slot(name: str) -> str:
        return key_of("pagefind part", project, name)

    bundles = {key: bundle for name, key, _ in parts
               if cache is not None and (bundle := cache.get_slot(slot(name), key)) is not None}
    missing = [(name, key, pages) for name, key, pages in parts if key not in bundles]
    with concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as pool:  # each run is a process of its own
        made = dict(zip((key for _, key, _ in missing),
                        pool.map(lambda job: _run_pagefind(executable, site, job[2]), missing)))
    if cache is not None and made:
        cache.put_slots((slot(name), key, made[key]) for name, key, _ in missing)
    bundles.update(made)
    parts = [part for part in parts if bundles[part[1]]]
    files = [(f"{BUNDLE}/{name}/{rel}", data) for name, key, _ in parts for rel, data in sorted(bundles[key].items())]
    files.append((f"{BUNDLE}/shards.json", (json.dumps([f"{name}/" for name, _, _ in parts]) + "\n").encode()))
    return files


def _order(name: str) -> tuple:
    """The order of the parts: site, site.2, ..., then news, newest year first, each year's parts in turn."""
    group, _, number = name.partition(".")
    return group != REST, -int(group.removeprefix("news-") or 0) if group != REST else 0, int(number or 1)


def _run_pagefind(executable: Path, site: Path, pages: list[str]) -> dict[str, bytes]:
    """Index those of `pages` (files under the folder `site`) that mark what to index (MARK) with
    Pagefind; return its bundle, path -> bytes (nothing if no page is marked).

    The pages are hard-linked (or copied) into a folder of their own, at their paths in the
    site so that the URLs come out right: cheaper than letting Pagefind walk the whole site
    for each part with a glob (measured at the reference size, docs/performance.md). Pagefind
    runs there with fixed options and none of the PAGEFIND_* settings of the environment, so
    that only the pages decide the bundle's bytes.
    """
    pages = [rel for rel in pages if MARK in (site / rel).read_bytes()]
    if not pages:
        return {}
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site.parent))
    try:
        for rel in pages:
            target = work / "site" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site / rel, target)
            except OSError:  # a file system without hard links
                shutil.copyfile(site / rel, target)
        env = {key: value for key, value in os.environ.items() if not key.upper().startswith("PAGEFIND_")}
        command = [str(executable), "--site", "site", "--output-path", "bundle", "--silent"]
        proc = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            output = "\n".join(part.strip() for part in (proc.stdout, proc.stderr) if part.strip())
            raise SearchIndexFailed(f"{executable}: Pagefind could not build the search index (exit {proc.returncode}): "
                                    f"{output} Check that it runs here (python -m pagefind --version), or reinstall "
                                    "it (pip install --force-reinstall 'pagefind[bin]'), and build again.")
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


@dataclass(frozen=True)
class SearchContext:
    WHERE: ClassVar[str] = "`/search/` ([docs/search.md](search.md))"

    bundle_url: str       # Pagefind's bundle folder on this site
    base_path: str        # the site's path under its host, for the results' links
    script_url: str       # our script, with its version for caches
    news_url: str         # where to go without JavaScript: the news list


def page(r: Kit, page: PlannedPage, site: str) -> Built[SearchContext]:
    """Context builder for `search.html`: where the bundle and our script are, and where to go without JavaScript."""
    script = r.static.get(SCRIPT)
    version = hashlib.sha256(script.read_bytes()).hexdigest()[:10] if script else "0"
    own = SearchContext(bundle_url=r.urls.static(BUNDLE + "/", site), base_path=r.urls.sites[site].base_path,
                        script_url=r.urls.static(SCRIPT, site) + f"?v={version}",
                        news_url=r.link(r.urls.main("news/"), site))
    return Built(own, r._("Search"),
                 f"Search the news, advice, neighbourhood teams and priorities of {r.config.force.name}.")
