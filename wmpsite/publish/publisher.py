"""`build.py post`: read a built site's social feeds and post what each account has not posted yet.

The build writes one JSON Feed per social account at `<output>/<site>/social/<account-key>.json`
(items newest first, each with a ready-to-post text). This module reads them (`common.py`), keeps
the ledger (`ledger.py`) and posts through the networks' own client libraries (`networks.py`, `meta.py`):
tweepy (X API v2), Mastodon.py, atproto (Bluesky) and python-facebook-api (Facebook, Instagram,
Threads), within the limits of `rules.py`. A dry run, the default, only says what it would post.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Callable, Mapping, TextIO

from wmpsite.core.config import Config, PublishAccount, load_config
from wmpsite.core.urls import account_key
from wmpsite.publish import rules
from wmpsite.publish.clients import CREDENTIALS, make_poster, required_env
from wmpsite.publish.common import BuiltFeed, chosen_accounts, social_feeds_of
from wmpsite.publish.ledger import Ledger, LedgerError, locked
from wmpsite.publish.networks import AlreadyPosted, FeedItem, PostFailed, RateLimited
from wmpsite.outputs.posts import NAMES, check_post

POSTABLE = tuple(CREDENTIALS)
RATE_LIMIT_TRIES = 5            # answers of 429 in a row for one post before the account gives up


def post_command(root: Path, output: Path | None = None, *, live: bool = False, as_json: bool = False,
                 since: dt.datetime | None = None, only: tuple[str, ...] = (), max_wait: float = 900.0,
                 env: Mapping[str, str] | None = None, out: TextIO | None = None, err: TextIO | None = None,
                 sleep: Callable[[float], None] | None = None,
                 clock: Callable[[], dt.datetime] | None = None) -> int:
    """Post (or, without `live`, show) every item each [publish] account has not posted; return the exit code."""
    env = os.environ if env is None else env
    out, err = out or sys.stdout, err or sys.stderr
    clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
    sleep = sleep or time.sleep
    config = load_config(root / "site.toml")
    accounts = chosen_accounts(config, only)
    feeds = social_feeds_of(config, output or config.root / config.build.output)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=config.tz)
    say = (lambda line: print(line, file=err)) if as_json else (lambda line: print(line, file=out))
    unrouted = sorted(k for k, f in feeds.items() if f.network in POSTABLE and k not in
                      {account_key(a.network, a.handle) for a in config.publish.accounts})
    if unrouted and not only:  # a force has hundreds of officers' accounts: name a few, count the rest
        shown = ", ".join(unrouted[:UNROUTED_SHOWN]) + (f" and {len(unrouted) - UNROUTED_SHOWN} more"
                                                       if len(unrouted) > UNROUTED_SHOWN else "")
        say(f"Not posted, {len(unrouted)} account(s) with a feed but no [[publish.accounts]] in site.toml: {shown}.")
    state = config.root / config.publish.state
    try:
        with locked(state) if live else nullcontext():
            ledger = Ledger.load(state, save=live)
            run = _Run(config, ledger, live=live, as_json=as_json, since=since, max_wait=max_wait, env=env,
                       out=out, err=err, say=say, sleep=sleep, clock=clock)
            failed = [a.account for a in accounts if not run.account(a, feeds)]
    except LedgerError as exc:
        print(f"Nothing posted: {exc}", file=err)
        return 1
    verb = "Posted" if live else "Dry run: would post"
    say(f"{verb} {run.count} post(s) for {len(accounts)} account(s)"
        + ("." if live or not run.count else "; add --live to post them."))
    if failed:
        print(f"{len(failed)} account(s) failed: {', '.join(failed)}. The ledger records every post made; "
              "run again to go on from there.", file=err)
        return 1
    return 0


#: How many of the accounts that have a feed but no [publish] entry a run names.
UNROUTED_SHOWN = 5


def _since_hint(feed: BuiltFeed, cutoff: dt.datetime) -> str:
    """How to post some of the items a first run leaves out: the `--since` that takes the newest three."""
    older = sorted((i.published for i in feed.items if i.published < cutoff), reverse=True)
    take = older[:3]
    day = take[-1].date().isoformat()
    count = sum(1 for moment in older if moment.date().isoformat() >= day)
    return f"--since {day} would post the {count} newest of them, --since with an earlier date more"


# --- one run ---------------------------------------------------------------------------------

class _Run:
    """The accounts of one `post` run: what to post, in which order, and recording it."""

    def __init__(self, config: Config, ledger: Ledger, *, live, as_json, since, max_wait, env, out, err, say,
                 sleep, clock):
        self.config, self.ledger = config, ledger
        self.live, self.as_json, self.since, self.max_wait = live, as_json, since, max_wait
        self.env, self.out, self.err, self.say, self.sleep, self.clock = env, out, err, say, sleep, clock
        self.count = 0

    def fail(self, account: PublishAccount, message: str) -> bool:
        self.out.flush()
        print(f"{account.account}: {message}", file=self.err, flush=True)
        return False

    def account(self, account: PublishAccount, feeds: dict[str, BuiltFeed]) -> bool:
        """Post one account's queue; return False if the account failed (already reported)."""
        key = account_key(account.network, account.handle)
        feed = feeds.get(key)
        if feed is None:
            return self.fail(account, f"no social feed {key}.json in the built site; is the account declared "
                                      "in the content under that handle, and was the site built?")
        recorded = self.ledger.cutoff(key)
        cutoff = self.since or recorded or self.clock()
        if cutoff != recorded:
            self.ledger.set_cutoff(key, account.account, cutoff)     # the first run, or --since
        queue, older = [], 0
        for item in sorted(reversed(feed.items), key=lambda i: i.published):   # oldest first
            entry = self.ledger.entry(key, item.id) or {}
            if entry.get("state") == "posted":
                continue
            if item.published < cutoff and entry.get("state") != "pending":
                older += 1
                continue
            queue.append(item)
        self.say(f"{account.account}: {len(queue)} to post, {self.ledger.posted_count(key)} already posted, "
                 f"{older} before the cut-off {cutoff.astimezone(self.config.tz):%Y-%m-%d %H:%M}")
        if recorded is None and self.since is None and older:
            self.say(f"  (its first run: the cut-off is now, so nothing older is posted; {_since_hint(feed, cutoff)})")
        failure = None
        for n, item in enumerate(queue):
            problems = check_post(account.network, item.text, item.url, account.limit)
            refused = rules.refusal(account, item)
            if problems or refused:    # post what comes before it; never skip it
                failure = (f"{item.id}: the post text {'; '.join(problems)}. Fix it in the content and build "
                           f"again; {len(queue) - n} post(s) wait for it.") if problems else \
                    f"{refused}; {len(queue) - n} post(s) wait for it."
                queue = queue[:n]
                break
        allowed, waiting = rules.room(account, self.ledger, key, queue, self.clock(), self.config.tz)
        if waiting:                    # a limit reached: the rest wait, in order, for a later run
            queue, failure = queue[:allowed], None
        spend = rules.spend_note(account, self.ledger, key, len(queue), self.clock(), self.config.tz)
        if spend and queue:
            self.say(f"  ({spend})")
        if not self.live:
            for item in queue:
                self.report(account, feed, item)
            missing = [name for name in required_env(account) if not self.env.get(name)]
            if queue and missing:
                self.say(f"  (a live run needs {', '.join(missing)} set)")
        elif queue and not self.post_queue(account, feed, queue):
            return False
        if waiting:
            self.say(f"  (not posted now: {waiting})")
        return self.fail(account, failure) if failure else True

    def post_queue(self, account: PublishAccount, feed: BuiltFeed, queue: list[FeedItem]) -> bool:
        key = feed.key
        missing = [name for name in required_env(account) if not self.env.get(name)]
        if missing:
            return self.fail(account, f"not posted: set {', '.join(missing)} in the environment "
                                      "(docs/social.md, Credentials)")
        done = 0
        try:
            poster = make_poster(account, self.env, self.config.force.language)
            self.with_backoff(account, poster.login)
        except PostFailed as exc:
            return self.fail(account, f"{exc}. Nothing posted; {len(queue)} post(s) left for the next run.")
        try:
            for item in queue:
                entry = self.ledger.entry(key, item.id) or {}
                found = None
                pending = entry.get("state") == "pending"
                if pending:
                    attempt, since = entry["attempt"], dt.datetime.fromisoformat(entry["since"])
                    found = self.with_backoff(account, lambda: poster.find(item, attempt, since, _steps(entry)))
                else:
                    attempt = poster.new_attempt(key, item)
                    self.ledger.mark_pending(key, item.id, attempt, self.clock())

                def note(name: str, value: str, item_id=item.id) -> None:
                    self.ledger.note_step(key, item_id, name, value)
                if found is None:
                    try:
                        found = self.with_backoff(account, lambda: poster.post(
                            item, attempt, _steps(self.ledger.entry(key, item.id)), note))
                    except AlreadyPosted:
                        if not pending:  # the text of an earlier, other post (an alert repeated word for word)
                            raise PostFailed(f"{account.network} refused it as a copy of an earlier post; "
                                             "change its words (or its 'post' text) so it is new") from None
                        found = (None, None)  # our own earlier attempt arrived
                now, price = self.clock(), rules.cost(account)
                self.ledger.mark_posted(key, item.id, found[0], found[1], now,
                                        charge=(rules.month_of(now, self.config.tz), price) if price else None)
                done += 1
                self.report(account, feed, item, found)
        except Exception as exc:       # one account's failure must not stop the others
            said = str(exc) if isinstance(exc, PostFailed) else \
                f"wmpsite failed unexpectedly ({type(exc).__name__}: {exc}; please report this bug)"
            return self.fail(account, f"at {queue[done].id}: {said}. {done} posted, {len(queue) - done} left "
                                      "for the next run.")
        return True

    def with_backoff(self, account: PublishAccount, call):
        """Call, waiting out rate limits as the network asks (within --max-wait), then give up."""
        for attempt in range(RATE_LIMIT_TRIES):
            try:
                return call()
            except RateLimited as limited:
                wait = limited.wait if limited.wait is not None else min(5 * 2 ** attempt, self.max_wait)
                if wait > self.max_wait:
                    raise PostFailed(f"{NAMES[account.network]} limits the rate of posting: it asks to wait "
                                     f"{wait:.0f} s, more than --max-wait {self.max_wait:.0f} s") from None
                if attempt == RATE_LIMIT_TRIES - 1:
                    raise PostFailed(f"{NAMES[account.network]} still limits the rate of posting after "
                                     f"{RATE_LIMIT_TRIES - 1} waits") from None
                self.say(f"  {NAMES[account.network]} asks to wait {wait:.0f} s (rate limit); waiting")
                self.sleep(max(1.0, wait))
        raise AssertionError("unreachable")

    def report(self, account: PublishAccount, feed: BuiltFeed, item: FeedItem,
               posted: tuple[str | None, str | None] | None = None) -> None:
        self.count += 1
        if self.as_json:
            record = {"account": account.account, "account_key": feed.key, "network": account.network,
                      "item_id": item.id, "link": item.url, "text": item.text, "posted": self.live}
            if posted is not None:
                record.update(post_id=posted[0], post_url=posted[1])
            print(json.dumps(record, ensure_ascii=False), file=self.out, flush=True)
            return
        if posted is None:
            self.say(f"  would post {item.id} ({item.published.astimezone(self.config.tz):%Y-%m-%d %H:%M}):")
            self.say("    " + item.text.replace("\n", "\n    "))
            if account.network == "instagram" and item.image:
                self.say(f"    (with the image {item.image})")
        else:
            self.say(f"  posted {item.id}" + (f" as {posted[1]}" if posted[1] else " (it was already there)"))
        self.out.flush()


def _steps(entry: dict | None) -> dict:
    """A copy of what earlier steps of a pending post recorded (networks.py)."""
    return dict((entry or {}).get("steps") or {})
