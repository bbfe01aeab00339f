"""Full-text search of the main site with Pagefind: its index, built in the staging folder, and the /search/ page.

Pagefind (PyPI `pagefind[bin]`) is given the built HTML, in memory, and makes a
static bundle: the index in fragments, its WebAssembly and `pagefind.js`. It indexes
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

import base64
import concurrent.futures
import functools
import hashlib
import json
import os
import re
import subprocess
import tempfile
import threading
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

    Each page goes to one Pagefind process in memory, through its service (`pagefind --service`,
    the protocol of the PyPI package's Python API), as only what Pagefind reads of it (`searchable`),
    and the bundle comes back the same way: nothing is written to disk and read back, and Pagefind
    parses a third of each page (measured in docs/performance.md, "The search stage"). The pages are
    indexed in the order given, so the bundle does not depend on how a file system lists a folder;
    Pagefind runs with fixed options and none of the PAGEFIND_* settings of the environment, so that
    only the pages decide the bundle's bytes.
    """
    found = [(rel, searchable(data)) for rel in pages if MARK in (data := (site / rel).read_bytes())]
    if not found:
        return {}
    return {path: data for path, data in sorted(_service_bundle(executable, found).items())
            if not _UNUSED.match(path.rpartition("/")[2])}


#: What Pagefind reads of a page besides its marked region: the language and the title.
_MAIN = re.compile(rb"<main[\s>]")
_HTML = re.compile(rb"<html[^>]*>")
_TITLE = re.compile(rb"<title>[^<]*</title>")


def searchable(page: bytes) -> bytes:
    """What Pagefind needs of a page: its `<html>` tag (the language), its title and the `<main>`
    element that carries MARK, in a page of their own; the whole page when anything else of it
    could count (more than one `<main>`, or a `data-pagefind-` attribute outside it, as a force's
    own template may have), so that the index is always the one the whole page would give."""
    mains = [m.start() for m in _MAIN.finditer(page)]
    if len(mains) != 1 or page.count(b"</main>") != 1:
        return page
    start, end = mains[0], page.index(b"</main>") + len(b"</main>")
    tag_end = page.find(b">", start)
    if (end < start or not start < page.find(MARK, start) < tag_end
            or b"data-pagefind-" in page[:start] or b"data-pagefind-" in page[end:]):
        return page
    html, title = _HTML.search(page), _TITLE.search(page, 0, start)
    return b"".join((b"<!DOCTYPE html>\n", html.group() if html else b"<html>", b"\n<head>\n<meta charset=\"utf-8\">\n",
                     title.group() if title else b"", b"\n</head>\n<body>\n", page[start:end], b"\n</body>\n</html>\n"))


def _service_bundle(executable: Path, pages: list[tuple[str, bytes]]) -> dict[str, bytes]:
    """The bundle Pagefind's service makes of `pages` (path in the site, HTML), path -> bytes.

    Requests and answers are base64 JSON, each followed by a comma. The pages are written from a
    thread of their own while this one reads the answers, so that neither side waits on a full pipe
    (the package's own client reads one answer every 0.1 s and cannot take a bundle over 2 MiB).
    """
    env = {key: value for key, value in os.environ.items() if not key.upper().startswith("PAGEFIND_")}
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=errors, env=env)
        except OSError as exc:
            raise _failed(executable, f"it could not start: {exc}.") from None
        service = _Service(proc)
        try:
            index = service.ask({"type": "NewIndex", "config": None}, "start an index")["index_id"]
            requests = [{"type": "AddFile", "index_id": index, "file_path": rel, "url": None,
                         "file_contents": data.decode("utf-8", "replace")} for rel, data in pages]
            requests.append({"type": "GetFiles", "index_id": index})
            answers = service.ask_all(requests, [f"index {rel}" for rel, _ in pages] + ["make the bundle"])
        except _Ended:  # it closed its output: it is ending, or stuck (then stopped)
            try:
                code = proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait()
            errors.seek(0)
            raise _failed(executable, f"(exit {code}): {errors.read().decode('utf-8', 'replace').strip()}") from None
        finally:
            if proc.stdin and not proc.stdin.closed:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
            proc.wait()
    return {file["path"]: base64.b64decode(file["content"]) for file in answers[-1]["files"]}


class _Ended(Exception):
    """Pagefind's service ended before it answered."""


class _Service:
    """Requests to one `pagefind --service` process, and its answers."""

    def __init__(self, proc: subprocess.Popen):
        self.proc, self.sent, self.buffer = proc, 0, b""

    def _request(self, payload: dict) -> bytes:
        self.sent += 1
        return base64.b64encode(json.dumps({"message_id": self.sent, "payload": payload}).encode()) + b","

    def _answer(self) -> dict:
        while (comma := self.buffer.find(b",")) < 0:
            chunk = self.proc.stdout.read1(1 << 20)
            if not chunk:
                raise _Ended()
            self.buffer += chunk
        message, self.buffer = self.buffer[:comma], self.buffer[comma + 1:]
        return json.loads(base64.b64decode(message))

    def ask(self, payload: dict, what: str) -> dict:
        return self.ask_all([payload], [what])[0]

    def ask_all(self, payloads: list[dict], whats: list[str]) -> list[dict]:
        """Every answer, in the order of the requests; SearchIndexFailed naming the request Pagefind refused."""
        first = self.sent + 1
        messages = [self._request(payload) for payload in payloads]

        def write():
            try:
                for message in messages:
                    self.proc.stdin.write(message)
                self.proc.stdin.flush()
            except OSError:  # the service ended: reading its answers says how
                pass

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answers: dict[int, dict] = {}
        try:
            while len(answers) < len(messages):
                answer = self._answer()
                number = answer.get("message_id")
                payload = answer.get("payload") or {}
                if payload.get("type") == "Error":  # stop it, so that the writer cannot wait on it
                    self.proc.kill()
                    what = whats[number - first] if isinstance(number, int) and 0 <= number - first < len(whats) else "index"
                    raise SearchIndexFailed(f"Pagefind could not {what}: {payload.get('message')}")
                answers[number] = payload
        finally:
            writer.join()
        return [answers[first + n] for n in range(len(messages))]


def _failed(executable: Path, why: str) -> SearchIndexFailed:
    return SearchIndexFailed(f"{executable}: Pagefind could not build the search index {why} Check that it runs "
                             "here (python -m pagefind --version), or reinstall it (pip install --force-reinstall "
                             "'pagefind[bin]'), and build again.")


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
