"""`serve`: rebuild on every change into a fresh folder, serve it with live reload.

A rebuild that fails leaves the last good site in place on disk, but the
browser is shown the numbered error list instead, so an editor never mistakes
a stale page for their change. Everything is served from one origin: LPU
sites with their own address are folded under the main site.
"""

from __future__ import annotations

import datetime as dt
import html
import mimetypes
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildFailed, ContentError, format_errors

#: Folders and files whose changes trigger a rebuild.
WATCHED = ("site.toml", "content", "templates", "static")


@dataclass
class DevState:
    """What the dev server is showing: the site folder, and the errors of the last build if it failed."""

    site_dir: Path
    errors: list[ContentError] | None = None
    builds: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def rebuild(root: Path, out: Path, state: DevState, now: dt.datetime | None = None, jobs: int = 1) -> None:
    """Run a full build into `out`; on failure keep the old files and record the errors."""
    from . import pipeline

    with state.lock:
        try:
            pipeline.build(root, out, now=now, single_origin=True, jobs=jobs)
            state.errors = None
        except BuildFailed as failed:
            state.errors = failed.errors
        except Exception as exc:  # the editor sees it in the browser, not as a traceback
            state.errors = [ContentError("wmpsite", f"the build failed unexpectedly: {type(exc).__name__}: {exc}",
                                         hint="this is a bug in wmpsite; tell the site's developers")]
        state.builds += 1
        if state.errors:
            print(format_errors(state.errors), flush=True)
        else:
            print(f"Rebuilt ({state.builds}).", flush=True)


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


def make_app(state: DevState):
    """A WSGI app serving the built main site, or the error page while the build is broken."""

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        wants_page = path.endswith("/") or path.endswith(".html") or "." not in path.rsplit("/", 1)[-1]
        if state.errors and wants_page:
            body = error_page(state.errors)
            start_response("500 Build failed", [("Content-Type", "text/html; charset=utf-8"),
                                                ("Cache-Control", "no-store")])
            return [body]
        status, file = "200 OK", _resolve(state.site_dir, path)
        if file is None:
            status, file = "404 Not Found", state.site_dir / "404.html"
        if file is None or not file.is_file():
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"Not found"]
        body = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            # Live reload injects an inline script; allow it here only, never in a real build.
            body = body.replace(b"script-src 'self'", b"script-src 'self' 'unsafe-inline'", 1)
            kind += "; charset=utf-8"
        start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [body]

    return app


def _resolve(site_dir: Path, path: str) -> Path | None:
    relative = Path(path.lstrip("/"))
    if ".." in relative.parts:
        return None
    candidate = site_dir / relative
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def serve(root: Path, *, host: str = "127.0.0.1", port: int = 8000, now: dt.datetime | None = None,
          jobs: int = 1) -> None:
    """Build, serve on host:port with live reload, and rebuild on every change until stopped."""
    from livereload import Server

    out = Path(tempfile.mkdtemp(prefix="wmpsite-serve-")) / "site"
    state = DevState(out / "main")
    rebuild(root, out, state, now, jobs)
    server = Server(app=make_app(state))
    for name in WATCHED:
        if (root / name).exists():
            server.watch(str(root / name), lambda: rebuild(root, out, state, now, jobs), delay=0.2)
    print(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    server.serve(host=host, port=port, debug=False, open_url_delay=None)
