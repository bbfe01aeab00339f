"""Time the search stage alone: index a built main site with Pagefind, as a cold build does.

    python bench/search_stage.py PROJECT SITE [--jobs N] [--repeat R]

PROJECT is the wmpsite project (its plan decides the parts of the index), SITE the main site's
folder of a build of it (`_site/main`). Each round indexes every part afresh, without the cache of
parts, and prints its wall time, the CPU time of this process and of Pagefind's (user + system),
and a digest of the bundle's files: rounds of two versions of the code that print the same
digest built the same index. Run two versions in turn on a shared machine and compare ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import resource
import sys
import time
from pathlib import Path


def cpu() -> tuple[float, float]:
    """CPU seconds (user + system) of this process, and of its finished child processes (Pagefind)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    from wmpsite.build.pipeline import check
    from wmpsite.outputs import search
    groups = search.shards(check(args.project, now=dt.datetime(2026, 11, 25, 12)).plan)
    for _ in range(args.repeat):
        wall, started = time.perf_counter(), cpu()
        files = search.index_files(args.site, groups, None, args.jobs)
        wall, (own, children) = time.perf_counter() - wall, (b - a for a, b in zip(started, cpu()))
        sha = hashlib.sha256()
        for rel, data in files:
            sha.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
        print(f"search: {sum(len(p) for p in groups.values())} pages in {len(groups)} parts, jobs {args.jobs}: "
              f"wall {wall:.2f} s, CPU {own + children:.2f} s ({own:.2f} s Python, {children:.2f} s Pagefind), "
              f"{len(files)} files, {sum(len(d) for _, d in files):,} bytes, "
              f"digest {sha.hexdigest()[:16]}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
