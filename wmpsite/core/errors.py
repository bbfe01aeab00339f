"""The one error type for bad content, and how a list of them is reported."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentError:
    """One thing wrong with the editors' input, said in the editors' words.

    `path` is relative to the project root (``content/news/x.md``); `line`
    counts from the top of the file, front matter included (1-based).
    """

    path: str
    message: str
    line: int | None = None
    hint: str | None = None

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


class UnknownSite(ValueError):
    """`build --site` named a site the project does not have (a usage error, exit 2)."""
