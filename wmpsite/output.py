"""Write a built site atomically: everything goes to a staging folder, then swaps in.

The writing itself is shared out: each `Task` makes some of the files (a slice of
pages, the feeds, the sitemaps...) and the process that runs it writes them
straight into the staging folder, so no page's bytes travel between processes
and both cores create folders and write files. The staging folder starts as the
tree the last build replaced, so a rebuild rewrites only the files that changed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from . import parallel
from .errors import BuildFailed, ContentError
from .progress import Progress, Silent

Files = Iterable[tuple[str, bytes]]


@dataclass(frozen=True)
class Task:
    """Some of a build's output files: `make()` returns them as (relative path, bytes) pairs
    or raises BuildFailed. `pages` is how many planned pages they are, for the progress bar."""

    name: str
    make: Callable[[], Files]
    pages: int = 0


def write_output(files: Files, out_dir: Path) -> int:
    """Write `files` so that `out_dir` is replaced whole or not at all; return how many were written."""
    with staged(out_dir) as staging:
        return write_files(staging, files)


def write_tasks(staging: Staging, tasks: Sequence[Task], *, jobs: int = 1, progress: Progress | None = None) -> int:
    """Run every task on `jobs` processes, each writing its files into `staging`; return the count.

    Every task runs even when some fail, so that one BuildFailed at the end lists
    the errors of all of them.
    """
    def run(index: int) -> tuple[list[str], int, list[ContentError]]:
        task = tasks[index]
        written: list[str] = []
        try:
            _write(staging.path, task.make(), written)
            return written, task.pages, []
        except BuildFailed as failed:
            return written, task.pages, failed.errors

    progress = progress or Silent()
    progress.start("render", sum(task.pages for task in tasks))
    count, errors = 0, []
    for written, pages, task_errors in parallel.imap(run, range(len(tasks)), jobs):
        staging.made.update(written)
        count += len(written)
        errors.extend(task_errors)
        progress.advance(pages)
    progress.finish()
    if errors:
        raise BuildFailed(errors)
    return count


def write_files(staging: Staging, files: Files) -> int:
    """Write `files` into `staging` in this process; return how many."""
    written: list[str] = []
    _write(staging.path, files, written)
    staging.made.update(written)
    return len(written)


def _write(folder: Path, files: Files, written: list[str]) -> None:
    """Write each file under `folder` unless it already holds exactly those bytes (a reused tree)."""
    made: set[Path] = set()
    for rel, data in files:
        target = folder / rel
        if target.parent not in made:
            _make_folder(folder, target.parent)
            made.add(target.parent)
        try:
            info = target.stat()
        except FileNotFoundError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode):  # the old tree had a folder where this file goes
            shutil.rmtree(target)
            info = None
        if info is None or info.st_size != len(data) or target.read_bytes() != data:
            target.write_bytes(data)
        written.append(rel)


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
    """The folder a build writes into, and the relative paths written so far."""

    def __init__(self, path: Path):
        self.path = path
        self.made: set[str] = set()

    def prune(self) -> None:
        """Remove what the reused tree had and this build did not write."""
        for folder, dirs, files in os.walk(self.path, topdown=False):
            rel = Path(folder).relative_to(self.path)
            for name in files:
                if (rel / name).as_posix() not in self.made:
                    os.unlink(os.path.join(folder, name))
            for name in dirs:
                try:
                    os.rmdir(os.path.join(folder, name))
                except OSError:  # not empty: it holds files of this build
                    pass


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
    staging = Staging(parent / f".{out_dir.name}.staging-{os.getpid()}")
    previous = parent / f".{out_dir.name}.previous"
    _remove_leftovers(parent, out_dir.name)
    try:
        os.replace(previous, staging.path)
    except FileNotFoundError:  # the first build here, or the last one failed
        staging.path.mkdir()
    try:
        yield staging
        staging.prune()
        if out_dir.exists():
            os.replace(out_dir, previous)
        os.replace(staging.path, out_dir)
    except BaseException:
        if not out_dir.exists() and previous.exists():
            os.replace(previous, out_dir)
        shutil.rmtree(staging.path, ignore_errors=True)
        raise


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
