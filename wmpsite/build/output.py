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
import re
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from wmpsite.core import parallel
from wmpsite.build import reuse, swap
from wmpsite.core.errors import BuildFailed, ContentError, machine_failure
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
            try:
                Path(target).write_bytes(data)
            except OSError as exc:  # a full disk fails in write(2), which names no file: say which
                exc.filename = target if exc.filename is None else exc.filename
                raise
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


@dataclass(frozen=True)
class _Places:
    """Where a build of one published tree works, and keeps what the next build starts from: all
    beside the output folder, never inside it, so nothing of it is ever published."""

    live: Path             # the published tree: the output folder, or (`build --site`) one site's folder in it
    staging: Path          # .<output>.staging-<pid>: the tree being built, or the folder holding it
    tree: Path             # the tree being built
    previous: Path         # the tree the last swap replaced: the next build starts from it
    live_record: Path      # what built the live tree (reuse.Record)
    previous_record: Path  # what built the tree before


def _places(out_dir: Path, site: str | None) -> _Places:
    root = out_dir.resolve()
    beside, name = root.parent, f".{root.name}" + (f".{site}" if site else "")
    staging = beside / f".{root.name}.staging-{os.getpid()}"  # one pattern for every kind of build
    return _Places(root / site if site else root, staging, staging / site if site else staging,
                   beside / f"{name}.previous", beside / f"{name}.record", beside / f"{name}.previous.record")


@contextlib.contextmanager
def staged(out_dir: Path, site: str | None = None) -> Iterator[Staging]:
    """A staging folder beside `out_dir` that replaces it (with `site`: its folder `out_dir/site`)
    when the block ends without an exception.

    The old tree is swapped out in the same step as the new one goes in (swap.py) and kept as
    `.<name>.previous`; the next build starts from it, so files that come out the same are not
    written again, and whatever it did not write is pruned before the swap. A build that fails or
    is killed at any point leaves the last good tree where it was, and its staging folder is
    removed (or, if killed, by the next build of any kind). A failure of the machine (a full disk,
    a folder it may not write) becomes MachineFailed, naming the path.
    """
    places = _places(out_dir, site)
    places.live.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(places.staging.parent, out_dir.resolve())
    _put_back(places)
    staging = Staging(places.tree, reuse.read(places.previous_record))
    try:
        places.staging.mkdir(exist_ok=True)  # for one site, the folder that holds its tree
        try:
            os.replace(places.previous, places.tree)
        except FileNotFoundError:  # the first build here, or the last one failed
            places.tree.mkdir(exist_ok=True)
            staging.before = None
        places.previous_record.unlink(missing_ok=True)  # it now describes the staging tree
        yield staging
        staging.prune()
        _swap_in(staging, places)
    except BaseException as exc:
        _put_back(places)
        shutil.rmtree(places.staging, ignore_errors=True)
        places.staging.with_name(places.staging.name + ".record").unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise machine_failure(exc, places.staging, f"Nothing was published: {places.live} is as the last "
                                                       "good build left it.") from exc
        raise


def _swap_in(staging: Staging, places: _Places) -> None:
    """Put the staged tree in the live one's place in one step, keeping the live one as `previous`,
    with the records of both. The new record is written first, beside the staging folder, and
    renamed after the swap: a kill in between leaves no record (the next build is slower, never
    wrong), and once the swap is done nothing is left that a full disk could stop."""
    record = places.staging.with_name(places.staging.name + ".record")
    if staging.frame is not None:
        reuse.write(record, Record(staging.frame, staging.made, staging.bodies, tuple(sorted(staging.extras))))
    if places.live_record.exists():
        os.replace(places.live_record, places.previous_record)  # the live tree is about to become `previous`
    if not places.live.exists():
        os.replace(places.tree, places.live)
    elif swap.exchange(places.tree, places.live):
        os.replace(places.tree, places.previous)  # the staged tree's place holds the old tree now
    else:  # no atomic exchange here: between these two, the live tree is missing (see _put_back)
        os.replace(places.live, places.previous)
        os.replace(places.tree, places.live)
    if staging.frame is not None:
        os.replace(record, places.live_record)
    shutil.rmtree(places.staging, ignore_errors=True)  # for one site: the emptied folder that held its tree


def _put_back(places: _Places) -> None:
    """Put the last good tree back when a swap without the atomic exchange was stopped half-way."""
    if not places.live.exists() and places.previous.exists():
        os.replace(places.previous, places.live)
        if places.previous_record.exists():
            os.replace(places.previous_record, places.live_record)


# Leftovers of killed builds: staging folders beside the output folder, and, inside it, what versions
# that staged one site there left (its staging folder, its search scratch folders, its records).
_INSIDE = re.compile(r"\.(pagefind-.*|.+\.(staging-\d+|previous|record|previous\.record))")


def _remove_leftovers(beside: Path, root: Path) -> None:
    """Remove what builds of any kind that were killed left behind (their process is gone)."""
    found = [*beside.glob(f".{root.name}.staging-*"), *beside.glob(f".{root.name}.old-*")]  # .old-*: earlier versions
    if root.is_dir():
        found += [path for path in root.iterdir() if _INSIDE.fullmatch(path.name)]
    for leftover in found:
        pid = re.search(r"(?:staging|old)-(\d+)", leftover.name)
        if pid and _alive(int(pid[1])):
            continue
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


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
