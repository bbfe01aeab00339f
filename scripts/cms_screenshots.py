#!/usr/bin/env python3
"""Take docs/editors.md's screenshots of the content manager in headless Debian chromium.

Makes a throw-away git repository of the demo, runs decap-server (the CMS's local backend) over it
in git mode, so the approval step works as it does on the force's real repository, and writes to
docs/images/:

    cms-collections.png   the collections, with one LPU's news
    cms-new-story.png     a new Birmingham South story for the Selly Oak team, filled in
    cms-we-did.png        a priority with a "we did" action being added
    cms-workflow.png      the approval board with the story in review

    make cms-screenshots
    .venv/bin/python scripts/cms_screenshots.py --out /tmp/shots

Needs what `make test` installs: /usr/bin/chromium, node, decap-server and the Python playwright package.
Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.quality import tools  # noqa: E402
from tests.quality.cms import NOW, admin, choose, control, make_clone, new_entry, open_route  # noqa: E402

PRIORITY = "/collections/priority-birmingham-south/entries/e-scooter-riding-bristol-road"


def take(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shot(page, name: str) -> None:
        page.wait_for_timeout(300)  # the CMS fades its notices and menus in
        target = out_dir / f"{name}.png"
        page.screenshot(path=str(target), animations="disabled")
        written.append(target)

    with tempfile.TemporaryDirectory(prefix="wmpsite-cms-shots-") as tmp, tools.launch_chromium() as browser:
        repo = Path(tmp) / "force"
        port = make_clone(repo)
        with admin(browser, repo, port, Path(tmp) / "_site", mode="git") as (page, base, _):
            open_route(page, base, "/collections/news-birmingham-south", wait_for_form=False)
            page.locator("a[href*='/entries/']").first.wait_for()
            shot(page, "cms-collections")

            new_entry(page, base, "news-birmingham-south", "Selly Oak bike marking day",
                      "Bring your bike to Selly Oak police station on Saturday to have it marked for free.", NOW)
            choose(page, "team", "Selly Oak")
            control(page, "title").focus()  # the top of the form: title, date, summary
            shot(page, "cms-new-story")
            page.get_by_role("button", name="Save").first.click()
            status = page.get_by_role("button", name=re.compile("^Status: "))
            status.wait_for()
            status.click()
            page.get_by_role("menuitem", name="In review").click()
            page.get_by_role("button", name=re.compile("^Status: In review")).wait_for()

            open_route(page, base, PRIORITY)
            page.get_by_role("button", name="Add actions").click()
            control(page, "date", last=True).fill("2026-12-02")
            control(page, "text", last=True).fill("Twelve e-scooters seized on Bristol Road in one week "
                                                  "of evening patrols.")
            control(page, "text", last=True).scroll_into_view_if_needed()
            shot(page, "cms-we-did")

            open_route(page, base, "/workflow", wait_for_form=False)
            page.get_by_role("heading", name="Selly Oak bike marking day").wait_for()
            shot(page, "cms-workflow")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "images",
                        help="where to write the PNGs (default: docs/images)")
    args = parser.parse_args(argv)
    if tools.find_chromium() is None:
        raise SystemExit(f"cms_screenshots: no {tools.CHROMIUM}; run `make test-tools` first")
    for path in take(args.out.resolve()):
        print(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
