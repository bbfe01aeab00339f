"""`serve`: the site in memory (devsite.py), served with live reload; every change updates it.

Pages are rendered when the browser asks for them, so none is ever stale, and
while the content has errors the browser is shown the numbered error list
instead of any page. Everything is served from one origin: LPU sites with
their own address are folded under the main site. Files are watched with
watchdog (inotify on Linux), and the browser is told over livereload's
websocket the moment an update is in memory.
"""

from __future__ import annotations

import datetime as dt
import errno
import html
import mimetypes
import queue
import socket
import threading
import time
from pathlib import Path

from wmpsite.serve.devsite import DevSite, unexpected
from wmpsite.core.errors import BuildFailed, ContentError, MachineFailed, format_errors
from wmpsite.core.urls import MAIN

#: Folders and files whose changes update the site.
WATCHED = ("site.toml", "content", "templates", "static")
#: How long to wait after a change for more (an editor's save can be several writes), in seconds.
SETTLE = 0.05
#: How long the full check after a fast update waits, so the browser's reload is served first.
FINISH_AFTER = 0.3


def error_page(errors: list[ContentError]) -> bytes:
    """The page the browser shows while the content has errors."""
    items = "\n".join(f"<li><code>{html.escape(str(e))}</code></li>" for e in errors)
    noun = "error" if len(errors) == 1 else "errors"
    return (f"<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Build failed: {len(errors)} {noun}</title></head>\n<body>"
            f"<main><h1>The site could not be built: {len(errors)} {noun}</h1>"
            f"<p>Fix these and save; this page reloads by itself.</p><ol>{items}</ol></main>"
            f"</body></html>\n").encode("utf-8")


def make_app(site: DevSite):
    """A WSGI app serving the main site from `site`, or the error page while the content is broken."""

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        try:
            path = path.encode("latin-1").decode("utf-8")  # WSGI hands over the URL's bytes as Latin-1
        except UnicodeError:
            pass
        wants_page = path.endswith("/") or path.endswith(".html") or "." not in path.rsplit("/", 1)[-1]
        errors = site.errors
        if errors and wants_page:
            return _respond(start_response, "500 Build failed", error_page(errors), "text/html")
        try:
            status, found = "200 OK", _find(site, path)
            if found is None:
                status, found = "404 Not Found", site.file(f"{MAIN}/404.html")
        except BuildFailed as failed:  # a page that cannot be rendered (a template problem): say why
            return _respond(start_response, "500 Build failed", error_page(failed.errors), "text/html")
        except Exception as exc:
            return _respond(start_response, "500 Build failed", error_page([unexpected(exc)]), "text/html")
        if found is None:
            return _respond(start_response, "404 Not Found", b"Not found", "text/plain")
        name, body = found
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            # Live reload injects an inline script; allow it here only, never in a real build.
            body = body.replace(b"script-src 'self'", b"script-src 'self' 'unsafe-inline'", 1)
        return _respond(start_response, status, body, kind)

    return app


def _respond(start_response, status: str, body: bytes, kind: str):
    if kind == "text/html":
        kind += "; charset=utf-8"
    start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
    return [body]


def _find(site: DevSite, path: str) -> tuple[str, bytes] | None:
    """The output file a URL path asks for, as (its name, its bytes): a folder's index.html, or the file."""
    relative = path.lstrip("/")
    if ".." in relative.split("/"):
        return None
    names = [relative + "index.html"] if relative == "" or relative.endswith("/") else \
        [relative, relative + "/index.html"]
    for name in names:
        found = site.file(f"{MAIN}/{name}")
        if found is not None:
            return name, found[1]
    return None


class Updater:
    """Takes the changed paths from the watcher, updates the site, and tells the browsers."""

    def __init__(self, site: DevSite, notify=lambda path: None):
        self.site, self.notify = site, notify
        self.changes: queue.Queue[str] = queue.Queue()
        self.unfinished = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._update_forever, name="wmpsite-update", daemon=True).start()
        threading.Thread(target=self._finish_forever, name="wmpsite-finish", daemon=True).start()

    def update(self, paths: set[str]) -> str:
        """Apply one batch of changes; tell the browsers if what they see changed."""
        started = time.perf_counter()
        outcome = self.site.update(Path(p) for p in paths)
        if outcome == "none":
            return outcome
        took = time.perf_counter() - started
        named = sorted(paths)[0] if len(paths) == 1 else f"{len(paths)} files"
        self._report(f"Updated ({outcome}) after {named} changed, in {took:.2f} s.")
        self.notify(next((p for p in sorted(paths) if p.endswith(".md")), "*"))
        if outcome in ("fast", "early"):
            self.unfinished.set()
        return outcome

    def finish(self) -> None:
        """Check and plan in full after fast or early updates; tell the browsers if errors came or went,
        or if the update was early (the full plan may have moved the item in lists and feeds)."""
        before = self.site.errors
        started = time.perf_counter()
        early = self.site.finish()
        if early or self.site.errors != before:
            self._report(f"Checked in full in {time.perf_counter() - started:.2f} s.")
            self.notify("*")

    def _report(self, line: str) -> None:
        errors = self.site.errors
        print(format_errors(errors) if errors else line, flush=True)

    def _update_forever(self) -> None:
        while True:
            paths = {self.changes.get()}
            while True:  # until the changes settle
                try:
                    paths.add(self.changes.get(timeout=SETTLE))
                except queue.Empty:
                    break
            try:
                self.update(paths)
            except Exception as exc:  # keep serving; the next save tries again
                print(f"wmpsite: could not update: {type(exc).__name__}: {exc}", flush=True)

    def _finish_forever(self) -> None:
        while True:
            self.unfinished.wait()
            time.sleep(FINISH_AFTER)
            self.unfinished.clear()
            try:
                self.finish()
            except Exception as exc:
                print(f"wmpsite: could not check: {type(exc).__name__}: {exc}", flush=True)


def watch(root: Path, changes: queue.Queue):
    """Start watching WATCHED under `root`; each changed path goes into `changes`. Returns the observer."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.event_type in ("opened", "closed_no_write") or (event.is_directory and
                                                                     event.event_type in ("modified", "closed")):
                return  # reading a file, or a folder's listing changing: its files say what changed
            for path in (event.src_path, getattr(event, "dest_path", "")):
                if path and _watched(root, Path(path)):
                    changes.put(path)

    observer = Observer()
    observer.daemon = True
    observer.schedule(Handler(), str(root), recursive=False)  # site.toml, and folders made later
    for name in WATCHED:
        if (root / name).is_dir():
            observer.schedule(Handler(), str(root / name), recursive=True)
    observer.start()
    return observer


def _watched(root: Path, path: Path) -> bool:
    try:
        first = path.absolute().relative_to(root).parts[0]
    except (ValueError, IndexError):
        return False
    return first in WATCHED


def check_port(host: str, port: int) -> None:
    """Raise MachineFailed, saying why in plain words, if `serve` cannot listen on host:port; bind as the
    server will (tornado's bind_sockets), then let go."""
    from tornado.netutil import bind_sockets

    try:
        for sock in bind_sockets(port, host):
            sock.close()
    except OSError as exc:
        raise port_failure(exc, host, port) from exc


def port_failure(exc: OSError, host: str, port: int) -> MachineFailed:
    """What to tell an editor when the server cannot listen on host:port."""
    if exc.errno == errno.EADDRINUSE:
        other = port + 1 if port < 65535 else 8000
        return MachineFailed(f"port {port} on {host} is already in use: another `serve`, or another program, is "
                             "listening on it. Stop that one, or serve on another port with --port, like "
                             f"--port {other}.")
    if exc.errno in (errno.EACCES, errno.EPERM):
        kept = " (ports below 1024 are kept for the system)" if port < 1024 else ""
        return MachineFailed(f"wmpsite may not listen on port {port} here{kept}. Serve on another port with --port, "
                             "like --port 8000.")
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return MachineFailed(f"this machine has no address '{host}' to serve on. Leave out --host to serve on "
                             "127.0.0.1, or give one of this machine's own addresses.")
    return MachineFailed(f"cannot serve on {host}:{port}: {exc.strerror or exc}. Try another port with --port.")


def serve(root: Path, *, host: str = "127.0.0.1", port: int = 8000, now: dt.datetime | None = None,
          jobs: int = 1) -> None:
    """Load the site, serve it on host:port with live reload, and update it on every change until stopped."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    root = root.resolve()
    check_port(host, port)  # before loading: a busy port is said at once
    started = time.perf_counter()
    site = DevSite(root, now=now, jobs=jobs)
    state = site.current[0]
    print(format_errors(site.errors) if site.errors else
          f"Loaded {len(state.pages):,} pages in {time.perf_counter() - started:.1f} s.", flush=True)

    class Browsers(Watcher):
        """livereload's watcher, told of changes by the Updater instead of polling the disk."""

        loop = None

        def __init__(self):
            super().__init__()
            self._tasks = {str(root): {}}  # not empty, or livereload would watch the working folder

        def start(self, callback):
            self.loop = IOLoop.current()
            return True  # no polling

        def examine(self):
            return None, None

        def notify(self, path: str) -> None:
            if self.loop is not None:  # straight to the browsers: livereload's own throttle drops quick edits
                self.loop.add_callback(LiveReloadHandler.reload_waiters, path)

    browsers = Browsers()
    updater = Updater(site, browsers.notify)
    updater.start()
    watch(root, updater.changes)
    server = Server(app=make_app(site), watcher=browsers)
    print(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    try:
        server.serve(host=host, port=port, debug=False, open_url_delay=None)
    except OSError as exc:  # another program took the port while the site loaded
        raise port_failure(exc, host, port) from exc
