"""The reach report of `build.py reach` (wmpsite/publish/reach.py): from the readings kept beside the
ledger, an HTML page for the communications team with SVG charts of reach over time per account and
per LPU, the posts that did most, the accounts that reached few, and the same figures as CSV. The same
readings always give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import statistics
from dataclasses import dataclass
from pathlib import Path

from wmpsite.core.errors import MachineFailed
from wmpsite.publish.ledger import write_atomic

FORCE_WIDE = "Force-wide"        # the group of accounts that belong to no LPU


# --- the report ------------------------------------------------------------------------------

MAX_LINES = 8                    # lines a chart draws; the smaller accounts are summed into one
FEW = 0.5                        # an account 'reached few' below this share of the accounts' median
TOP = 10                         # posts in each list of the posts that did most


@dataclass(frozen=True)
class AccountRow:
    """One account's latest figures (each post at its latest reading), for the accounts' table."""

    account: str
    network: str
    owner: str
    lpu: str
    posts: int
    reach: int | None            # None for a network that counts no reach
    interactions: int
    per_post: float              # reach a post (or, without reach, interactions a post)
    few: bool                    # below FEW of the median of the accounts compared with it
    failed: str | None           # why its last reading failed, if it did


def figures(readings: list[dict]) -> dict:
    """Everything the report shows, from the readings: series over time, the accounts, the top posts."""
    good = [r for r in readings if "failed" not in r]
    moments = sorted({r["_at"] for r in good})
    latest_line = {r["account"]: r for r in readings}        # the last line of each account, failed or not
    about = {r["account"]: r for r in good}                  # the last successful reading: owner, LPU
    history: dict[str, dict[str, list[tuple[dt.datetime, dict]]]] = {}
    for r in good:
        for post in r["posts"]:
            history.setdefault(r["account"], {}).setdefault(post["item"], []).append((r["_at"], post))

    def at(account: str, moment: dt.datetime) -> tuple[int | None, int, int] | None:
        """(reach, interactions, posts) of an account at a moment: each post at its latest reading then."""
        posts = [max((h for h in hist if h[0] <= moment), key=lambda h: h[0], default=None)
                 for hist in history.get(account, {}).values()]
        posts = [p[1] for p in posts if p is not None]
        if not posts:
            return None
        reach = [p["reach"] for p in posts if p["reach"] is not None]
        return (sum(reach) if reach else None), sum(p["interactions"] for p in posts), len(posts)

    accounts = sorted(about)
    grid = {a: {m: at(a, m) for m in moments} for a in accounts}
    lpus = sorted({about[a]["lpu"] for a in accounts}, key=lambda n: (n == FORCE_WIDE, n))
    by_lpu = {}
    for lpu in lpus:
        members = [a for a in accounts if about[a]["lpu"] == lpu]
        by_lpu[lpu] = {}
        for m in moments:
            values = [grid[a][m] for a in members if grid[a][m] is not None]
            if values:
                reach = [v[0] for v in values if v[0] is not None]
                by_lpu[lpu][m] = (sum(reach) if reach else None, sum(v[1] for v in values), sum(v[2] for v in values))
    last = moments[-1] if moments else None
    rows = []
    for a in accounts:
        reach, interactions, count = grid[a][last]
        measure = reach if reach is not None else interactions
        failed = latest_line[a].get("failed")
        rows.append([a, about[a]["network"], about[a]["owner"], about[a]["lpu"], count, reach, interactions,
                     measure / count, failed])
    for with_reach in (True, False):       # accounts are compared with those whose figures mean the same
        group = [row for row in rows if (row[5] is not None) == with_reach]
        median = statistics.median(row[7] for row in group) if group else 0
        for row in group:
            row.append(len(group) > 1 and row[7] < FEW * median)
    table = sorted((AccountRow(*row[:8], row[9], row[8]) for row in rows),
                   key=lambda r: (r.reach is None, r.per_post, r.account))
    posts = []
    for a in accounts:
        for item, hist in history[a].items():
            moment, post = max(hist, key=lambda h: h[0])
            posts.append({"account": a, "network": about[a]["network"], "lpu": about[a]["lpu"], **post})
    by_reach = sorted((p for p in posts if p["reach"] is not None),
                      key=lambda p: (-p["reach"], -p["interactions"], p["account"], p["item"]))[:TOP]
    by_interactions = sorted(posts, key=lambda p: (-p["interactions"], p["account"], p["item"]))[:TOP]
    failures = [(a, r["failed"], r["_at"]) for a, r in sorted(latest_line.items()) if "failed" in r]
    return {"moments": moments, "accounts": grid, "lpus": by_lpu, "table": table, "by_reach": by_reach,
            "by_interactions": by_interactions, "failures": failures, "about": about,
            "first": readings[0]["_at"] if readings else None, "last": readings[-1]["_at"] if readings else None}


def _series(grid: dict[str, dict], index: int) -> dict[str, list[tuple[dt.datetime, int]]]:
    """Each line of a chart: name -> [(moment, value)], the smallest summed into one line past MAX_LINES."""
    lines = {name: [(m, v[index]) for m, v in sorted(points.items()) if v is not None and v[index] is not None]
             for name, points in grid.items()}
    lines = {name: points for name, points in lines.items() if points}
    order = sorted(lines, key=lambda n: (-lines[n][-1][1], n))
    if len(order) <= MAX_LINES:
        return {name: lines[name] for name in order}
    kept, rest = order[:MAX_LINES - 1], order[MAX_LINES - 1:]
    summed: dict[dt.datetime, int] = {}
    for name in rest:
        for moment, value in lines[name]:
            summed[moment] = summed.get(moment, 0) + value
    return {**{name: lines[name] for name in kept}, f"{len(rest)} other accounts": sorted(summed.items())}


def chart_svg(lines: dict[str, list[tuple[dt.datetime, int]]], ylabel: str) -> bytes:
    """A line chart as SVG, byte for byte the same for the same figures (a fixed hash salt, no date)."""
    try:
        import matplotlib
    except ImportError:
        raise MachineFailed("the report's charts need matplotlib, which is not installed: "
                            "pip install 'wmpsite[reach]', and run the command again") from None
    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    styles = [("-", "o"), ("--", "s"), ("-.", "^"), (":", "D")]    # told apart without colour too
    settings = {"svg.hashsalt": "wmpsite-reach", "svg.fonttype": "none", "font.size": 11,
                "font.family": "sans-serif", "axes.spines.top": False, "axes.spines.right": False}
    with matplotlib.rc_context(settings):
        figure = Figure(figsize=(8, 4.5))
        axes = figure.add_subplot()
        for n, (name, points) in enumerate(lines.items()):
            line, marker = styles[n % len(styles)]
            axes.plot([m.replace(tzinfo=None) for m, _ in points], [v for _, v in points], linestyle=line,
                      marker=marker, linewidth=2, label=name)
        axes.set_ylabel(ylabel)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(bottom=0)
        days = sorted({m.date() for points in lines.values() for m, _ in points})
        step = max(1, -(-len(days) // 8))               # at most 8 days named under the chart
        axes.set_xticks([dt.datetime.combine(d, dt.time()) for d in days[::step]])
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
        if len(days) == 1:
            axes.set_xlim(dt.datetime.combine(days[0], dt.time()) - dt.timedelta(hours=12),
                          dt.datetime.combine(days[0], dt.time()) + dt.timedelta(days=1, hours=12))
        axes.grid(axis="y", alpha=0.3)
        if lines:
            axes.legend(loc="upper left", fontsize=9, frameon=False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "wmpsite build.py reach"})
    return buffer.getvalue()


def _when(moment: dt.datetime | None, tz) -> str:
    return moment.astimezone(tz).strftime("%-d %B %Y, %H:%M") if moment else "none"


def _number(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if isinstance(value, (int, float)) else str(value)


def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def write_report(folder: Path, readings: list[dict], tz) -> None:
    """Write index.html, its charts (SVG) and the figures (CSV) into `folder`."""
    for name, data in sorted(render_report(readings, tz).items()):
        write_atomic(folder / name, data)


def render_report(readings: list[dict], tz) -> dict[str, bytes]:
    """The report's files by name: the same readings give the same bytes."""
    f = figures(readings)
    iso = lambda m: m.astimezone(tz).isoformat()  # noqa: E731
    files: dict[str, bytes] = {}
    charts = []
    for name, grid, index, label, what in (
            ("reach-by-account", f["accounts"], 0, "Reach", "Reach of each account's posts"),
            ("reach-by-lpu", f["lpus"], 0, "Reach", "Reach of the posts of each LPU's accounts"),
            ("interactions-by-account", f["accounts"], 1, "Interactions", "Interactions with each account's posts")):
        lines = _series(grid, index)
        files[f"{name}.svg"] = chart_svg(lines, label)
        group = "LPU" if "lpu" in name else "Account"
        rows = [[n, _when(points[0][0], tz), points[0][1], _when(points[-1][0], tz), points[-1][1],
                 points[-1][1] - points[0][1]] for n, points in lines.items()]
        files[f"{name}.csv"] = _csv(["reading", group.lower(), label.lower(), "posts"], [
            [iso(m), n, v[index], v[2]] for n, points in sorted(grid.items()) for m, v in sorted(points.items())
            if v is not None and v[index] is not None])
        charts.append((name, what, group, label, rows))
    table = f["table"]
    files["accounts.csv"] = _csv(["account", "network", "owner", "lpu", "posts", "reach", "interactions",
                                  "per_post", "reached_few", "last_reading_failed"],
                                 [[r.account, r.network, r.owner, r.lpu, r.posts, r.reach, r.interactions,
                                   f"{r.per_post:.1f}", "yes" if r.few else "no", r.failed or ""] for r in table])
    post_header = ["account", "network", "lpu", "item", "title", "link", "post_url", "posted", "reach",
                   "interactions"]
    for name in ("by_reach", "by_interactions"):
        files[f"top-posts-{name[3:].replace('_', '-')}.csv"] = _csv(post_header, [
            [p["account"], p["network"], p["lpu"], p["item"], p["title"], p["link"], p["url"], p["posted"],
             p["reach"], p["interactions"]] for p in f[name]])
    files["index.html"] = _page(f, charts, sorted(n for n in files if n.endswith(".csv")), tz).encode("utf-8")
    return files


STYLE = """
body{font:1rem/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:0 1rem 3rem;color:#1b1b1b}
h1{font-size:1.75rem;margin-top:1.5rem}h2{font-size:1.35rem;margin-top:2.5rem}
img{max-width:100%;height:auto;display:block}
.scroll{overflow-x:auto;margin:1rem 0}.scroll:focus{outline:3px solid #1d70b8}
table{border-collapse:collapse;min-width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #b1b4b6;
vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;
padding:.4rem 0}a{color:#1d70b8}a:visited{color:#4c2c92}.note{background:#fff7bf;padding:.6rem 1rem;border-left:5px solid #b58800}
""".replace("\n", "")


def _page(f: dict, charts: list, csvs: list[str], tz) -> str:
    e = html.escape
    out = ['<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           '<meta name="robots" content="noindex">\n<title>Social media reach</title>\n'
           f'<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>Social media reach</h1>\n']
    if not f["moments"]:
        out.append("<p>No readings yet: run <code>python build.py reach</code> after <code>python build.py "
                   "post</code> has posted.</p>\n</main>\n</body>\n</html>\n")
        return "".join(out)
    out.append(f'<p>For the communications team, not for the public site. Figures from {len(f["moments"])} '
               f'reading(s), from {e(_when(f["first"], tz))} to {e(_when(f["last"], tz))} (UK time), of '
               f'{len(f["table"])} account(s). Each post counts at its latest reading.</p>\n'
               '<p>What reach counts depends on the network: Facebook counts people reached, Instagram '
               'accounts reached, X and Threads views. Mastodon and Bluesky count no reach; their posts are '
               'in the interactions (likes, reposts, replies and quotes; on Instagram saves and shares too).</p>\n')
    if f["failures"]:
        out.append('<div class="note"><h2>Accounts not read at their last reading</h2>\n<ul>\n')
        out += [f"<li>{e(a)} ({e(_when(m, tz))}): {e(why)}</li>\n" for a, why, m in f["failures"]]
        out.append("</ul>\n<p>Their figures are those of their last good reading.</p></div>\n")
    for name, what, group, label, rows in charts:
        heading = f"{what}, over time"
        out.append(f'<h2 id="{name}">{e(heading)}</h2>\n<figure>\n'
                   f'<img src="{name}.svg" width="800" height="450" alt="Line chart of {e(what.lower())} at each '
                   f'reading. The table after it gives the first and latest figure of each line.">\n'
                   f'<figcaption>{e(what)} at each reading; all the figures are in <a href="{name}.csv">'
                   f'{name}.csv</a>.</figcaption>\n</figure>\n')
        out.append(_table(f"{what}: first and latest reading", [group, "First reading", label, "Latest reading",
                                                                label, "Change"],
                          [[r[0], r[1], r[2], r[3], r[4], r[5]] for r in rows], numeric={2, 4, 5}))
    top_cols = ["Post", "Account", "Posted", "Reach", "Interactions"]
    for key, heading, note in (("by_reach", "The posts that reached most people", "Posts of networks that count reach."),
                               ("by_interactions", "The posts with most interactions", "Posts of every network.")):
        out.append(f"<h2>{heading}</h2>\n<p>{note}</p>\n")
        out.append(_table(heading, top_cols, [[_post_cell(p), p["account"], p["posted"][:10], p["reach"],
                                               p["interactions"]] for p in f[key]], numeric={3, 4}, raw={0}))
    out.append('<h2 id="few">The accounts that reached few</h2>\n'
               f'<p>Every account, fewest reached a post first. "Few" marks an account below {FEW:.0%} of the '
               'median of the accounts it is compared with: reach a post for accounts whose network counts reach, '
               'interactions a post for the others.</p>\n')
    out.append(_table("Accounts, fewest reached a post first", [
        "Account", "Owner", "LPU", "Posts", "Reach", "Interactions", "A post", "Few?"],
        [[r.account, r.owner, r.lpu, r.posts, r.reach, r.interactions, r.per_post, "Few" if r.few else ""]
         for r in f["table"]], numeric={3, 4, 5, 6}))
    out.append("<h2>The figures as CSV</h2>\n<ul>\n" + "".join(f'<li><a href="{n}">{n}</a></li>\n' for n in csvs)
               + "</ul>\n</main>\n</body>\n</html>\n")
    return "".join(out)


def _post_cell(post: dict) -> str:
    e = html.escape
    title = e(post["title"] or post["item"])
    text = f'<a href="{e(post["link"])}">{title}</a>' if post.get("link") else title
    return text + (f' (<a href="{e(post["url"])}">the post</a>)' if post.get("url") else "")


def _table(caption: str, header: list[str], rows: list[list], *, numeric=frozenset(), raw=frozenset()) -> str:
    e = html.escape
    cls = lambda i: ' class="n"' if i in numeric else ""  # noqa: E731
    head = "".join(f'<th scope="col"{cls(i)}>{e(h)}</th>' for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(
        (f'<th scope="row">{e(str(v))}</th>' if i == 0 and not raw else
         f"<td{cls(i)}>{v if i in raw else e(_number(v))}</td>") for i, v in enumerate(row)) + "</tr>\n"
        for row in rows) or f'<tr><td colspan="{len(header)}">None yet.</td></tr>\n'
    return (f'<div class="scroll" role="region" aria-label="{e(caption)}" tabindex="0">\n<table>\n'
            f"<caption>{e(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n"
            "</table>\n</div>\n")
