"""Editors' files as text: UTF-8 with any line ends, or an error naming the line that is not UTF-8."""

from __future__ import annotations

from wmpsite.core.errors import BuildFailed, ContentError


def text_of(rel: str, data: bytes) -> str:
    """The text of the file `rel` (its bytes `data`), with Windows and old Mac line ends read as
    text mode reads them; BuildFailed with the one error if it is not UTF-8 (`not_utf8`)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BuildFailed([not_utf8(rel, data, exc.start)]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def not_utf8(rel: str, data: bytes, start: int) -> ContentError:
    """The error for a file that stops being UTF-8 at byte `start`: its line, and the words around it,
    with the character that cannot be read shown as '\ufffd' (as a browser would show it)."""
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", start)
    line_end = len(data) if line_end < 0 else line_end
    before, after = data[max(line_start, start - 30):start], data[start:min(start + 30, line_end)]
    if start - 30 > line_start:  # whole words only
        before = before.partition(b" ")[2]
    if start + 30 < line_end:
        after = after.rpartition(b" ")[0] or after
    shown = "".join(c for c in (before + after).decode("utf-8", errors="replace") if c.isprintable()).strip()
    return ContentError(rel, f"this file is not saved as UTF-8: a character near '{shown}' cannot be read",
                        data.count(b"\n", 0, start) + 1,
                        "save it again in your editor choosing UTF-8 as its encoding; in Notepad that is File, "
                        "Save as, Encoding: UTF-8. Then check that character")
