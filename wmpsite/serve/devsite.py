"""`serve`'s site in memory: loaded, checked and planned once, pages rendered on request, one file
reloaded per edit, so an edit reaches the browser in under half a second at the reference size.

Nothing is written to disk. The state is the same `pipeline.Checked` a build makes, plus a
Renderer; a page is rendered when the browser asks for it, from that state, so it is the same
bytes a build writes (tests/test_server.py compares every file). Feeds, calendars, sitemaps,
images and the search index are made when first asked for, from the state of the moment.

An edit to one content file reloads that file alone (`loader.load_one`). When it changes only
the words of a news story, page, advice page or priority (its body, summary, or a story's or
page's title: FAST_FIELDS), nothing else can move: the new item takes the old one's places in
the last full state (the *fast path*), its links are checked, and the browser reloads at once;
the full checks and plan follow in the background, and replace the state (or show their errors)
a moment later. An edit to other fields of such an item that keeps it at its address (a story's
date or tags, an advice page's title) takes the same path *early*: its own pages show the edit at
once, and when the full plan lands, which may move it in lists and feeds, the browser reloads
again. Any other content edit (a new, deleted or moved file, a team, an event, an appeal), or a
broken one, re-checks and re-plans in full from the files in memory. A change to site.toml or
static/ reloads everything; a change to templates/ only starts a new Jinja environment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from wmpsite.outputs import search
from wmpsite.features.appeals import is_gone
from wmpsite.core.cache import Cache
from wmpsite.content.checks import link_errors, linkable
from wmpsite.core.config import Config, load_config
from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.content.loader import Loaded, load_files, load_one, make_force
from wmpsite.core.model import Advice, NewsItem, Page, Priority
from wmpsite.build.kinds import KINDS
from wmpsite.build.pipeline import Checked, cache_path, check_loaded, output_tasks
from wmpsite.core.page import PlannedPage
from wmpsite.build.render import Renderer, make_environment
from wmpsite.core.urls import MAIN

#: What an edit may change and still take the fast path, by kind of item: the words shown, not
#: what decides places, lists, order or feeds (date and slug order news, title orders advice and
#: the priorities archives, and so on). Pages render these from the items themselves.
FAST_FIELDS = {
    NewsItem: ("body", "source", "summary", "title"),
    Page: ("body", "source", "summary", "title"),
    Advice: ("body", "source", "summary"),
    Priority: ("body", "source", "summary"),
}


@dataclass
class State:
    """What the dev server shows: a checked, planned site and its pages by output file."""

    checked: Checked
    renderer: Renderer
    linkable: frozenset[str]              # content files a link may lead to (checks.linkable)
    full: bool = True                     # False after the fast path, until the background check ends
    early: bool = False                   # after the early path: the full plan may move what it shows
    pages: dict[str, PlannedPage] = field(default_factory=dict)
    rendered: dict[str, bytes] = field(default_factory=dict)
    extras: dict[str, bytes] | None = None   # feeds, calendars, sitemaps, images... once asked for
    search: dict[str, bytes] | None = None   # the Pagefind bundle, once asked for

    def __post_init__(self):
        self.pages = self.pages or {page.location.file: page for page in self.checked.plan}


class DevSite:
    """The site `serve` shows, kept up to date by `update` with the files that changed.

    `current` is read by the server's thread without a lock: it is replaced whole, never changed.
    """

    def __init__(self, root: Path, *, now: dt.datetime | None = None, jobs: int = 1):
        self.root, self.now, self.jobs = root.resolve(), now, jobs
        self.lock = threading.RLock()      # updates, and the background check, one at a time
        self.current: tuple[State | None, list[ContentError] | None] = (None, None)
        self.base: State | None = None    # the last state checked and planned in full
        self.items: dict[str, object] = {}  # content file -> its item in `base`
        self.generation = 0                # counts updates; a background check of an older one is dropped
        self.config: Config | None = None
        self.loaded: Loaded | None = None
        self.env = None                    # one Jinja environment, so that templates compile once
        self.reload()

    @property
    def errors(self) -> list[ContentError] | None:
        return self.current[1]

    # Updating -------------------------------------------------------------------------
    def reload(self) -> str:
        """Read site.toml and every file again (the Markdown cache makes it quick) and derive in full."""
        with self.lock:
            self.generation += 1
            try:
                self.config = load_config(self.root / "site.toml")
                self.env = make_environment(self.config.layers("templates"), self.config.force.language)
                self.loaded = self._with_cache(lambda store: load_files(self.config, KINDS, jobs=self.jobs, cache=store))
            except Exception as exc:  # no site.toml, or no content/ folder: say so in the browser
                self.loaded = None
                self.current = (self.current[0], exc.errors if isinstance(exc, BuildFailed) else [unexpected(exc)])
                return "full"
            self._derive(self.loaded, self.generation)
            return "full"

    def update(self, paths: Iterable[Path]) -> str:
        """Take in changed files: 'fast', 'early' (see the module's docstring), 'full' (checked and planned
        in full from the files in memory, or everything reloaded), 'templates' (a new Jinja environment),
        or 'none' (nothing that matters)."""
        with self.lock:
            rels, templates = set(), False
            for path in paths:
                rel = Path(path).absolute().relative_to(self.root).as_posix()
                if (rel.startswith("templates/") or rel == "templates") and self.loaded is not None:
                    templates = True
                    continue
                if not rel.startswith("content/") or self.loaded is None:
                    return self.reload()  # site.toml or static/: what every file is checked against
                if any(part.startswith(".") for part in rel.split("/")):
                    continue  # editors' hidden files (swap files, .DS_Store) are never content
                known = rel in self.loaded.files or rel in self.loaded.misplaced
                if (self.root / rel).is_dir() or (not known and not (self.root / rel).exists() and any(
                        other.startswith(rel + "/") for other in (*self.loaded.files, *self.loaded.misplaced))):
                    return self.reload()  # a folder came, went or moved: walk content/ again
                if known or (self.root / rel).exists():  # else a temporary file, come and gone
                    rels.add(rel)
            if templates:
                self._new_templates()
            if not rels:
                return "templates" if templates else "none"
            self.generation += 1
            self._with_cache(lambda store: [load_one(self.config, KINDS, self.loaded, rel, store) for rel in sorted(rels)])
            fast = self._fast()
            if fast:
                return fast
            self._derive(self.loaded, self.generation)
            return "full"

    def finish(self) -> bool:
        """After the fast or early path: check and plan in full, and replace the state, unless a newer edit
        came. True if the state replaced was an early one (its pages may have moved)."""
        with self.lock:
            state, _ = self.current
            if state is None or state.full or self.loaded is None:
                return False
            generation = self.generation
            snapshot = dataclasses.replace(self.loaded, files=dict(self.loaded.files),
                                           misplaced=dict(self.loaded.misplaced))
        self._derive(snapshot, generation)
        return state.early

    def _derive(self, loaded: Loaded, generation: int) -> None:
        try:
            force = make_force(self.config, loaded, KINDS)
            checked = check_loaded(self.config, force, now=self.now, single_origin=True, preview=True)
            renderer = Renderer(checked.config, checked.force, checked.urls, checked.moment, KINDS, checked.feeds,
                                env=self.env, waiting=checked.waiting)  # drafts and scheduled items, marked
            state = State(checked, renderer, linkable(force))
        except BuildFailed as failed:
            state, errors = None, failed.errors
        except Exception as exc:  # the editor sees it in the browser, not as a traceback
            state, errors = None, [unexpected(exc)]
        with self.lock:
            if generation != self.generation:
                return  # a newer edit came in meanwhile; its own check follows
            if state is None:
                self.current = (self.current[0], errors)
            else:
                self.current = (state, None)
                self.base = state
                self.items = {rel: item for rel, (_, item, _) in loaded.files.items()}

    def _new_templates(self) -> None:
        self.env = make_environment(self.config.layers("templates"), self.config.force.language)

        def renew(state: State | None) -> State | None:
            if state is None:
                return None
            return dataclasses.replace(state, renderer=state.renderer.but(env=self.env), rendered={}, extras=None,
                                       search=None)

        old = self.base
        self.base = renew(old)
        self.current = (self.base if self.current[0] is old else renew(self.current[0]), self.current[1])

    def _fast(self) -> str | None:
        """If every file changed since the last full state changed only its text, put the new items in
        the old ones' places in that state and check their links (the fast path: 'fast'); if some changed
        other fields but keep their address, do the same and render their pages ('early'); else None."""
        base = self.base
        if base is None or self.loaded.misplaced:
            return None
        swap, early = {}, False
        urls, now = base.checked.urls, base.checked.now
        for rel in self.items.keys() | self.loaded.files.keys():
            _, new, errors = self.loaded.files.get(rel, (None, None, ()))
            old = self.items.get(rel)
            if errors:  # a file with errors, new or edited, that never made an item: only a full check lists them
                return None
            if new is old:
                continue
            fields = FAST_FIELDS.get(type(old))
            if fields is None or type(new) is not type(old):
                return None
            if dataclasses.replace(new, **{f: getattr(old, f) for f in fields}) != old:
                if is_gone(old, now) or is_gone(new, now) or urls.of(new) != urls.of(old):
                    return None  # it leaves, comes back or moves: only the full plan knows where
                early = True
            swap[id(old)] = new
        if not swap:
            self.current = (base, None)  # back to what it was
            return "fast"

        def sub(items: tuple) -> tuple:
            return tuple(swap.get(id(i), i) for i in items) if any(id(i) in swap for i in items) else items

        checked = base.checked
        force = dataclasses.replace(checked.force, **{
            f.name: sub(getattr(checked.force, f.name)) for f in dataclasses.fields(checked.force)
            if f.name != "static_files" and isinstance(getattr(checked.force, f.name), tuple)})
        plan = tuple(dataclasses.replace(p, item=swap.get(id(p.item), p.item), items=sub(p.items))
                     if id(p.item) in swap or any(id(i) in swap for i in p.items) else p for p in checked.plan)
        feeds = tuple(dataclasses.replace(spec, items=sub(spec.items)) for spec in checked.feeds)
        renderer = base.renderer.but(force=force, feeds={spec.key: spec for spec in feeds})
        errors = [e for new in swap.values() for e in link_errors(new, base.linkable)]
        state = State(dataclasses.replace(checked, force=force, plan=plan, feeds=feeds), renderer,
                      base.linkable, full=False, early=early)
        if early:  # the item's own pages, made now: one that cannot be made this way takes the full path
            moved = {id(new) for new in swap.values()}
            try:
                for page in plan:
                    if id(page.item) in moved:
                        self._page(state, page.location.file)
            except Exception:
                return None
        self.current = (state, BuildFailed(errors).errors if errors else None)
        return "early" if early else "fast"

    def _with_cache(self, work):
        store = Cache(cache_path(self.config))
        try:
            return work(store)
        finally:
            store.close()

    # Serving --------------------------------------------------------------------------
    def file(self, rel: str) -> tuple[str, bytes] | None:
        """The bytes of the output file `rel` ('main/news/index.html'), or None if the build has no
        such file; 'page' or 'file' says which. Raises BuildFailed if it cannot be made."""
        state = self.current[0]
        if state is None:
            return None
        if rel in state.pages:
            return "page", self._page(state, rel)
        site, _, name = rel.partition("/")
        if site == MAIN and name in state.checked.force.static_files:
            source = state.renderer.static.get(name)
            if source is not None and source.is_file():
                return "file", source.read_bytes()
        if name.endswith(".html"):
            return None  # every HTML file is a planned page: no need to make the feeds to know
        if site == MAIN and name.startswith(search.BUNDLE + "/"):
            state = self._full_state()
            if state.search is None:
                state.search = {f"{MAIN}/{path}": data for path, data in self._search_files(state)}
            return ("file", state.search[rel]) if rel in state.search else None
        state = self._full_state()
        if state.extras is None:
            state.extras = dict(self._extras(state))
        return ("file", state.extras[rel]) if rel in state.extras else None

    @staticmethod
    def _page(state: State, rel: str) -> bytes:
        data = state.rendered.get(rel)
        if data is None:
            data = state.rendered[rel] = state.renderer.render(state.pages[rel])
        return data

    def _full_state(self) -> State:
        """The state after the background check: feeds and the like come from nothing older."""
        while True:
            state = self.current[0]
            if state.full:
                return state
            self.finish()
            if self.current[0] is state:  # the check failed: its errors show, the text-only state serves
                return state

    def _extras(self, state: State):
        """Every file a build writes besides pages and static files (`pipeline.build`'s tasks)."""
        c = state.checked
        for task in output_tasks(c, c.plan, cache_path(c.config)):
            if task.name not in ("pages", "static files"):
                yield from task.make()

    def _search_files(self, state: State):
        """The search bundle: the main site's pages rendered into a scratch folder, indexed by Pagefind."""
        with tempfile.TemporaryDirectory(prefix="wmpsite-serve-search-") as scratch:
            site = Path(scratch) / MAIN
            for page in state.checked.plan:
                if page.location.site == MAIN:
                    target = site / page.location.file.removeprefix(f"{MAIN}/")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    rel = page.location.file  # rendered, not kept: 28,000 pages would stay in memory
                    target.write_bytes(state.rendered.get(rel) or state.renderer.render(page))
            groups = search.shards(state.checked.plan)
            return self._with_cache(lambda store: search.index_files(site, groups, store,
                                                                     project=str(self.config.root)))


def unexpected(exc: Exception) -> ContentError:
    """An exception that is a bug in wmpsite, as an error the browser can show."""
    return ContentError("wmpsite", f"the build failed unexpectedly: {type(exc).__name__}: {exc}",
                        hint="this is a bug in wmpsite; tell the site's developers")
