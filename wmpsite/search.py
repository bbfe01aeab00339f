"""Full-text search of the main site with Pagefind: its index, built in the staging folder, and the /search/ page (issue 4).

Pagefind (PyPI `pagefind[bin]`) reads the built HTML and writes a static
bundle to `main/pagefind/`: the index in fragments, its WebAssembly and
`pagefind.js`. It indexes only what templates mark `data-pagefind-body` (the
main content of articles, advice, pages, LPU homes, teams and priorities), so
navigation, footers and lists stay out of the results. `write_output` calls
`index_site` on the staging folder before the swap, so a failed index never
publishes. Same pages in, same bytes out (tests/test_search.py checks it).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from .urls import MAIN

if TYPE_CHECKING:  # render imports this module's builder lazily
    from .plan import PlannedPage
    from .render import Renderer

#: Where the page lives on the main site, Pagefind's bundle folder, and our script (under static/).
PATH = "search/"
BUNDLE = "pagefind"
SCRIPT = "js/search.js"


class SearchIndexFailed(RuntimeError):
    """Pagefind is missing or could not index the site; nothing was published."""


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the PyPI package `pagefind-bin`, or SearchIndexFailed."""
    try:
        import pagefind_bin
        return pagefind_bin.get_executable()
    except (ImportError, FileNotFoundError) as exc:
        raise SearchIndexFailed("Pagefind is not installed, so the search index cannot be built "
                                "(pip install 'pagefind[bin]'): " + str(exc)) from None


def index_site(staging: Path) -> None:
    """Index the main site under `staging` (an output folder before its swap) into `main/pagefind/`.

    Runs the Pagefind binary with fixed options, from the staging folder (where
    no pagefind.yml can be, since it holds only site folders), with no
    PAGEFIND_* settings from the environment, so that only the pages decide the
    bundle's bytes. Raises SearchIndexFailed with Pagefind's own message.
    """
    site = Path(staging) / MAIN
    if not (site / "index.html").is_file():
        return
    env = {key: value for key, value in os.environ.items() if not key.upper().startswith("PAGEFIND_")}
    command = [str(pagefind_executable()), "--site", MAIN, "--output-subdir", BUNDLE, "--silent"]
    proc = subprocess.run(command, cwd=staging, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        output = "\n".join(part.strip() for part in (proc.stdout, proc.stderr) if part.strip())
        raise SearchIndexFailed(f"Pagefind could not build the search index (exit {proc.returncode}): {output}")


# The page ------------------------------------------------------------------------------


def page(r: Renderer, page: PlannedPage, site: str):
    """Context builder for `search.html`: where the bundle and our script are, and where to go without JavaScript."""
    script = r.static.get(SCRIPT)
    version = hashlib.sha256(script.read_bytes()).hexdigest()[:10] if script else "0"
    own = {
        "bundle_url": r.urls.static(BUNDLE + "/", site),
        "base_path": r.urls.sites[site].base_path,
        "script_url": r.urls.static(SCRIPT, site) + f"?v={version}",
        "news_url": r.link(r.urls.main("news/"), site),
    }
    return (own, "Search", f"Search the news, advice, neighbourhood teams and priorities of {r.config.force.name}.",
            (), None)
