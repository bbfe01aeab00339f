"""Find and run the real checking tools: the Nu Html Checker, Debian chromium, axe-core.

Shared by every test that checks built output with a real tool (tests/quality/)
and by scripts/screenshots.py. Nothing here downloads anything: the tools are
installed by scripts/install-test-tools.sh (`make test` runs it).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO_ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")

#: What makes up the demo force beside the theme: a copy of these builds as the demo does.
DEMO_FILES = ("site.toml", "accessibility-tested.toml")
DEMO_FOLDERS = ("content", "static", "templates")

INSTALL_HINT = "run `make test` or `bash scripts/install-test-tools.sh`"

# Flags for Debian chromium on our machines (shared/TOOLING.md): without the
# networking ones it floods the closed network with refused connections.
# Playwright adds a fresh --user-data-dir itself.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}

LOCAL_HOSTS = {"127.0.0.1"}
# Requests that never leave the page: inline data, object URLs.
LOCAL_SCHEMES = {"data", "blob", "about"}


def copy_demo(root: Path, folders: tuple[str, ...] = DEMO_FOLDERS) -> Path:
    """A copy of the demo force at `root` (a new folder): its DEMO_FILES and `folders`."""
    root.mkdir(parents=True)
    for name in DEMO_FILES:
        shutil.copy(REPO_ROOT / name, root / name)
    for folder in folders:
        shutil.copytree(REPO_ROOT / folder, root / folder)
    return root


# --- missing tools: fail in CI, skip elsewhere --------------------------------


def in_ci() -> bool:
    """Tell whether we run in CI (CI set to anything but '', '0' or 'false')."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def missing_tool(message: str) -> None:
    """Fail (in CI) or skip (elsewhere) because a real tool is not installed.

    In CI a skipped quality test would pass silently without checking anything,
    so there a missing tool is an error.
    """
    text = f"{message} ({INSTALL_HINT})"
    if in_ci():
        pytest.fail(f"CI=true but {text}", pytrace=False)
    pytest.skip(text)


def find_java() -> str | None:
    """Return the path of a `java` command, or None."""
    return shutil.which("java")


def find_vnu_jar() -> Path | None:
    """Return the Nu Html Checker's jar installed by npm, or None."""
    return VNU_JAR if VNU_JAR.is_file() else None


def find_axe() -> Path | None:
    """Return axe-core's browser bundle installed by npm, or None."""
    return AXE_JS if AXE_JS.is_file() else None


def find_chromium() -> Path | None:
    """Return Debian's chromium, or None. Never a browser downloaded by Playwright."""
    return CHROMIUM if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK) else None


def require_vnu() -> tuple[str, Path]:
    """Return (java, vnu.jar), or fail/skip naming what is missing."""
    java, jar = find_java(), find_vnu_jar()
    if java is None:
        missing_tool("no `java` on PATH for the Nu Html Checker")
    if jar is None:
        missing_tool(f"no Nu Html Checker at {VNU_JAR.relative_to(REPO_ROOT)}")
    return java, jar  # type: ignore[return-value]


def require_browser() -> tuple[Path, Path]:
    """Return (chromium, axe.min.js), or fail/skip naming what is missing."""
    chromium, axe = find_chromium(), find_axe()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing_tool("the Python package playwright is not installed (pip install -e '.[test]')")
    if chromium is None:
        missing_tool(f"no Debian chromium at {CHROMIUM}")
    if axe is None:
        missing_tool(f"no axe-core at {AXE_JS.relative_to(REPO_ROOT)}")
    return chromium, axe  # type: ignore[return-value]


# --- the Nu Html Checker ------------------------------------------------------


@dataclass(frozen=True)
class VnuMessage:
    """One error reported by the Nu Html Checker."""

    file: str  # relative to the checked folder
    line: int | None
    message: str
    extract: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


def run_vnu(folder: Path, *, timeout: float = 1800) -> list[VnuMessage]:
    """Check every HTML file under folder in one JVM; return the errors found.

    Example: ``errors = run_vnu(built_site); assert not errors``.
    """
    java, jar = require_vnu()
    folder = Path(folder).resolve()
    cmd = [
        java, "-jar", str(jar),
        "--errors-only", "--skip-non-html", "--format", "json", "--stdout",
        str(folder),
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    try:
        report = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError as exc:
        raise RuntimeError(
            f"vnu printed no JSON (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        ) from exc
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"vnu failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    messages = []
    for item in report.get("messages", []):
        if item.get("type") == "info":  # warnings; not with --errors-only
            continue
        url = item.get("url", "")
        path = Path(urlsplit(url).path) if url.startswith("file:") else Path(url)
        try:
            name = path.relative_to(folder).as_posix()
        except ValueError:
            name = url or "(no file)"
        messages.append(
            VnuMessage(
                file=name,
                line=item.get("lastLine") or item.get("firstLine"),
                message=item.get("message", "").strip(),
                extract=(item.get("extract") or "").strip(),
            )
        )
    if proc.returncode == 1 and not messages:
        raise RuntimeError(f"vnu exited 1 but reported nothing:\n{proc.stderr[-2000:]}")
    return sorted(messages, key=lambda m: (m.file, m.line or 0, m.message))


# --- a local server -----------------------------------------------------------


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve a built site like a static host: quietly, with its 404.html for misses."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve folder at / on 127.0.0.1 on a free port; yield the base URL ending in '/'.

    Example: ``with serve(site / "main") as base: page.goto(base + "news/")``.
    """
    handler = functools.partial(_SiteHandler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the browser --------------------------------------------------------------


@contextlib.contextmanager
def launch_chromium() -> Iterator[object]:
    """Start headless Debian chromium under Playwright; yield the Browser."""
    chromium, _ = require_browser()
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def is_local(url: str) -> bool:
    """Tell whether a request URL stays on this machine's test server."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


@dataclass
class PageVisit:
    """What one page load did: every request made, and the non-local ones (blocked)."""

    url: str
    status: int | None = None
    requests: list[str] = field(default_factory=list)
    third_party: list[str] = field(default_factory=list)


def new_context(browser, viewport: str = "desktop"):
    """Open a browser context at a named viewport ('phone' or 'desktop')."""
    return browser.new_context(**VIEWPORTS[viewport])


def open_page(context, url: str, *, settle: bool = False, timeout_ms: float = 30_000):
    """Open url in a new tab, record every request, block any that leaves 127.0.0.1.

    Returns (page, PageVisit) once the load event fired; with settle=True, also
    waits for the network to be idle for 0.5 s (up to 5 s), so that requests
    made by scripts after load are recorded too. Blocking keeps a page that
    links a CDN from hanging on our closed network; the visit still lists the
    request.
    """
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    visit = PageVisit(url=url)

    def on_request(request) -> None:
        visit.requests.append(request.url)
        if not is_local(request.url):
            visit.third_party.append(request.url)

    def on_route(route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    page.on("request", on_request)
    page.route("**/*", on_route)
    response = page.goto(url, wait_until="load")
    visit.status = response.status if response else None
    if settle:
        with contextlib.suppress(Exception):  # a page that polls never idles; load is enough
            page.wait_for_load_state("networkidle", timeout=5_000)
    return page, visit


@contextlib.contextmanager
def browser_context(browser, viewport: str = "desktop", *, javascript: bool = True,
                    init_script: str | None = None) -> Iterator[object]:
    """Open a browser context at a named viewport, closed afterwards.

    With javascript=False pages run no script; init_script runs in every page before its own scripts.
    """
    options = dict(VIEWPORTS[viewport]) if javascript else {**VIEWPORTS[viewport], "java_script_enabled": False}
    context = browser.new_context(**options)
    try:
        if init_script is not None:
            context.add_init_script(init_script)
        yield context
    finally:
        context.close()


@contextlib.contextmanager
def visit_page(browser, url: str, viewport: str = "desktop", *, settle: bool = False, javascript: bool = True,
               init_script: str | None = None) -> Iterator[tuple[object, PageVisit]]:
    """Open url (as open_page does) in a context of its own; yield (page, PageVisit), then close it.

        with tools.visit_page(browser, site_url + "news/", "phone") as (page, visit):
            assert visit.status == 200
    """
    with browser_context(browser, viewport, javascript=javascript, init_script=init_script) as context:
        yield open_page(context, url, settle=settle)


def axe_check(browser, url: str, viewport: str = "desktop", *, settle: bool = False) -> tuple[PageVisit, list]:
    """Open url at a viewport and run axe-core on it: (PageVisit, [AxeViolation])."""
    with visit_page(browser, url, viewport, settle=settle) as (page, visit):
        return visit, run_axe(page)


def fail_on_axe(violations: list, path: str, viewport: str) -> None:
    """Fail the test, listing each violation, if axe-core found any on /path at that viewport."""
    if violations:
        listing = "\n".join(str(v) for v in violations)
        pytest.fail(f"axe-core found {len(violations)} violation(s) on /{path} at {viewport} width:\n{listing}",
                    pytrace=False)


@dataclass(frozen=True)
class AxeViolation:
    """One axe-core rule broken on a page, with the elements that break it."""

    rule: str
    impact: str | None
    help: str
    help_url: str
    targets: tuple[str, ...]
    summary: str = ""

    def __str__(self) -> str:
        nodes = "\n".join(f"      at {t}" for t in self.targets[:10])
        more = f"\n      ... and {len(self.targets) - 10} more" if len(self.targets) > 10 else ""
        return f"  [{self.impact}] {self.rule}: {self.help} ({self.help_url})\n{nodes}{more}"


@functools.lru_cache(maxsize=1)
def _axe_source() -> str:
    _, axe = require_browser()
    return axe.read_text(encoding="utf-8")


def run_axe(page, tags: list[str] | None = None) -> list[AxeViolation]:
    """Inject axe-core into an open page and return its violations for the WCAG tags.

    Evaluated through the DevTools protocol rather than a <script> tag, so a
    page's Content-Security-Policy cannot block it.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        "async (opts) => await axe.run(document, opts)",
        {"runOnly": {"type": "tag", "values": tags or AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = []
    for v in results["violations"]:
        targets = tuple(
            " ".join(t if isinstance(t, str) else " >> ".join(t) for t in node["target"])
            for node in v["nodes"]
        )
        violations.append(
            AxeViolation(
                rule=v["id"],
                impact=v.get("impact"),
                help=v["help"],
                help_url=v["helpUrl"],
                targets=targets,
                summary=(v["nodes"][0].get("failureSummary") or "") if v["nodes"] else "",
            )
        )
    return violations


# --- finding pages in a build -------------------------------------------------


def _child_pages(folder: Path, exclude: set[str] = frozenset({"page"})) -> list[Path]:
    """Return folder's subfolders that hold an index.html, sorted, minus pagination."""
    if not folder.is_dir():
        return []
    return sorted(
        d for d in folder.iterdir() if d.is_dir() and d.name not in exclude and (d / "index.html").is_file()
    )


def find_lpus(main: Path) -> list[Path]:
    """Return the LPU site folders in a main site: those that have a teams/ folder."""
    return sorted(d for d in main.iterdir() if d.is_dir() and (d / "teams").is_dir())


def sample_pages(main: Path) -> dict[str, str | None]:
    """Map each page kind to one built page's URL path (relative to main/), or None.

    Found by looking at the output, not by slugs: the first article under
    news/, the first LPU (a folder with teams/), its first team, and so on.
    """

    def page(rel: Path | None) -> str | None:
        if rel is None:
            return None
        if rel.is_dir():
            return rel.relative_to(main).as_posix() + "/" if (rel / "index.html").is_file() else None
        return rel.relative_to(main).as_posix() if rel.is_file() else None

    def first(items: list[Path]) -> Path | None:
        return items[0] if items else None

    def first_leaf(folder: Path) -> Path | None:
        """First page below folder, going down through section pages (advice/a/b/)."""
        child = first(_child_pages(folder))
        while child is not None:
            deeper = first(_child_pages(child))
            if deeper is None:
                return child
            child = deeper
        return None

    lpu = first(find_lpus(main))
    # Every appeal page, force-wide and local; an ended one is marked by its article's class.
    appeals = _child_pages(main / "appeals") + [a for l in find_lpus(main) for a in _child_pages(l / "appeals")]

    def ended(folder: Path) -> bool:
        return "appeal--ended" in (folder / "index.html").read_text(encoding="utf-8")

    kinds: dict[str, str | None] = {
        "home": "" if (main / "index.html").is_file() else None,
        "news-list": page(main / "news"),
        "news-page-2": page(main / "news" / "page" / "2"),
        "article": page(first(_child_pages(main / "news"))),
        "advice-list": page(main / "advice"),
        "advice-page": page(first_leaf(main / "advice")),
        "a-z": page(main / "a-z"),
        "find-team": page(main / "find-your-team"),
        "search": page(main / "search"),
        "accessibility": page(main / "accessibility"),
        "404": page(main / "404.html"),
        "lpu-home": page(lpu),
        "lpu-news-list": page(lpu / "news") if lpu else None,
        "team": page(first(_child_pages(lpu / "teams"))) if lpu else None,
        "lpu-priorities": page(lpu / "priorities") if lpu else None,
        "priority": page(first(_child_pages(lpu / "priorities"))) if lpu else None,
        # Appeals (an open one, an ended one), an LPU's appeals, an alert's page, engagement.
        "appeals": page(main / "appeals"),
        "appeal-open": page(first([a for a in appeals if not ended(a)])),
        "appeal-ended": page(first([a for a in appeals if ended(a)])),
        "lpu-appeals": page(first([l / "appeals" for l in find_lpus(main) if (l / "appeals/index.html").is_file()
                                   and 'class="cards"' in (l / "appeals/index.html").read_text(encoding="utf-8")])
                            or (lpu / "appeals" if lpu else None)),
        "alert": page(first(_child_pages(main / "alerts"))),
        "gallery": page(main / "gallery"),
        "questions": page(main / "rate-your-local-police"),
    }
    return kinds


# Each page kind the browser tests sample, and where sample_pages() looks for it.
PAGE_KIND_PLACES = {
    "home": "main/index.html",
    "news-list": "main/news/index.html",
    "news-page-2": "main/news/page/2/index.html",
    "article": "main/news/<first slug>/index.html",
    "advice-list": "main/advice/index.html",
    "advice-page": "main/advice/<first slug>/.../index.html",
    "a-z": "main/a-z/index.html",
    "find-team": "main/find-your-team/index.html",
    "search": "main/search/index.html",
    "accessibility": "main/accessibility/index.html",
    "404": "main/404.html",
    "lpu-home": "main/<first folder with a teams/ folder>/index.html",
    "lpu-news-list": "main/<lpu>/news/index.html",
    "team": "main/<lpu>/teams/<first team>/index.html",
    "lpu-priorities": "main/<lpu>/priorities/index.html",
    "priority": "main/<lpu>/priorities/<first slug>/index.html",
    "appeals": "main/appeals/index.html",
    "appeal-open": "main/appeals/<slug>/ or main/<lpu>/appeals/<slug>/index.html, the first not 'appeal--ended'",
    "appeal-ended": "main/appeals/<slug>/ or main/<lpu>/appeals/<slug>/index.html, the first 'appeal--ended'",
    "lpu-appeals": "main/<lpu>/appeals/index.html, the first listing an open appeal",
    "alert": "main/alerts/<first slug>/index.html",
    "gallery": "main/gallery/index.html",
    "questions": "main/rate-your-local-police/index.html",
}
PAGE_KINDS = list(PAGE_KIND_PLACES)


class Timer:
    """Add up wall time per label; printed at the end of the session."""

    totals: dict[str, float] = {}

    @classmethod
    @contextlib.contextmanager
    def measure(cls, label: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            cls.totals[label] = cls.totals.get(label, 0.0) + time.perf_counter() - start
