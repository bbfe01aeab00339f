"""The build, stage by stage: load -> check -> plan -> render -> write."""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from wmpsite.core.cache import Cache
from wmpsite.content.checks import check_site, own_host_errors
from wmpsite.core.config import Config, load_config
from wmpsite.core.errors import BuildFailed, ContentError, UnknownSite
from wmpsite.core.page import FeedSpec, PlannedPage, Task
from wmpsite.content.guarantee import GUARANTEE, GuaranteeFailed, check_guarantee
from wmpsite.content.loader import load_site
from wmpsite.content.schedule import NEXT_CHANGE, Change, Waiting, change_json, next_change, withhold
from wmpsite.core.static import static_sources
from wmpsite.core.moment import Moment
from wmpsite.core.model import Force
from wmpsite.build.output import staged, write_files, write_tasks
from wmpsite.build import reuse
from wmpsite.outputs import search
from wmpsite.outputs.headers import header_files
from wmpsite.build.kinds import KINDS
from wmpsite.build.plan import plan_site
from wmpsite.core.progress import Progress, Silent
from wmpsite.build.render import render_tasks
from wmpsite.outputs.social import AccountFeed, check_posts, plan_social, render_social
from wmpsite.core.urls import MAIN, Urls


@dataclass(frozen=True)
class Checked:
    """A site that has loaded and passed every check, with its plan."""

    config: Config
    force: Force
    urls: Urls
    plan: tuple[PlannedPage, ...]
    feeds: tuple[FeedSpec, ...]
    social: tuple[AccountFeed, ...]
    now: dt.datetime
    waiting: tuple[Waiting, ...] = ()    # drafts and scheduled items: out of the Force, but in a preview
    next_change: Change | None = None     # when a build would first make other output

    @functools.cached_property
    def moment(self) -> Moment:
        """The build's moment, as pages may use it (moment.py)."""
        return Moment(self.force, self.now)

    @functools.cached_property
    def warning_sections(self) -> tuple[tuple[str, tuple[ContentError, ...]], ...]:
        """What warns, by section: teams that break the Neighbourhood Policing Guarantee against the build
        date, then each kind's own warnings (Kind.warnings) under its name; only sections with any."""
        sections = [(GUARANTEE, tuple(check_guarantee(self.force, self.now)))]
        sections += [(kind.name, tuple(w for rule in kind.warnings for w in rule(self.force)))
                     for kind in KINDS if kind.warnings]
        return tuple((title, found) for title, found in sections if found)

    @property
    def warnings(self) -> tuple[ContentError, ...]:
        """Every warning, in the order of warning_sections."""
        return tuple(w for _, found in self.warning_sections for w in found)


def build_date(config: Config, now: dt.datetime | dt.date | None = None) -> dt.datetime:
    """The moment that decides what is upcoming: `now` if given, else SOURCE_DATE_EPOCH, else the clock."""
    tz = config.tz
    if now is None and os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), tz)
    if now is None:
        return dt.datetime.now(tz).replace(second=0, microsecond=0)
    if isinstance(now, dt.datetime):
        return now.astimezone(tz) if now.tzinfo else now.replace(tzinfo=tz)
    return dt.datetime(now.year, now.month, now.day, tzinfo=tz)


def cache_path(config: Config) -> Path:
    """Where the cache of converted Markdown lives: WMPSITE_CACHE_DIR, else .cache/ in the project."""
    folder = os.environ.get("WMPSITE_CACHE_DIR")
    return (Path(folder) if folder else config.root / ".cache") / "wmpsite.sqlite"


def check(root: Path, *, now=None, single_origin: bool = False, jobs: int = 1,
          cache: bool = True, progress: Progress | None = None, preview: bool = False) -> Checked:
    """Load, check and plan everything, writing nothing; raise BuildFailed with every error."""
    config = load_config(root / "site.toml")
    store = Cache(cache_path(config) if cache else None)
    try:
        force = load_site(config, KINDS, jobs=jobs, cache=store, progress=progress)
    finally:
        store.close()
    return check_loaded(config, force, now=now, single_origin=single_origin, progress=progress, preview=preview)


def check_loaded(config: Config, force: Force, *, now=None, single_origin: bool = False,
                 progress: Progress | None = None, preview: bool = False) -> Checked:
    """Check and plan a loaded Force: the stages after loading (`serve` runs them after a reload).

    Drafts and items scheduled after the build's moment are checked like the rest, then left out
    of everything (content/schedule.py); with `preview` (`serve`, for editors) they stay in."""
    progress = progress or Silent()
    when = build_date(config, now)
    with progress.step("check"):
        check_site(force, rules=tuple(rule for kind in KINDS for rule in kind.checks))
        change = next_change(force, when)
        public, held = withhold(force, when)  # and a public item linking to one that waits is an error
        if not preview:
            force = public
    with progress.step("plan"):
        urls = Urls(config.force.base_url, config.force.name, force, single_origin=single_origin)
        for kind in KINDS:  # ended appeals lose their personal details before anything uses them
            if kind.settle is not None:
                force = kind.settle(force, when)
        plan = plan_site(config, force, urls, when, KINDS)
        feeds = tuple(spec for kind in KINDS if kind.feeds for spec in kind.feeds(config, force, urls))
        social = plan_social(config, force, urls, tuple(kind.social_items for kind in KINDS if kind.social_items))
        for kind in KINDS:  # active alerts first
            if kind.amend_feeds is not None:
                feeds = kind.amend_feeds(feeds, force, when)
            if kind.amend_social is not None:
                social = kind.amend_social(config, force, social, when)
        check_posts(config, urls, social)
        if errors := own_host_errors(config, force, urls, plan, feeds):  # links to our own site must lead somewhere
            raise BuildFailed(errors)
    return Checked(config, force, urls, plan, feeds, social, when, held, change)


def build(root: Path, out_dir: Path | None = None, *, site: str | None = None, now=None,
          single_origin: bool = False, jobs: int = 1, cache: bool = True, progress: Progress | None = None,
          strict: bool = False) -> Checked:
    """Build the sites under `root` into `out_dir` (site.toml's output folder by default).

    With `site`, build only that separately deployable site (`main`, or an LPU with an address of
    its own) into `out_dir/<site>` and leave the others there alone: one job of a CI matrix.
    `jobs` processes share the work; the output is the same bytes for any number.
    With `strict`, warnings fail the build (GuaranteeFailed) before anything is written.
    Without `cache`, nothing of earlier builds is used: every file is parsed and every page rendered.
    """
    checked = check(root, now=now, single_origin=single_origin, jobs=jobs, cache=cache,
                    progress=progress)  # load, check, plan
    if strict and checked.warnings:
        raise GuaranteeFailed(checked.warning_sections)
    config = checked.config
    out, plan = out_dir or config.root / config.build.output, checked.plan
    if site is not None:
        if site not in checked.urls.sites:
            raise UnknownSite(f"there is no separately deployable site '{site}'; this project has: "
                              + ", ".join(checked.urls.sites))
        plan = tuple(page for page in plan if page.location.site == site)
    cache_file = cache_path(config) if cache else None
    prefix = f"{site}/" if site else ""  # a page's path in the tree is its file less the site's folder
    progress = progress or Silent()
    with staged(out, site) as staging:
        if not cache:
            staging.before = None  # keep nothing: the next build can still keep this one's pages
        with progress.step("reuse"):  # the pages of the tree before that cannot have changed
            staging.frame = reuse.frame(checked, static_sources(config), config.layers("templates"))
            bodies = reuse.body_digests(checked.force)
            staging.bodies = reuse.bodies_digest(bodies)
            kept = reuse.kept(staging.before, staging.frame, (p.location.file.removeprefix(prefix) for p in plan),
                              bodies, staging.path)
            extras = reuse.kept_extras(staging.before, staging.frame, staging.bodies, staging.path)
            staging.made.update(kept)
        tasks = output_tasks(checked, plan, cache_file, jobs=jobs, keep=frozenset(prefix + rel for rel in kept))
        if extras is not None:  # nothing changed: feeds, calendars, sitemaps and the rest are as they were
            staging.made.update(extras)
            staging.extras.extend(extras)
            tasks = [task for task in tasks if task.pages]
        if site is not None:
            tasks = [_only(task, prefix) for task in tasks]
        write_tasks(staging, tasks, jobs=jobs, progress=progress)
        if site is None:  # beside the sites, never in one: when a scheduled run should build again
            write_files(staging, [(NEXT_CHANGE, change_json(checked.next_change))])
        if site in (None, MAIN):
            with progress.step("search"):  # Pagefind indexes the staged main site; a failure publishes nothing
                main, inner = (staging.path, "") if site else (staging.path / MAIN, f"{MAIN}/")
                digests = {rel.removeprefix(inner): entry.digest for rel, entry in staging.made.items()
                           if rel.startswith(inner)}
                store = Cache(cache_file)
                try:
                    files = search.index_files(main, search.shards(plan), store, jobs, digests, str(config.root))
                finally:
                    store.close()
                write_files(staging, ((inner + rel, data) for rel, data in files))
    if site is not None:  # one site's build leaves the others, but the next change is the whole project's
        scratch = out / f".{NEXT_CHANGE}.{os.getpid()}"
        scratch.write_bytes(change_json(checked.next_change))
        os.replace(scratch, out / NEXT_CHANGE)
    return checked


def output_tasks(checked: Checked, plan: tuple[PlannedPage, ...], cache_file: Path | None,
                 jobs: int = 1, keep: frozenset[str] = frozenset()) -> list[Task]:
    """Every file of a build but the search index, as tasks for `write_tasks` (`serve` makes them on request):
    the social feeds, the security header files, the kinds' own files (the photos' copies, cached in
    `cache_file`; calendars; the team finder's index), then pages (but those in `keep`), feeds and the rest."""
    config, force, urls = checked.config, checked.force, checked.urls
    cards = tuple(kind.share_card for kind in KINDS if kind.share_card)

    def card(item):  # the picture of a post whose item has none of its own
        return next((c for card_of in cards if (c := card_of(config, force, urls, checked.moment, item))), None)

    return [Task("social feeds", lambda: render_social(config, urls, checked.social, card).items()),
            Task("security headers", lambda: header_files(urls, plan, _file_policies(config))),  # what a meta tag cannot say
            *(task for kind in KINDS if kind.tasks for task in kind.tasks(config, force, urls, checked.moment,
                                                                          cache_file, checked.social)),
            *render_tasks(config, force, plan, checked.feeds, urls, checked.moment, KINDS, jobs=jobs, keep=keep)]


def _file_policies(config: Config) -> dict[str, dict[str, str]]:
    """By site, what the kinds' own files need in its Content-Security-Policy header (the CMS's admin page)."""
    found: dict[str, dict[str, str]] = {}
    for kind in KINDS:
        for site, directives in (kind.policy(config) if kind.policy else {}).items():
            for name, sources in directives.items():
                mine = found.setdefault(site, {})
                mine[name] = " ".join(dict.fromkeys((mine.get(name, "") + " " + sources).split()))
    return found


def _only(task: Task, prefix: str) -> Task:
    """The task, keeping only the files under `prefix`, relative to it."""
    def make():
        return ((rel.removeprefix(prefix), *rest) for rel, *rest in task.make() if rel.startswith(prefix))
    return Task(task.name, make, task.pages)
