"""A cache for pure steps (Markdown to HTML, a content file to its item), keyed by a hash of their whole input.

The key covers the text, everything the conversion reads besides it, and the
renderer's version and settings, so a cached value can never be stale: a
change to any input is a different key. Entries are only added, except a
*slot*: one entry a step keeps for the latest version of something large (a
part of the search index), holding the full key of its input beside the value
and replaced when that changes, so the file does not grow with every edit.
`--no-cache` or deleting the file is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import pickle
import sqlite3
import sys
from pathlib import Path
from typing import Any, Iterable

from wmpsite.core.errors import MachineFailed


def key_of(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


@functools.cache
def code_digest() -> str:
    """wmpsite's own code (with the font it draws share cards in) and the versions of the libraries
    it parses and renders with: part of the key of every step that runs our code on its input."""
    h = hashlib.blake2b(digest_size=20)
    package = Path(__file__).resolve().parents[1]
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.ttf")]):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    h.update(sys.version.encode())
    for name in ("jinja2", "markupsafe", "markdown", "pyyaml"):
        h.update(f"|{name} {importlib.metadata.version(name)}".encode())
    return h.hexdigest()


def _machine_failed(path: Path, exc: sqlite3.Error) -> MachineFailed:
    """Say which cache file the machine could not use, and what to do (SQLite names no path)."""
    name = getattr(exc, "sqlite_errorname", "")
    todo = {"SQLITE_FULL": "The disk is full: free some space on it",
            "SQLITE_READONLY": "wmpsite may not write it: give the user who runs the build access to it",
            "SQLITE_CANTOPEN": "wmpsite cannot open it: check that its folder exists and may be written"}.get(
                name, "Delete the file (it only makes builds faster)")
    return MachineFailed(f"{path}: the cache could not be used ({exc}). {todo}, or build with --no-cache "
                         "(slower, the same result), and run the command again.")


class Cache:
    """A key -> value store in one SQLite file; safe to read from forked workers. A file it cannot
    use (a full disk, no permission) is MachineFailed, naming it."""

    def __init__(self, path: Path | None):
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pid = None

    def _connect(self) -> sqlite3.Connection | None:
        import os
        if self.path is None:
            return None
        if self._db is None or self._pid != os.getpid():  # a forked worker needs its own connection
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = sqlite3.connect(self.path, timeout=30)
                self._db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB)")
            except sqlite3.OperationalError as exc:
                raise _machine_failed(self.path, exc) from None
            self._pid = os.getpid()
        return self._db

    def get(self, key: str) -> Any | None:
        db = self._connect()
        if db is None:
            return None
        row = db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return pickle.loads(row[0])
        except Exception:  # an entry from an incompatible wmpsite: treat as missing
            return None

    def put_many(self, entries: Iterable[tuple[str, Any]], *, replace: bool = False) -> None:
        """Add entries; with `replace`, overwrite those already there (slots)."""
        db = self._connect()
        if db is None:
            return
        try:
            with db:
                db.executemany(f"INSERT OR {'REPLACE' if replace else 'IGNORE'} INTO entries VALUES (?, ?)",
                               ((k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in entries))
        except sqlite3.OperationalError as exc:
            raise _machine_failed(self.path, exc) from None

    def get_slot(self, slot: str, key: str) -> Any | None:
        """The value in `slot` if it was made from the input whose key is `key`, else None."""
        found = self.get(slot)
        return found[1] if isinstance(found, tuple) and len(found) == 2 and found[0] == key else None

    def put_slots(self, entries: Iterable[tuple[str, str, Any]]) -> None:
        """Fill each (slot, key, value), replacing what the slot held."""
        self.put_many(((slot, (key, value)) for slot, key, value in entries), replace=True)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def digest(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def body_key(item, field: str) -> str:
    """Names a body across builds: the item's kind, file and slug, and which of its bodies."""
    return f"{type(item).__name__} {item.source.path} {getattr(item, 'slug', '')} {field}"
