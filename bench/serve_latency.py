"""How fast `serve` shows an edit: one content file edited must reach the browser in under 0.5 s.

    .venv/bin/python bench/serve_latency.py                      # the reference force, livereload protocol
    .venv/bin/python bench/serve_latency.py --browser            # the same in headless Debian chromium
    .venv/bin/python bench/serve_latency.py --scale 2 --edits 3  # a quick run

It copies the generated force (bench/generate.py, as bench/run.py makes it) to a folder of its
own, so the edits never touch the force the build benchmark uses, and starts `build.py serve` on
127.0.0.1 with its own Markdown cache (warm after the first run). Then, `--edits` times, it
rewrites the newest force-wide news story with one paragraph changed and measures, from just
before the file is written:

- with the livereload protocol (the default): until the server's `reload` message arrives on
  livereload's websocket, as livereload.js receives it, and until the story's page, fetched
  after that message, holds the new paragraph;
- with `--browser`: until headless chromium, showing the story with livereload.js, has reloaded
  it and the new paragraph is on the page.

`--date-edits` then also changes the story's time of publication that many times, which moves it
in lists and feeds: the story's page shows the edit at once (the early path, wmpsite/serve/devsite.py)
and the browser reloads again when the whole site is re-checked and re-planned; both are measured
(with the livereload protocol, `settled` is the second reload). The server's own log
(`--work`/logs/serve-latency.log) says how long each update took inside it, including the full
re-plans that new, deleted or moved files need.

Exit codes: 0 measured; 1 the server failed or an edit never showed; 2 wrong usage.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from force_plan import NOW, parse_scale  # noqa: E402
import run  # noqa: E402  (prepare: the same generated force as the build benchmark)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def newest_story(project: Path) -> tuple[Path, str]:
    """The newest force-wide news story and its page's path on the dev server."""
    story = sorted((project / "content" / "news").glob("*.md"))[-1]
    slug = re.search(r"^slug: *(\S+)", story.read_text(), re.M)
    return story, f"/news/{slug.group(1) if slug else story.stem[11:]}/"


class Edits:
    """Rewrites one file from its original text, each time with something new in it."""

    def __init__(self, story: Path):
        self.story, self.original = story, story.read_text()

    def body(self, n: int) -> str:
        marker = f"Serve latency check {n} at {time.time_ns()}"
        self.story.write_text(self.original + f"\n{marker}.\n")
        return marker

    def date(self, n: int) -> str:
        """Another time on the same day, and the text: the story moves in lists and feeds."""
        marker = f"Serve latency check {n} at {time.time_ns()}"
        moved = re.sub(r"^date: (\d{4}-\d{2}-\d{2}).*$", rf"date: \1 23:{n % 60:02d}", self.original, count=1,
                       flags=re.M)
        self.story.write_text(moved + f"\n{marker}.\n")
        return marker

    def restore(self) -> None:
        self.story.write_text(self.original)


async def livereload_edits(port: int, path: str, edit, count: int, gap: float, settles: bool = False) -> list[dict]:
    """Edit `count` times; each time, the seconds until livereload's reload, and until the page has the edit
    (and with `settles`, until the second reload, once the whole site is planned again)."""
    from tornado.websocket import websocket_connect

    url = f"http://127.0.0.1:{port}{path}"
    ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    hello = json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
    await ws.write_message(hello)
    await ws.read_message()
    await ws.write_message(json.dumps({"command": "info", "url": url, "plugins": {}}))
    await ws.write_message(hello)  # answered after the info above is taken in: registered from here on
    await ws.read_message()
    results = []
    for n in range(count):
        await asyncio.sleep(gap)  # the background check of the last edit ends, as it would while an editor types
        while True:  # drop what that check said
            try:
                await asyncio.wait_for(ws.read_message(), 0.01)
            except asyncio.TimeoutError:
                break
        started = time.perf_counter()
        marker = edit(n)
        while True:
            message = json.loads(await asyncio.wait_for(ws.read_message(), 120))
            if message.get("command") == "reload":
                break
        told = time.perf_counter() - started
        while True:  # the browser's request after the reload message
            status, body = await asyncio.to_thread(fetch, url)
            if marker in body:
                break
            if status == 500:
                raise RuntimeError(f"{url} shows the error page; see the server's log")
            if time.perf_counter() - started > 120:
                raise RuntimeError(f"the edit never showed on {url} (status {status})")
            await asyncio.sleep(0.02)
        results.append({"reload": told, "page": time.perf_counter() - started, "status": status})
        if settles:
            while json.loads(await asyncio.wait_for(ws.read_message(), 120)).get("command") != "reload":
                pass
            results[-1]["settled"] = time.perf_counter() - started
        print(f"  edit {n + 1}: reload message after {told * 1000:6.0f} ms, "
              f"page with the edit after {results[-1]['page'] * 1000:6.0f} ms"
              + (f", second reload after {results[-1]['settled'] * 1000:6.0f} ms" if settles else ""), flush=True)
    ws.close()
    return results


def browser_edits(port: int, path: str, edit, count: int, gap: float) -> list[dict]:
    """Edit `count` times with the story open in headless chromium; the seconds until it shows the edit."""
    sys.path.insert(0, str(ROOT / "tests" / "quality"))
    import tools  # tests/quality/tools.py: Debian chromium under Playwright, never a downloaded browser

    results = []
    with tools.launch_chromium() as browser:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}{path}")
        page.wait_for_function("() => window.LiveReload && window.LiveReload.connector && "
                               "window.LiveReload.connector._connectionDesired")
        for n in range(count):
            time.sleep(gap)
            with page.expect_event("load", timeout=120_000):
                started = time.perf_counter()
                marker = edit(n)
            page.wait_for_function("m => document.body.innerText.includes(m)", arg=marker, timeout=120_000)
            results.append({"page": time.perf_counter() - started})
            print(f"  edit {n + 1}: chromium shows the edit after {results[-1]['page'] * 1000:6.0f} ms", flush=True)
    return results


def summary(results: list[dict], key: str) -> dict:
    values = [r[key] for r in results]
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Exit codes: 0 measured; 1 the server failed or an edit never "
                                            "showed; 2 wrong usage.")
    parser.add_argument("--scale", type=parse_scale, default=parse_scale("ref"),
                        help="the force's size: 1 is about the demo, 'ref' (200, the default) the reference")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edits", type=int, default=7, help="text edits to measure (default 7)")
    parser.add_argument("--date-edits", type=int, default=3,
                        help="edits that also change the date, to measure (default 3)")
    parser.add_argument("--gap", type=float, default=8.0,
                        help="seconds between edits, for the last one's background check (default 8)")
    parser.add_argument("--browser", action="store_true", help="measure in headless Debian chromium")
    parser.add_argument("--work", type=Path, default=BENCH / "_work")
    args = parser.parse_args(argv)

    folder, _ = run.prepare(args.work, args.scale, args.seed)
    project = args.work / f"serve-{args.scale:g}-seed{args.seed}"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(folder / "wmpsite", project, ignore=shutil.ignore_patterns(".cache"))
    log = args.work / "logs" / "serve-latency.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = dict(os.environ, WMPSITE_CACHE_DIR=str(args.work / "serve-cache"))
    started = time.perf_counter()
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--source", str(project),
                                   "--port", str(port), "--now", NOW.isoformat()],
                                  stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        story, path = newest_story(project)
        while True:
            if server.poll() is not None:
                print(f"serve exited with {server.returncode}; see {log}", file=sys.stderr)
                return 1
            try:
                status, body = fetch(f"http://127.0.0.1:{port}{path}")
                break
            except OSError:
                time.sleep(0.2)
        ready = time.perf_counter() - started
        if status != 200:
            print(f"{path} answered {status}; see {log}", file=sys.stderr)
            return 1
        print(f"serve ready after {ready:.1f} s; editing {story.relative_to(project)} ({path})", flush=True)
        edits = Edits(story)
        try:
            if args.browser:
                text = browser_edits(port, path, edits.body, args.edits, args.gap)
                moved = browser_edits(port, path, edits.date, args.date_edits, args.gap) \
                    if args.date_edits else []
            else:
                text = asyncio.run(livereload_edits(port, path, edits.body, args.edits, args.gap))
                moved = asyncio.run(livereload_edits(port, path, edits.date, args.date_edits, args.gap, True)) \
                    if args.date_edits else []
        except RuntimeError as exc:
            print(f"{exc} ({log})", file=sys.stderr)
            return 1
        finally:
            edits.restore()
        memory = {key: int(value.split()[0]) * 1024 for key, value in
                  (line.split(":", 1) for line in Path(f"/proc/{server.pid}/status").read_text().splitlines())
                  if key in ("VmHWM", "VmRSS")}
    finally:
        server.terminate()
        server.wait(30)
    result = {"scale": args.scale, "seed": args.seed, "how": "chromium" if args.browser else "livereload",
              "ready": ready, "text": summary(text, "page"), "date": summary(moved, "page") if moved else None,
              "text_reload": None if args.browser else summary(text, "reload"),
              "date_settled": summary(moved, "settled") if moved and "settled" in moved[0] else None,
              "load": os.getloadavg()[0], "peak_rss": memory.get("VmHWM")}
    (args.work / "serve_latency.json").write_text(json.dumps(result, indent=1))
    print(f"\nserve at scale {args.scale:g}, measured with {result['how']}: ready after {ready:.1f} s; "
          f"peak memory of the server process {memory.get('VmHWM', 0) / 2**20:,.0f} MiB")
    for name, values in (("text edit", result["text"]), ("date edit", result["date"])):
        if values:
            print(f"  {name}: the page shows it after {values['median'] * 1000:.0f} ms (median of {values['n']}; "
                  f"{values['min'] * 1000:.0f}-{values['max'] * 1000:.0f} ms)")
    if result["date_settled"]:
        print(f"  date edit: the second reload, with lists and feeds planned again, after "
              f"{result['date_settled']['median'] * 1000:.0f} ms (median)")
    if result["text_reload"]:
        print(f"  text edit: livereload's reload message after {result['text_reload']['median'] * 1000:.0f} ms "
              f"(median)")
    print(f"  target: under 500 ms for an edit to one content file: "
          f"{'met' if result['text']['median'] < 0.5 else 'not met'} for text edits" +
          (f", {'met' if result['date']['median'] < 0.5 else 'not met'} for date edits" if result["date"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
