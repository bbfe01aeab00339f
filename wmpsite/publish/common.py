"""What the commands over a built site's social feeds share (`post`, `post --delete-ended`, `reach`):
the [publish] accounts a run works on, the feeds read back from the output, and paths as the
operator typed them.

The build writes one JSON Feed per social account at `<output>/<site>/social/<account-key>.json`
(items newest first, each with a ready-to-post text); `read_social_feeds` checks each against what
the networks will take before anything is posted.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from wmpsite.core.config import Config, PublishAccount
from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.core.urls import account_key
from wmpsite.outputs.feeds import JSON_FEED_VERSION
from wmpsite.publish.networks import FeedItem


@dataclass(frozen=True)
class BuiltFeed:
    """One account's social feed read back from a built site, for `post` to work through."""

    key: str                     # e.g. 'x-wmpolice'
    network: str
    handle: str
    url: str                     # the account's public page
    path: Path
    items: tuple[FeedItem, ...]  # newest first

    @property
    def account(self) -> str:
        return f"{self.network}:{self.handle}"


def read_social_feeds(site_dir: Path, root: Path | None = None) -> list[BuiltFeed]:
    """Read every `social/*.json` feed of one built site; raise BuildFailed naming every problem.

    `root` only shortens the paths in error messages.
    """
    feeds, errors = [], []
    for path in sorted((site_dir / "social").glob("*.json")):
        where = shown(path, root)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            errors.append(ContentError(where, f"not a readable JSON feed: {exc}"))
            continue
        feed = _parse_feed(data, path, where, errors)
        if feed is not None:
            feeds.append(feed)
    if errors:
        raise BuildFailed(errors)
    return feeds


def find_social_feeds(output: Path, root: Path | None = None) -> dict[str, BuiltFeed]:
    """Read the social feeds of every site in an output folder (or of one site folder), by key."""
    if (output / "social").is_dir():
        sites = [output]
    else:
        sites = sorted(p for p in output.iterdir() if p.is_dir()) if output.is_dir() else []
    found: dict[str, BuiltFeed] = {}
    errors: list[ContentError] = []
    for site in sites:
        try:
            feeds = read_social_feeds(site, root)
        except BuildFailed as failed:
            errors += failed.errors
            continue
        for feed in feeds:
            if feed.key in found:
                errors.append(ContentError(shown(feed.path, root), f"a second feed for {feed.account}",
                                           hint=f"the first is {shown(found[feed.key].path, root)}"))
            found[feed.key] = feed
    if errors:
        raise BuildFailed(errors)
    return found


def social_feeds_of(config: Config, output: Path) -> dict[str, BuiltFeed]:
    """The social feeds of the built site in `output`, by key; refuse an output with none."""
    feeds = find_social_feeds(output, config.root)
    if not feeds:
        raise BuildFailed([ContentError(shown(output, config.root), "no social feeds found (social/*.json)",
                                        hint="run `python build.py build` first, or give --output")])
    return feeds


def chosen_accounts(config: Config, only: tuple[str, ...]) -> list[PublishAccount]:
    """The [publish] accounts to post: all of them, or those named by --account."""
    errors = []               # what each network's account needs is checked with site.toml (config.py)
    accounts = list(config.publish.accounts)
    if not accounts:
        errors.append(ContentError("site.toml", "no accounts to post to in [publish]",
                                   hint="add [[publish.accounts]] tables (docs/social.md)"))
    unknown = [a for a in only if a not in {x.account for x in accounts}]
    if unknown:
        errors.append(ContentError("site.toml", f"--account {unknown[0]!r} is not in [publish] accounts",
                                   hint="give it as network:handle, e.g. x:@WMPolice"))
    if errors:
        raise BuildFailed(errors)
    return [a for a in accounts if not only or a.account in only]


def shown(path: Path, root: Path | None) -> str:
    """`path` from `root` (else the working folder) if it is under it, as an error message names it."""
    try:
        return path.resolve().relative_to((root or Path.cwd()).resolve()).as_posix()
    except ValueError:
        return str(path)


def _parse_feed(data, path: Path, where: str, errors: list[ContentError]) -> BuiltFeed | None:
    def bad(message: str, hint: str | None = None) -> None:
        errors.append(ContentError(where, message, hint=hint))

    if not isinstance(data, dict) or data.get("version") != JSON_FEED_VERSION:
        return bad(f"not a JSON Feed 1.1 ('version' should be {JSON_FEED_VERSION})")
    account = (data.get("_wmpsite") or {}).get("account") if isinstance(data.get("_wmpsite"), dict) else None
    if not isinstance(account, dict) or not all(isinstance(account.get(k), str) and account[k]
                                                for k in ("key", "network", "handle", "url")):
        return bad("'_wmpsite.account' should give the account's key, network, handle and url")
    key = account_key(account["network"], account["handle"])
    if account["key"] != key or path.stem != key:
        return bad(f"the account {account['network']}:{account['handle']} should have the key and file name "
                   f"'{key}', found '{account['key']}' in '{path.name}'")
    items, before = [], len(errors)
    for n, raw in enumerate(data.get("items") if isinstance(data.get("items"), list) else [None], 1):
        item = _parse_item(raw)
        if isinstance(item, str):
            bad(f"item {n}: {item}")
        else:
            items.append(item)
    if len({i.id for i in items}) != len(items):
        bad("two items have the same 'id'", "each item's id must be unique and never change")
    if len(errors) > before:
        return None
    return BuiltFeed(key, account["network"], account["handle"], account["url"], path, tuple(items))


def _facet_fits(facet, size: int) -> bool:
    try:
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        kinds = {f["$type"] for f in facet["features"]}
    except (KeyError, TypeError):
        return False
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= size and bool(kinds) and \
        kinds <= {"app.bsky.richtext.facet#link", "app.bsky.richtext.facet#tag"}


def _parse_item(raw) -> FeedItem | str:
    """A feed item, or what is wrong with it."""
    if not isinstance(raw, dict):
        return "expected an item (a JSON object); is 'items' a list?"
    for name in ("id", "url", "date_published"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            return f"'{name}' is missing"
    try:
        published = dt.datetime.fromisoformat(raw["date_published"].replace("Z", "+00:00"))
    except ValueError:
        published = None
    if published is None or published.tzinfo is None:
        return f"'date_published': expected a date and time with its offset, like 2026-03-14T10:00:00+00:00, " \
               f"found {raw['date_published']!r}"
    post = (raw.get("_wmpsite") or {}).get("post") if isinstance(raw.get("_wmpsite"), dict) else None
    if not isinstance(post, dict) or not isinstance(post.get("text"), str) or not post["text"].strip():
        return "'_wmpsite.post.text' is missing: the ready-to-post text"
    facets = post.get("facets") or []
    size = len(post["text"].encode("utf-8"))
    if not isinstance(facets, list) or not all(_facet_fits(f, size) for f in facets):
        return "'_wmpsite.post.facets' should be a list of Bluesky link and tag facets within the text's UTF-8 bytes"
    image = raw.get("image") or ""
    if not isinstance(image, str) or (image and not image.startswith(("https://", "http://"))):
        return "'image' should be the absolute address of the item's image"
    alt = post.get("image_alt") or ""
    if not isinstance(alt, str):
        return "'_wmpsite.post.image_alt' should be a text: what the image shows"
    return FeedItem(raw["id"], raw["url"], str(raw.get("title") or ""), published, post["text"],
                    tuple(facets), str(raw.get("summary") or ""), image, alt)
