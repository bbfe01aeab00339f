"""The clients of Meta's networks for `build.py post`: Facebook Pages, Instagram and Threads, through
the Graph API client python-facebook-api (`pyfacebook`).

Meta has no idempotency key, so each post is made in two steps, with the first step's id kept in
the ledger before the second is sent:

- Facebook: the Page post is made unpublished (`POST /{page-id}/feed`, `published=false`), then
  published (`POST /{post-id}`, `is_published=true`);
- Instagram: a media container of the item's image (`POST /{ig-user-id}/media`), then
  `POST /{ig-user-id}/media_publish`;
- Threads: a text container (`POST /{user-id}/threads`), then `POST /{user-id}/threads_publish`.

An unpublished post or container is seen by nobody, so after a failure the next run asks about the
one this item's attempt made, by the id in the ledger: published already (done), or not (publish
that one, never a second). Nothing is ever matched by its link or its words.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Callable

from wmpsite.core.config import PublishAccount
from wmpsite.publish.networks import TIMEOUT, FeedItem, PostFailed, RateLimited, stable_key, wait_from_headers

GRAPH_VERSION = "v24.0"          # Facebook and Instagram; pinned, so a library upgrade never moves it
THREADS_VERSION = "v1.0"
#: Graph API error codes that mean "too many calls": application, user, Page and business limits.
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002, 80005, 80006}
#: The error Instagram answers when an account has reached its posts for 24 hours.
DAILY_LIMIT_ERROR = (9, 2207042)
#: How long to wait for Meta to fetch an image into a container before publishing it.
READY_TRIES, READY_WAIT = 20, 3.0

Note = Callable[[str, str], None]


class MetaPoster:
    """What the three share: one access token, a Graph API client, two steps kept in the ledger."""

    NAME = ""
    HOST = "https://graph.facebook.com/"
    VERSION = GRAPH_VERSION

    def __init__(self, account: PublishAccount, credentials: dict, language: str, sleep=time.sleep):
        self.account = account
        self.user = account.id
        self.sleep = sleep
        self.last = None
        base = (account.base_url or self.HOST).rstrip("/") + "/"
        self.api = self._client(credentials["ACCESS_TOKEN"], base)
        self.api.session.hooks["response"].append(self._remember)

    def _client(self, token: str, base: str):
        from pyfacebook import GraphAPI
        return GraphAPI(access_token=token, base_url=base, version=self.VERSION, timeout=TIMEOUT,
                        sleep_on_rate_limit=False)

    def _remember(self, response, *args, **kwargs):
        self.last = response           # pyfacebook's errors carry neither the status nor the headers

    def login(self) -> None:
        pass                           # the access token goes with each request

    def new_attempt(self, key: str, item: FeedItem) -> str:
        return stable_key(key, item)

    def find(self, item: FeedItem, attempt: str, since: dt.datetime, steps: dict) -> tuple[str, str] | None:
        """This attempt's post, if its first step was recorded and the second arrived."""
        if steps.get("post"):
            return steps["post"], steps.get("url") or self.url_of(steps["post"])
        first = steps.get("container")
        if not first:
            return None                # nothing was made, or nothing anyone can see
        return self.published(first)

    def post(self, item: FeedItem, attempt: str, steps: dict, note: Note) -> tuple[str, str]:
        """Make the first step (or reuse the one recorded for this item), record it, then publish it."""
        first = steps.get("container") if steps.get("container") and self.usable(steps["container"]) else None
        if first is None:
            first = self.create(item)
            note("container", first)
        post_id = self.publish(first)
        note("post", post_id)
        return post_id, self.url_of(post_id)

    # Each network's steps --------------------------------------------------------------------
    def create(self, item: FeedItem) -> str:
        raise NotImplementedError

    def usable(self, first: str) -> bool:
        """Whether a recorded first step can still be published (it has not expired or failed)."""
        raise NotImplementedError

    def published(self, first: str) -> tuple[str, str | None] | None:
        raise NotImplementedError

    def publish(self, first: str) -> str:
        raise NotImplementedError

    def url_of(self, post_id: str) -> str | None:
        raise NotImplementedError

    # Calls -------------------------------------------------------------------------------------
    def _post(self, object_id: str, connection: str | None, data: dict) -> dict:
        return self._call(lambda: self.api.post_object(object_id, connection, data=data))

    def _get(self, object_id: str, fields: str) -> dict:
        return self._call(lambda: self.api.get_object(object_id, fields=fields))

    def _call(self, call) -> dict:
        import requests
        from pyfacebook import FacebookError, LibraryError
        self.last = None
        try:
            data = call()
        except FacebookError as exc:
            status = getattr(self.last, "status_code", None)
            if status == 429 or getattr(exc, "code", None) in RATE_LIMIT_CODES:
                raise RateLimited(wait_from_headers(self.last.headers) if self.last is not None else None) from None
            if (getattr(exc, "code", None), getattr(exc, "error_subcode", None)) == DAILY_LIMIT_ERROR:
                raise PostFailed(f"{self.NAME} refused: the account has made as many posts through the API as Meta "
                                 "allows in 24 hours (other apps posting for it count too); the next run goes on") \
                    from None
            said = getattr(exc, "error_user_msg", None) or getattr(exc, "message", "") or "an error"
            raise PostFailed(f"{self.NAME} answered {status or ''} {said} (code {getattr(exc, 'code', '?')}"
                             + (f", subcode {exc.error_subcode}" if getattr(exc, "error_subcode", None) else "")
                             + ")") from None
        except (LibraryError, KeyError, ValueError) as exc:   # not JSON, or no Content-Type
            status = getattr(self.last, "status_code", None)
            if status == 429:
                raise RateLimited(wait_from_headers(self.last.headers)) from None
            said = f"{status} {getattr(self.last, 'reason', '')}".strip() if status else str(getattr(exc, "message", exc))
            raise PostFailed(f"{self.NAME} answered {said}") from None
        except requests.RequestException as exc:
            raise PostFailed(f"{self.NAME} could not be reached: {type(exc).__name__}") from None
        status = getattr(self.last, "status_code", 200)
        if status >= 400 or not isinstance(data, dict):
            raise PostFailed(f"{self.NAME} answered {status}")
        return data

    def _id(self, data: dict) -> str:
        if not data.get("id"):
            raise PostFailed(f"{self.NAME} answered without the id of what it made")
        return str(data["id"])

    def _wait_ready(self, container: str, field: str) -> None:
        """Wait while Meta fetches the container's media; refuse one that failed or expired."""
        for _ in range(READY_TRIES):
            state = str(self._get(container, field).get(field) or "")
            if state in ("FINISHED", "PUBLISHED", ""):
                return
            if state in ("ERROR", "EXPIRED"):
                raise PostFailed(f"{self.NAME} could not prepare the post ({state.lower()}); the next run "
                                 "makes it again")
            self.sleep(READY_WAIT)
        raise PostFailed(f"{self.NAME} was still preparing the post after {READY_TRIES * READY_WAIT:.0f} s; the "
                         "next run publishes it")


class FacebookPoster(MetaPoster):
    """A Facebook Page: a link post made unpublished, then published."""

    NAME = "Facebook"

    def create(self, item: FeedItem) -> str:
        return self._id(self._post(self.user, "feed", {"message": item.text, "link": item.url,
                                                        "published": "false"}))

    def usable(self, first: str) -> bool:
        return True                    # an unpublished Page post waits until it is published or deleted

    def published(self, first: str) -> tuple[str, str | None] | None:
        data = self._get(first, "is_published,permalink_url")
        return (first, data.get("permalink_url") or self.url_of(first)) if data.get("is_published") else None

    def publish(self, first: str) -> str:
        self._post(first, None, {"is_published": "true"})
        return first

    def url_of(self, post_id: str) -> str:
        return f"https://www.facebook.com/{post_id}"


class InstagramPoster(MetaPoster):
    """An Instagram professional account: a container of the item's image, then publish."""

    NAME = "Instagram"

    def create(self, item: FeedItem) -> str:
        if not item.image:             # the publisher refuses these before posting; never post without
            raise PostFailed(f"{item.id} has no image")
        data = {"image_url": item.image, "caption": item.text}
        if item.image_alt:
            data["alt_text"] = item.image_alt
        return self._id(self._post(self.user, "media", data))

    def usable(self, first: str) -> bool:
        return str(self._get(first, "status_code").get("status_code")) not in ("ERROR", "EXPIRED")

    def published(self, first: str) -> tuple[str, str | None] | None:
        return (None, None) if self._get(first, "status_code").get("status_code") == "PUBLISHED" else None

    def publish(self, first: str) -> str:
        self._wait_ready(first, "status_code")
        return self._id(self._post(self.user, "media_publish", {"creation_id": first}))

    def url_of(self, post_id: str) -> str | None:
        try:
            return self._get(post_id, "permalink").get("permalink")
        except PostFailed:
            return None                # posted all the same; the ledger keeps its id


class ThreadsPoster(MetaPoster):
    """A Threads profile: a text container, then publish."""

    NAME = "Threads"
    HOST = "https://graph.threads.net/"
    VERSION = THREADS_VERSION

    def _client(self, token: str, base: str):
        from pyfacebook import ThreadsGraphAPI
        return ThreadsGraphAPI(access_token=token, base_url=base, version=self.VERSION, timeout=TIMEOUT,
                               sleep_on_rate_limit=False)

    def create(self, item: FeedItem) -> str:
        return self._id(self._post(self.user, "threads", {"media_type": "TEXT", "text": item.text}))

    def usable(self, first: str) -> bool:
        return str(self._get(first, "status").get("status")) not in ("ERROR", "EXPIRED")

    def published(self, first: str) -> tuple[str, str | None] | None:
        return (None, None) if self._get(first, "status").get("status") == "PUBLISHED" else None

    def publish(self, first: str) -> str:
        self._wait_ready(first, "status")
        return self._id(self._post(self.user, "threads_publish", {"creation_id": first}))

    def url_of(self, post_id: str) -> str | None:
        try:
            return self._get(post_id, "permalink").get("permalink")
        except PostFailed:
            return None
