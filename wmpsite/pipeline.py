"""The build, stage by stage: load -> check -> plan -> render -> write."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache
from .checks import check_site
from .config import Config, load_config
from .feeds import FeedSpec, plan_feeds
from .loader import load_site
from .model import Force
from .output import write_output
from .plan import PlannedPage, plan_site
from .render import render_site
from .urls import Urls


@dataclass(frozen=True)
class Checked:
    """A site that has loaded and passed every check, with its plan."""

    config: Config
    force: Force
    urls: Urls
    plan: tuple[PlannedPage, ...]
    feeds: tuple[FeedSpec, ...]
    now: dt.datetime


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
          cache: bool = True) -> Checked:
    """Load, check and plan everything, writing nothing; raise BuildFailed with every error."""
    config = load_config(root / "site.toml")
    store = Cache(cache_path(config) if cache else None)
    try:
        force = load_site(config, jobs=jobs, cache=store)
    finally:
        store.close()
    check_site(force)
    urls = Urls(config.force.base_url, config.force.name, force, single_origin=single_origin)
    when = build_date(config, now)
    plan = plan_site(config, force, urls, when)
    feeds = plan_feeds(config, force, urls)
    return Checked(config, force, urls, plan, feeds, when)


def build(root: Path, out_dir: Path | None = None, *, now=None, single_origin: bool = False,
          jobs: int = 1, cache: bool = True) -> Checked:
    """Build the sites under `root` into `out_dir` (site.toml's output folder by default).

    `jobs` processes share the work; the output is the same bytes for any number.
    """
    checked = check(root, now=now, single_origin=single_origin, jobs=jobs, cache=cache)  # load, check, plan
    files = render_site(checked.config, checked.force, checked.plan, checked.feeds, checked.urls, checked.now,
                        jobs=jobs)
    write_output(files, out_dir or checked.config.root / checked.config.build.output)
    return checked
