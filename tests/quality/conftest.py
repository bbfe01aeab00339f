"""Fixtures for checking a real build of the demo force with real tools.

- built_site: the demo built once per session by `build.py build --output DIR`
  (or the folder named by WMPSITE_TEST_SITE, to check a build you already have).
- main_site: its main site folder, `<output>/main`.
- site_url: main_site served on 127.0.0.1 at /, e.g. 'http://127.0.0.1:41234/'.
- browser: headless Debian chromium driven by Playwright.
- pages: page kind -> URL path of one sampled page of that kind (see tools.sample_pages).
- force_site: a function, force name -> ForceSite (its build, its main site served, its sampled
  pages), for the checks every demo force gets: the first demo and examples/dyfed-powys (FORCES).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import tools

BUILD_TIMEOUT = 900  # seconds


#: Every demo force, by name: its folder. Each gets the same checks of its real build.
FORCES = {"west-midlands": tools.REPO_ROOT, "dyfed-powys": tools.REPO_ROOT / "examples" / "dyfed-powys"}


def _build(source: Path, out: Path, label: str) -> Path:
    """Build the force in `source` with the real command line into `out`; fail the test if it fails."""
    if not (tools.REPO_ROOT / "build.py").is_file():
        pytest.skip("build.py does not exist yet: no demo build to check")
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "build.py", "build", "--source", str(source), "--output", str(out)],
        cwd=tools.REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    tools.Timer.totals[label] = time.perf_counter() - start
    if proc.returncode != 0:
        pytest.fail(
            f"`build.py build --source {source} --output {out}` exited {proc.returncode}:\n"
            f"{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}",
            pytrace=False,
        )
    return out


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the demo once into a temporary folder; return the output folder."""
    given = os.environ.get("WMPSITE_TEST_SITE")
    if given:
        path = Path(given).resolve()
        if not path.is_dir():
            pytest.fail(f"WMPSITE_TEST_SITE={given} is not a folder", pytrace=False)
        return path
    return _build(FORCES["west-midlands"], tmp_path_factory.mktemp("build") / "site", "demo build")


@dataclass(frozen=True)
class ForceSite:
    """One demo force's build, as the checks every force gets see it."""

    built: Path                   # the output folder
    url: str                      # its main site served on 127.0.0.1, ending in '/'
    pages: dict[str, str | None]  # page kind -> URL path of one sampled page (tools.sample_pages)


@pytest.fixture(scope="session")
def force_site(tmp_path_factory: pytest.TempPathFactory):
    """Return a function: force name -> ForceSite, built (the first demo: `built_site`) and served
    once a session, when a test first asks for it."""
    made: dict[str, ForceSite] = {}
    with contextlib.ExitStack() as stack:
        def get(name: str, request: pytest.FixtureRequest) -> ForceSite:
            if name not in made:
                built = (request.getfixturevalue("built_site") if name == "west-midlands" else
                         _build(FORCES[name], tmp_path_factory.mktemp(name) / "site", f"{name} build"))
                main = built / "main"
                made[name] = ForceSite(built, stack.enter_context(tools.serve(main)), tools.sample_pages(main))
            return made[name]
        yield get


@pytest.fixture(scope="session")
def main_site(built_site: Path) -> Path:
    """Return the main site folder of the build, `<output>/main`."""
    main = built_site / "main"
    if not (main / "index.html").is_file():
        found = sorted(p.name for p in built_site.iterdir())
        pytest.fail(f"no main/index.html in the build at {built_site}; it holds {found}", pytrace=False)
    return main


@pytest.fixture(scope="session")
def site_url(main_site: Path):
    """Serve the main site on 127.0.0.1 at /; yield its base URL (ends in '/')."""
    with tools.serve(main_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Yield a headless Debian chromium (Playwright Browser), shared by the session."""
    tools.require_browser()
    start = time.perf_counter()
    with tools.launch_chromium() as b:
        tools.Timer.totals["chromium start"] = time.perf_counter() - start
        yield b


@pytest.fixture(scope="session")
def pages(main_site: Path) -> dict[str, str | None]:
    """Map each page kind to the URL path of one built page of that kind."""
    return tools.sample_pages(main_site)


def pytest_terminal_summary(terminalreporter) -> None:
    """Print how long the real tools took, so CI time stays visible."""
    if tools.Timer.totals:
        terminalreporter.section("quality tools: wall time")
        for label, secs in sorted(tools.Timer.totals.items()):
            terminalreporter.write_line(f"{label:<32} {secs:7.1f} s")
