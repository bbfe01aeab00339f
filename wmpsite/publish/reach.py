"""`build.py reach`: what the force's posts reached, read from each network, kept beside the ledger
and reported to the communications team.

Each run reads, for every [publish] account, the public figures of the posts the ledger records
(`post` made them; nothing is posted here): X's public metrics, Mastodon's and Bluesky's counts,
and the insights of Facebook, Instagram and Threads. It appends one line a reading to
`<publish.state>/reach/<account-key>.jsonl`, with the moment in the force's time zone, so the
files are the history the report is drawn from. An account that cannot be read is reported and
recorded as failed; the others are still read. The report (an HTML page with SVG charts and the
same figures as CSV) goes to a folder of its own, never into the public site.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import html
import io
import json
import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping, TextIO
from urllib.parse import quote

from wmpsite.core.config import PublishAccount, load_config
from wmpsite.core.errors import BuildFailed, ContentError, MachineFailed
from wmpsite.core.urls import account_key
from wmpsite.outputs.posts import NAMES
from wmpsite.publish import networks
from wmpsite.publish.ledger import Ledger, LedgerError, write_atomic
from wmpsite.publish.networks import PostFailed, RateLimited, make_poster, wait_from_headers

READINGS = "reach"               # the folder, inside [publish] state, of each account's readings
REPORT = "reach-report"          # the report's default folder, from the project root
DAYS = 30                        # posts made within this many days are read again each run
#: What each network's reach counts; Mastodon and Bluesky count no reach, only interactions.
REACH_MEANS = {"x": "views", "facebook": "people reached", "instagram": "accounts reached", "threads": "views",
               "mastodon": None, "bluesky": None}
#: Meta's Graph APIs: the address with its version, the metrics asked for, and the one that is reach.
#: Facebook's post_impressions_unique is withdrawn; post_total_media_view_unique is its successor.
GRAPH = {
    "facebook": ("https://graph.facebook.com/v24.0",
                 ("post_total_media_view_unique", "post_reactions_by_type_total", "post_clicks"),
                 "post_total_media_view_unique"),
    "instagram": ("https://graph.facebook.com/v24.0", ("reach", "likes", "comments", "shares", "saved"), "reach"),
    "threads": ("https://graph.threads.net/v1.0", ("views", "likes", "replies", "reposts", "quotes", "shares"),
                "views"),
}
#: Graph API error codes that mean "too many calls".
GRAPH_RATE_CODES = {4, 17, 32, 613}
#: Networks whose posters do not name their variables yet: the token a reading needs.
GRAPH_CREDENTIALS = {"facebook": ("PAGE_ACCESS_TOKEN",), "instagram": ("ACCESS_TOKEN",),
                     "threads": ("ACCESS_TOKEN",)}
NETWORK_NAMES = {**NAMES, "facebook": "Facebook", "instagram": "Instagram", "threads": "Threads"}
FORCE_WIDE = "Force-wide"        # the group of accounts that belong to no LPU


class ReadFailed(Exception):
    """A network refused, failed or could not be reached while reading; the message says so in plain words."""


@dataclass(frozen=True)
class Figures:
    """One post's figures at one reading."""

    reach: int | None            # what REACH_MEANS says for the network; None where it counts none
    interactions: int            # likes, reposts, replies, quotes (and saves, shares) together
    counts: dict                 # the network's own figures, by its own names


# --- credentials, as the posters read them -----------------------------------------------

def credential_names(account: PublishAccount) -> tuple[str, ...]:
    """The environment variables (less the account's prefix) a reading of this account needs."""
    return networks.CREDENTIALS.get(account.network) or GRAPH_CREDENTIALS.get(account.network, ())


def missing_env(account: PublishAccount, env: Mapping[str, str]) -> list[str]:
    if account.network in networks.CREDENTIALS:
        names = networks.required_env(account)
    else:
        names = [f"{account.credentials}_{name}" for name in credential_names(account)]
    return [name for name in names if not env.get(name)]


# --- the readers: read(post ids) -> {post id: Figures}; a post the network no longer has is absent ---

def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _total(counts: Mapping, *names: str) -> int:
    return sum(int(counts.get(name) or 0) for name in names)


class XReader:
    """GET /2/tweets?ids=...&tweet.fields=public_metrics, 100 ids a request, signed as the poster signs."""

    def __init__(self, account: PublishAccount, env: Mapping[str, str], language: str):
        self.poster = make_poster(account, env, language)

    def read(self, ids: list[str]) -> dict[str, Figures]:
        import requests
        import tweepy
        found = {}
        for chunk in _chunks(ids, 100):
            try:
                response = self.poster.client.get_tweets(chunk, tweet_fields=["public_metrics"], user_auth=True)
            except tweepy.TooManyRequests as exc:
                raise RateLimited(wait_from_headers(exc.response.headers)) from None
            except (tweepy.TweepyException, requests.RequestException) as exc:
                raise ReadFailed(networks._said("X", exc)) from None
            for tweet in response.data or ():
                counts = dict(tweet.public_metrics or {})
                found[str(tweet.id)] = Figures(counts.get("impression_count"), _total(
                    counts, "like_count", "retweet_count", "reply_count", "quote_count"), counts)
        return found


class MastodonReader:
    """GET /api/v1/statuses/:id for each post: favourites, reblogs and replies."""

    def __init__(self, account: PublishAccount, env: Mapping[str, str], language: str):
        self.poster = make_poster(account, env, language)

    def read(self, ids: list[str]) -> dict[str, Figures]:
        from mastodon import MastodonError, MastodonNotFoundError, MastodonRatelimitError
        found = {}
        for post_id in ids:
            try:
                status = self.poster.api.status(post_id)
            except MastodonNotFoundError:
                continue                   # deleted, as an ended appeal's post is
            except MastodonRatelimitError:
                last = self.poster.last
                raise RateLimited(wait_from_headers(last.headers) if last is not None else None) from None
            except MastodonError as exc:
                raise ReadFailed(networks._said("Mastodon", exc)) from None
            counts = {name: int(status.get(name) or 0) for name in
                      ("favourites_count", "reblogs_count", "replies_count")}
            found[post_id] = Figures(None, sum(counts.values()), counts)
        return found


class BlueskyReader:
    """app.bsky.feed.getPosts, 25 posts a request, after the poster's own login."""

    def __init__(self, account: PublishAccount, env: Mapping[str, str], language: str):
        self.poster = make_poster(account, env, language)
        self.poster.login()

    def read(self, ids: list[str]) -> dict[str, Figures]:
        found = {}
        for chunk in _chunks(ids, 25):
            for view in self.poster._call(lambda: self.poster.client.get_posts(uris=chunk)).posts:
                counts = {"likeCount": view.like_count or 0, "repostCount": view.repost_count or 0,
                          "replyCount": view.reply_count or 0, "quoteCount": view.quote_count or 0}
                found[view.uri] = Figures(None, sum(counts.values()), counts)
        return found


class GraphReader:
    """GET /{post-id}/insights?metric=... on Meta's Graph API (Facebook, Instagram) or Threads' own."""

    def __init__(self, account: PublishAccount, env: Mapping[str, str], language: str):
        import requests
        self.network = account.network
        base, self.metrics, self.reach = GRAPH[account.network]
        self.base = (account.base_url or base).rstrip("/")
        names = credential_names(account)
        token = next((n for n in names if n.endswith("TOKEN")), names[0])
        self.token = env[f"{account.credentials}_{token}"]
        self.session = requests.Session()

    def _said(self, text: str) -> str:
        return text.replace(self.token, "[token]")    # a Graph address carries the token: never show it

    def read(self, ids: list[str]) -> dict[str, Figures]:
        import requests
        name = NETWORK_NAMES[self.network]
        found = {}
        for post_id in ids:
            try:
                response = self.session.get(f"{self.base}/{quote(post_id, safe='_')}/insights", timeout=networks.TIMEOUT,
                                            params={"metric": ",".join(self.metrics), "access_token": self.token})
                answer = response.json() if response.content else {}
            except requests.RequestException as exc:
                raise ReadFailed(self._said(f"{name} could not be reached: {exc}")) from None
            except ValueError:
                raise ReadFailed(f"{name} answered {response.status_code} with something other than JSON") from None
            error = answer.get("error") if isinstance(answer, dict) else None
            if response.status_code == 429 or (error and error.get("code") in GRAPH_RATE_CODES):
                raise RateLimited(wait_from_headers(response.headers))
            if error and error.get("code") == 100 and error.get("error_subcode") == 33:
                continue                   # the post is gone
            if error or response.status_code != 200:
                said = (error or {}).get("message") or response.reason
                raise ReadFailed(self._said(f"{name} answered {response.status_code}: {said}"))
            counts = {}
            for metric in answer.get("data", []):
                value = (metric.get("values") or [{}])[0].get("value")
                counts[metric.get("name")] = sum(value.values()) if isinstance(value, dict) else int(value or 0)
            others = [m for m in self.metrics if m != self.reach and m != "post_clicks"]
            found[post_id] = Figures(counts.get(self.reach), _total(counts, *others), counts)
        return found


READERS = {"x": XReader, "mastodon": MastodonReader, "bluesky": BlueskyReader, "facebook": GraphReader,
           "instagram": GraphReader, "threads": GraphReader}


def read_account(account: PublishAccount, posts: list[dict], env: Mapping[str, str], language: str) -> dict:
    """Read one account's posts (ledger entries with 'item', 'id'); return the reading, or raise ReadFailed."""
    make = READERS.get(account.network)
    if make is None:
        raise ReadFailed(f"wmpsite cannot read the reach of {account.network} posts")
    missing = missing_env(account, env)
    if missing:
        raise ReadFailed(f"set {', '.join(missing)} in the environment (docs/social.md, Credentials)")
    try:
        figures = make(account, env, language).read([p["id"] for p in posts])
    except ImportError as exc:
        raise ReadFailed(f"the client library is missing ({exc.name}): pip install 'wmpsite[publish]'") from None
    except PostFailed as exc:
        raise ReadFailed(str(exc)) from None
    except RateLimited as limited:
        wait = f"; it asks to wait {limited.wait:.0f} s" if limited.wait is not None else ""
        raise ReadFailed(f"{NETWORK_NAMES[account.network]} limits the rate of reading{wait}: run again later") \
            from None
    read, gone = [], []
    for post in posts:
        got = figures.get(post["id"])
        if got is None:
            gone.append(post["item"])
            continue
        read.append({**post, "reach": got.reach, "interactions": got.interactions,
                     "counts": dict(sorted(got.counts.items()))})
    return {"posts": read, "gone": gone}


# --- one run -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Owner:
    """Who an account belongs to, for the report: its owner and LPU as the content declares them."""

    owner: str
    lpu: str                     # the LPU's name, or FORCE_WIDE


def owners_and_titles(root: Path) -> tuple[dict[str, Owner], dict[str, tuple[str, str]]]:
    """From the content: each account's owner and LPU by key, and each social item's (title, link) by id."""
    from wmpsite.build import pipeline
    from wmpsite.features.accounts import build_registry
    from wmpsite.outputs.feeds import item_id

    checked = pipeline.check(root)
    lpus = {lpu.slug: lpu.name for lpu in checked.force.lpus}
    owners: dict[str, Owner] = {}
    for a in build_registry(checked.config, checked.force):
        owners.setdefault(a.key, Owner(a.owner, lpus.get(a.lpu, FORCE_WIDE) if a.lpu else FORCE_WIDE))
    titles = {}
    for feed in checked.social:
        for item in feed.items:
            titles[item_id(item, checked.urls)] = (item.title, checked.urls.absolute(checked.urls.of(item)))
    return owners, titles


def reach_command(root: Path, *, report: Path | None = None, report_only: bool = False, days: int = DAYS,
                  only: tuple[str, ...] = (), env: Mapping[str, str] | None = None, out: TextIO | None = None,
                  err: TextIO | None = None, clock: Callable[[], dt.datetime] | None = None,
                  accounts: tuple[PublishAccount, ...] | None = None) -> int:
    """Read every [publish] account's posts, keep the figures and write the report; return the exit code.

    `accounts` replaces site.toml's [publish] accounts (for networks whose posting is not set up)."""
    from wmpsite.publish.publisher import _chosen_accounts, _shown
    env = os.environ if env is None else env
    out, err = out or sys.stdout, err or sys.stderr
    clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
    config = load_config(root / "site.toml")
    report = (report or config.root / REPORT).resolve()
    site = (config.root / config.build.output).resolve()
    if report == site or site in report.parents:
        raise BuildFailed([ContentError(_shown(report, config.root), "the reach report would be inside the "
                                        "public site's output folder", hint="it is for the communications team: "
                                        f"give --report a folder outside {_shown(site, config.root)}")])
    folder = config.root / config.publish.state / READINGS
    failed: list[str] = []
    if not report_only:
        chosen = list(accounts) if accounts is not None else _chosen_accounts(config, only)
        owners, titles = owners_and_titles(config.root)
        try:
            ledger = Ledger.load(config.root / config.publish.state, save=False)
        except LedgerError as exc:
            print(f"Nothing read: {exc}", file=err)
            return 1
        at = clock().astimezone(config.tz).replace(microsecond=0)
        since = at - dt.timedelta(days=days)
        try:
            with _locked(folder):
                for account in chosen:
                    _read_one(account, ledger, titles, owners, folder, at, since, days, env, config, out, err,
                              failed)
        except LedgerError as exc:
            print(f"Nothing read: {exc}", file=err)
            return 1
    readings = load_readings(folder, config.root)
    write_report(report, readings, config.tz)
    print(f"Report of {len(readings)} reading(s) written to {_shown(report / 'index.html', config.root)}.",
          file=out)
    if failed:
        print(f"{len(failed)} account(s) not read: {', '.join(failed)}. The others' figures are kept; "
              "run again later.", file=err)
        return 1
    return 0


def _read_one(account: PublishAccount, ledger: Ledger, titles: dict, owners: dict, folder: Path, at: dt.datetime,
              since: dt.datetime, days: int, env: Mapping[str, str], config, out: TextIO, err: TextIO,
              failed: list[str]) -> None:
    """Read one account's recent posts and append the reading (or its failure) to its file."""
    key = account_key(account.network, account.handle)
    entries = ledger.data["accounts"].get(key, {}).get("items", {})
    posts = [{"item": item, "id": e["id"], "url": e.get("url"), "posted": e["at"],
              "title": titles.get(item, (item, None))[0], "link": titles.get(item, (None, None))[1]}
             for item, e in sorted(entries.items()) if e.get("state") == "posted" and e.get("id")
             and dt.datetime.fromisoformat(e["at"]) >= since]
    if not posts:
        print(f"{account.account}: nothing posted in the last {days} days to read", file=out)
        return
    owner = owners.get(key, Owner(account.account, FORCE_WIDE))
    line = {"at": at.isoformat(), "account": account.account, "network": account.network,
            "owner": owner.owner, "lpu": owner.lpu, "reach_means": REACH_MEANS.get(account.network)}
    try:
        line |= read_account(account, posts, env, config.force.language)
    except ReadFailed as exc:
        failed.append(account.account)
        line["failed"] = str(exc)
        out.flush()
        print(f"{account.account}: not read: {exc}", file=err, flush=True)
    except Exception as exc:      # one account's failure must not stop the others
        failed.append(account.account)
        line["failed"] = f"wmpsite failed unexpectedly ({type(exc).__name__}: {exc})"
        print(f"{account.account}: not read: {line['failed']}; please report this bug", file=err)
    _append(folder / f"{key}.jsonl", line)
    if "failed" not in line:
        print(f"{account.account}: read {len(line['posts'])} post(s): " + _summary(line)
              + (f"; {len(line['gone'])} no longer there" if line["gone"] else ""), file=out)


def _summary(line: dict) -> str:
    reach = [p["reach"] for p in line["posts"] if p["reach"] is not None]
    interactions = sum(p["interactions"] for p in line["posts"])
    means = line["reach_means"]
    return (f"{sum(reach):,} {means}, " if means and reach else "") + f"{interactions:,} interactions"


def _append(path: Path, line: dict) -> None:
    """Add one reading to an account's file, whole, and on disk before the next."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    with open(path, "ab") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


class _locked:
    """Hold a lock on the readings folder, so two runs never interleave their lines."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.folder, os.O_RDONLY)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise LedgerError(f"another `build.py reach` is reading into {self.folder}; wait for it") from None

    def __exit__(self, *exc):
        os.close(self.fd)
        return False


def load_readings(folder: Path, root: Path | None = None) -> list[dict]:
    """Every reading kept in the folder, oldest first; a line that cannot be read is an error naming it."""
    from wmpsite.publish.publisher import _shown
    readings, errors = [], []
    for path in sorted(folder.glob("*.jsonl")):
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
                line["_at"] = dt.datetime.fromisoformat(line["at"])
                readings.append(line)
            except (ValueError, KeyError, TypeError) as exc:
                errors.append(ContentError(_shown(path, root), f"a reading that cannot be read ({exc})", line=n,
                                           hint="restore the file from version control"))
    if errors:
        raise BuildFailed(errors)
    return sorted(readings, key=lambda r: (r["_at"], r["account"]))


# --- the report ------------------------------------------------------------------------------

MAX_LINES = 8                    # lines a chart draws; the smaller accounts are summed into one
FEW = 0.5                        # an account 'reached few' below this share of the accounts' median
TOP = 10                         # posts in each list of the posts that did most


@dataclass(frozen=True)
class AccountRow:
    """One account's latest figures (each post at its latest reading), for the accounts' table."""

    account: str
    network: str
    owner: str
    lpu: str
    posts: int
    reach: int | None            # None for a network that counts no reach
    interactions: int
    per_post: float              # reach a post (or, without reach, interactions a post)
    few: bool                    # below FEW of the median of the accounts compared with it
    failed: str | None           # why its last reading failed, if it did


def figures(readings: list[dict]) -> dict:
    """Everything the report shows, from the readings: series over time, the accounts, the top posts."""
    good = [r for r in readings if "failed" not in r]
    moments = sorted({r["_at"] for r in good})
    latest_line = {r["account"]: r for r in readings}        # the last line of each account, failed or not
    about = {r["account"]: r for r in good}                  # the last successful reading: owner, LPU
    history: dict[str, dict[str, list[tuple[dt.datetime, dict]]]] = {}
    for r in good:
        for post in r["posts"]:
            history.setdefault(r["account"], {}).setdefault(post["item"], []).append((r["_at"], post))

    def at(account: str, moment: dt.datetime) -> tuple[int | None, int, int] | None:
        """(reach, interactions, posts) of an account at a moment: each post at its latest reading then."""
        posts = [max((h for h in hist if h[0] <= moment), key=lambda h: h[0], default=None)
                 for hist in history.get(account, {}).values()]
        posts = [p[1] for p in posts if p is not None]
        if not posts:
            return None
        reach = [p["reach"] for p in posts if p["reach"] is not None]
        return (sum(reach) if reach else None), sum(p["interactions"] for p in posts), len(posts)

    accounts = sorted(about)
    grid = {a: {m: at(a, m) for m in moments} for a in accounts}
    lpus = sorted({about[a]["lpu"] for a in accounts}, key=lambda n: (n == FORCE_WIDE, n))
    by_lpu = {}
    for lpu in lpus:
        members = [a for a in accounts if about[a]["lpu"] == lpu]
        by_lpu[lpu] = {}
        for m in moments:
            values = [grid[a][m] for a in members if grid[a][m] is not None]
            if values:
                reach = [v[0] for v in values if v[0] is not None]
                by_lpu[lpu][m] = (sum(reach) if reach else None, sum(v[1] for v in values), sum(v[2] for v in values))
    last = moments[-1] if moments else None
    rows = []
    for a in accounts:
        reach, interactions, count = grid[a][last]
        measure = reach if reach is not None else interactions
        failed = latest_line[a].get("failed")
        rows.append([a, about[a]["network"], about[a]["owner"], about[a]["lpu"], count, reach, interactions,
                     measure / count, failed])
    for with_reach in (True, False):       # accounts are compared with those whose figures mean the same
        group = [row for row in rows if (row[5] is not None) == with_reach]
        median = statistics.median(row[7] for row in group) if group else 0
        for row in group:
            row.append(len(group) > 1 and row[7] < FEW * median)
    table = sorted((AccountRow(*row[:8], row[9], row[8]) for row in rows),
                   key=lambda r: (r.reach is None, r.per_post, r.account))
    posts = []
    for a in accounts:
        for item, hist in history[a].items():
            moment, post = max(hist, key=lambda h: h[0])
            posts.append({"account": a, "network": about[a]["network"], "lpu": about[a]["lpu"], **post})
    by_reach = sorted((p for p in posts if p["reach"] is not None),
                      key=lambda p: (-p["reach"], -p["interactions"], p["account"], p["item"]))[:TOP]
    by_interactions = sorted(posts, key=lambda p: (-p["interactions"], p["account"], p["item"]))[:TOP]
    failures = [(a, r["failed"], r["_at"]) for a, r in sorted(latest_line.items()) if "failed" in r]
    return {"moments": moments, "accounts": grid, "lpus": by_lpu, "table": table, "by_reach": by_reach,
            "by_interactions": by_interactions, "failures": failures, "about": about,
            "first": readings[0]["_at"] if readings else None, "last": readings[-1]["_at"] if readings else None}


def _series(grid: dict[str, dict], index: int) -> dict[str, list[tuple[dt.datetime, int]]]:
    """Each line of a chart: name -> [(moment, value)], the smallest summed into one line past MAX_LINES."""
    lines = {name: [(m, v[index]) for m, v in sorted(points.items()) if v is not None and v[index] is not None]
             for name, points in grid.items()}
    lines = {name: points for name, points in lines.items() if points}
    order = sorted(lines, key=lambda n: (-lines[n][-1][1], n))
    if len(order) <= MAX_LINES:
        return {name: lines[name] for name in order}
    kept, rest = order[:MAX_LINES - 1], order[MAX_LINES - 1:]
    summed: dict[dt.datetime, int] = {}
    for name in rest:
        for moment, value in lines[name]:
            summed[moment] = summed.get(moment, 0) + value
    return {**{name: lines[name] for name in kept}, f"{len(rest)} other accounts": sorted(summed.items())}


def chart_svg(lines: dict[str, list[tuple[dt.datetime, int]]], ylabel: str) -> bytes:
    """A line chart as SVG, byte for byte the same for the same figures (a fixed hash salt, no date)."""
    try:
        import matplotlib
    except ImportError:
        raise MachineFailed("the report's charts need matplotlib, which is not installed: "
                            "pip install 'wmpsite[reach]', and run the command again") from None
    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    styles = [("-", "o"), ("--", "s"), ("-.", "^"), (":", "D")]    # told apart without colour too
    settings = {"svg.hashsalt": "wmpsite-reach", "svg.fonttype": "none", "font.size": 11,
                "font.family": "sans-serif", "axes.spines.top": False, "axes.spines.right": False}
    with matplotlib.rc_context(settings):
        figure = Figure(figsize=(8, 4.5))
        axes = figure.add_subplot()
        for n, (name, points) in enumerate(lines.items()):
            line, marker = styles[n % len(styles)]
            axes.plot([m.replace(tzinfo=None) for m, _ in points], [v for _, v in points], linestyle=line,
                      marker=marker, linewidth=2, label=name)
        axes.set_ylabel(ylabel)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(bottom=0)
        days = sorted({m.date() for points in lines.values() for m, _ in points})
        step = max(1, -(-len(days) // 8))               # at most 8 days named under the chart
        axes.set_xticks([dt.datetime.combine(d, dt.time()) for d in days[::step]])
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
        if len(days) == 1:
            axes.set_xlim(dt.datetime.combine(days[0], dt.time()) - dt.timedelta(hours=12),
                          dt.datetime.combine(days[0], dt.time()) + dt.timedelta(days=1, hours=12))
        axes.grid(axis="y", alpha=0.3)
        if lines:
            axes.legend(loc="upper left", fontsize=9, frameon=False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "wmpsite build.py reach"})
    return buffer.getvalue()


def _when(moment: dt.datetime | None, tz) -> str:
    return moment.astimezone(tz).strftime("%-d %B %Y, %H:%M") if moment else "none"


def _number(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if isinstance(value, (int, float)) else str(value)


def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def write_report(folder: Path, readings: list[dict], tz) -> None:
    """Write index.html, its charts (SVG) and the figures (CSV) into `folder`."""
    for name, data in sorted(render_report(readings, tz).items()):
        write_atomic(folder / name, data)


def render_report(readings: list[dict], tz) -> dict[str, bytes]:
    """The report's files by name: the same readings give the same bytes."""
    f = figures(readings)
    iso = lambda m: m.astimezone(tz).isoformat()  # noqa: E731
    files: dict[str, bytes] = {}
    charts = []
    for name, grid, index, label, what in (
            ("reach-by-account", f["accounts"], 0, "Reach", "Reach of each account's posts"),
            ("reach-by-lpu", f["lpus"], 0, "Reach", "Reach of the posts of each LPU's accounts"),
            ("interactions-by-account", f["accounts"], 1, "Interactions", "Interactions with each account's posts")):
        lines = _series(grid, index)
        files[f"{name}.svg"] = chart_svg(lines, label)
        group = "LPU" if "lpu" in name else "Account"
        rows = [[n, _when(points[0][0], tz), points[0][1], _when(points[-1][0], tz), points[-1][1],
                 points[-1][1] - points[0][1]] for n, points in lines.items()]
        files[f"{name}.csv"] = _csv(["reading", group.lower(), label.lower(), "posts"], [
            [iso(m), n, v[index], v[2]] for n, points in sorted(grid.items()) for m, v in sorted(points.items())
            if v is not None and v[index] is not None])
        charts.append((name, what, group, label, rows))
    table = f["table"]
    files["accounts.csv"] = _csv(["account", "network", "owner", "lpu", "posts", "reach", "interactions",
                                  "per_post", "reached_few", "last_reading_failed"],
                                 [[r.account, r.network, r.owner, r.lpu, r.posts, r.reach, r.interactions,
                                   f"{r.per_post:.1f}", "yes" if r.few else "no", r.failed or ""] for r in table])
    post_header = ["account", "network", "lpu", "item", "title", "link", "post_url", "posted", "reach",
                   "interactions"]
    for name in ("by_reach", "by_interactions"):
        files[f"top-posts-{name[3:].replace('_', '-')}.csv"] = _csv(post_header, [
            [p["account"], p["network"], p["lpu"], p["item"], p["title"], p["link"], p["url"], p["posted"],
             p["reach"], p["interactions"]] for p in f[name]])
    files["index.html"] = _page(f, charts, sorted(n for n in files if n.endswith(".csv")), tz).encode("utf-8")
    return files


STYLE = """
body{font:1rem/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:0 1rem 3rem;color:#1b1b1b}
h1{font-size:1.75rem;margin-top:1.5rem}h2{font-size:1.35rem;margin-top:2.5rem}
img{max-width:100%;height:auto;display:block}
.scroll{overflow-x:auto;margin:1rem 0}.scroll:focus{outline:3px solid #1d70b8}
table{border-collapse:collapse;min-width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #b1b4b6;
vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;
padding:.4rem 0}a{color:#1d70b8}a:visited{color:#4c2c92}.note{background:#fff7bf;padding:.6rem 1rem;border-left:5px solid #b58800}
""".replace("\n", "")


def _page(f: dict, charts: list, csvs: list[str], tz) -> str:
    e = html.escape
    out = ['<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           '<meta name="robots" content="noindex">\n<title>Social media reach</title>\n'
           f'<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>Social media reach</h1>\n']
    if not f["moments"]:
        out.append("<p>No readings yet: run <code>python build.py reach</code> after <code>python build.py "
                   "post</code> has posted.</p>\n</main>\n</body>\n</html>\n")
        return "".join(out)
    out.append(f'<p>For the communications team, not for the public site. Figures from {len(f["moments"])} '
               f'reading(s), from {e(_when(f["first"], tz))} to {e(_when(f["last"], tz))} (UK time), of '
               f'{len(f["table"])} account(s). Each post counts at its latest reading.</p>\n'
               '<p>What reach counts depends on the network: Facebook counts people reached, Instagram '
               'accounts reached, X and Threads views. Mastodon and Bluesky count no reach; their posts are '
               'in the interactions (likes, reposts, replies and quotes; on Instagram saves and shares too).</p>\n')
    if f["failures"]:
        out.append('<div class="note"><h2>Accounts not read at their last reading</h2>\n<ul>\n')
        out += [f"<li>{e(a)} ({e(_when(m, tz))}): {e(why)}</li>\n" for a, why, m in f["failures"]]
        out.append("</ul>\n<p>Their figures are those of their last good reading.</p></div>\n")
    for name, what, group, label, rows in charts:
        heading = f"{what}, over time"
        out.append(f'<h2 id="{name}">{e(heading)}</h2>\n<figure>\n'
                   f'<img src="{name}.svg" width="800" height="450" alt="Line chart of {e(what.lower())} at each '
                   f'reading. The table after it gives the first and latest figure of each line.">\n'
                   f'<figcaption>{e(what)} at each reading; all the figures are in <a href="{name}.csv">'
                   f'{name}.csv</a>.</figcaption>\n</figure>\n')
        out.append(_table(f"{what}: first and latest reading", [group, "First reading", label, "Latest reading",
                                                                label, "Change"],
                          [[r[0], r[1], r[2], r[3], r[4], r[5]] for r in rows], numeric={2, 4, 5}))
    top_cols = ["Post", "Account", "Posted", "Reach", "Interactions"]
    for key, heading, note in (("by_reach", "The posts that reached most people", "Posts of networks that count reach."),
                               ("by_interactions", "The posts with most interactions", "Posts of every network.")):
        out.append(f"<h2>{heading}</h2>\n<p>{note}</p>\n")
        out.append(_table(heading, top_cols, [[_post_cell(p), p["account"], p["posted"][:10], p["reach"],
                                               p["interactions"]] for p in f[key]], numeric={3, 4}, raw={0}))
    out.append('<h2 id="few">The accounts that reached few</h2>\n'
               f'<p>Every account, fewest reached a post first. "Few" marks an account below {FEW:.0%} of the '
               'median of the accounts it is compared with: reach a post for accounts whose network counts reach, '
               'interactions a post for the others.</p>\n')
    out.append(_table("Accounts, fewest reached a post first", [
        "Account", "Owner", "LPU", "Posts", "Reach", "Interactions", "A post", "Few?"],
        [[r.account, r.owner, r.lpu, r.posts, r.reach, r.interactions, r.per_post, "Few" if r.few else ""]
         for r in f["table"]], numeric={3, 4, 5, 6}))
    out.append("<h2>The figures as CSV</h2>\n<ul>\n" + "".join(f'<li><a href="{n}">{n}</a></li>\n' for n in csvs)
               + "</ul>\n</main>\n</body>\n</html>\n")
    return "".join(out)


def _post_cell(post: dict) -> str:
    e = html.escape
    title = e(post["title"] or post["item"])
    text = f'<a href="{e(post["link"])}">{title}</a>' if post.get("link") else title
    return text + (f' (<a href="{e(post["url"])}">the post</a>)' if post.get("url") else "")


def _table(caption: str, header: list[str], rows: list[list], *, numeric=frozenset(), raw=frozenset()) -> str:
    e = html.escape
    cls = lambda i: ' class="n"' if i in numeric else ""  # noqa: E731
    head = "".join(f'<th scope="col"{cls(i)}>{e(h)}</th>' for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(
        (f'<th scope="row">{e(str(v))}</th>' if i == 0 and not raw else
         f"<td{cls(i)}>{v if i in raw else e(_number(v))}</td>") for i, v in enumerate(row)) + "</tr>\n"
        for row in rows) or f'<tr><td colspan="{len(header)}">None yet.</td></tr>\n'
    return (f'<div class="scroll" role="region" aria-label="{e(caption)}" tabindex="0">\n<table>\n'
            f"<caption>{e(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n"
            "</table>\n</div>\n")
