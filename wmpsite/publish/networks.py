"""The clients of X (tweepy), Mastodon (Mastodon.py) and Bluesky (atproto) for `build.py post`, and
what every client shares; Meta's networks are in meta.py, the choice of client in clients.py.

Each client has login(), new_attempt(key, item), find(item, attempt, since, steps) and
post(item, attempt, steps, note), and turns the network's timeouts, rate limits and refusals into
RateLimited or PostFailed in plain words; `publisher.py` decides what to post and keeps the ledger.
`steps` is what an earlier attempt at the same post recorded in the ledger through `note(name,
value)`: only networks that post in two steps use them (meta.py).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import re
import secrets
import time
from dataclasses import dataclass
from typing import Mapping

from wmpsite.core.config import PublishAccount
from wmpsite.outputs.posts import bluesky_facets

TIMEOUT = 30                    # seconds for each request to a network
CLOCK_SKEW = dt.timedelta(minutes=5)  # how far a network's clock may be behind ours


@dataclass(frozen=True)
class FeedItem:
    """One item of a social feed: what to post, and when the item was published."""

    id: str                      # stable forever; the ledger keys on it
    url: str                     # the page the post links to
    title: str
    published: dt.datetime       # aware
    text: str                    # the ready-to-post text, link included
    facets: tuple[dict, ...]     # Bluesky facets (app.bsky.richtext.facet JSON), else ()
    summary: str = ""
    image: str = ""              # absolute address of the item's share card (a JPEG), if the feed gives one
    image_alt: str = ""          # what that image shows


class RateLimited(Exception):
    """The network answered 429; `wait` is how long it asked us to wait, in seconds, if it said."""

    def __init__(self, wait: float | None):
        super().__init__(wait)
        self.wait = wait


class PostFailed(Exception):
    """A network refused, failed or could not be reached; the message says so in plain words."""


class AlreadyPosted(Exception):
    """X refused the text as a duplicate of a recent post: the post is there already."""


def wait_from_headers(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds a 429 answer asks us to wait: Retry-After, else the rate limit's reset time."""
    found = {k.lower(): v.strip() for k, v in headers.items()}
    now = time.time() if now is None else now
    value = found.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - now)
            except (TypeError, ValueError):
                pass
    for name in ("x-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset"):
        value = found.get(name)
        if not value:
            continue
        try:
            number = float(value)
            return max(0.0, number - now if number > 1e9 else number)   # a time, or seconds from now
        except ValueError:
            try:
                return max(0.0, dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() - now)
            except ValueError:
                pass
    return None


def new_tid() -> str:
    """A fresh atproto TID (microseconds, then a random clock id), used as the post's record key."""
    value = (time.time_ns() // 1000) << 10 | secrets.randbits(10)
    return "".join("234567abcdefghijklmnopqrstuvwxyz"[(value >> shift) & 31] for shift in range(60, -1, -5))


def stable_key(key: str, item: FeedItem) -> str:
    """One key for every attempt at one item on one account: what idempotency keys are made of."""
    return hashlib.sha256(f"{key}\n{item.id}".encode("utf-8")).hexdigest()[:32]


def said(network: str, exc: Exception) -> str:
    """What a network's client library raised, in one plain line for the operator."""
    args = getattr(exc, "args", ())
    if network == "Mastodon" and len(args) == 4 and isinstance(args[1], int):
        return f"Mastodon answered {args[1]} {args[2]}" + (f": {args[3]}" if args[3] else "")
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{network} answered: {text}" if text[:3].isdigit() else f"{network} could not be reached or " \
        f"refused: {text}"


class XPoster:
    """X API v2 through tweepy (OAuth 1.0a user context). Its host is fixed: api.twitter.com."""

    def __init__(self, account: PublishAccount, credentials: dict, language: str):
        import requests.adapters
        import tweepy

        class TimeoutAdapter(requests.adapters.HTTPAdapter):
            def send(self, request, **kwargs):
                kwargs["timeout"] = kwargs.get("timeout") or TIMEOUT
                return super().send(request, **kwargs)

        self.handle = account.handle.lstrip("@")
        self.client = tweepy.Client(consumer_key=credentials["API_KEY"], consumer_secret=credentials["API_SECRET"],
                                    access_token=credentials["ACCESS_TOKEN"],
                                    access_token_secret=credentials["ACCESS_TOKEN_SECRET"])
        self.client.session.mount("https://", TimeoutAdapter())

    def login(self) -> None:
        pass                           # OAuth 1.0a signs each request

    def new_attempt(self, key: str, item: FeedItem) -> str:
        return stable_key(key, item)

    def find(self, item: FeedItem, attempt: str, since: dt.datetime, steps: dict) -> None:
        return None                    # X refuses a resend of a post that arrived as a duplicate

    def post(self, item: FeedItem, attempt: str, steps: dict, note) -> tuple[str, str]:
        import requests
        import tweepy
        try:
            response = self.client.create_tweet(text=item.text)
        except tweepy.TooManyRequests as exc:
            raise RateLimited(wait_from_headers(exc.response.headers)) from None
        except tweepy.Forbidden as exc:
            if any("duplicate" in message.lower() for message in exc.api_messages):
                raise AlreadyPosted() from None
            raise PostFailed(said("X", exc)) from None
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise PostFailed(said("X", exc)) from None
        post_id = str(response.data["id"])
        return post_id, f"https://x.com/{self.handle}/status/{post_id}"


class MastodonPoster:
    """Mastodon through Mastodon.py; posts carry an Idempotency-Key, so a resend is harmless."""

    def __init__(self, account: PublishAccount, credentials: dict, language: str):
        import requests
        from mastodon import Mastodon
        self.last = None
        session = requests.Session()
        session.hooks["response"].append(self._remember)
        self.api = Mastodon(access_token=credentials["ACCESS_TOKEN"], api_base_url=account.base_url.rstrip("/"),
                            ratelimit_method="throw", request_timeout=TIMEOUT, session=session,
                            version_check_mode="none")
        self.language = language.split("-")[0].lower()

    def _remember(self, response, *args, **kwargs):
        self.last = response           # Mastodon.py's rate-limit error does not carry the headers

    def login(self) -> None:
        pass                           # a bearer token with each request

    def new_attempt(self, key: str, item: FeedItem) -> str:
        return stable_key(key, item)

    def find(self, item: FeedItem, attempt: str, since: dt.datetime, steps: dict) -> tuple[str, str] | None:
        """Look for this item's post among the account's 40 latest: one made since the attempt began
        (`since`, less a few minutes for clocks that differ) with the item's own text. Never the link
        alone: an appeal and the news that it ended share one address, and an alert repeated under
        one file name does too."""
        me = self._call(self.api.account_verify_credentials)
        wanted = _words(item.text)
        for status in self._call(lambda: self.api.account_statuses(me["id"], limit=40)):
            made = status.get("created_at")
            if isinstance(made, str):
                made = dt.datetime.fromisoformat(made.replace("Z", "+00:00"))
            if made is not None and made >= since - CLOCK_SKEW and _words(_plain(status["content"])) == wanted:
                return str(status["id"]), status.get("url") or status.get("uri")
        return None

    def post(self, item: FeedItem, attempt: str, steps: dict, note) -> tuple[str, str]:
        status = self._call(lambda: self.api.status_post(item.text, visibility="public", language=self.language,
                                                         idempotency_key=attempt))
        return str(status["id"]), status.get("url") or status.get("uri")

    def _call(self, call):
        from mastodon import MastodonError, MastodonRatelimitError
        try:
            return call()
        except MastodonRatelimitError:
            raise RateLimited(wait_from_headers(self.last.headers) if self.last is not None else None) from None
        except MastodonError as exc:
            raise PostFailed(said("Mastodon", exc)) from None


def _plain(content: str) -> str:
    """A Mastodon status's HTML as the text that was posted: line breaks back, tags gone, entities read."""
    text = re.sub(r"<br\s*/?>|</p>\s*<p>", "\n", content)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _words(text: str) -> str:
    return " ".join(text.split())


class BlueskyPoster:
    """Bluesky through atproto; each post's record key is chosen before sending, so a lost answer
    can be checked with getRecord instead of posting again."""

    COLLECTION = "app.bsky.feed.post"

    def __init__(self, account: PublishAccount, credentials: dict, language: str):
        from atproto import Client
        from atproto_client.request import Request
        base = (account.base_url or "https://bsky.social").rstrip("/")
        self.client = Client(base_url=base + "/xrpc", request=Request(timeout=TIMEOUT))
        self.handle = account.handle.lstrip("@")
        self.password = credentials["APP_PASSWORD"]
        self.language = language

    def login(self) -> None:
        self._call(lambda: self.client.login(self.handle, self.password, fetch_bsky_profile=False))

    def new_attempt(self, key: str, item: FeedItem) -> str:
        return new_tid()

    def find(self, item: FeedItem, attempt: str, since: dt.datetime, steps: dict) -> tuple[str, str] | None:
        """The record this attempt created, by the record key chosen for it: the item's own."""
        from atproto import models
        from atproto_client.exceptions import BadRequestError

        def get():
            try:
                return self.client.com.atproto.repo.get_record(models.ComAtprotoRepoGetRecord.Params(
                    repo=self.handle, collection=self.COLLECTION, rkey=attempt))
            except BadRequestError as exc:
                if getattr(exc.response.content, "error", None) == "RecordNotFound":
                    return None
                raise
        record = self._call(get)
        return (record.uri, self._url(attempt)) if record is not None else None

    def post(self, item: FeedItem, attempt: str, steps: dict, note) -> tuple[str, str]:
        from atproto import models
        facets = [_facet(f) for f in (item.facets or [f.to_json() for f in bluesky_facets(item.text, item.url)])]
        record = models.AppBskyFeedPost.Record(
            text=item.text, created_at=self.client.get_current_time_iso(), facets=facets or None,
            langs=[self.language], embed=models.AppBskyEmbedExternal.Main(external=models.AppBskyEmbedExternal.External(
                uri=item.url, title=item.title, description=item.summary)))
        response = self._call(lambda: self.client.com.atproto.repo.create_record(
            models.ComAtprotoRepoCreateRecord.Data(repo=self.handle, collection=self.COLLECTION, record=record,
                                                   rkey=attempt)))
        return response.uri, self._url(attempt)

    def _url(self, rkey: str) -> str:
        return f"https://bsky.app/profile/{self.handle}/post/{rkey}"

    def _call(self, call):
        from atproto_client.exceptions import RateLimitExceededError
        from atproto_core.exceptions import AtProtocolError
        try:
            return call()
        except RateLimitExceededError as exc:
            raise RateLimited(exc.retry_after if exc.retry_after is not None else
                              wait_from_headers(exc.response.headers if exc.response else {})) from None
        except AtProtocolError as exc:
            raise PostFailed(said("Bluesky", exc)) from None


def _facet(data: dict):
    from atproto import models
    features = []
    for feature in data["features"]:
        if feature.get("$type") == "app.bsky.richtext.facet#link":
            features.append(models.AppBskyRichtextFacet.Link(uri=feature["uri"]))
        elif feature.get("$type") == "app.bsky.richtext.facet#tag":
            features.append(models.AppBskyRichtextFacet.Tag(tag=feature["tag"]))
    return models.AppBskyRichtextFacet.Main(features=features, index=models.AppBskyRichtextFacet.ByteSlice(
        byte_start=data["index"]["byteStart"], byte_end=data["index"]["byteEnd"]))
