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

import datetime as dt
import fcntl
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping, TextIO
from urllib.parse import quote

from wmpsite.build import pipeline
from wmpsite.core.config import PublishAccount, load_config
from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.core.urls import account_key
from wmpsite.features.accounts import build_registry
from wmpsite.outputs.feeds import item_id
from wmpsite.outputs.posts import NAMES
from wmpsite.publish import networks
from wmpsite.publish.ledger import Ledger, LedgerError
from wmpsite.publish.clients import CREDENTIALS, make_poster, required_env
from wmpsite.publish.common import chosen_accounts, shown
from wmpsite.publish.networks import PostFailed, RateLimited, wait_from_headers
from wmpsite.publish.reach_report import FORCE_WIDE, write_report

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
    return CREDENTIALS[account.network]


def missing_env(account: PublishAccount, env: Mapping[str, str]) -> list[str]:
    return [name for name in required_env(account) if not env.get(name)]


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
                raise ReadFailed(networks.said("X", exc)) from None
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
                raise ReadFailed(networks.said("Mastodon", exc)) from None
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
        name = NAMES[self.network]
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
        raise ReadFailed(f"{NAMES[account.network]} limits the rate of reading{wait}: run again later") \
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
    env = os.environ if env is None else env
    out, err = out or sys.stdout, err or sys.stderr
    clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
    config = load_config(root / "site.toml")
    report = (report or config.root / REPORT).resolve()
    site = (config.root / config.build.output).resolve()
    if report == site or site in report.parents:
        raise BuildFailed([ContentError(shown(report, config.root), "the reach report would be inside the "
                                        "public site's output folder", hint="it is for the communications team: "
                                        f"give --report a folder outside {shown(site, config.root)}")])
    folder = config.root / config.publish.state / READINGS
    failed: list[str] = []
    if not report_only:
        chosen = list(accounts) if accounts is not None else chosen_accounts(config, only)
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
    print(f"Report of {len(readings)} reading(s) written to {shown(report / 'index.html', config.root)}.",
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
                errors.append(ContentError(shown(path, root), f"a reading that cannot be read ({exc})", line=n,
                                           hint="restore the file from version control"))
    if errors:
        raise BuildFailed(errors)
    return sorted(readings, key=lambda r: (r["_at"], r["account"]))
