"""`build.py post --delete-ended`: the earlier posts of appeals that have ended, listed from the
ledger and, with --live, deleted where the network's API allows it (X, Mastodon, Bluesky, Facebook;
Instagram's and Threads' by hand).

An ended appeal's feed item has an id of its own (`...:appeal/<slug>/resolved`); the posts of the
appeal itself (`...:appeal/<slug>`) are what an operator deletes, so people who find them later
do not share a stale appeal. Deleted posts stay in the ledger as `deleted`, so a rerun is harmless.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from pathlib import Path
from typing import Mapping, TextIO

from wmpsite.core.config import load_config
from wmpsite.publish.ledger import Ledger, LedgerError, locked
from wmpsite.outputs.posts import NAMES
from wmpsite.publish.clients import make_poster, required_env
from wmpsite.publish.common import chosen_accounts, social_feeds_of
from wmpsite.publish.networks import PostFailed, RateLimited, said, wait_from_headers
from wmpsite.core.urls import account_key

#: The networks whose posts wmpsite can delete through their APIs. Instagram's Graph API has no way to
#: delete published media: those posts are listed to be deleted by hand.
DELETABLE = ("x", "mastodon", "bluesky", "facebook", "threads")
_ENDED = re.compile(r"(tag:[^,]+),[0-9-]+:appeal/(.+)/(resolved|withdrawn)")
_APPEAL = re.compile(r"(tag:[^,]+),[0-9-]+:appeal/([^/]+)")


def ended_appeals(feeds) -> set[tuple[str, str]]:
    """(tag authority, slug) of every appeal whose ending is in a built social feed."""
    found = set()
    for feed in feeds.values():
        for item in feed.items:
            match = _ENDED.fullmatch(item.id)
            if match:
                found.add((match.group(1), match.group(2)))
    return found


def posts_to_delete(ledger: Ledger, ended: set[tuple[str, str]]) -> list[tuple[str, str, dict]]:
    """(account key, item id, ledger entry) of each post made of an appeal that has since ended."""
    found = []
    for key, account in sorted(ledger.data["accounts"].items()):
        for item_id, entry in sorted(account.get("items", {}).items()):
            match = _APPEAL.fullmatch(item_id)
            if match and (match.group(1), match.group(2)) in ended and entry.get("state") == "posted":
                found.append((key, item_id, entry))
    return found


def delete_post(poster, network: str, post_id: str) -> None:
    """Delete one post through the network's client library; raise PostFailed or RateLimited."""
    if network == "x":
        import requests
        import tweepy
        try:
            poster.client.delete_tweet(post_id)
        except tweepy.NotFound:
            return                     # already gone
        except tweepy.TooManyRequests as exc:
            raise RateLimited(wait_from_headers(exc.response.headers)) from None
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise PostFailed(said("X", exc)) from None
    elif network == "mastodon":
        from mastodon import MastodonNotFoundError
        try:
            poster._call(lambda: poster.api.status_delete(post_id))
        except PostFailed:
            raise
        except MastodonNotFoundError:
            return
    elif network == "bluesky":
        poster._call(lambda: poster.client.delete_post(post_id))
    elif network in ("facebook", "threads"):  # DELETE /{post-id}; Threads: /{threads-media-id}, 100 a day
        answer = poster._call(lambda: poster.api.delete_object(post_id))
        if answer.get("success") is not True:
            raise PostFailed(f"{NAMES[network]} did not delete {post_id}: it answered {answer}")
    else:
        raise PostFailed(f"{network} posts cannot be deleted by wmpsite")


def delete_ended_command(root: Path, output: Path | None = None, *, live: bool = False, as_json: bool = False,
                         only: tuple[str, ...] = (), env: Mapping[str, str] | None = None,
                         out: TextIO | None = None, err: TextIO | None = None,
                         clock=None) -> int:
    """List (or, with `live`, delete) the posts of ended appeals; return the exit code."""
    env = os.environ if env is None else env
    out, err = out or sys.stdout, err or sys.stderr
    clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
    config = load_config(root / "site.toml")
    output = output or config.root / config.build.output
    feeds = social_feeds_of(config, output)
    accounts = {account_key(a.network, a.handle): a for a in chosen_accounts(config, only)}
    state = config.root / config.publish.state
    failed = []
    done = 0
    try:
        with locked(state) if live else _nothing():
            ledger = Ledger.load(state, save=live)
            todo = [t for t in posts_to_delete(ledger, ended_appeals(feeds)) if not only or t[0] in accounts]
            for key, item_id, entry in todo:
                line = {"account": key, "item": item_id, "post": entry.get("id"), "url": entry.get("url")}
                if as_json:
                    print(json.dumps({**line, "deleted": live}), file=out)
                elif not live:
                    print(f"{key}: {entry.get('url') or entry.get('id') or '(no post id)'}  ({item_id})", file=out)
            if live:
                by_account: dict[str, list] = {}
                for key, item_id, entry in todo:
                    by_account.setdefault(key, []).append((item_id, entry))
                for key, posts in by_account.items():
                    account = accounts.get(key)
                    if account is None or account.network not in DELETABLE:
                        failed.append(key)
                        why = "no account in site.toml [publish] to delete with" if account is None else \
                            f"{NAMES[account.network]}'s API cannot delete published posts"
                        print(f"{key}: not deleted: {why}; delete these by hand", file=err)
                        continue
                    missing = [n for n in required_env(account) if not env.get(n)]
                    if missing:
                        failed.append(key)
                        print(f"{key}: not deleted: set {', '.join(missing)}", file=err)
                        continue
                    try:
                        poster = make_poster(account, env, config.force.language)
                        poster.login()
                        for item_id, entry in posts:
                            if entry.get("id"):
                                delete_post(poster, account.network, entry["id"])
                            entry["state"] = "deleted"
                            entry["deleted"] = clock().isoformat(timespec="seconds")
                            ledger.save()
                            done += 1
                            if not as_json:
                                print(f"{key}: deleted {entry.get('url') or entry.get('id')}", file=out)
                    except (PostFailed, RateLimited) as exc:
                        failed.append(key)
                        print(f"{key}: {exc or 'rate limited'}; run again later", file=err)
    except LedgerError as exc:
        print(f"Nothing deleted: {exc}", file=err)
        return 1
    say = err if as_json else out
    if live:
        print(f"Deleted {done} post(s) of ended appeals.", file=say)
    else:
        print(f"Dry run: {len(todo)} post(s) of ended appeals to delete; add --live to delete them.", file=say)
    return 1 if failed else 0


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
