"""The benchmark's report: the results section of docs/performance.md, in Markdown, and writing it."""

from __future__ import annotations

from pathlib import Path

import plot

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
PLOT = ROOT / "docs" / "images" / "bench-scaling.svg"
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"


def fmt_mib(n: float) -> str:
    return f"{n / 2**20:,.0f}"


def report(args, info: dict, gen: dict, main: dict, rebuild: dict | None, scaling: list[dict],
           timings: dict, floor: dict | None = None) -> str:
    """The results section of docs/performance.md, in Markdown."""
    v, m = info["versions"], info["machine"]
    stats = gen["stats"]
    lines = [f"Measured {info['date']} by `{info['command']}`: scale {args.scale:g} (seed {args.seed}), "
             f"{args.repeat} cold build(s) of each generator, alternating"
             + (f", at scheduling priority {args.nice}." if args.nice else "."),
             "",
             f"The force: {stats['lpus']} LPUs, {stats['teams']} teams, {stats['news']:,} news items "
             f"({stats['force_news']:,} force-wide), {stats['priorities']:,} priorities, {stats['meetings']:,} meetings, "
             f"{stats['advice']} advice pages; {stats['files']:,} content files, {stats['words']:,} words of Markdown. "
             f"Hugo and Pelican build the same {stats['news']:,} news articles.",
             "",
             "| generator | version | HTML pages | median wall time | range | pages/s | CPU time | cores used | "
             "peak memory (tree) | load average |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    ver = {"wmpsite": f"{v['wmpsite']} (Markdown {v['wmpsite_markdown']}, Jinja2 {v['wmpsite_jinja2']})",
           "hugo": v["hugo"],
           "pelican": f"{v['pelican']}, Markdown {v['pelican_markdown']}"}
    for name, r in main.items():
        lines.append(f"| {name} | {ver[name]} | {r['pages']:,} | {r['wall']:.2f} s | {r['min']:.2f}–{r['max']:.2f} s | "
                     f"{r['pages_per_s']:,.0f} | {r['cpu']:.1f} s | {r['cores']:.2f} | {fmt_mib(r['peak'])} MiB | "
                     f"{r['load']:.1f} |")
    lines += ["", "CPU time is user + system time of the build's processes; cores used is CPU time / wall time; "
              "load average is the machine's 1-minute load around the runs (the highest), as other work on a "
              "shared machine slows every build."]
    busiest = max(r["load"] for r in main.values())
    if busiest > float(m["cores"]):
        lines += ["", f"**The machine was busy** (load average up to {busiest:.1f} on {m['cores']} cores, from other "
                      "work): wall times are longer than on a quiet machine, and Hugo, which uses every core, loses "
                      "most. CPU times are the steadier measure."]
    w = main.get("wmpsite")
    lines += ["", "| ratio | pages/s (medians) | wall time (medians) | wall time (best runs) | CPU time per page |",
              "|---|---:|---:|---:|---:|"]
    for peer, label in (("hugo", "Hugo"), ("pelican", "Pelican")):
        if w and peer in main:
            p = main[peer]
            cpu = (w["cpu"] / w["pages"]) / (p["cpu"] / p["pages"])
            lines.append(f"| wmpsite / {label} | {w['pages_per_s'] / p['pages_per_s']:.2f}× | "
                         f"{w['wall'] / p['wall']:.2f}× | {w['min'] / p['min']:.2f}× | {cpu:.2f}× |")
    if floor and w:
        cores = int(m["cores"])
        best = floor["cpu"] / cores
        lines += ["", f"Python-Markdown alone (wmpsite's extensions, no fields, checks, templates or writing; "
                      f"`bench/markdown_floor.py`) converts the {floor['files']:,} bodies in {floor['cpu']:.1f} s of CPU: "
                      f"{floor['files'] / floor['cpu']:.0f} files a second on one core. On {cores} cores a cold build "
                      f"that keeps Python-Markdown needs at least {best:.1f} s, at most "
                      f"{w['pages'] / best:,.0f} pages/s"
                      + (f"; 5× Pelican's pages/s would be {5 * main['pelican']['pages_per_s']:,.0f}."
                         if "pelican" in main else ".")]
    if rebuild and w:
        lines += ["", "wmpsite rebuilds into the same output folder (median of "
                  f"{args.repeat}; the edit appends a line to `{rebuild['edited_file']}`):", "",
                  "| build | wall time (median) | best | share of the cold build | CPU time | peak memory |",
                  "|---|---:|---:|---:|---:|---:|",
                  f"| cold (above) | {w['wall']:.2f} s | {w['min']:.2f} s | 100% | {w['cpu']:.1f} s | "
                  f"{fmt_mib(w['peak'])} MiB |"]
        for key, label in (("same", "rebuild, no change"), ("edit", "rebuild, one news item edited")):
            cpu = f"{rebuild[key + '_cpu']:.1f} s" if key + "_cpu" in rebuild else "–"
            best = f"{rebuild[key + '_min']:.2f} s" if key + "_min" in rebuild else "–"
            lines.append(f"| {label} | {rebuild[key]:.2f} s | {best} | {100 * rebuild[key] / w['wall']:.0f}% | {cpu} | "
                         f"{fmt_mib(rebuild[key + '_peak'])} MiB |")
    if w:
        lines += ["", "Against the performance targets:", "", "| target | measured | met |", "|---|---:|:-:|"]
        checks = []
        if "pelican" in main:
            ratio = w["pages_per_s"] / main["pelican"]["pages_per_s"]
            checks.append(("pages/s at least 5× Pelican's", f"{ratio:.2f}×", ratio >= 5))
        if "hugo" in main:
            ratio = w["wall"] / main["hugo"]["wall"]
            checks.append(("wall time within 2× Hugo's", f"{ratio:.2f}×", ratio <= 2))
        if rebuild:
            if "hugo" in main:
                checks.append(("no-change rebuild faster than Hugo's cold build",
                               f"{rebuild['same']:.2f} s vs {main['hugo']['wall']:.2f} s",
                               rebuild["same"] < main["hugo"]["wall"]))
            checks.append(("no-change rebuild at most 10% of cold", f"{100 * rebuild['same'] / w['wall']:.0f}%",
                           rebuild["same"] <= 0.10 * w["wall"]))
            checks.append(("one-edit rebuild at most 15% of cold", f"{100 * rebuild['edit'] / w['wall']:.0f}%",
                           rebuild["edit"] <= 0.15 * w["wall"]))
        checks.append(("peak memory under 1 GiB", f"{fmt_mib(w['peak'])} MiB", w["peak"] < 2**30))
        checks.append(("both cores used", f"{w['cores']:.2f} cores", w["cores"] >= 1.6))
        lines += [f"| {t} | {value} | {'yes' if ok else '**no**'} |" for t, value, ok in checks]
    if scaling:
        lines += ["", "How build time grows with the force (one cold build each; the last row is the table above):", "",
                  "| scale | news items | wmpsite pages | wmpsite | wmpsite pages/s | Hugo | Pelican |",
                  "|---:|---:|---:|---:|---:|---:|---:|"]
        for row in scaling:
            r = row["results"]
            cell = lambda n: f"{r[n]['wall']:.2f} s" if n in r else "–"  # noqa: E731
            lines.append(f"| {row['scale']:g} | {row['news']:,} | {r['wmpsite']['pages']:,} | {cell('wmpsite')} | "
                         f"{r['wmpsite']['pages_per_s']:,.0f} | {cell('hugo')} | {cell('pelican')} |")
        lines += ["", f"![Build time against pages built, log-log, for wmpsite, Hugo and Pelican]"
                      f"(images/{PLOT.name})"]
        lines += ["", *matrix_estimate(scaling)]
    lines += ["", f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory']} memory, {m['os']}, Python {m['python']}. "
                  f"Step times: " + ", ".join(f"{k} {t:.0f} s" for k, t in timings.items()) + "."]
    return "\n".join(lines)


#: An assumed mix of the 43 territorial forces of England and Wales by archive size, as benchmark scales
#: (200 is the reference: a large metropolitan force's ten years). An assumption, not a measurement.
FORCE_MIX = ((200, 6), (60, 14), (20, 23))


def matrix_estimate(scaling: list[dict]) -> list[str]:
    """What a CI matrix of one job a force would take, from the measured cold builds (interpolated)."""
    points = sorted((row["scale"], row["results"]["wmpsite"]["wall"]) for row in scaling if "wmpsite" in row["results"])
    if len(points) < 2 or points[-1][0] < max(scale for scale, _ in FORCE_MIX):
        return []  # only interpolate, never extrapolate

    def seconds(scale: float) -> float:
        for (s0, t0), (s1, t1) in zip(points, points[1:]):
            if scale <= s1 or (s1, t1) == points[-1]:
                return t0 + (t1 - t0) * (scale - s0) / (s1 - s0)
        return points[-1][1]

    jobs = [(scale, seconds(scale)) for scale, count in FORCE_MIX for _ in range(count)]
    total, longest = sum(t for _, t in jobs), max(t for _, t in jobs)
    mix = ", ".join(f"{count} at scale {scale:g} ({seconds(scale):.0f} s)" for scale, count in FORCE_MIX)
    return ["**A national deployment.** With one matrix job a force (`build.py build`; or one a site with "
            "`build --site NAME`, each of which loads the whole force but renders only its own pages), "
            f"and the 43 forces assumed to be {mix}, cold builds on machines like this one take "
            f"{total / 60:.0f} runner-minutes in all; the matrix finishes in about {longest / 60:.1f} minutes "
            f"when all {len(jobs)} jobs run at once, and in about {max(total / 20, longest) / 60:.0f} minutes on "
            "20 runners, plus each runner's setup. With the Markdown cache kept between runs (CI cache of `.cache/`), a "
            "force's rebuild costs about its no-change rebuild above instead."]


DOC_HEAD = """# Performance

How fast wmpsite builds a large force, beside Hugo and Pelican. The numbers below are
written by `make bench` (bench/run.py); see the end of this page for how the benchmark works.

"""


def write_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else DOC_HEAD + f"{START}\n{END}\n"
    if START not in text or END not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n{section}\n{END}{tail}", encoding="utf-8")


def finish(args, section: str, scaling: list[dict]) -> int:
    """Write the results section and the plot, unless --no-doc."""
    if not args.no_doc:
        write_doc(section)
        if scaling:
            PLOT.parent.mkdir(parents=True, exist_ok=True)
            PLOT.write_text(plot.scaling_svg(scaling), encoding="utf-8")
        print(f"\nWrote {DOC.relative_to(ROOT)}" + (f" and {PLOT.relative_to(ROOT)}" if scaling else ""))
    return 0
