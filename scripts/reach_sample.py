#!/usr/bin/env python3
"""Write a reach report from made-up readings, for docs/social.md and the report's own quality tests.

Nine weekly readings of eight of the demo force's accounts (the force, Birmingham South, Selly Oak,
Coventry), with figures from a seeded random walk: the same every run. The readings are in the
format `build.py reach` keeps (state/reach/<account>.jsonl), then the real report is written.

    .venv/bin/python scripts/reach_sample.py --report /tmp/reach-sample
    .venv/bin/python scripts/reach_sample.py --docs      # docs/images/reach-*.svg and reach-report.png

`--docs` also takes the screenshot, in headless Debian chromium (what `make test` installs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from wmpsite.publish import reach  # noqa: E402

LONDON = ZoneInfo("Europe/London")
#: account, network, owner, LPU, followers (the scale of its figures), posts a week
ACCOUNTS = [
    ("x:@WMPolice", "x", "West Midlands Police", reach.FORCE_WIDE, 9000, 5),
    ("facebook:West Midlands Police", "facebook", "West Midlands Police", reach.FORCE_WIDE, 12000, 4),
    ("instagram:@wmpolice", "instagram", "West Midlands Police", reach.FORCE_WIDE, 5000, 2),
    ("bluesky:@wmpolice.bsky.social", "bluesky", "West Midlands Police", reach.FORCE_WIDE, 400, 5),
    ("x:@BrumSouthPolice", "x", "Birmingham South", "Birmingham South", 2500, 3),
    ("facebook:BrumSouthPolice", "facebook", "Birmingham South", "Birmingham South", 3000, 3),
    ("x:@WMPSellyOak", "x", "Selly Oak team", "Birmingham South", 300, 1),
    ("facebook:CoventryPolice", "facebook", "Coventry", "Coventry", 4000, 2),
]
TITLES = ["Free bike marking in Selly Oak this Saturday", "Knife amnesty bins at six Coventry stations",
          "Have you seen Sam? Appeal for a missing 15-year-old", "Scam warning: callers pretending to be the bank",
          "Meet your neighbourhood team at the library", "Road closures for the city half marathon",
          "Arrests after burglaries in Northfield", "Family fun day at Lloyd House",
          "Speed checks outside schools this week", "Catalytic converter thefts: mark yours for free",
          "Sam has been found safe and well", "Drop-in surgery at Cannon Hill Park"]
START = dt.datetime(2026, 9, 28, 9, 0, tzinfo=LONDON)    # a Monday morning; the clocks change in October


def sample_readings(weeks: int = 9, seed: int = 2026) -> dict[str, list[dict]]:
    """Each account's readings, by its key, as `build.py reach` would have kept them."""
    rng = random.Random(seed)
    out: dict[str, list[dict]] = {}
    for account, network, owner, lpu, followers, per_week in ACCOUNTS:
        key = reach.account_key(*account.split(":", 1))
        posts: list[dict] = []
        lines = []
        for week in range(weeks):
            at = START + dt.timedelta(weeks=week)
            for n in range(per_week):
                made = at - dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
                title = TITLES[rng.randrange(len(TITLES))]
                slug = title.lower().split(":")[0].replace(" ", "-")[:40].strip("-")
                posts.append({"item": f"tag:www.west-midlands.police.example,{made.date().isoformat()}:news/{slug}-{week}{n}",
                              "id": f"{key}-{week}-{n}", "url": None, "posted": made.isoformat(), "title": title,
                              "link": f"https://www.west-midlands.police.example/news/{slug}/",
                              "_scale": followers * rng.uniform(0.2, 1.6), "_seen": 0.0})
            read = []
            for post in posts:
                post["_seen"] += post["_scale"] * rng.uniform(0.05, 0.6) / (1 + post["_seen"] / post["_scale"])
                means = reach.REACH_MEANS[network]
                interactions = int(post["_seen"] * rng.uniform(0.01, 0.05)) + (3 if network == "bluesky" else 0)
                read.append({k: v for k, v in post.items() if not k.startswith("_")} | {
                    "reach": int(post["_seen"]) if means else None, "interactions": interactions,
                    "counts": {"likes": interactions}})
            lines.append({"at": at.isoformat(), "account": account, "network": network, "owner": owner, "lpu": lpu,
                          "reach_means": reach.REACH_MEANS[network], "posts": read, "gone": []})
        if account == "instagram:@wmpolice":      # a network that failed once: its token had expired
            lines[-1] = {k: lines[-1][k] for k in ("at", "account", "network", "owner", "lpu", "reach_means")} | {
                "failed": "Instagram answered 400: Error validating access token: Session has expired."}
        out[key] = lines
    return out


def write_sample(state: Path, report: Path) -> None:
    """Write the sample readings into `state`/reach/ and the report from them into `report`."""
    folder = state / reach.READINGS
    folder.mkdir(parents=True, exist_ok=True)
    for key, lines in sample_readings().items():
        (folder / f"{key}.jsonl").write_text("".join(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"
                                                     for line in lines), encoding="utf-8")
    reach.write_report(report, reach.load_readings(folder), LONDON)


def screenshot(report: Path, target: Path) -> None:
    from tests.quality import tools
    with tools.serve(report) as base, tools.launch_chromium() as browser:
        with tools.visit_page(browser, base + "index.html", "desktop") as (page, _):
            page.screenshot(path=str(target), full_page=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, help="where to write the report (default: a temporary folder)")
    parser.add_argument("--docs", action="store_true", help="also refresh docs/images/reach-*.svg and the screenshot")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = args.report or Path(tmp) / "report"
        write_sample(Path(tmp) / "state", report)
        if args.docs:
            images = REPO_ROOT / "docs" / "images"
            for name in ("reach-by-lpu.svg",):
                (images / name).write_bytes((report / name).read_bytes())
            screenshot(report, images / "reach-report.png")
        print(f"Sample report written to {report / 'index.html'}" + (" (a temporary folder, now removed)"
                                                                     if not args.report else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
