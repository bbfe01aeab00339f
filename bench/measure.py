"""Run one command and report its wall time, CPU time and peak memory as JSON.

    python bench/measure.py LOG -- hugo --source ... --destination ...

Run it in a fresh process for every measured build: `getrusage(RUSAGE_CHILDREN)` then covers
exactly that build. Its `ru_maxrss` is the peak of the largest single process; a build that runs a
process pool needs the sum over the tree, so /proc is also polled every 50 ms for the summed
resident memory of the command and all its descendants. The larger of the two is the peak.
The command's output goes to LOG. Exit code: the command's.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and every descendant, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * PAGE
    total, todo = 0, [root]
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


def _die_with_parent() -> None:
    """In the child: be killed when this process dies (Linux), so a stopped benchmark leaves no build."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main(argv: list[str]) -> int:
    log, sep, *command = argv
    assert sep == "--", "usage: measure.py LOG -- COMMAND..."
    peak = 0
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        done = threading.Event()

        def poll() -> None:
            nonlocal peak
            while not done.wait(0.05):
                peak = max(peak, tree_rss(proc.pid))

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        code = proc.wait()
        wall = time.perf_counter() - started
        done.set()
        poller.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"code": code, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                      "maxrss": usage.ru_maxrss * 1024, "tree_rss": peak,
                      "peak": max(usage.ru_maxrss * 1024, peak)}))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
