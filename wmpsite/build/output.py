"""Write a built site atomically: everything goes to a staging folder, then swaps in.

The writing itself is shared out: each `Task` makes some of the files (a slice of
pages, the feeds, the sitemaps...) and the process that runs it writes them
straight into the staging folder, so no page's bytes travel between processes
and both cores create folders and write files. The staging folder starts as the
tree the last build replaced, so a rebuild rewrites only the files that changed,
and the record of that tree comes with it (reuse.py: pages that cannot have
changed are not even rendered).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from pathlib import Path
from typing import Iterator, Sequence

from wmpsite.core import parallel
from wmpsite.build import reuse
from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.core.page import Files, Task
from wmpsite.core.progress import Progress, Silent
from wmpsite.build.reuse import Entry, Record


def write_output(files: Files, out_dir: Path) -> int:
    """Write `files` so that `out_dir` is replaced whole or not at all; return how many were written."""
    with staged(out_dir) as staging:
        return write_files(staging, files)


def write_tasks(staging: Staging, tasks: Sequence[Task], *, jobs: int = 1, progress: Progress | None = None) -> int:
    """Run every task on `jobs` processes, each writing its files into `staging`; return the count.

    Every task runs even when some fail, so that one BuildFailed at the end lists
    the errors of all of them.
    """
    def run(index: int) -> tuple[list[tuple[str, Entry]], int, list[ContentError]]:
        task = tasks[index]
        written: list[tuple[str, Entry]] = []
        try:
            _write(staging, task.make(), written)
            return written, task.pages, []
        except BuildFailed as failed:
            return written, task.pages, failed.errors

    progress = progress or Silent()
    progress.start("render", sum(task.pages for task in tasks))
    count, errors = 0, []
    for written, pages, task_errors in parallel.imap(run, range(len(tasks)), jobs):
        staging.made.update(written)
        if not pages:
            staging.extras.extend(rel for rel, _ in written)
        count += len(written)
        errors.extend(task_errors)
        progress.advance(pages)
    progress.finish()
    if errors:
        raise BuildFailed(errors)
    return count


def write_files(staging: Staging, files: Files) -> int:
    """Write `files` into `staging` in this process; return how many."""
    written: list[tuple[str, Entry]] = []
    _write(staging, files, written)
    staging.made.update(written)
    return len(written)


def _write(staging: Staging, files: Files, written: list[tuple[str, Entry]]) -> None:
    """Write each file into `staging` unless it already holds exactly those bytes (a reused tree),
    and add what the next build needs to know of it to `written`. A file the record of the tree
    before says holds these bytes (same size, time and digest) is not even read."""
    root = str(staging.path)
    before = staging.before.files if staging.before else {}
    made: set[str] = set()
    for rel, data, *shown in files:
        target = os.path.join(root, rel)
        parent = os.path.dirname(target)
        if parent not in made:
            _make_folder(staging.path, Path(parent))
            made.add(parent)
        try:
            info = os.stat(target)
        except FileNotFoundError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode):  # the old tree had a folder where this file goes
            shutil.rmtree(target)
            info = None
        digest, old = reuse.digest(data), before.get(rel)
        known = info is not None and old is not None and (info.st_size, info.st_mtime_ns, digest) == old[:3]
        if not known and (info is None or info.st_size != len(data) or Path(target).read_bytes() != data):
            Path(target).write_bytes(data)
            info = os.stat(target)
        written.append((rel, Entry(info.st_size, info.st_mtime_ns, digest, shown[0] if shown else ())))


def _make_folder(root: Path, folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)  # exist_ok: another process may have made it
    except (FileExistsError, NotADirectoryError):  # the old tree had a file where this folder goes
        for parent in (folder, *folder.parents):
            if parent == root:
                break
            if parent.is_file():
                parent.unlink()
        folder.mkdir(parents=True, exist_ok=True)


class Staging:
    """The folder a build writes into, what it has written so far (relative path -> reuse.Entry),
    the record of the tree it started from (`before`, if any), and the `frame` the build renders in
    (reuse.frame; without one, no record is kept for the next build)."""

    def __init__(self, path: Path, before: Record | None = None):
        self.path = path
        self.made: dict[str, Entry] = {}
        self.extras: list[str] = []  # what tasks other than pages wrote, or kept
        self.before = before
        self.frame: str | None = None
        self.bodies = ""

    def prune(self) -> None:
        """Remove what the reused tree had and this build did not write."""
        def prune(folder: str, rel: str) -> bool:  # whether `folder` is empty now
            empty = True
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if prune(entry.path, f"{rel}{entry.name}/"):
                            os.rmdir(entry.path)
                        else:
                            empty = False
                    elif rel + entry.name in self.made:
                        empty = False
                    else:
                        os.unlink(entry.path)
            return empty
        prune(str(self.path), "")


@contextlib.contextmanager
def staged(out_dir: Path) -> Iterator[Staging]:
    """A staging folder beside `out_dir` that replaces it when the block ends without an exception.

    The old tree is renamed aside and kept as `.<name>.previous`; the next build
    starts from it, so files that come out the same are not written again, and
    whatever it did not write is pruned before the swap. A build that fails or is
    killed at any point leaves the last good `out_dir` as it was, and its staging
    folder is removed (or, if killed, by the next build).
    """
    out_dir = out_dir.resolve()
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    previous = parent / f".{out_dir.name}.previous"
    _remove_leftovers(parent, out_dir.name)
    staging = Staging(parent / f".{out_dir.name}.staging-{os.getpid()}", reuse.read(_record(previous)))
    try:
        os.replace(previous, staging.path)
    except FileNotFoundError:  # the first build here, or the last one failed
        staging.path.mkdir()
        staging.before = None
    _record(previous).unlink(missing_ok=True)  # it now describes the staging folder
    try:
        yield staging
        staging.prune()
        if out_dir.exists():
            os.replace(out_dir, previous)
            if _record(out_dir).exists():
                os.replace(_record(out_dir), _record(previous))
        if staging.frame is not None:
            reuse.write(_record(out_dir), Record(staging.frame, staging.made, staging.bodies,
                                                 tuple(sorted(staging.extras))))
        else:
            _record(out_dir).unlink(missing_ok=True)
        os.replace(staging.path, out_dir)
    except BaseException:
        if not out_dir.exists() and previous.exists():
            os.replace(previous, out_dir)
        shutil.rmtree(staging.path, ignore_errors=True)
        raise


def _record(tree: Path) -> Path:
    """Where the record of the tree `tree` is kept: beside it, never in what is published."""
    return tree.with_name(("" if tree.name.startswith(".") else ".") + tree.name + ".record")


def _remove_leftovers(parent: Path, name: str) -> None:
    """Remove staging folders left by killed builds (their process is gone)."""
    for leftover in (*parent.glob(f".{name}.staging-*"), *parent.glob(f".{name}.old-*")):  # .old-*: left by earlier versions
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
