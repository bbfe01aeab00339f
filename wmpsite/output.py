"""Write a built site atomically: everything goes to a staging folder, then swaps in."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable, Iterable


def write_output(files: Iterable[tuple[str, bytes]], out_dir: Path,
                 before_swap: Callable[[Path], None] | None = None) -> int:
    """Write `files` ((relative path, bytes) pairs, possibly streamed) so that `out_dir`
    is replaced whole or not at all; return how many files were written.

    The new tree is written beside `out_dir` and renamed into place; the old
    tree is renamed aside first and removed only after the swap. A build that
    fails or is killed at any point leaves the last good `out_dir` as it was.
    `before_swap(staging)`, if given, runs on the complete staging folder just
    before the swap (the search index, issue 4); if it raises, nothing changes.
    """
    out_dir = out_dir.resolve()
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{out_dir.name}.staging-{os.getpid()}"
    old = parent / f".{out_dir.name}.old-{os.getpid()}"
    _remove_leftovers(parent, out_dir.name)
    count = 0
    made: set[Path] = set()
    try:
        for rel, data in files:
            target = staging / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
            count += 1
        if before_swap is not None:
            before_swap(staging)
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(staging, out_dir)
    except BaseException:
        if not out_dir.exists() and old.exists():
            os.replace(old, out_dir)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return count


def _remove_leftovers(parent: Path, name: str) -> None:
    """Remove staging folders left by killed builds (their process is gone)."""
    for leftover in parent.glob(f".{name}.staging-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in parent.glob(f".{name}.old-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
