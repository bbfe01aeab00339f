"""`build.py post` to Facebook Pages, Instagram and Threads against a local Graph API server, and the
limits on what may be posted: Meta's daily limits, Instagram's need of an image, X's monthly spend cap.

The server (127.0.0.1, a thread) answers as Meta's Graph API does and checks each request's method,
path (with the pinned API version), access token and form: Facebook's `POST /{page-id}/feed`
(unpublished) then `POST /{post-id}` with `is_published`; Instagram's `POST /{ig-user-id}/media` then
`media_publish`; Threads' `POST /{user-id}/threads` then `threads_publish`. It refuses to publish a
container twice, as Meta does. It can fail a publishing step (500, the post kept or not) or answer
with Meta's rate-limit error.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from conftest import REPO, TESTS
from wmpsite import cli
from test_publish import ENV as X_ENV, Router, feed_texts as x_texts, local_x, server  # noqa: F401 (fixtures)
from wmpsite.core.urls import account_key
from wmpsite.publish import publisher as publish
from wmpsite.publish.ledger import LEDGER_NAME

FIXTURE = TESTS / "sites" / "social"
PAGE, IG, THREADS = "104700000000001", "17841400000000002", "25000000000000003"
TOKENS = {"facebook": "fb-page-token", "instagram": "ig-token", "threads": "th-token"}
ENV = {"WMP_FB_PAGE_ACCESS_TOKEN": TOKENS["facebook"], "WMP_IG_ACCESS_TOKEN": TOKENS["instagram"],
       "WMP_THREADS_ACCESS_TOKEN": TOKENS["threads"],
       "WMP_X_API_KEY": "k", "WMP_X_API_SECRET": "s", "WMP_X_ACCESS_TOKEN": "t", "WMP_X_ACCESS_TOKEN_SECRET": "ts"}
KEYS = {"facebook": "facebook-west-midlands-police", "instagram": "instagram-wmpolice",
        "threads": "threads-wmpolice"}
ACCOUNTS = {"facebook": "facebook:West Midlands Police", "instagram": "instagram:@wmpolice",
            "threads": "threads:@wmpolice"}
SINCE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


class FakeGraph(ThreadingHTTPServer):
    """Facebook's, Instagram's and Threads' publishing endpoints, with failures on demand."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), GraphHandler)
        self.lock = threading.RLock()
        self.objects: dict[str, dict] = {}        # id: a Page post, a container or a published media
        self.published = {"facebook": [], "instagram": [], "threads": []}   # the visible posts, in order
        self.made = {"facebook": 0, "instagram": 0, "threads": 0}           # first steps made
        self.publishing = {"facebook": 0, "instagram": 0, "threads": 0}     # second steps seen
        self.fail: dict[str, tuple[int, bool]] = {}       # network: (publish attempt, publish before 500)
        self.limit: dict[str, int] = {}                   # network: publish attempt answered 'rate limited'
        self.hold: dict[str, int] = {}                    # network: publish attempt held unanswered
        self.held, self.release = threading.Event(), threading.Event()
        self.problems: list[str] = []
        self.deleted: list[str] = []                      # Page and Threads posts deleted (post --delete-ended)
        self.log: list[tuple[str, str]] = []
        self.next = 1

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def texts(self, network: str) -> list[str]:
        return [self.objects[i]["text"] for i in self.published[network]]

    def new_id(self, prefix: str = "") -> str:
        with self.lock:
            self.next += 1
            return f"{prefix}{180000000000 + self.next}"


class GraphHandler(Router):
    server: FakeGraph

    def route(self, method: str) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        path, _, query = self.path.partition("?")
        self.form = {k: v[0] for k, v in parse_qs(body if method == "POST" else query).items()}
        self.server.log.append((method, path))
        parts = path.strip("/").split("/")
        version = {"v24.0": ("facebook", "instagram"), "v1.0": ("threads",)}.get(parts[0])
        if version is None or len(parts) not in (2, 3):
            return self.refuse(404, f"no such endpoint {method} {path}")
        token = self.form.pop("access_token", None)
        networks = [n for n in version if TOKENS[n] == token]
        if not networks:
            return self.refuse(400, f"bad or missing access token {token!r} on {path}", code=190)
        self.network = networks[0]
        self.form.pop("appsecret_proof", None)
        target, edge = parts[1], (parts[2] if len(parts) == 3 else None)
        handler = {("POST", PAGE, "feed"): self.facebook_create, ("POST", IG, "media"): self.container,
                   ("POST", THREADS, "threads"): self.container, ("POST", IG, "media_publish"): self.publish,
                   ("POST", THREADS, "threads_publish"): self.publish}.get((method, target, edge))
        if handler is None and edge is None and target in self.server.objects:
            handler = {"GET": self.read, "POST": self.facebook_publish, "DELETE": self.delete}[method]
        if handler is None:
            return self.refuse(404, f"no such endpoint {method} {path} for {self.network}")
        handler()

    def reply(self, status: int, data: dict) -> None:
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def refuse(self, status: int, problem: str, code: int = 100) -> None:
        self.server.problems.append(problem)
        self.error(status, problem, code)

    def error(self, status: int, message: str, code: int, subcode: int | None = None) -> None:
        error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "Ab12"}
        if subcode:
            error["error_subcode"] = subcode
        self.reply(status, {"error": error})

    def expect(self, fields: set[str], **values) -> bool:
        if set(self.form) != fields or any(self.form.get(k) != v for k, v in values.items()):
            self.refuse(400, f"{self.network}: unexpected form {self.form}")
            return False
        return True

    # First steps ---------------------------------------------------------------------------------
    def facebook_create(self):
        if self.expect({"message", "link", "published"}, published="false"):
            if not self.form["message"].endswith(self.form["link"]) and self.form["link"] not in self.form["message"]:
                return self.refuse(400, "facebook: the link is not the post's")
            post_id = self.server.new_id(f"{PAGE}_")
            self.server.objects[post_id] = {"network": "facebook", "text": self.form["message"],
                                            "link": self.form["link"], "published": False}
            self.server.made["facebook"] += 1
            self.reply(200, {"id": post_id})

    def container(self):
        if self.network == "instagram":
            if not self.expect({"image_url", "caption", "alt_text"}) or \
                    not self.form["image_url"].startswith("https://") or not self.form["image_url"].endswith(".jpg"):
                return None if self.server.problems else self.refuse(400, f"instagram: bad image {self.form}")
            text = self.form["caption"]
        else:
            if not self.expect({"media_type", "text"}, media_type="TEXT"):
                return
            text = self.form["text"]
        container = self.server.new_id()
        self.server.objects[container] = {"network": self.network, "text": text, "status": "FINISHED",
                                          "form": dict(self.form)}
        self.server.made[self.network] += 1
        self.reply(200, {"id": container})

    # Second steps --------------------------------------------------------------------------------
    def publishing(self, network: str, publish) -> None:
        srv = self.server
        with srv.lock:
            srv.publishing[network] += 1
            attempt = srv.publishing[network]
        if srv.limit.get(network) == attempt:
            return self.error(400, "Application request limit reached", 4)
        if srv.fail.get(network, (0,))[0] == attempt:
            if srv.fail[network][1]:
                with srv.lock:
                    publish()
            return self.error(500, "An unknown error has occurred.", 1)
        with srv.lock:
            answer = publish()
        if srv.hold.get(network) == attempt:
            srv.held.set()
            srv.release.wait(20)
        if answer is not None:
            try:
                self.reply(200, answer)
            except (BrokenPipeError, ConnectionResetError):
                pass                                # the poster was killed while we held its answer

    def facebook_publish(self):
        post_id = self.path.partition("?")[0].rsplit("/", 1)[1]
        post = self.server.objects[post_id]
        if post.get("network") != "facebook" or not self.expect({"is_published"}, is_published="true"):
            return self.refuse(400, f"facebook: cannot publish {post_id}")

        def publish():
            if post["published"]:
                return {"success": True}
            post["published"] = True
            self.server.published["facebook"].append(post_id)
            return {"success": True}
        self.publishing("facebook", publish)

    def publish(self):
        if not self.expect({"creation_id"}):
            return
        container = self.server.objects.get(self.form["creation_id"])
        if container is None or container["network"] != self.network:
            return self.refuse(400, f"{self.network}: no container {self.form['creation_id']}")

        def publish():
            if container["status"] == "PUBLISHED":   # Meta refuses to publish a container twice
                self.server.problems.append(f"{self.network}: container {self.form['creation_id']} published twice")
                self.error(400, "The media has already been published", 9004)
                return None
            container["status"] = "PUBLISHED"
            media = self.server.new_id("9")
            self.server.objects[media] = {"network": self.network, "text": container["text"], "media": True,
                                          "form": container["form"]}
            self.server.published[self.network].append(media)
            return {"id": media}
        self.publishing(self.network, publish)

    def delete(self):
        """Facebook deletes a Page post; Threads a published post, by its media id (DELETE
        /{threads-media-id}, answering its id); Instagram has no delete for published media."""
        post_id = self.path.partition("?")[0].rsplit("/", 1)[1]
        if self.network == "instagram" or post_id not in self.server.published[self.network]:
            return self.refuse(400, f"{self.network}: cannot delete {post_id}")
        self.server.published[self.network].remove(post_id)
        self.server.deleted.append(post_id)
        self.reply(200, {"success": True, **({"deleted_id": post_id} if self.network == "threads" else {})})

    def read(self):
        object_id = self.path.partition("?")[0].rsplit("/", 1)[1]
        thing = self.server.objects[object_id]
        fields = set(self.form.pop("fields", "").split(","))
        answer = {"id": object_id}
        if "is_published" in fields:
            answer |= {"is_published": thing["published"], "permalink_url": f"https://www.facebook.com/{object_id}"}
        if "status_code" in fields or "status" in fields:
            answer[next(iter(fields & {"status_code", "status"}))] = thing["status"]
        if "permalink" in fields:
            host = "www.instagram.com/p" if self.network == "instagram" else "www.threads.net/@wmpolice/post"
            answer["permalink"] = f"https://{host}/{object_id}"
        self.reply(200, answer)


@pytest.fixture
def graph():
    srv = FakeGraph()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.release.set()
    srv.shutdown()
    srv.server_close()
    assert srv.problems == [], "requests Meta would refuse"


def feed_of(network: str, handle: str, images: bool) -> dict:
    """The fixture's X feed (five items, in hard scripts) as another account's social feed."""
    feed = json.loads((FIXTURE / "built/main/social/x-wmpolice.json").read_text())
    key = account_key(network, handle)
    feed["_wmpsite"]["account"] |= {"key": key, "network": network, "handle": handle}
    for item in feed["items"]:
        slug = item["id"].rsplit("/", 1)[1]
        item["_wmpsite"]["post"]["facets"] = []
        if images:
            item["image"] = f"https://www.west-midlands.police.uk/social/cards/{slug}.jpg"
            item["_wmpsite"]["post"]["image_alt"] = f"The share card of {item['title']}"
    return feed


def project(tmp_path: Path, graph: FakeGraph, networks=("facebook", "instagram", "threads"), extra: str = "",
            images: bool = True) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    social = root / "built/main/social"
    for network, handle in (("facebook", "West Midlands Police"), ("instagram", "@wmpolice"),
                            ("threads", "@wmpolice")):
        (social / f"{KEYS[network]}.json").write_text(json.dumps(feed_of(network, handle, images)))
    tables = {
        "facebook": f'account = "facebook:West Midlands Police"\ncredentials = "WMP_FB"\nid = "{PAGE}"',
        "instagram": f'account = "instagram:@wmpolice"\ncredentials = "WMP_IG"\nid = "{IG}"',
        "threads": f'account = "threads:@wmpolice"\ncredentials = "WMP_THREADS"\nid = "{THREADS}"',
    }
    text = "\n[publish]\nstate = \"state\"\n" + "".join(
        f"\n[[publish.accounts]]\n{tables[n]}\nbase_url = \"{graph.url}\"\n" for n in networks) + extra
    with open(root / "site.toml", "a", encoding="utf-8") as handle:
        handle.write(text)
    return root


def post(root: Path, *args: str, env=ENV, since=SINCE, **kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = publish.post_command(root, live="--dry" not in args, since=since, env=env, out=out, err=err,
                                sleep=lambda s: None, **kwargs)
    return code, out.getvalue(), err.getvalue()


def texts(network: str) -> list[str]:
    """The fixture's texts, oldest first: the order they are posted in."""
    return [i["_wmpsite"]["post"]["text"] for i in reversed(feed_of(network, "@x", False)["items"])]


def ledger_of(root: Path) -> dict:
    return json.loads((root / "state" / LEDGER_NAME).read_text(encoding="utf-8"))


def states(root: Path, network: str) -> list[str]:
    return sorted(e["state"] for e in ledger_of(root)["accounts"][KEYS[network]]["items"].values())


# --- posting --------------------------------------------------------------------------------

def test_each_meta_network_posts_every_item_once_in_two_steps(tmp_path, graph):
    root = project(tmp_path, graph)
    code, out, err = post(root)
    assert (code, err) == (0, ""), err
    for network in ("facebook", "instagram", "threads"):
        assert graph.texts(network) == texts(network), network
        assert graph.made[network] == 5 and states(root, network) == ["posted"] * 5
    first = graph.objects[graph.published["instagram"][0]]["form"]
    assert first == {"image_url": "https://www.west-midlands.police.uk/social/cards/bike-marking.jpg",
                     "caption": texts("instagram")[0], "alt_text": "The share card of Free bike marking in "
                                                                   "Selly Oak this Saturday"}
    fb = ledger_of(root)["accounts"][KEYS["facebook"]]["items"]["tag:west-midlands.police.uk,2026:news/bike-marking"]
    assert fb["id"] == graph.published["facebook"][0] and fb["url"] == f"https://www.facebook.com/{fb['id']}"
    ig = ledger_of(root)["accounts"][KEYS["instagram"]]["items"]["tag:west-midlands.police.uk,2026:news/bike-marking"]
    assert ig["url"] == f"https://www.instagram.com/p/{ig['id']}"
    assert "  posted tag:west-midlands.police.uk,2026:news/bike-marking as https://www.threads.net/@wmpolice/post/" in out
    assert graph.objects[graph.published["facebook"][0]]["link"] == \
        "https://www.west-midlands.police.uk/news/bike-marking/"
    before = list(graph.log)
    code, out, _ = post(root, since=None)
    assert code == 0 and graph.log == before
    assert "threads:@wmpolice: 0 to post, 5 already posted" in out


@pytest.mark.parametrize("network", ["facebook", "instagram", "threads"])
@pytest.mark.parametrize("stored", [False, True], ids=["lost", "stored-then-500"])
def test_a_publish_failing_mid_run_is_finished_by_the_rerun_from_the_ledger(tmp_path, graph, network, stored):
    """The 3rd publish fails (never made, or made with its answer lost): the rerun asks about the first
    step recorded for that item and publishes that one, never a second, then goes on."""
    root = project(tmp_path, graph, networks=(network,))
    graph.fail[network] = (3, stored)
    code, _, err = post(root)
    assert code == 1
    assert f"{ACCOUNTS[network]}: at tag:west-midlands.police.uk,2026:" in err
    assert "answered 500 An unknown error has occurred. (code 1). 2 posted, 3 left for the next run." in err
    assert states(root, network) == ["pending", "posted", "posted"]
    pending = [e for e in ledger_of(root)["accounts"][KEYS[network]]["items"].values() if e["state"] == "pending"]
    assert set(pending[0]["steps"]) == {"container"}
    graph.fail.clear()
    code, _, err = post(root, since=None)
    assert (code, err) == (0, "")
    assert graph.texts(network) == texts(network)
    assert graph.made[network] == 5                   # the failed item's first step was used again
    assert states(root, network) == ["posted"] * 5


@pytest.mark.parametrize("network", ["facebook", "instagram", "threads"])
def test_killed_while_meta_holds_the_third_publish_then_a_rerun_posts_each_item_once(tmp_path, graph, network):
    """SIGKILL while the network holds its answer to the 3rd publish (the post is live; we never heard)."""
    root = project(tmp_path, graph, networks=(network,))
    command = [sys.executable, str(REPO / "build.py"), "post", "--source", str(root), "--live",
               "--since", "2026-01-01"]
    env = os.environ | ENV
    graph.hold[network] = 3
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert graph.held.wait(60), process.communicate()
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    graph.release.set()
    assert len(graph.published[network]) == 3 and states(root, network) == ["pending", "posted", "posted"]
    done = subprocess.run(command[:-2], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert graph.texts(network) == texts(network) and graph.made[network] == 5
    assert states(root, network) == ["posted"] * 5


def add_item_sharing_a_url(root: Path, network: str, text: str, suffix: str) -> dict:
    """A new item with the address of the newest, as an appeal's ending or an alert's update has."""
    path = root / f"built/main/social/{KEYS[network]}.json"
    feed = json.loads(path.read_text())
    item = json.loads(json.dumps(feed["items"][0]))
    item["id"] += suffix
    item["date_published"] = "2026-11-24T09:00:00+00:00"
    item["_wmpsite"]["post"]["text"] = text.format(url=item["url"])
    feed["items"].insert(0, item)
    path.write_text(json.dumps(feed))
    return item


@pytest.mark.parametrize("network", ["facebook", "instagram", "threads"])
@pytest.mark.parametrize("kind, text, suffix", [
    ("appeal ended", "UPDATE: Sam has been found safe and well. Thank you for sharing our appeal. {url}", "/resolved"),
    ("alert updated", "Update: the roads around Lloyd House are open again. {url}", "/update-2"),
])
@pytest.mark.parametrize("stored", [False, True], ids=["lost", "stored-then-500"])
def test_an_item_sharing_an_earlier_posts_address_is_posted_after_failing_once(tmp_path, graph, network, kind,
                                                                               text, suffix, stored):
    """Found by the steps its own id recorded, never by the link the earlier post has too."""
    root = project(tmp_path, graph, networks=(network,))
    assert post(root)[0] == 0
    item = add_item_sharing_a_url(root, network, text, suffix)
    graph.fail[network] = (6, stored)
    code, _, err = post(root, since=None)
    assert code == 1, err
    assert ledger_of(root)["accounts"][KEYS[network]]["items"][item["id"]]["state"] == "pending"
    graph.fail.clear()
    code, _, err = post(root, since=None)
    assert (code, err) == (0, ""), err
    wanted = item["_wmpsite"]["post"]["text"]
    assert graph.texts(network).count(wanted) == 1 and graph.texts(network)[-1] == wanted
    items = ledger_of(root)["accounts"][KEYS[network]]["items"]
    assert items[item["id"]]["state"] == "posted"
    # Instagram and Threads do not say which post a published container became: it is recorded as
    # posted without an id then, and never given the earlier post's.
    assert items[item["id"]].get("id") != items[item["id"].removesuffix(suffix)]["id"]
    assert graph.made[network] == 6


def test_a_rate_limit_from_meta_is_waited_out(tmp_path, graph):
    root = project(tmp_path, graph, networks=("threads",))
    graph.limit["threads"] = 2
    code, out, err = post(root)
    assert (code, err) == (0, "")
    assert "Threads asks to wait 5 s (rate limit); waiting" in out
    assert graph.texts("threads") == texts("threads")


def test_delete_ended_deletes_facebook_and_threads_posts_and_names_instagrams_to_delete_by_hand(tmp_path, graph):
    from wmpsite.publish.ended import delete_ended_command
    networks = ("facebook", "instagram", "threads")
    root = project(tmp_path, graph, networks=networks)
    appeal = "tag:west-midlands.police.uk,2026-11-01:appeal/missing-woman"
    for network in networks:
        path = root / f"built/main/social/{KEYS[network]}.json"
        feed = json.loads(path.read_text())
        feed["items"][0]["id"] = appeal
        path.write_text(json.dumps(feed))
    assert post(root)[0] == 0
    made = {n: ledger_of(root)["accounts"][KEYS[n]]["items"][appeal]["id"] for n in networks}
    for network in networks:     # the appeal has ended: the rebuilt feeds say so
        add_item_sharing_a_url(root, network, "UPDATE: found safe and well. {url}", "")
        path = root / f"built/main/social/{KEYS[network]}.json"
        feed = json.loads(path.read_text())
        feed["items"][0]["id"] = appeal + "/resolved"
        path.write_text(json.dumps(feed))
    out, err = io.StringIO(), io.StringIO()
    code = delete_ended_command(root, live=True, env=ENV, out=out, err=err)
    assert code == 1                 # Instagram's are still up
    assert graph.deleted == [made["facebook"], made["threads"]], graph.problems
    assert ("DELETE", f"/v1.0/{made['threads']}") in graph.log   # Threads' own host and version
    for network in ("facebook", "threads"):
        assert made[network] not in graph.published[network]
        assert ledger_of(root)["accounts"][KEYS[network]]["items"][appeal]["state"] == "deleted"
    assert f"{KEYS['facebook']}: deleted https://www.facebook.com/{made['facebook']}" in out.getvalue()
    assert f"{KEYS['threads']}: deleted https://www.threads.net/@wmpolice/post/{made['threads']}" in out.getvalue()
    assert made["instagram"] in graph.published["instagram"]
    assert f"{KEYS['instagram']}: not deleted: Instagram's API cannot delete published posts; delete these by " \
        "hand" in err.getvalue()
    assert ledger_of(root)["accounts"][KEYS["instagram"]]["items"][appeal]["state"] == "posted"


def test_a_threads_delete_that_meta_refuses_keeps_the_post_in_the_ledger(tmp_path, graph):
    from wmpsite.publish.ended import delete_ended_command
    root = project(tmp_path, graph, networks=("threads",))
    appeal = "tag:west-midlands.police.uk,2026-11-01:appeal/missing-woman"
    path = root / f"built/main/social/{KEYS['threads']}.json"
    feed = json.loads(path.read_text())
    feed["items"][0]["id"] = appeal
    path.write_text(json.dumps(feed))
    assert post(root)[0] == 0
    made = ledger_of(root)["accounts"][KEYS["threads"]]["items"][appeal]["id"]
    add_item_sharing_a_url(root, "threads", "UPDATE: found safe and well. {url}", "")
    feed = json.loads(path.read_text())
    feed["items"][0]["id"] = appeal + "/resolved"
    path.write_text(json.dumps(feed))
    graph.published["threads"].remove(made)   # deleted in the app meanwhile: Meta refuses the call
    out, err = io.StringIO(), io.StringIO()
    assert delete_ended_command(root, live=True, env=ENV, out=out, err=err) == 1
    assert f"{KEYS['threads']}: Threads answered 400" in err.getvalue() and "run again later" in err.getvalue()
    assert ledger_of(root)["accounts"][KEYS["threads"]]["items"][appeal]["state"] == "posted"
    assert graph.problems == [f"threads: cannot delete {made}"]
    graph.problems.clear()           # the one refusal this test asked for


# --- what may be posted ---------------------------------------------------------------------

def test_an_instagram_item_without_an_image_is_refused_and_stays_queued(tmp_path, graph):
    root = project(tmp_path, graph, networks=("instagram",))
    path = root / f"built/main/social/{KEYS['instagram']}.json"
    feed = json.loads(path.read_text())
    del feed["items"][2]["image"]                    # the third oldest
    path.write_text(json.dumps(feed))
    code, out, err = post(root)
    assert code == 1
    assert err.splitlines()[0] == (
        "instagram:@wmpolice: tag:west-midlands.police.uk,2026:news/caerdydd-apel: Instagram posts need an image "
        "and this item has none (its feed item gives no 'image'); give the item an image, or its share card, "
        "and build again; 3 post(s) wait for it.")
    assert graph.texts("instagram") == texts("instagram")[:2]
    assert "tag:west-midlands.police.uk,2026:news/caerdydd-apel" not in \
        ledger_of(root)["accounts"][KEYS["instagram"]]["items"]
    code, out, err = post(root, "--dry", env={})        # a dry run says the same
    assert code == 1 and "Instagram posts need an image" in err


def fill(root: Path, key: str, account: str, count: int, at: dt.datetime, **extra) -> None:
    """A ledger in which the account made `count` posts at `at`."""
    items = {f"tag:old,2026:{n}": {"state": "posted", "at": at.isoformat(timespec="seconds"), "id": str(n)}
             for n in range(count)}
    data = {"about": "", "version": 1, "accounts": {key: {"account": account, "cutoff": SINCE.isoformat(),
                                                          "items": items, **extra}}}
    (root / "state").mkdir(exist_ok=True)
    (root / "state" / LEDGER_NAME).write_text(json.dumps(data))


@pytest.mark.parametrize("network, limit", [("instagram", 50), ("threads", 250)])
def test_the_daily_limit_holds_the_rest_for_a_later_run(tmp_path, graph, network, limit):
    root = project(tmp_path, graph, networks=(network,))
    now = dt.datetime(2026, 3, 20, 12, tzinfo=dt.timezone.utc)
    fill(root, KEYS[network], ACCOUNTS[network], limit - 2, now - dt.timedelta(hours=23))
    name = network.capitalize()
    code, out, err = post(root, since=None, clock=lambda: now)
    assert (code, err) == (0, "")
    assert f"  (not posted now: {name} takes {limit} posts a day from an account through its API and " \
           f"{limit - 2} were made in the last 24 hours; 3 post(s) wait for a run after 2026-03-20 " \
           "13:00)" in out
    assert graph.texts(network) == texts(network)[:2]
    # An hour later the earlier posts are a day old: the rest go, oldest first.
    code, out, err = post(root, since=None, clock=lambda: now + dt.timedelta(hours=1, minutes=1))
    assert (code, err) == (0, "") and "not posted now" not in out
    assert graph.texts(network) == texts(network)


def test_the_daily_limit_counts_in_a_dry_run_too(tmp_path, graph):
    root = project(tmp_path, graph, networks=("instagram",))
    now = dt.datetime(2026, 3, 20, 12, tzinfo=dt.timezone.utc)
    fill(root, KEYS["instagram"], ACCOUNTS["instagram"], 49, now - dt.timedelta(hours=2))
    code, out, err = post(root, "--dry", env={}, since=None, clock=lambda: now)
    assert (code, err) == (0, "") and graph.log == []
    assert out.count("  would post ") == 1 and "4 post(s) wait for a run after 2026-03-21 10:00" in out
    assert "\n    (with the image https://www.west-midlands.police.uk/social/cards/bike-marking.jpg)\n" in out


# --- X's monthly spend cap ------------------------------------------------------------------

def x_project(tmp_path: Path, cap: str, cost: str = "") -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    with open(root / "site.toml", "a", encoding="utf-8") as handle:
        handle.write(f'\n[publish]\n\n[[publish.accounts]]\naccount = "x:@WMPolice"\ncredentials = "WMP_X_MAIN"\n'
                     f"{cap}\n{cost}\n")
    return root


def x_post(root: Path, *args: str, **kwargs):
    return post(root, *args, **{"env": X_ENV, **kwargs})


def test_x_spend_is_kept_per_london_month_and_the_cap_holds_posts(tmp_path, server, local_x):
    """Against test_publish.py's local X (a verified OAuth 1.0a signature on each post): the dry run
    counts against the cap as a live run would; spend is recorded per London month as posts are made."""
    root = x_project(tmp_path, "monthly_cap = 1", "post_cost = 0.3")
    # 00:30 on 1 April in London is still 31 March in UTC: the spend goes to April.
    april = dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.timezone.utc)
    fill(root, "x-wmpolice", "x:@WMPolice", 0, april, spend={"2026-03": "0.90"})
    code, out, err = x_post(root, "--dry", env={}, clock=lambda: april)
    assert (code, err) == (0, "") and server.log == []
    assert out.count("  would post ") == 3
    assert "  ($0.00 of its $1.00 monthly cap is spent in April 2026; 3 post(s) at $0.30 add $0.90)" in out
    assert "  (not posted now: its monthly cap is $1.00 and $0.00 is spent in April 2026 at $0.30 a post; 2 " \
           "post(s) wait for 1 May 2026, or a higher monthly_cap in site.toml)" in out
    code, out, err = x_post(root, clock=lambda: april)
    assert (code, err) == (0, "")
    assert server.texts("x", "WMPolice") == x_texts("x-wmpolice")[:3]
    assert ledger_of(root)["accounts"]["x-wmpolice"]["spend"] == {"2026-03": "0.90", "2026-04": "0.90"}
    code, out, err = x_post(root, since=None, clock=lambda: april + dt.timedelta(days=1))
    assert (code, err) == (0, "") and len(server.posts["x"]) == 3 and "$0.90 is spent in April 2026" in out
    code, out, err = x_post(root, since=None, clock=lambda: dt.datetime(2026, 5, 1, 0, 5, tzinfo=dt.timezone.utc))
    assert (code, err) == (0, "")
    assert server.texts("x", "WMPolice") == x_texts("x-wmpolice")
    assert ledger_of(root)["accounts"]["x-wmpolice"]["spend"]["2026-05"] == "0.60"


def test_x_without_a_cap_records_its_spend_at_the_default_cost(tmp_path, server, local_x):
    root = x_project(tmp_path, "")
    code, out, err = x_post(root, clock=lambda: dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc))
    assert (code, err) == (0, "") and "monthly cap" not in out
    assert ledger_of(root)["accounts"]["x-wmpolice"]["spend"] == {"2026-06": "1.00"}     # 5 x 0.20


@pytest.mark.parametrize("table, message", [
    ('account = "x:@WMPolice"\ncredentials = "A"\nmonthly_cap = "20"',
     "'publish.accounts[2].monthly_cap': expected an amount in dollars like 20 or 0.20, of at least 0 and at most "
     "100000, found '20'"),
    ('account = "x:@WMPolice"\ncredentials = "A"\npost_cost = 0',
     "'publish.accounts[2].post_cost': expected an amount in dollars like 20 or 0.20, of at least 0.01"),
    ('account = "bluesky:@a.bsky.social"\ncredentials = "A"\nmonthly_cap = 20',
     "'bluesky:@a.bsky.social': monthly_cap is for X accounts, the network that charges per post"),
    ('account = "facebook:West Midlands Police"\ncredentials = "A"',
     "'facebook:West Midlands Police': a Facebook account needs id, its number on Meta's Graph API (docs/social.md "
     "says where to find it)"),
    ('account = "threads:@wmpolice"\ncredentials = "A"\nid = "me"',
     "'publish.accounts[2].id': expected a number like '104712345678901', found 'me'"),
    ('account = "x:@WMPolice"\ncredentials = "A"\nid = "12"',
     "'x:@WMPolice': id is for Facebook, Instagram and Threads accounts"),
])
def test_publish_account_errors_name_site_toml_and_the_line(tmp_path, capsys, table, message):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    first = '[[publish.accounts]]\naccount = "x:@WMPCoventry"\ncredentials = "B"\nmonthly_cap = 5\n'
    with open(root / "site.toml", "a", encoding="utf-8") as handle:
        handle.write(f"\n[publish]\n\n{first}\n[[publish.accounts]]\n{table}\n")
    lines = (root / "site.toml").read_text().splitlines()
    key = message.split("'")[1].rsplit(".", 1)[-1] if message.startswith("'publish.") else \
        next((k for k in ("monthly_cap", "id") if f": {k} is for" in message), None)   # else the table's line
    header = len(lines) - lines[::-1].index("[[publish.accounts]]")
    line = next((n for n, text in enumerate(lines, 1) if n > header and text.startswith(f"{key} =")), header)
    assert cli.main(["post", "--source", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"site.toml:{line}: {message}" in err, err
    assert "Traceback" not in err
