"""Run a pure function over many items on every core, keeping the items' order.

Workers are forked, so they share the parent's loaded data (the Force, the
templates) without pickling it; only the items and results cross processes.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_TASK: Callable | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _call(item):
    return _TASK(item)


def imap(func: Callable[[T], R], items: Sequence[T], jobs: int, chunksize: int = 1) -> Iterator[R]:
    """Yield func(item) for each item, in order, using `jobs` processes (1: in this process)."""
    global _TASK
    if jobs <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(func, items)
        return
    _TASK = func
    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, len(items))) as pool:
        yield from pool.imap(_call, items, chunksize)


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Split items into consecutive slices of at most `size`."""
    return [items[i:i + size] for i in range(0, len(items), size)]


def chunk_size(count: int, jobs: int, per_job: int = 8, most: int = 400) -> int:
    """A slice size that gives each process several slices (to balance) but not tiny ones."""
    return max(1, min(most, -(-count // (jobs * per_job))))
