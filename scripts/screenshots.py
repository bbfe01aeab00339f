#!/usr/bin/env python3
"""Take the README's screenshots of the demo force in headless Debian chromium.

Builds the demo (or uses --site DIR), serves it on 127.0.0.1, and writes
docs/images/home-phone.png, home-desktop.png, team-phone.png, team-desktop.png.
Phone shots are 390 px wide and show the whole page; desktop shots are the
first 1280x900 screen.

    make screenshots                      # build the demo, then shoot
    .venv/bin/python scripts/screenshots.py --site _site

Needs what `make test` installs: /usr/bin/chromium and the Python playwright
package (never `playwright install`).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.quality import tools  # noqa: E402

DEFAULT_TEAM = "birmingham-south/teams/selly-oak/"

SHOTS = {
    # name: (viewport, full_page)
    "phone": ("phone", True),
    "desktop": ("desktop", False),
}


def main_site_of(folder: Path) -> Path:
    """Return the main site in folder: folder/main when it is a whole build."""
    if (folder / "main" / "index.html").is_file():
        return folder / "main"
    if (folder / "index.html").is_file():
        return folder
    raise SystemExit(f"screenshots: no index.html in {folder} or {folder / 'main'}")


def build_demo(out: Path) -> None:
    print(f"screenshots: building the demo into {out}", file=sys.stderr)
    subprocess.run([sys.executable, "build.py", "build", "--output", str(out)], cwd=REPO_ROOT, check=True)


def team_path(main: Path, wanted: str) -> str:
    """Return wanted if the build has it, else the first team page found (with a warning)."""
    if (main / wanted / "index.html").is_file():
        return wanted
    found = tools.sample_pages(main)["team"]
    if found is None:
        raise SystemExit(f"screenshots: no team page in {main} (wanted {wanted})")
    print(f"screenshots: no {wanted} in the build; using {found}", file=sys.stderr)
    return found


def take(main: Path, out_dir: Path, team: str) -> list[Path]:
    if tools.find_chromium() is None:
        raise SystemExit(f"screenshots: no {tools.CHROMIUM}; run `make test-tools` first")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tools.serve(main) as base, tools.launch_chromium() as browser:
        for page_name, path in {"home": "", "team": team}.items():
            for shot, (viewport, full_page) in SHOTS.items():
                context = tools.new_context(browser, viewport)
                try:
                    page, visit = tools.open_page(context, base + path, settle=True)
                    if visit.status != 200:
                        raise SystemExit(f"screenshots: /{path} answered {visit.status}")
                    if visit.third_party:
                        print(f"screenshots: warning: /{path} asked for {visit.third_party}", file=sys.stderr)
                    page.evaluate("() => document.fonts && document.fonts.ready")
                    target = out_dir / f"{page_name}-{shot}.png"
                    page.screenshot(path=str(target), full_page=full_page, animations="disabled")
                    written.append(target)
                finally:
                    context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (a build's output folder, or its main/); default: build the demo")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "images", help="where to write the PNGs (default: docs/images)")
    parser.add_argument("--team", default=DEFAULT_TEAM, help=f"team page to shoot, relative to the main site (default: {DEFAULT_TEAM})")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="wmpsite-shots-") as tmp:
        if args.site:
            site = args.site.resolve()
        else:
            site = Path(tmp) / "site"
            build_demo(site)
        main_dir = main_site_of(site)
        for path in take(main_dir, args.out.resolve(), team_path(main_dir, args.team)):
            print(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
