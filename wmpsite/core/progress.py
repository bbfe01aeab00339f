"""Tell the person at the terminal how a long build is going; stay quiet in CI and in logs."""

from __future__ import annotations

import contextlib
import sys
import time
from typing import TextIO


class Progress:
    """Counts done per stage. Draws a bar on a terminal, says nothing elsewhere,
    and with `verbose` prints each stage's count and time when it ends."""

    def __init__(self, stream: TextIO | None = None, *, bar: bool | None = None, verbose: bool = False):
        self.stream = stream or sys.stderr
        self.bar = self.stream.isatty() if bar is None else bar
        self.verbose = verbose
        self.stage, self.total, self.done = "", 0, 0
        self.started = self.drawn = 0.0

    def start(self, stage: str, total: int) -> None:
        self.stage, self.total, self.done = stage, total, 0
        self.started = time.perf_counter()
        self._draw(force=True)

    @contextlib.contextmanager
    def step(self, stage: str):
        """A stage without counts (check, plan, search index): named on the bar, timed with `verbose`."""
        self.start(stage, 0)
        yield
        self.finish()

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._draw()

    def finish(self) -> None:
        if self.bar:
            self.stream.write("\r\x1b[K")
        if self.verbose and self.stage:
            count = f"{self.done} in " if self.total else ""
            self.stream.write(f"{self.stage}: {count}{time.perf_counter() - self.started:.2f}s\n")
        self.stream.flush()
        self.stage = ""

    def _draw(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not self.bar or (not force and now - self.drawn < 0.1):
            return
        self.drawn = now
        if not self.total:
            self.stream.write(f"\r\x1b[K{self.stage} ...")
            self.stream.flush()
            return
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        self.stream.write(f"\r\x1b[K{self.stage:<8} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{self.done}/{self.total}")
        self.stream.flush()


class Silent(Progress):
    """Progress that is never shown (library use and tests)."""

    def __init__(self):
        super().__init__(bar=False)

    def finish(self) -> None:
        self.stage = ""
