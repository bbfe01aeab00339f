"""`build.py reach` end to end: the demo force posts through the local fake networks of
tests/test_publish.py, then reach reads each post's figures back from the same server.

The server gains the reading endpoints: X's GET /2/tweets (signed with OAuth 1.0a, the query
included), Mastodon's GET /api/v1/statuses/:id, Bluesky's app.bsky.feed.getPosts, and the insights
of Meta's Graph API (Facebook, Instagram) and Threads. Each figure grows with `server.round`, so
two readings differ as real ones do. The Facebook, Instagram and Threads tests write the ledger's
entries by hand and give the accounts to reach_command directly, so that reading them does not
depend on posting to them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from oauthlib.oauth1.rfc5849 import signature, utils

import test_publish as fakes
from conftest import NOW, REPO
from quality.tools import copy_demo
from wmpsite import cli
from wmpsite.build import pipeline
from wmpsite.core.config import PublishAccount
from wmpsite.core.urls import account_key
from wmpsite.publish import networks, publisher, reach
from wmpsite.publish.ledger import LEDGER_NAME

# The demo's local accounts post with keys of their own on the fake X.
fakes.X_KEYS.setdefault("xtoken-south", ("xsecret-south", "BrumSouthPolice"))
fakes.X_KEYS.setdefault("xtoken-sellyoak", ("xsecret-sellyoak", "WMPSellyOak"))
ENV = {
    **{k: v for k, v in fakes.ENV.items() if k.startswith(("WMP_X_MAIN", "WMP_MASTO"))},
    "WMP_BLUESKY_MAIN_APP_PASSWORD": fakes.ENV["WMP_BSKY_APP_PASSWORD"],
    "WMP_X_BRUM_SOUTH_API_KEY": "xkey", "WMP_X_BRUM_SOUTH_API_SECRET": "xsecret",
    "WMP_X_BRUM_SOUTH_ACCESS_TOKEN": "xtoken-south", "WMP_X_BRUM_SOUTH_ACCESS_TOKEN_SECRET": "xsecret-south",
    "WMP_X_SELLY_OAK_API_KEY": "xkey", "WMP_X_SELLY_OAK_API_SECRET": "xsecret",
    "WMP_X_SELLY_OAK_ACCESS_TOKEN": "xtoken-sellyoak", "WMP_X_SELLY_OAK_ACCESS_TOKEN_SECRET": "xsecret-sellyoak",
}
#: Facebook's, Instagram's and Threads' tokens, in the variables their posters read (whatever else
#: those need, such as a page id, is given too).
META_TOKENS = {"facebook": ("WMP_FB_MAIN", "fb-page-token"), "instagram": ("WMP_IG_MAIN", "ig-token"),
               "threads": ("WMP_THREADS", "threads-token")}
for _network, (_prefix, _token) in META_TOKENS.items():
    for _name in reach.credential_names(PublishAccount(f"{_network}:@x", _prefix)):
        ENV[f"{_prefix}_{_name}"] = _token if _name.endswith("TOKEN") else "1234567890"
MASTODON_SOCIAL = ('\n[[force.social]]\nnetwork = "mastodon"\nhandle = "@WMPolice@mastodon.example"\n'
                   'url = "https://mastodon.example/@WMPolice"\n')
GRAPH_TOKENS = {"/v24.0": ("fb-page-token", "ig-token"), "/v1.0": ("threads-token",)}


def figures_of(index: int, round_: int) -> dict:
    """The fake's figures for the index-th post it holds at a reading round: they grow each round."""
    n = (index + 1) * round_
    return {"views": 100 * n + 7, "likes": 3 * n, "reposts": n, "replies": n // 2, "quotes": n // 3}


class ReachHandler(fakes.Handler):
    """The fake networks, able to be read as well as posted to."""

    def route(self, method: str) -> None:
        path, _, query = self.path.partition("?")
        reads = {"/2/tweets": self.x_lookup, "/xrpc/app.bsky.feed.getPosts": self.bluesky_posts}
        handler = reads.get(path) if method == "GET" else None
        if method == "GET" and path.startswith("/api/v1/statuses/"):
            handler = self.mastodon_status
        if method == "GET" and re.fullmatch(r"/v(24|1)\.0/[^/]+/insights", path):
            handler = self.graph_insights
        if handler is None:
            return super().route(method)
        self.server.log.append((method, path))
        self.path_only, self.queries = path, parse_qs(query)
        failing = self.server.read_fail.get(handler.__name__)
        if failing:
            return self.reply(failing, {"error": "InternalServerError", "message": "Something went wrong"})
        self.server.reads[handler.__name__] = self.server.reads.get(handler.__name__, 0) + 1
        handler()

    def x_lookup(self):
        auth = self.headers.get("Authorization", "")
        params = utils.parse_authorization_header(auth) if auth.startswith("OAuth ") else []
        given = dict(params)
        secrets = fakes.X_KEYS.get(given.get("oauth_token"))
        if secrets is None:
            return self.refuse(401, "X: no or unknown OAuth 1.0a Authorization header on a lookup")
        query = [(k, v) for k, values in self.queries.items() for v in values]
        base = signature.signature_base_string("GET", signature.base_string_uri("https://api.twitter.com/2/tweets"),
                                               signature.normalize_parameters(query + [
                                                   (k, v) for k, v in params if k not in ("oauth_signature", "realm")]))
        keys = type("Keys", (), {"client_secret": "xsecret", "resource_owner_secret": secrets[0]})()
        if signature.sign_hmac_sha1_with_client(base, keys) != utils.unescape(given["oauth_signature"]):
            return self.refuse(401, "X: bad OAuth signature on a lookup")
        if self.queries.get("tweet.fields") != ["public_metrics"]:
            return self.refuse(400, f"X: unexpected query {self.queries}")
        ids = self.queries["ids"][0].split(",")
        if len(ids) > 100:
            return self.refuse(400, "X: more than 100 ids")
        mine = {p["id"]: n for n, p in enumerate(self.server.posts["x"]) if p["account"] == secrets[1]}
        data, errors = [], []
        for post_id in ids:
            if post_id not in mine or post_id in self.server.gone:
                errors.append({"value": post_id, "detail": f"Could not find tweet with ids: [{post_id}].",
                               "title": "Not Found Error", "resource_type": "tweet", "parameter": "ids",
                               "resource_id": post_id, "type": "https://api.twitter.com/2/problems/resource-not-found"})
                continue
            f = figures_of(mine[post_id], self.server.round)
            data.append({"id": post_id, "text": self.server.posts["x"][mine[post_id]]["text"],
                         "edit_history_tweet_ids": [post_id], "public_metrics": {
                             "retweet_count": f["reposts"], "reply_count": f["replies"], "like_count": f["likes"],
                             "quote_count": f["quotes"], "bookmark_count": 1, "impression_count": f["views"]}})
        self.reply(200, {"data": data, **({"errors": errors} if errors else {})} if data else {"errors": errors})

    def mastodon_status(self):
        if not self.mastodon_auth():
            return
        post_id = self.path_only.rsplit("/", 1)[1]
        for n, post in enumerate(self.server.posts["mastodon"]):
            if post["id"] == post_id and post_id not in self.server.gone:
                f = figures_of(n, self.server.round)
                return self.reply(200, self.status(post) | {"favourites_count": f["likes"],
                                                            "reblogs_count": f["reposts"],
                                                            "replies_count": f["replies"]})
        self.reply(404, {"error": "Record not found"})

    def bluesky_posts(self):
        if not self.bluesky_auth():
            return
        uris = self.queries.get("uris", [])
        if not 1 <= len(uris) <= 25:
            return self.refuse(400, f"Bluesky: {len(uris)} uris in one getPosts")
        views = []
        for n, post in enumerate(self.server.posts["bluesky"]):
            uri = f"at://{fakes.DID}/app.bsky.feed.post/{post['rkey']}"
            if uri in uris and uri not in self.server.gone:
                f = figures_of(n, self.server.round)
                views.append({"uri": uri, "cid": fakes.CID, "record": post["record"],
                              "author": {"did": fakes.DID, "handle": "wmpolice.bsky.social"},
                              "indexedAt": "2026-11-20T10:00:00.000Z", "likeCount": f["likes"],
                              "repostCount": f["reposts"], "replyCount": f["replies"], "quoteCount": f["quotes"]})
        self.reply(200, {"posts": views})

    def graph_insights(self):
        version, post_id = self.path_only.split("/")[1:3]
        token = (self.queries.get("access_token") or [""])[0]
        if token not in GRAPH_TOKENS[f"/{version}"]:
            return self.reply(400, {"error": {"message": "Error validating access token: Session has expired.",
                                              "type": "OAuthException", "code": 190, "error_subcode": 463}})
        network = {"fb-page-token": "facebook", "ig-token": "instagram", "threads-token": "threads"}[token]
        wanted = self.queries["metric"][0].split(",")
        if wanted != list(reach.GRAPH[network][1]):
            return self.refuse(400, f"{network}: unexpected metrics {wanted}")
        posts = self.server.graph.get(network, [])
        if post_id not in posts:
            return self.reply(400, {"error": {"message": f"Unsupported get request. Object with ID '{post_id}' does "
                                              "not exist", "type": "GraphMethodException", "code": 100,
                                              "error_subcode": 33}})
        f = figures_of(posts.index(post_id), self.server.round)
        values = {"post_total_media_view_unique": f["views"], "post_clicks": 9,
                  "post_reactions_by_type_total": {"like": f["likes"], "love": f["quotes"]},
                  "reach": f["views"], "comments": f["replies"], "shares": f["reposts"], "saved": 1,
                  "views": f["views"], "likes": f["likes"], "replies": f["replies"], "reposts": f["reposts"],
                  "quotes": f["quotes"]}
        self.reply(200, {"data": [{"name": m, "period": "lifetime", "values": [{"value": values[m]}],
                                   "title": m, "id": f"{post_id}/insights/{m}/lifetime"} for m in wanted]})


@pytest.fixture
def server():
    srv = fakes.FakeNetworks()
    srv.RequestHandlerClass = ReachHandler
    srv.round, srv.gone, srv.read_fail, srv.reads, srv.graph = 1, set(), {}, {}, {}
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    assert srv.problems == [], "requests the networks would refuse"


@pytest.fixture
def local_x(server, monkeypatch):
    real = networks.XPoster.__init__

    def init(self, *args, **kwargs):
        real(self, *args, **kwargs)
        self.client.session.mount("https://api.twitter.com", fakes.LocalX(server.url))
    monkeypatch.setattr(networks.XPoster, "__init__", init)


@pytest.fixture(scope="module")
def demo_built(tmp_path_factory) -> Path:
    """The demo force with a Mastodon account too, built once at NOW: the output folder."""
    root = copy_demo(tmp_path_factory.mktemp("reach-demo") / "site")
    with open(root / "site.toml", "r+", encoding="utf-8") as handle:
        text = handle.read().replace("\n# The footer of every page", MASTODON_SOCIAL + "\n# The footer of every page", 1)
        handle.seek(0)
        handle.write(text)
    out = root.parent / "_site"
    pipeline.build(root, out, now=NOW, jobs=2)
    return out


def demo_project(tmp_path: Path, demo_built: Path, server) -> Path:
    """A copy of the demo with [publish] pointing Mastodon and Bluesky at the local server."""
    root = copy_demo(tmp_path / "site")
    text = (demo_built.parent / "site" / "site.toml").read_text(encoding="utf-8")
    publish = ('[publish]\nstate = "state"\n'
               '[[publish.accounts]]\naccount = "x:@WMPolice"\ncredentials = "WMP_X_MAIN"\n'
               f'[[publish.accounts]]\naccount = "mastodon:@WMPolice@mastodon.example"\ncredentials = "WMP_MASTO"\n'
               f'base_url = "{server.url}"\n'
               f'[[publish.accounts]]\naccount = "bluesky:@wmpolice.bsky.social"\ncredentials = "WMP_BLUESKY_MAIN"\n'
               f'base_url = "{server.url}"\n'
               '[[publish.accounts]]\naccount = "x:@BrumSouthPolice"\ncredentials = "WMP_X_BRUM_SOUTH"\n'
               '[[publish.accounts]]\naccount = "x:@WMPSellyOak"\ncredentials = "WMP_X_SELLY_OAK"\n\n')
    text = re.sub(r"\[publish\].*?(?=\[extra\])", lambda _: publish, text, flags=re.S)
    (root / "site.toml").write_text(text, encoding="utf-8")
    shutil.rmtree(root / "state", ignore_errors=True)
    return root


def post_all(root: Path, built: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = publisher.post_command(root, built, live=True, since=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
                                  env=ENV, out=out, err=err, clock=lambda: dt.datetime(2026, 11, 25, 12, 5,
                                                                                       tzinfo=dt.timezone.utc))
    assert code == 0, err.getvalue()


def run_reach(root: Path, at: dt.datetime, **kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = reach.reach_command(root, env=kwargs.pop("env", ENV), out=out, err=err, clock=lambda: at, **kwargs)
    return code, out.getvalue(), err.getvalue()


def lines_of(root: Path, key: str) -> list[dict]:
    path = root / "state" / "reach" / f"{key}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


FIRST = dt.datetime(2026, 11, 25, 18, 0, tzinfo=dt.timezone.utc)
SECOND = dt.datetime(2026, 11, 26, 18, 0, tzinfo=dt.timezone.utc)


def test_reach_reads_every_network_keeps_each_reading_and_writes_the_report(tmp_path, server, local_x, demo_built):
    root = demo_project(tmp_path, demo_built, server)
    post_all(root, demo_built)
    ledger = json.loads((root / "state" / LEDGER_NAME).read_text())
    posted = {key: len(entry["items"]) for key, entry in ledger["accounts"].items()}
    assert posted["x-wmpolice"] == 20 and posted["mastodon-wmpolice-mastodon-example"] == 20
    before = {network: len(posts) for network, posts in server.posts.items()}

    code, out, err = run_reach(root, FIRST)
    assert (code, err) == (0, "")
    server.round = 2
    code, out, err = run_reach(root, SECOND)
    assert (code, err) == (0, "")
    assert {network: len(posts) for network, posts in server.posts.items()} == before     # nothing posted
    assert not any(method == "POST" and path != "/xrpc/com.atproto.server.createSession"
                   for method, path in server.log[-40:])
    # X is read 100 ids a request, Mastodon a post a request, Bluesky 25 a request.
    assert server.reads == {"x_lookup": 2 * 3, "mastodon_status": 2 * 20, "bluesky_posts": 2 * 1}

    x = lines_of(root, "x-wmpolice")
    assert [line["at"] for line in x] == ["2026-11-25T18:00:00+00:00", "2026-11-26T18:00:00+00:00"]
    assert (x[0]["owner"], x[0]["lpu"], x[0]["reach_means"]) == ("West Midlands Police", "Force-wide", "views")
    mine = [p for p in server.posts["x"] if p["account"] == "WMPolice"]
    assert mine[0] is server.posts["x"][0]                        # its figures are those of the fake's first post
    first = next(p for p in x[1]["posts"] if p["id"] == mine[0]["id"])
    assert (first["reach"], first["interactions"]) == (207, 6 + 2 + 1 + 0)    # views; likes, reposts, replies, quotes
    assert first["counts"]["bookmark_count"] == 1 and first["title"] and first["link"].startswith("https://")
    assert first["url"] == f"https://x.com/WMPolice/status/{mine[0]['id']}"
    south = lines_of(root, "x-brumsouthpolice")[-1]
    assert (south["owner"], south["lpu"]) == ("Birmingham South", "Birmingham South")
    assert lines_of(root, "x-wmpsellyoak")[-1]["lpu"] == "Birmingham South"      # a team's account: its LPU
    masto = lines_of(root, "mastodon-wmpolice-mastodon-example")[-1]
    assert masto["reach_means"] is None and masto["posts"][0]["reach"] is None
    assert masto["posts"][0]["counts"].keys() == {"favourites_count", "reblogs_count", "replies_count"}
    bsky = lines_of(root, "bluesky-wmpolice-bsky-social")[-1]
    assert sum(p["interactions"] for p in bsky["posts"]) == sum(
        sum(figures_of(n, 2)[k] for k in ("likes", "reposts", "replies", "quotes")) for n in range(20))
    assert "x:@WMPolice: read 20 post(s): " in out and " views, " in out

    report = root / "reach-report"
    assert sorted(p.name for p in report.iterdir()) == [
        "accounts.csv", "index.html", "interactions-by-account.csv", "interactions-by-account.svg",
        "reach-by-account.csv", "reach-by-account.svg", "reach-by-lpu.csv", "reach-by-lpu.svg",
        "top-posts-interactions.csv", "top-posts-reach.csv"]
    by_lpu = rows(report / "reach-by-lpu.csv")
    south_now = [r for r in by_lpu if r["lpu"] == "Birmingham South" and r["reading"].startswith("2026-11-26")]
    x_south = [n for n, p in enumerate(server.posts["x"]) if p["account"] in ("BrumSouthPolice", "WMPSellyOak")]
    assert len(x_south) == 23 and int(south_now[0]["reach"]) == sum(figures_of(n, 2)["views"] for n in x_south)
    assert {r["lpu"] for r in by_lpu} == {"Birmingham South", "Force-wide"}
    top = rows(report / "top-posts-reach.csv")
    assert len(top) == 10 and [int(r["reach"]) for r in top] == sorted((int(r["reach"]) for r in top), reverse=True)
    assert {r["network"] for r in top} == {"x"}                   # the only network here that counts reach
    accounts = rows(report / "accounts.csv")
    # The fake's figures grow with each post it holds: the main account posted first, so it reached
    # fewest a post, under half the median of the accounts that count reach.
    assert [(r["account"], r["reached_few"]) for r in accounts] == [
        ("x:@WMPolice", "yes"), ("x:@BrumSouthPolice", "no"), ("x:@WMPSellyOak", "no"),
        ("mastodon:@WMPolice@mastodon.example", "no"), ("bluesky:@wmpolice.bsky.social", "no")]  # no quotes
    assert accounts[0]["per_post"] == f"{sum(figures_of(n, 2)['views'] for n in range(20)) / 20:.1f}"
    page = (report / "index.html").read_text()
    assert "Birmingham South" in page and "x:@WMPSellyOak" in page and "Accounts not read" not in page
    for chart in ("reach-by-account", "reach-by-lpu", "interactions-by-account"):
        assert f'<img src="{chart}.svg"' in page
        assert (report / f"{chart}.svg").read_bytes().startswith(b"<?xml")


def test_a_network_that_fails_is_reported_and_the_others_are_still_read(tmp_path, server, local_x, demo_built):
    root = demo_project(tmp_path, demo_built, server)
    post_all(root, demo_built)
    assert run_reach(root, FIRST)[0] == 0
    server.read_fail["bluesky_posts"] = 500
    server.gone.add(next(p["id"] for p in server.posts["x"] if p["account"] == "WMPolice"))   # deleted since
    server.round = 2
    code, out, err = run_reach(root, SECOND)
    assert code == 1
    assert err.splitlines() == [
        "bluesky:@wmpolice.bsky.social: not read: Bluesky answered: 500 InternalServerError: Something went wrong",
        "1 account(s) not read: bluesky:@wmpolice.bsky.social. The others' figures are kept; run again later."]
    assert "Traceback" not in err
    assert "x:@WMPolice: read 19 post(s): " in out and "; 1 no longer there" in out
    failed = lines_of(root, "bluesky-wmpolice-bsky-social")
    assert len(failed) == 2 and failed[1]["at"] == "2026-11-26T18:00:00+00:00" and "500" in failed[1]["failed"]
    assert len(lines_of(root, "mastodon-wmpolice-mastodon-example")) == 2
    page = (root / "reach-report" / "index.html").read_text()
    assert "Accounts not read at their last reading" in page and "bluesky:@wmpolice.bsky.social (26 November" in page
    # Its figures stay those of its last good reading; the deleted X post keeps its last figures too.
    bsky = [r for r in rows(root / "reach-report" / "interactions-by-account.csv")
            if r["account"] == "bluesky:@wmpolice.bsky.social"]
    assert [r["reading"][:10] for r in bsky] == ["2026-11-25", "2026-11-26"] and bsky[0]["interactions"] == \
        bsky[1]["interactions"]
    x = [r for r in rows(root / "reach-report" / "reach-by-account.csv") if r["account"] == "x:@WMPolice"]
    assert x[1]["posts"] == "20"
    server.read_fail.clear()
    code, _, err = run_reach(root, SECOND + dt.timedelta(hours=1))
    assert (code, err) == (0, "")


def meta_accounts(server) -> tuple[PublishAccount, ...]:
    return (PublishAccount("facebook:West Midlands Police", "WMP_FB_MAIN", base_url=f"{server.url}/v24.0"),
            PublishAccount("instagram:@wmpolice", "WMP_IG_MAIN", base_url=f"{server.url}/v24.0"),
            PublishAccount("threads:@wmpolice", "WMP_THREADS", base_url=f"{server.url}/v1.0"))


def meta_ledger(root: Path, server) -> None:
    """The ledger entries posting to Facebook, Instagram and Threads would make: three posts each."""
    ids = {"facebook": [f"1234567890_{n}" for n in range(3)], "instagram": [f"1789{n}" for n in range(3)],
           "threads": [f"1800{n}" for n in range(3)]}
    server.graph = {network: list(posts) for network, posts in ids.items()}
    accounts = {}
    for account in meta_accounts(server):
        key = account_key(account.network, account.handle)
        accounts[key] = {"account": account.account, "cutoff": "2026-11-01T00:00:00+00:00", "items": {
            f"tag:www.west-midlands.police.example,2026-11-2{n}:news/item-{n}": {
                "state": "posted", "at": f"2026-11-2{n}T09:00:00+00:00", "id": post_id}
            for n, post_id in enumerate(ids[account.network])}}
    (root / "state").mkdir(exist_ok=True)
    (root / "state" / LEDGER_NAME).write_text(json.dumps({"about": "", "version": 1, "accounts": accounts}))


def test_facebook_instagram_and_threads_insights_are_read_through_the_same_interface(tmp_path, server, demo_built):
    root = demo_project(tmp_path, demo_built, server)
    meta_ledger(root, server)
    server.graph["instagram"].remove("17892")               # deleted on Instagram since
    code, out, err = run_reach(root, FIRST, accounts=meta_accounts(server))
    assert (code, err) == (0, "")
    fb = lines_of(root, "facebook-west-midlands-police")[0]
    assert (fb["owner"], fb["reach_means"]) == ("West Midlands Police", "people reached")
    assert [(p["reach"], p["interactions"]) for p in fb["posts"]] == [(107, 3), (207, 6), (307, 10)]
    assert fb["posts"][0]["counts"] == {"post_clicks": 9, "post_reactions_by_type_total": 3,
                                        "post_total_media_view_unique": 107}
    ig = lines_of(root, "instagram-wmpolice")[0]
    assert [p["interactions"] for p in ig["posts"]] == [3 + 0 + 1 + 1, 6 + 1 + 2 + 1]  # likes, comments, shares, saved
    assert ig["gone"] == ["tag:www.west-midlands.police.example,2026-11-22:news/item-2"]
    threads = lines_of(root, "threads-wmpolice")[0]
    assert threads["reach_means"] == "views" and threads["posts"][2]["counts"]["quotes"] == 1
    assert "instagram:@wmpolice: read 2 post(s): 314 accounts reached, 15 interactions; 1 no longer there" in out
    # An expired token fails that account, in words, and never shows the token.
    env = {k: ("old-threads-token" if v == "threads-token" else v) for k, v in ENV.items()}
    code, out, err = run_reach(root, SECOND, accounts=meta_accounts(server), env=env)
    assert code == 1
    assert "threads:@wmpolice: not read: Threads answered 400: Error validating access token: Session has " \
           "expired." in err
    assert "old-threads-token" not in err + out + (root / "state/reach/threads-wmpolice.jsonl").read_text()
    assert "facebook:West Midlands Police: read 3 post(s)" in out


def test_missing_credentials_fail_that_account_only(tmp_path, server, local_x, demo_built):
    root = demo_project(tmp_path, demo_built, server)
    post_all(root, demo_built)
    env = {k: v for k, v in ENV.items() if not k.startswith("WMP_X_SELLY_OAK")}
    code, out, err = run_reach(root, FIRST, env=env)
    assert code == 1
    assert err.startswith("x:@WMPSellyOak: not read: set WMP_X_SELLY_OAK_API_KEY, WMP_X_SELLY_OAK_API_SECRET, "
                          "WMP_X_SELLY_OAK_ACCESS_TOKEN, WMP_X_SELLY_OAK_ACCESS_TOKEN_SECRET in the environment")
    assert "x:@BrumSouthPolice: read 20 post(s)" in out


def test_only_recent_posts_are_read_again_and_older_ones_keep_their_figures(tmp_path, server, demo_built):
    root = demo_project(tmp_path, demo_built, server)
    meta_ledger(root, server)
    accounts = meta_accounts(server)[:1]
    assert run_reach(root, FIRST, accounts=accounts)[0] == 0
    server.round = 2
    code, out, _ = run_reach(root, FIRST + dt.timedelta(hours=2), accounts=accounts, days=5)
    assert code == 0 and "read 2 post(s)" in out           # the post of 20 November is older than 5 days
    totals = [int(r["reach"]) for r in rows(root / "reach-report" / "reach-by-account.csv")]
    assert totals == [107 + 207 + 307, 107 + 407 + 607]    # the old post at its first figure


def test_the_report_is_the_same_bytes_for_the_same_readings(tmp_path, server, demo_built):
    root = demo_project(tmp_path, demo_built, server)
    meta_ledger(root, server)
    assert run_reach(root, FIRST, accounts=meta_accounts(server))[0] == 0
    server.round = 3
    assert run_reach(root, SECOND, accounts=meta_accounts(server))[0] == 0
    first = {p.name: p.read_bytes() for p in (root / "reach-report").iterdir()}
    again = root / "again"
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "reach", "--source", str(root), "--report-only",
                           "--report", str(again)], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "77"})
    assert done.returncode == 0, done.stderr
    assert {p.name: p.read_bytes() for p in again.iterdir()} == first
    svg = first["reach-by-account.svg"].decode()
    assert "<dc:date>" not in svg and "wmpsite build.py reach" in svg


def test_the_report_never_goes_into_the_public_site(tmp_path, server, demo_built, capsys):
    root = demo_project(tmp_path, demo_built, server)
    assert cli.main(["reach", "--source", str(root), "--report", str(root / "_site" / "reach")]) == 1
    assert "_site/reach: the reach report would be inside the public site's output folder (it is for the " \
           "communications team: give --report a folder outside _site)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli.main(["reach", "--source", str(root), "--days", "0"])
    assert usage.value.code == 2
    # With nothing posted, a run reads nothing and says so.
    assert cli.main(["reach", "--source", str(root)]) == 0
    assert "x:@WMPolice: nothing posted in the last 30 days to read" in capsys.readouterr().out


def test_a_damaged_readings_file_is_named_with_its_line(tmp_path, server, demo_built, capsys):
    root = demo_project(tmp_path, demo_built, server)
    folder = root / "state" / "reach"
    folder.mkdir(parents=True)
    (folder / "x-wmpolice.jsonl").write_text('{"at": "2026-11-25T18:00:00+00:00", "account": "x:@WMPolice", '
                                             '"posts": []}\n{"at": "yesterday"}\n')
    assert cli.main(["reach", "--source", str(root), "--report-only"]) == 1
    assert "state/reach/x-wmpolice.jsonl:2: a reading that cannot be read (Invalid isoformat string: 'yesterday') " \
           "(restore the file from version control)" in capsys.readouterr().err


def test_a_reading_in_summer_is_kept_in_british_summer_time(tmp_path, server, demo_built):
    root = demo_project(tmp_path, demo_built, server)
    meta_ledger(root, server)
    summer = dt.datetime(2027, 7, 1, 17, 30, tzinfo=dt.timezone.utc)
    code, _, err = run_reach(root, summer, accounts=meta_accounts(server)[:1], days=365)
    assert (code, err) == (0, "")
    assert lines_of(root, "facebook-west-midlands-police")[0]["at"] == "2027-07-01T18:30:00+01:00"
    assert rows(root / "reach-report" / "reach-by-account.csv")[0]["reading"] == "2027-07-01T18:30:00+01:00"
    assert "1 July 2027, 18:30 (UK time)" in (root / "reach-report" / "index.html").read_text()
