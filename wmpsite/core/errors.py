"""The one error type for bad content, and how a list of them is reported; failures of the machine."""

from __future__ import annotations

import contextlib
import errno
import os
from dataclasses import dataclass, field
from typing import Iterator


@dataclass(frozen=True)
class ContentError:
    """One thing wrong with the editors' input, said in the editors' words.

    `path` is relative to the project root (``content/news/x.md``); `line`
    counts from the top of the file, front matter included (1-based). A cross-file check that
    finds a reference to nothing sets `missing` to the content file it looked for: when that file
    exists but failed to load, its own errors say why, and this one is not reported (loader.py).
    """

    path: str
    message: str
    line: int | None = None
    hint: str | None = None
    missing: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.message)


class BuildFailed(Exception):
    """Raised by a stage when the input has errors; carries every one of them."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors), key=ContentError.sort_key)
        super().__init__(format_errors(self.errors))


def format_errors(errors: list[ContentError]) -> str:
    """Number the errors and say how many, as editors see them in the build log."""
    lines = [f"{i}. {error}" for i, error in enumerate(errors, 1)]
    noun = "error" if len(errors) == 1 else "errors"
    lines.append(f"Found {len(errors)} {noun}; nothing was written.")
    return "\n".join(lines)


class Unexpected(Exception):
    """A bug in wmpsite, met while making one output from one content file: the report names both so
    the developers can reproduce it, and says the content is not at fault (exit 3)."""


@contextlib.contextmanager
def making(what: str, source: str | None, passing: tuple[type[Exception], ...] = ()) -> Iterator[None]:
    """Turn an unexpected failure inside the block into Unexpected, naming `what` was being made and from
    which content file. The content's own errors (BuildFailed), the machine's (OSError) and `passing`
    (a template's own errors) pass as they are."""
    try:
        yield
    except (BuildFailed, MachineFailed, OSError, Unexpected, *passing):
        raise
    except Exception as exc:
        raise Unexpected(f"{type(exc).__name__}: {exc} (while making {what}"
                         + (f" from {source})" if source else ")")) from exc


class UnknownSite(ValueError):
    """`build --site` named a site the project does not have (a usage error, exit 2)."""


class MachineFailed(Exception):
    """The machine stopped the command, not the content: a full disk, a folder wmpsite may not
    write, a missing tool (exit 4). The message names the path and says what to do."""


_WHAT_TO_DO = {
    errno.ENOSPC: "The disk is full: free some space on it, or build into a folder on another disk with "
                  "--output, and run the command again.",
    errno.EDQUOT: "Your share of the disk is used up: free some space, or ask for a larger quota, and run the "
                  "command again.",
    errno.EACCES: "wmpsite may not use it: give the user who runs the command access to it (for the output, or "
                  "choose another folder with --output), and run the command again.",
    errno.EROFS: "Choose a folder on another disk with --output, and run the command again.",
    errno.ENOENT: "Check the path (it may have been removed while the command ran), and run the command again.",
}
_WHAT_TO_DO[errno.EPERM] = _WHAT_TO_DO[errno.EACCES]


def machine_failure(exc: OSError, path: object | None = None, note: str = "") -> MachineFailed:
    """Say what went wrong with the machine, naming `exc`'s own path, else `path`, and what to do;
    e.g. '_site/main/index.html: No space left on device. The disk is full: free some space...'."""
    where = exc.filename if exc.filename is not None else path
    what = exc.strerror or str(exc)
    todo = _WHAT_TO_DO.get(exc.errno, "Check the disk and the folder, and run the command again.")
    text = f"{os.fsdecode(where)}: {what}. {todo}" if where is not None else f"{what}. {todo}"
    return MachineFailed(f"{text} {note}".rstrip())
