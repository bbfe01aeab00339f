"""`build.py post` end to end against a local server that speaks X, Mastodon and Bluesky.

The server (127.0.0.1, a thread) checks each request as the networks would: method, path, the
auth header (X: a valid OAuth 1.0a HMAC-SHA1 signature; Mastodon: the bearer token; Bluesky: the
session's access JWT) and the body. It can fail a post (500), ask to wait (429) or hold a post
while the test kills the poster. tweepy's host is fixed to api.twitter.com, so the tests mount a
requests transport adapter on `client.session` that sends those requests to the local server.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests.adapters
from oauthlib.oauth1.rfc5849 import signature, utils

from conftest import REPO, TESTS
from wmpsite import cli
from wmpsite.core.errors import BuildFailed
from wmpsite.core.urls import account_key
from wmpsite.publish import clients, common, networks
from wmpsite.publish import publisher as publish
from wmpsite.publish.ledger import LEDGER_NAME, Ledger, LedgerError, locked

FIXTURE = TESTS / "sites" / "social"
DID = "did:plc:wmpolicetest0000000000000"
CID = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm"
X_KEYS = {"xtoken-main": ("xsecret-main", "WMPolice"), "xtoken-cov": ("xsecret-cov", "WMPCoventry")}
ENV = {
    "WMP_X_MAIN_API_KEY": "xkey", "WMP_X_MAIN_API_SECRET": "xsecret",
    "WMP_X_MAIN_ACCESS_TOKEN": "xtoken-main", "WMP_X_MAIN_ACCESS_TOKEN_SECRET": "xsecret-main",
    "WMP_X_COV_API_KEY": "xkey", "WMP_X_COV_API_SECRET": "xsecret",
    "WMP_X_COV_ACCESS_TOKEN": "xtoken-cov", "WMP_X_COV_ACCESS_TOKEN_SECRET": "xsecret-cov",
    "WMP_MASTO_ACCESS_TOKEN": "mtoken",
    "WMP_BSKY_APP_PASSWORD": "abcd-efgh-ijkl-mnop",
}
#: Items each account's feed holds (the fixture), oldest first.
FEED_SIZES = {"x-wmpolice": 5, "x-wmpcoventry": 2, "mastodon-wmpolice-mastodon-example": 4,
              "bluesky-wmpolice-bsky-social": 4}


def jwt(kind: str, exp: int) -> str:
    part = lambda data: base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return ".".join([part({"alg": "HS256", "typ": "JWT"}),
                     part({"scope": f"com.atproto.{kind}", "sub": DID, "iat": int(time.time()), "exp": exp}),
                     base64.urlsafe_b64encode(b"not-a-real-signature").rstrip(b"=").decode()])


class FakeNetworks(ThreadingHTTPServer):
    """X, Mastodon and Bluesky posting endpoints in one local server, with failures on demand."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.posts = {"x": [], "mastodon": [], "bluesky": []}    # what each network accepted
        self.attempts = {"x": 0, "mastodon": 0, "bluesky": 0}    # posting requests seen
        self.problems: list[str] = []                            # requests a network would refuse
        self.log: list[tuple[str, str]] = []
        self.fail: dict[str, tuple[int, bool]] = {}              # network: (attempt, store before 500)
        self.limit: dict[str, tuple[int, dict]] = {}             # network: (attempt, 429 headers)
        self.hold: dict[str, int] = {}                           # network: attempt to hold
        self.held, self.release = threading.Event(), threading.Event()
        self.access = jwt("access", int(time.time()) + 7200)
        self.deleted = {"x": [], "mastodon": [], "bluesky": []}  # post ids deleted (post --delete-ended)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def texts(self, network: str, account: str | None = None) -> list[str]:
        return [p["text"] for p in self.posts[network] if account in (None, p["account"])]


class Router(BaseHTTPRequestHandler):
    """A fake server's handler: every method goes to `route(method)`, and nothing is logged."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_DELETE(self):
        self.route("DELETE")

    def route(self, method: str) -> None:
        raise NotImplementedError


class Handler(Router):
    server: FakeNetworks

    def route(self, method: str) -> None:
        self.body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.path_only, _, query = self.path.partition("?")
        self.query = {k: v[0] for k, v in parse_qs(query).items()}
        self.server.log.append((method, self.path_only))
        routes = {
            ("POST", "/2/tweets"): self.x_post,
            ("POST", "/api/v1/statuses"): self.mastodon_post,
            ("GET", "/api/v1/accounts/verify_credentials"): self.mastodon_me,
            ("GET", "/api/v1/accounts/109/statuses"): self.mastodon_statuses,
            ("POST", "/xrpc/com.atproto.server.createSession"): self.bluesky_session,
            ("POST", "/xrpc/com.atproto.repo.createRecord"): self.bluesky_post,
            ("GET", "/xrpc/com.atproto.repo.getRecord"): self.bluesky_get,
        }
        routes[("POST", "/xrpc/com.atproto.repo.deleteRecord")] = self.bluesky_delete
        if method == "DELETE" and self.path_only.startswith("/2/tweets/"):
            routes[(method, self.path_only)] = self.x_delete
        if method == "DELETE" and self.path_only.startswith("/api/v1/statuses/"):
            routes[(method, self.path_only)] = self.mastodon_delete
        handler = routes.get((method, self.path_only))
        if handler is None:
            return self.refuse(404, f"no such endpoint: {method} {self.path_only}")
        try:
            handler()
        except (BrokenPipeError, ConnectionResetError):
            pass                                   # the poster was killed while we held its post

    def reply(self, status: int, data=None, headers: dict | None = None) -> None:
        payload = json.dumps(data).encode() if data is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def refuse(self, status: int, problem: str) -> None:
        self.server.problems.append(problem)
        self.reply(status, {"error": problem})

    def posting(self, network: str, store) -> None:
        """Count a posting attempt; answer 429 or 500 when asked; store; hold when asked."""
        srv = self.server
        with srv.lock:
            srv.attempts[network] += 1
            attempt = srv.attempts[network]
        if srv.limit.get(network, (0,))[0] == attempt:
            return self.reply(429, {"error": "RateLimitExceeded", "message": "Too many requests"},
                              srv.limit[network][1])
        if srv.fail.get(network, (0,))[0] == attempt:
            if srv.fail[network][1]:
                with srv.lock:
                    store()
            return self.reply(500, {"error": "InternalServerError", "message": "Something went wrong"})
        with srv.lock:
            status, answer = store()
        if srv.hold.get(network) == attempt:
            srv.held.set()
            srv.release.wait(20)
        self.reply(status, answer)

    # X API v2 ----------------------------------------------------------------------------
    def x_post(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("OAuth "):
            return self.refuse(401, "X: no OAuth 1.0a Authorization header")
        params = utils.parse_authorization_header(auth)
        given = dict(params)
        secrets = X_KEYS.get(given.get("oauth_token"))
        if given.get("oauth_consumer_key") != "xkey" or secrets is None or \
                given.get("oauth_signature_method") != "HMAC-SHA1":
            return self.refuse(401, f"X: unknown keys {given}")
        base = signature.signature_base_string(
            "POST", signature.base_string_uri("https://api.twitter.com/2/tweets"),
            signature.normalize_parameters([(k, v) for k, v in params if k not in ("oauth_signature", "realm")]))
        keys = type("Keys", (), {"client_secret": "xsecret", "resource_owner_secret": secrets[0]})()
        if signature.sign_hmac_sha1_with_client(base, keys) != utils.unescape(given["oauth_signature"]):
            return self.refuse(401, "X: bad OAuth signature")
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            return self.refuse(400, "X: body is not JSON")
        body = json.loads(self.body)
        if set(body) != {"text"}:
            return self.refuse(400, f"X: unexpected body {body}")
        account = secrets[1]

        def store():
            if body["text"] in self.server.texts("x", account):
                return 403, {"detail": "You are not allowed to create a Tweet with duplicate content.",
                             "type": "about:blank", "title": "Forbidden", "status": 403}
            post_id = str(1_900_000_000_000_000_000 + len(self.server.posts["x"]))
            self.server.posts["x"].append({"account": account, "text": body["text"], "id": post_id})
            return 201, {"data": {"id": post_id, "text": body["text"], "edit_history_tweet_ids": [post_id]}}
        self.posting("x", store)

    def x_delete(self):  # DELETE /2/tweets/:id, signed like a post
        auth = self.headers.get("Authorization", "")
        params = utils.parse_authorization_header(auth) if auth.startswith("OAuth ") else []
        given = dict(params)
        secrets = X_KEYS.get(given.get("oauth_token"))
        if secrets is None:
            return self.refuse(401, "X: no or unknown OAuth 1.0a Authorization header")
        base = signature.signature_base_string(
            "DELETE", signature.base_string_uri("https://api.twitter.com" + self.path_only),
            signature.normalize_parameters([(k, v) for k, v in params if k not in ("oauth_signature", "realm")]))
        keys = type("Keys", (), {"client_secret": "xsecret", "resource_owner_secret": secrets[0]})()
        if signature.sign_hmac_sha1_with_client(base, keys) != utils.unescape(given["oauth_signature"]):
            return self.refuse(401, "X: bad OAuth signature")
        post_id = self.path_only.rsplit("/", 1)[1]
        if not any(p["id"] == post_id and p["account"] == secrets[1] for p in self.server.posts["x"]):
            return self.refuse(404, f"X: no post {post_id} of {secrets[1]}")
        self.server.deleted["x"].append(post_id)
        self.reply(200, {"data": {"deleted": True}})

    # Mastodon ----------------------------------------------------------------------------
    def mastodon_auth(self) -> bool:
        if self.headers.get("Authorization") != "Bearer mtoken":
            self.refuse(401, "Mastodon: bad bearer token")
            return False
        return True

    def status(self, post: dict) -> dict:
        text = html.escape(post["text"])
        content = "<p>" + re.sub(r"https?://\S+", lambda m: f'<a href="{m.group()}" rel="nofollow">{m.group()}</a>',
                                 text) + "</p>"
        return {"id": post["id"], "uri": f"https://mastodon.example/users/WMPolice/statuses/{post['id']}",
                "url": f"https://mastodon.example/@WMPolice/{post['id']}", "content": content,
                "created_at": post["created"], "visibility": "public", "language": post["language"],
                "account": {"id": "109", "username": "WMPolice", "acct": "WMPolice"}}

    def mastodon_post(self):
        if not self.mastodon_auth():
            return
        form = {k: v[0] for k, v in parse_qs(self.body.decode()).items()}
        key = self.headers.get("Idempotency-Key")
        if not key or set(form) - {"sensitive"} != {"status", "visibility", "language"} \
                or form["visibility"] != "public" or form["language"] != "en" or form.get("sensitive", "0") != "0":
            return self.refuse(422, f"Mastodon: unexpected form {form} or key {key}")

        def store():
            for post in self.server.posts["mastodon"]:
                if post["key"] == key:                       # Mastodon answers a repeat with the same post
                    return 200, self.status(post)
            post = {"account": "WMPolice", "text": form["status"], "id": str(110_000 + len(self.server.posts["mastodon"])),
                    "key": key, "language": form["language"],
                    "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")}
            self.server.posts["mastodon"].append(post)
            return 200, self.status(post)
        self.posting("mastodon", store)

    def mastodon_me(self):
        if self.mastodon_auth():
            self.reply(200, {"id": "109", "username": "WMPolice", "acct": "WMPolice", "display_name": "WMP"})

    def mastodon_statuses(self):
        if self.mastodon_auth():
            limit = int(self.query.get("limit", 20))
            self.reply(200, [self.status(p) for p in reversed(self.server.posts["mastodon"])][:limit])

    def mastodon_delete(self):
        if not self.mastodon_auth():
            return
        post_id = self.path_only.rsplit("/", 1)[1]
        for post in self.server.posts["mastodon"]:
            if post["id"] == post_id:
                self.server.deleted["mastodon"].append(post_id)
                return self.reply(200, self.status(post))
        self.refuse(404, f"Mastodon: no status {post_id}")

    # Bluesky -------------------------------------------------------------------------------
    def bluesky_delete(self):
        if not self.bluesky_auth():
            return
        body = json.loads(self.body)
        if body.get("repo") not in ("wmpolice.bsky.social", DID) or body.get("collection") != "app.bsky.feed.post" \
                or not any(p["rkey"] == body.get("rkey") for p in self.server.posts["bluesky"]):
            return self.refuse(400, f"Bluesky: unexpected delete {body}")
        self.server.deleted["bluesky"].append(f"at://{DID}/app.bsky.feed.post/{body['rkey']}")
        self.reply(200, {})

    def bluesky_session(self):
        body = json.loads(self.body)
        if body.get("identifier") != "wmpolice.bsky.social" or body.get("password") != ENV["WMP_BSKY_APP_PASSWORD"]:
            return self.refuse(401, f"Bluesky: bad login {body}")
        self.reply(200, {"did": DID, "handle": "wmpolice.bsky.social", "accessJwt": self.server.access,
                         "refreshJwt": jwt("refresh", int(time.time()) + 86400), "active": True})

    def bluesky_auth(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {self.server.access}":
            self.refuse(401, "Bluesky: bad access token")
            return False
        return True

    def bluesky_post(self):
        if not self.bluesky_auth():
            return
        body = json.loads(self.body)
        record = body.get("record", {})
        rkey = body.get("rkey") or ""
        if body.get("repo") not in ("wmpolice.bsky.social", DID) or body.get("collection") != "app.bsky.feed.post" \
                or not re.fullmatch(r"[234567a-j][234567a-z]{12}", rkey) or record.get("$type") != "app.bsky.feed.post":
            return self.refuse(400, f"Bluesky: unexpected body {body}")
        data = record["text"].encode("utf-8")
        links = [(data[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode(), f["features"][0].get("uri"))
                 for f in record.get("facets", []) if f["features"][0]["$type"].endswith("#link")]
        embed = record.get("embed", {}).get("external", {})
        if not links or any(shown != uri for shown, uri in links) or embed.get("uri") not in [u for _, u in links] \
                or record.get("langs") != ["en-GB"] or not record.get("createdAt"):
            return self.refuse(400, f"Bluesky: facets or card do not match the text: {record}")

        def store():
            if any(p["rkey"] == rkey for p in self.server.posts["bluesky"]):
                return 400, {"error": "InvalidRequest", "message": "Record already exists"}
            self.server.posts["bluesky"].append({"account": "wmpolice.bsky.social", "text": record["text"],
                                                 "rkey": rkey, "record": record})
            return 200, {"uri": f"at://{DID}/app.bsky.feed.post/{rkey}", "cid": CID,
                         "validationStatus": "valid"}
        self.posting("bluesky", store)

    def bluesky_get(self):
        if not self.bluesky_auth():
            return
        q = self.query
        for post in self.server.posts["bluesky"]:
            if post["rkey"] == q.get("rkey") and q.get("collection") == "app.bsky.feed.post":
                return self.reply(200, {"uri": f"at://{DID}/app.bsky.feed.post/{post['rkey']}", "cid": CID,
                                        "value": post["record"]})
        self.reply(400, {"error": "RecordNotFound", "message": f"Could not locate record: {q.get('rkey')}"})


# --- fixtures -----------------------------------------------------------------------------

@pytest.fixture
def server():
    srv = FakeNetworks()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.release.set()
    srv.shutdown()
    srv.server_close()
    assert srv.problems == [], "requests the networks would refuse"


class LocalX(requests.adapters.HTTPAdapter):
    """Send tweepy's requests for api.twitter.com to the local server (its host cannot be set)."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base

    def send(self, request, **kwargs):
        request.url = request.url.replace("https://api.twitter.com", self.base, 1)
        return super().send(request, **kwargs)


@pytest.fixture
def local_x(server, monkeypatch):
    real = networks.XPoster.__init__

    def init(self, *args, **kwargs):
        real(self, *args, **kwargs)
        self.client.session.mount("https://api.twitter.com", LocalX(server.url))
    monkeypatch.setattr(networks.XPoster, "__init__", init)


def project(tmp_path: Path, server: FakeNetworks, accounts=("x", "cov", "masto", "bsky"), extra: str = "") -> Path:
    """A copy of the fixture built site with a [publish] table pointing at the local server."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    tables = {
        "x": 'account = "x:@WMPolice"\ncredentials = "WMP_X_MAIN"',
        "cov": 'account = "x:@WMPCoventry"\ncredentials = "WMP_X_COV"',
        "masto": f'account = "mastodon:@WMPolice@mastodon.example"\ncredentials = "WMP_MASTO"\n'
                 f'base_url = "{server.url}"\nlimit = 500',
        "bsky": f'account = "bluesky:@wmpolice.bsky.social"\ncredentials = "WMP_BSKY"\nbase_url = "{server.url}"',
    }
    text = "\n[publish]\nstate = \"state\"\n" + extra + "".join(f"\n[[publish.accounts]]\n{tables[a]}\n" for a in accounts)
    with open(root / "site.toml", "a", encoding="utf-8") as handle:
        handle.write(text)
    return root


def post(root: Path, *args: str, env=ENV, **kwargs) -> tuple[int, str, str]:
    """Run `post` in this process (as the CLI would, but with our env and a fake sleep)."""
    import io
    out, err = io.StringIO(), io.StringIO()
    since = kwargs.pop("since", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    code = publish.post_command(root, live="--dry" not in args, as_json="--json" in args, since=since,
                                env=env, out=out, err=err, **kwargs)
    return code, out.getvalue(), err.getvalue()


def feed_texts(key: str) -> list[str]:
    """The fixture feed's texts, oldest first (the order they are posted in)."""
    path = next(FIXTURE.glob(f"built/*/social/{key}.json"))
    return [i["_wmpsite"]["post"]["text"] for i in reversed(json.loads(path.read_text())["items"])]


def ledger_of(root: Path) -> dict:
    return json.loads((root / "state" / LEDGER_NAME).read_text(encoding="utf-8"))


def assert_all_posted_once(server: FakeNetworks, root: Path) -> None:
    assert server.texts("x", "WMPolice") == feed_texts("x-wmpolice")
    assert server.texts("x", "WMPCoventry") == feed_texts("x-wmpcoventry")
    assert server.texts("mastodon") == feed_texts("mastodon-wmpolice-mastodon-example")
    assert server.texts("bluesky") == feed_texts("bluesky-wmpolice-bsky-social")
    accounts = ledger_of(root)["accounts"]
    for key, size in FEED_SIZES.items():
        states = [e["state"] for e in accounts[key]["items"].values()]
        assert states == ["posted"] * size, key


# --- reading the feeds --------------------------------------------------------------------

def test_read_social_feeds_of_a_built_site():
    feeds = common.read_social_feeds(FIXTURE / "built" / "main")
    assert [f.key for f in feeds] == ["bluesky-wmpolice-bsky-social", "facebook-west-midlands-police",
                                      "mastodon-wmpolice-mastodon-example", "x-wmpolice"]
    x = feeds[-1]
    assert (x.network, x.handle, x.account, x.url) == ("x", "@WMPolice", "x:@WMPolice", "https://x.com/WMPolice")
    assert [i.id for i in x.items][:2] == ["tag:west-midlands.police.uk,2026:news/family-fun-day",
                                           "tag:west-midlands.police.uk,2026:news/urdu-scam-warning"]
    assert x.items[0].published == dt.datetime(2026, 3, 14, 11, tzinfo=dt.timezone.utc)
    bluesky = feeds[0].items[0]
    link = bluesky.facets[0]
    assert bluesky.text.encode()[link["index"]["byteStart"]:link["index"]["byteEnd"]].decode() == bluesky.url
    assert set(common.find_social_feeds(FIXTURE / "built")) == set(FEED_SIZES) | {"facebook-west-midlands-police"}
    assert account_key("bluesky", "@WMPolice.bsky.social") == "bluesky-wmpolice-bsky-social"


def test_bad_feeds_are_reported_all_at_once(tmp_path):
    social = tmp_path / "main" / "social"
    social.mkdir(parents=True)
    good = json.loads((FIXTURE / "built/main/social/x-wmpolice.json").read_text())
    (social / "x-wmpolice.json").write_text(json.dumps(good | {"items": [
        good["items"][0] | {"date_published": "2026-03-14T11:00:00"},
        good["items"][1] | {"_wmpsite": {"post": {}}},
        {k: v for k, v in good["items"][2].items() if k != "id"},
        good["items"][3] | {"_wmpsite": {"post": {"text": "Hi", "facets": [{"index": {"byteStart": 0, "byteEnd": 9},
                                                                            "features": []}]}}},
        good["items"][4] | {"image": "social/cards/bike-marking.jpg"}]}))
    (social / "x-someone-else.json").write_text(json.dumps(good))
    (social / "x-broken.json").write_text("{")
    (social / "x-old.json").write_text(json.dumps(good | {"version": "https://jsonfeed.org/version/1"}))
    with pytest.raises(BuildFailed) as failed:
        common.read_social_feeds(tmp_path / "main", root=tmp_path)
    assert [str(e) for e in failed.value.errors] == [
        "main/social/x-broken.json: not a readable JSON feed: Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1)",
        "main/social/x-old.json: not a JSON Feed 1.1 ('version' should be https://jsonfeed.org/version/1.1)",
        "main/social/x-someone-else.json: the account x:@WMPolice should have the key and file name "
        "'x-wmpolice', found 'x-wmpolice' in 'x-someone-else.json'",
        "main/social/x-wmpolice.json: item 1: 'date_published': expected a date and time with its offset, like "
        "2026-03-14T10:00:00+00:00, found '2026-03-14T11:00:00'",
        "main/social/x-wmpolice.json: item 2: '_wmpsite.post.text' is missing: the ready-to-post text",
        "main/social/x-wmpolice.json: item 3: 'id' is missing",
        "main/social/x-wmpolice.json: item 4: '_wmpsite.post.facets' should be a list of Bluesky link and tag "
        "facets within the text's UTF-8 bytes",
        "main/social/x-wmpolice.json: item 5: 'image' should be the absolute address of the item's image",
    ]


# --- dry runs -----------------------------------------------------------------------------

def test_dry_run_shows_the_posts_and_sends_nothing(tmp_path, server):
    root = project(tmp_path, server)
    code, out, err = post(root, "--dry", env={})
    assert code == 0 and err == ""
    assert server.log == [] and not (root / "state" / LEDGER_NAME).exists()
    assert "Not posted, 1 account(s) with a feed but no [[publish.accounts]] in site.toml: " \
           "facebook-west-midlands-police." in out
    assert "x:@WMPolice: 5 to post, 0 already posted, 0 before the cut-off 2026-01-01 00:00" in out
    assert "  (a live run needs WMP_X_MAIN_API_KEY, WMP_X_MAIN_API_SECRET, WMP_X_MAIN_ACCESS_TOKEN, " \
           "WMP_X_MAIN_ACCESS_TOKEN_SECRET set)" in out
    for text in feed_texts("x-wmpolice"):
        assert f"\n    {text}\n" in out
    assert out.endswith("Dry run: would post 15 post(s) for 4 account(s); add --live to post them.\n")


def test_json_prints_one_object_a_post(tmp_path, server):
    root = project(tmp_path, server, accounts=("cov",))
    code, out, err = post(root, "--dry", "--json")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == [{"account": "x:@WMPCoventry", "account_key": "x-wmpcoventry", "network": "x",
                      "item_id": f"tag:west-midlands.police.uk,2026:coventry/news/{slug}",
                      "link": f"https://www.west-midlands.police.uk/coventry/news/{slug}/", "text": text,
                      "posted": False}
                     for slug, text in zip(["city-centre-patrols", "knife-amnesty"], feed_texts("x-wmpcoventry"))]
    assert "x:@WMPCoventry: 2 to post" in err
    assert "Not posted, 4 account(s) with a feed but no [[publish.accounts]] in site.toml: " in err


# --- live runs ----------------------------------------------------------------------------

def test_live_run_posts_every_item_once_through_each_api(tmp_path, server, local_x):
    root = project(tmp_path, server)
    code, out, err = post(root)
    assert (code, err) == (0, "")
    assert_all_posted_once(server, root)
    assert "  posted tag:west-midlands.police.uk,2026:news/bike-marking as https://x.com/WMPolice/status/" in out
    record = server.posts["bluesky"][0]["record"]
    assert record["embed"]["external"]["title"] == "Free bike marking in Selly Oak this Saturday"
    assert [f["features"][0]["$type"] for f in record["facets"]] == ["app.bsky.richtext.facet#link",
                                                                      "app.bsky.richtext.facet#tag"]
    entry = ledger_of(root)["accounts"]["bluesky-wmpolice-bsky-social"]
    assert entry["account"] == "bluesky:@wmpolice.bsky.social" and entry["cutoff"] == "2026-01-01T00:00:00+00:00"
    first = entry["items"]["tag:west-midlands.police.uk,2026:news/bike-marking"]
    assert first["id"] == f"at://{DID}/app.bsky.feed.post/{server.posts['bluesky'][0]['rkey']}"
    assert first["url"].startswith("https://bsky.app/profile/wmpolice.bsky.social/post/")
    # A second run posts nothing more.
    attempts = dict(server.attempts)
    code, out, err = post(root, since=None)
    assert code == 0 and server.attempts == attempts
    assert "x:@WMPolice: 0 to post, 5 already posted, 0 before the cut-off 2026-01-01 00:00" in out


def test_json_of_a_live_run_names_each_post_made(tmp_path, server, local_x):
    root = project(tmp_path, server, accounts=("cov",))
    code, out, err = post(root, "--json")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(r["posted"], r["text"]) for r in lines] == [(True, t) for t in feed_texts("x-wmpcoventry")]
    assert [r["post_url"] for r in lines] == [f"https://x.com/WMPCoventry/status/{p['id']}" for p in server.posts["x"]]
    assert "Posted 2 post(s) for 1 account(s)." in err


def test_first_run_posts_nothing_older_than_its_own_time(tmp_path, server, local_x):
    root = project(tmp_path, server, accounts=("x",))
    first = dt.datetime(2026, 3, 12, 12, tzinfo=dt.timezone.utc)
    code, out, _ = post(root, since=None, clock=lambda: first)
    assert code == 0 and "x:@WMPolice: 3 to post, 0 already posted, 2 before the cut-off 2026-03-12 12:00" in out
    # The first run says why the older items wait, and which --since would take them.
    assert "  (its first run: the cut-off is now, so nothing older is posted; --since 2026-03-" in out
    assert server.texts("x") == feed_texts("x-wmpolice")[2:]
    assert ledger_of(root)["accounts"]["x-wmpolice"]["cutoff"] == "2026-03-12T12:00:00+00:00"
    # The cut-off stays; --since moves it back and the older items follow, oldest first.
    code, out, _ = post(root, since=None, clock=lambda: first + dt.timedelta(days=30))
    assert code == 0 and "0 to post, 3 already posted, 2 before the cut-off 2026-03-12 12:00" in out
    code, out, _ = post(root, since=dt.datetime(2026, 3, 11, tzinfo=dt.timezone.utc))
    assert code == 0 and server.texts("x") == feed_texts("x-wmpolice")[2:] + feed_texts("x-wmpolice")[1:2]
    assert "1 to post, 3 already posted, 1 before the cut-off 2026-03-11 00:00" in out
    assert ledger_of(root)["accounts"]["x-wmpolice"]["cutoff"] == "2026-03-11T00:00:00+00:00"


@pytest.mark.parametrize("network", ["x", "mastodon", "bluesky"])
@pytest.mark.parametrize("stored", [False, True], ids=["lost", "stored-then-500"])
def test_a_server_failing_mid_run_then_a_rerun_posts_each_item_once(tmp_path, server, local_x, network, stored):
    root = project(tmp_path, server)
    server.fail[network] = (3, stored)
    code, out, err = post(root)
    account = {"x": "x:@WMPolice", "mastodon": "mastodon:@WMPolice@mastodon.example",
               "bluesky": "bluesky:@wmpolice.bsky.social"}[network]     # X: the main account goes first
    key = account_key(*account.split(":", 1))
    assert code == 1
    assert f"{account}: at tag:west-midlands.police.uk,2026:" in err
    left = FEED_SIZES[key] - 2
    assert re.search(rf"answered:? 500 .*\. 2 posted, {left} left for the next run\.\n1 account\(s\) failed: "
                     rf"{re.escape(account)}\. The ledger records every post made", err), err
    items = ledger_of(root)["accounts"][key]["items"]
    assert sorted(e["state"] for e in items.values()) == ["pending", "posted", "posted"]
    server.fail.clear()
    code, out, err = post(root, since=None)
    assert (code, err) == (0, "")
    assert_all_posted_once(server, root)


@pytest.mark.parametrize("network, headers, wait", [
    ("x", lambda now: {"x-rate-limit-reset": str(int(now) + 42)}, 42),
    ("mastodon", lambda now: {"X-RateLimit-Reset": dt.datetime.fromtimestamp(now + 30, dt.timezone.utc).isoformat()},
     30),
    ("bluesky", lambda now: {"Retry-After": "7", "ratelimit-reset": str(int(now) + 300)}, 7),
])
def test_429_is_waited_out_as_asked_then_posting_resumes(tmp_path, server, local_x, network, headers, wait):
    root = project(tmp_path, server)
    server.limit[network] = (2, headers(time.time()))
    waits = []
    code, out, err = post(root, sleep=waits.append)
    assert (code, err) == (0, "")
    assert len(waits) == 1 and wait - 2 <= waits[0] <= wait
    assert "asks to wait" in out
    assert_all_posted_once(server, root)


def test_a_rate_limit_beyond_max_wait_fails_that_account_only(tmp_path, server, local_x):
    root = project(tmp_path, server)
    server.limit["bluesky"] = (1, {"Retry-After": "5000"})
    waits = []
    code, out, err = post(root, sleep=waits.append, max_wait=600)
    assert code == 1 and waits == []
    assert "bluesky:@wmpolice.bsky.social: at tag:west-midlands.police.uk,2026:news/bike-marking: Bluesky limits " \
           "the rate of posting: it asks to wait 5000 s, more than --max-wait 600 s. 0 posted, 4 left for the " \
           "next run." in err
    assert server.texts("x", "WMPolice") == feed_texts("x-wmpolice") and server.texts("bluesky") == []
    code, _, err = post(root, since=None)
    assert (code, err) == (0, "")
    assert_all_posted_once(server, root)


def test_missing_credentials_or_a_text_that_does_not_fit_fail_that_account(tmp_path, server, local_x):
    root = project(tmp_path, server)
    path = root / "built/coventry/social/x-wmpcoventry.json"
    feed = json.loads(path.read_text())
    feed["items"][0]["_wmpsite"]["post"]["text"] = "a" * 270 + " " + feed["items"][0]["url"]
    path.write_text(json.dumps(feed))
    env = {k: v for k, v in ENV.items() if k != "WMP_BSKY_APP_PASSWORD"}
    code, out, err = post(root, env=env)
    assert code == 1
    assert err.splitlines() == [
        "x:@WMPCoventry: tag:west-midlands.police.uk,2026:coventry/news/knife-amnesty: the post text is 294 of "
        "280 weighted characters on X. Fix it in the content and build again; 1 post(s) wait for it.",
        "bluesky:@wmpolice.bsky.social: not posted: set WMP_BSKY_APP_PASSWORD in the environment "
        "(docs/social.md, Credentials)",
        "2 account(s) failed: x:@WMPCoventry, bluesky:@wmpolice.bsky.social. The ledger records every post "
        "made; run again to go on from there."]
    assert server.texts("x", "WMPCoventry") == feed_texts("x-wmpcoventry")[:1]
    assert server.texts("mastodon") == feed_texts("mastodon-wmpolice-mastodon-example")


# --- killed mid-run -------------------------------------------------------------------------

RUNNER = """
import sys
import requests.adapters
from wmpsite import cli
from wmpsite.publish import networks

class LocalX(requests.adapters.HTTPAdapter):
    def send(self, request, **kwargs):
        request.url = request.url.replace("https://api.twitter.com", sys.argv[1], 1)
        return super().send(request, **kwargs)

real = networks.XPoster.__init__
def init(self, *args, **kwargs):
    real(self, *args, **kwargs)
    self.client.session.mount("https://api.twitter.com", LocalX())
networks.XPoster.__init__ = init
sys.exit(cli.main(sys.argv[2:]))
"""


@pytest.mark.parametrize("network, account", [
    ("x", "x:@WMPolice"), ("mastodon", "mastodon:@WMPolice@mastodon.example"),
    ("bluesky", "bluesky:@wmpolice.bsky.social")])
def test_killed_mid_post_then_a_rerun_posts_each_item_exactly_once(tmp_path, server, network, account):
    """SIGKILL while the network holds the 3rd post (it arrived; the answer did not)."""
    root = project(tmp_path, server)
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER)
    command = [sys.executable, str(runner), server.url, "post", "--source", str(root), "--live",
               "--account", account, "--since", "2026-01-01"]
    env = os.environ | ENV
    server.hold[network] = 3
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert server.held.wait(30), process.communicate()
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    server.release.set()
    assert len(server.posts[network]) == 3
    items = ledger_of(root)["accounts"][account_key(*account.split(":", 1))]["items"]
    assert sorted(e["state"] for e in items.values()) == ["pending", "posted", "posted"]
    done = subprocess.run(command[:-2], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    key = account_key(*account.split(":", 1))
    assert [p["text"] for p in server.posts[network] if network != "x" or p["account"] == "WMPolice"] == \
        feed_texts(key)
    assert [e["state"] for e in ledger_of(root)["accounts"][key]["items"].values()] == ["posted"] * FEED_SIZES[key]


def add_item_sharing_a_url(root: Path, key: str, text: str, suffix: str) -> dict:
    """Put a new item in the account's built feed with the address of its newest item, as the news
    that an appeal ended (or an alert repeated under one file name) has: the newest item, renewed."""
    path = next(root.glob(f"built/*/social/{key}.json"))
    feed = json.loads(path.read_text())
    newest = feed["items"][0]
    item = json.loads(json.dumps(newest))
    item["id"] = newest["id"] + suffix
    item["date_published"] = "2026-11-24T09:00:00+00:00"
    item["_wmpsite"]["post"]["text"] = text.format(url=newest["url"])
    item["_wmpsite"]["post"].pop("facets", None)
    feed["items"].insert(0, item)
    path.write_text(json.dumps(feed))
    return item


ACCOUNTS = {"x": "x:@WMPolice", "mastodon": "mastodon:@WMPolice@mastodon.example",
            "bluesky": "bluesky:@wmpolice.bsky.social"}


@pytest.mark.parametrize("network", ["x", "mastodon", "bluesky"])
@pytest.mark.parametrize("stored", [False, True], ids=["lost", "stored-then-500"])
def test_the_news_that_an_appeal_ended_is_posted_after_a_failure_though_it_shares_the_appeals_address(
        tmp_path, server, local_x, network, stored):
    """The ending fails once (lost, or stored then a 500); the rerun must post it (or know it arrived),
    never take the appeal's own post, which has the same link, for it."""
    root = project(tmp_path, server, accounts={"x": ("x",), "mastodon": ("masto",), "bluesky": ("bsky",)}[network])
    key = account_key(*ACCOUNTS[network].split(":", 1))
    assert post(root)[0] == 0                                   # the appeal, and the rest, are posted
    before = len(server.posts[network])
    ending = add_item_sharing_a_url(root, key, "UPDATE: Sam has been found safe and well. Thank you for "
                                    "sharing our appeal. {url}", "/resolved")
    server.fail[network] = (before + 1, stored)
    code, _, err = post(root, since=None)
    assert code == 1, err
    assert ledger_of(root)["accounts"][key]["items"][ending["id"]]["state"] == "pending"
    server.fail.clear()
    code, _, err = post(root, since=None)
    assert (code, err) == (0, "")
    texts = server.texts(network, "WMPolice" if network == "x" else None)
    assert texts.count(ending["_wmpsite"]["post"]["text"]) == 1  # sent, and once
    record = ledger_of(root)["accounts"][key]["items"][ending["id"]]
    assert record["state"] == "posted"
    assert record.get("id") != ledger_of(root)["accounts"][key]["items"][ending["id"].removesuffix("/resolved")].get("id")


def test_an_alert_repeated_word_for_word_is_not_taken_for_posted_when_x_calls_it_a_duplicate(tmp_path, server, local_x):
    """X refuses a text it has seen: for a new item that is not 'posted already' but a post that would
    be lost; the account fails with a clear message and the item stays queued."""
    root = project(tmp_path, server, accounts=("x",))
    assert post(root)[0] == 0
    newest = json.loads(next(root.glob("built/*/social/x-wmpolice.json")).read_text())["items"][0]
    add_item_sharing_a_url(root, "x-wmpolice", newest["_wmpsite"]["post"]["text"].replace("{", "{{").replace(
        "}", "}}"), "/again")
    code, _, err = post(root, since=None)
    assert code == 1
    assert "x refused it as a copy of an earlier post; change its words" in err
    state = ledger_of(root)["accounts"]["x-wmpolice"]["items"][newest["id"] + "/again"]["state"]
    assert state == "pending"


# --- the command line, the ledger, the helpers --------------------------------------------

def test_cli_exit_codes_and_messages(tmp_path, server, capsys, monkeypatch):
    root = project(tmp_path, server, accounts=("x",))
    with pytest.raises(SystemExit) as usage:
        cli.main(["post", "--source", str(root), "--since", "14/03/2026"])
    assert usage.value.code == 2
    assert "expected a date like 2025-03-14" in capsys.readouterr().err
    for name in [k for k in ENV if k.startswith("WMP_X_MAIN")]:
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["post", "--source", str(root), "--live", "--since", "2026-03-01"]) == 1
    err = capsys.readouterr().err
    assert "x:@WMPolice: not posted: set WMP_X_MAIN_API_KEY, WMP_X_MAIN_API_SECRET" in err
    assert "Traceback" not in err and server.log == []
    assert cli.main(["post", "--source", str(root), "--output", str(tmp_path / "nowhere")]) == 1
    assert "nowhere: no social feeds found (social/*.json) (run `python build.py build` first, or give " \
           "--output)" in capsys.readouterr().err
    assert cli.main(["post", "--source", str(FIXTURE)]) == 1
    assert "site.toml: no accounts to post to in [publish] (add [[publish.accounts]] tables " \
           "(docs/social.md))" in capsys.readouterr().err


def test_config_checks_the_publish_table(tmp_path, server, capsys):
    root = project(tmp_path, server, accounts=("x", "x"),
                   extra='[[publish.accounts]]\naccount = "mastodon:@a@b.example"\ncredentials = "A"\n'
                         '[[publish.accounts]]\naccount = "tiktok:WMP"\ncredentials = "lower"\n')
    assert cli.main(["post", "--source", str(root)]) == 1
    err = capsys.readouterr().err
    assert "'publish.accounts[2].account': expected an account like 'x:@WMPolice' (x, mastodon, bluesky, " \
           "facebook, instagram or threads, a colon, the handle), found 'tiktok:WMP'" in err
    assert "'publish.accounts[2].credentials': expected an environment variable prefix in capitals, like " \
           "'WMP_X_MAIN', found 'lower'" in err
    (root / "site.toml").write_text((root / "site.toml").read_text().replace(
        '[[publish.accounts]]\naccount = "tiktok:WMP"\ncredentials = "lower"\n', ""))
    assert cli.main(["post", "--source", str(root)]) == 1
    err = capsys.readouterr().err
    lines = (root / "site.toml").read_text().splitlines()
    masto = lines.index('account = "mastodon:@a@b.example"')       # its table's header is the line before
    second_x = [n for n, line in enumerate(lines) if line == 'account = "x:@WMPolice"'][1]
    assert f"site.toml:{masto}: 'mastodon:@a@b.example': a Mastodon account needs base_url, its instance's " \
           "address" in err
    assert f"site.toml:{second_x + 1}: 'x:@WMPolice' is in [publish] accounts twice (the first is " \
           "publish.accounts[2])" in err


def test_ledger_writes_are_atomic_and_runs_are_exclusive(tmp_path, monkeypatch):
    ledger = Ledger.load(tmp_path)
    now = dt.datetime(2026, 3, 14, 12, tzinfo=dt.timezone.utc)
    ledger.set_cutoff("x-wmpolice", "x:@WMPolice", now)
    ledger.mark_posted("x-wmpolice", "tag:a", "1", "https://x.com/WMPolice/status/1", now)
    before = (tmp_path / LEDGER_NAME).read_bytes()
    assert json.loads(before)["accounts"]["x-wmpolice"]["items"]["tag:a"] == {
        "state": "posted", "at": "2026-03-14T12:00:00+00:00", "id": "1", "url": "https://x.com/WMPolice/status/1"}

    def crash(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        ledger.mark_pending("x-wmpolice", "tag:b", "k", now)
    monkeypatch.undo()
    assert (tmp_path / LEDGER_NAME).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [LEDGER_NAME]
    with locked(tmp_path):
        with pytest.raises(LedgerError, match="another `build.py post` is running"):
            with locked(tmp_path):
                pass
    (tmp_path / LEDGER_NAME).write_text("{")
    with pytest.raises(LedgerError, match="restore it from version control"):
        Ledger.load(tmp_path)


def test_wait_from_headers():
    now = 1_800_000_000.0
    assert networks.wait_from_headers({"Retry-After": "12"}, now) == 12
    assert networks.wait_from_headers({"retry-after": "Fri, 15 Jan 2027 08:00:10 GMT"}, now) == 10
    assert networks.wait_from_headers({"x-rate-limit-reset": str(int(now) + 90)}, now) == 90
    assert networks.wait_from_headers({"X-RateLimit-Reset": "2027-01-15T08:01:00.000000Z"}, now) == 60
    assert networks.wait_from_headers({"RateLimit-Reset": "15"}, now) == 15     # seconds from now
    assert networks.wait_from_headers({"Retry-After": "soon"}, now) is None
    assert networks.wait_from_headers({}, now) is None


def test_record_keys_are_valid_increasing_tids():
    keys = [networks.new_tid() for _ in range(50)]
    assert all(re.fullmatch(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}", k) for k in keys)
    stamps = [k[:11] for k in keys]            # the microseconds; the last two characters are a clock id
    assert stamps == sorted(stamps) and len(set(keys)) == 50


def test_the_docs_name_every_credential_variable():
    text = (REPO / "docs" / "social.md").read_text(encoding="utf-8")
    for network, names in clients.CREDENTIALS.items():
        for name in names:
            assert f"_{name}`" in text, (network, name)


def test_the_demo_force_shows_what_each_of_its_accounts_would_post(demo_build):
    """A fresh clone of the demo: its site.toml names accounts and their credentials' variables (never
    the credentials), its committed ledger the day posting began; a dry run shows the posts."""
    import io
    out, err = io.StringIO(), io.StringIO()
    assert publish.post_command(REPO, demo_build, env={}, out=out, err=err) == 0, err.getvalue()
    text = out.getvalue()
    for account in ("x:@WMPolice", "bluesky:@wmpolice.bsky.social", "x:@BrumSouthPolice",
                    "facebook:West Midlands Police", "facebook:BrumEastPolice"):
        assert re.search(rf"^{re.escape(account)}: [1-9]\d* to post", text, re.M), text
    assert "  would post tag:www.west-midlands.police.example," in text
    assert "(a live run needs WMP_X_MAIN_API_KEY" in text
    assert "(a live run needs WMP_FACEBOOK_BRUM_EAST_PAGE_ACCESS_TOKEN set)" in text
    assert re.search(r"^  \(\$0\.00 of its \$20\.00 monthly cap is spent in \w+ \d{4}; \d+ post\(s\) at \$0\.20 add ",
                     text, re.M), text
    # Accounts with no cut-off in the committed ledger: their first run starts now, and says how to
    # reach back to older items.
    for account in ("instagram:@wmpolice", "threads:@wmpsellyoak"):
        block = text[text.index(f"\n{account}: "):]
        assert re.match(rf"\n{re.escape(account)}: 0 to post, 0 already posted, [1-9]\d* before the cut-off .*\n"
                        r"  \(its first run: the cut-off is now, so nothing older is posted; --since \d{4}-\d\d-\d\d "
                        r"would post the \d+ newest of them", block), block[:400]
    assert re.search(r"Dry run: would post \d+ post\(s\) for 8 account\(s\); add --live", text)
    assert not re.search(r"(?im)^\s*[a-z_]*(key|secret|token|password)\s*=", (REPO / "site.toml").read_text())
