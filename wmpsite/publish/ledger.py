"""The ledger of social posts made by `build.py post`: one JSON file, rewritten atomically.

It lives at `<publish.state>/social-ledger.json` and is meant to be committed (or kept by the
pipeline), so that every run knows what every account has already posted. For each account it
keeps the cut-off (items published before it are never posted) and, per item id, either

- `pending`: a post was about to be sent, or was sent with no answer; the next run asks the
  network whether it arrived (or sends it again with the same idempotency key), or
- `posted`: the network accepted it, with the post's id and address.

A pending entry also keeps `steps`: what a network that posts in two steps (Facebook, Instagram,
Threads) made first, so that a later run finishes that one instead of making another. An X
account's entry keeps `spend`, US dollars per calendar month, for its monthly cap.

Every change is written at once: a temporary file beside the ledger, fsync, os.replace, then an
fsync of the folder, so a crash leaves either the old ledger or the new one, never half of one.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import tempfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Iterator

LEDGER_NAME = "social-ledger.json"
VERSION = 1
ABOUT = "Posts made by `python build.py post`, per account and item id. Commit this file; see docs/social.md."


class LedgerError(Exception):
    """The ledger cannot be read, or another run holds it."""


class Ledger:
    """The ledger file in memory; every change is saved at once by the method that makes it."""

    def __init__(self, path: Path, data: dict, *, save: bool = True):
        self.path = path
        self.data = data
        self.saving = save            # False in a dry run: change the copy in memory only

    @classmethod
    def load(cls, state_dir: Path, *, save: bool = True) -> Ledger:
        """Read the ledger in `state_dir`; a missing one is empty."""
        path = state_dir / LEDGER_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = {"about": ABOUT, "version": VERSION, "accounts": {}}
        except (OSError, ValueError) as exc:
            raise LedgerError(f"{path}: the ledger cannot be read ({exc}); restore it from version control "
                              "before posting, or posts would be made twice") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or \
                not isinstance(data.get("accounts"), dict):
            raise LedgerError(f"{path}: not a wmpsite social ledger of version {VERSION}")
        return cls(path, data, save=save)

    def _account(self, key: str) -> dict:
        return self.data["accounts"].setdefault(key, {"cutoff": None, "items": {}})

    def cutoff(self, key: str) -> dt.datetime | None:
        """The account's cut-off: items published before it are not posted."""
        value = self.data["accounts"].get(key, {}).get("cutoff")
        return dt.datetime.fromisoformat(value) if value else None

    def set_cutoff(self, key: str, account: str, when: dt.datetime) -> None:
        entry = self._account(key)
        entry["account"] = account
        entry["cutoff"] = when.isoformat(timespec="seconds")
        self.save()

    def entry(self, key: str, item_id: str) -> dict | None:
        """What the ledger knows of one item: None, or a dict with 'state' 'pending' or 'posted'."""
        return self.data["accounts"].get(key, {}).get("items", {}).get(item_id)

    def mark_pending(self, key: str, item_id: str, attempt: str, now: dt.datetime) -> None:
        """Record that a post is about to be sent, with the key that makes a resend harmless."""
        self._account(key)["items"][item_id] = {"state": "pending", "attempt": attempt,
                                                "since": now.isoformat(timespec="seconds")}
        self.save()

    def note_step(self, key: str, item_id: str, name: str, value: str) -> None:
        """Record, on a pending item, what a step of its post made (a container's id)."""
        self._account(key)["items"][item_id].setdefault("steps", {})[name] = value
        self.save()

    def mark_posted(self, key: str, item_id: str, post_id: str | None, post_url: str | None,
                    now: dt.datetime, *, charge: tuple[str, Decimal] | None = None) -> None:
        """Record a post the network accepted; `charge` (month, dollars) adds what it cost, in the same write."""
        record = {"state": "posted", "at": now.isoformat(timespec="seconds")}
        if post_id:
            record["id"] = post_id
        if post_url:
            record["url"] = post_url
        entry = self._account(key)
        entry["items"][item_id] = record
        if charge is not None:
            month, dollars = charge
            spend = entry.setdefault("spend", {})
            total = Decimal(spend.get(month, "0")) + dollars
            spend[month] = str(total.quantize(Decimal("0.01")) if total.as_tuple().exponent > -2 else total)
        self.save()

    def spent(self, key: str, month: str) -> Decimal:
        """Dollars spent on the account's posts in a month ('2026-11')."""
        return Decimal(self.data["accounts"].get(key, {}).get("spend", {}).get(month, "0"))

    def posted_since(self, key: str, since: dt.datetime) -> list[dt.datetime]:
        """When each post the account made at or after `since` was made (deleted ones too: they counted)."""
        items = self.data["accounts"].get(key, {}).get("items", {})
        times = [dt.datetime.fromisoformat(e["at"]) for e in items.values()
                 if e.get("state") in ("posted", "deleted") and e.get("at")]
        return sorted(t for t in times if t >= since)

    def posted_count(self, key: str) -> int:
        items = self.data["accounts"].get(key, {}).get("items", {})
        return sum(1 for entry in items.values() if entry.get("state") == "posted")

    def save(self) -> None:
        if self.saving:
            text = json.dumps(self.data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
            write_atomic(self.path, text.encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


@contextmanager
def locked(state_dir: Path) -> Iterator[None]:
    """Hold a lock on the state folder, so two live runs never post the same items at once."""
    state_dir.mkdir(parents=True, exist_ok=True)
    folder = os.open(state_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LedgerError(f"another `build.py post` is running with the ledger in {state_dir}; "
                              "wait for it to finish") from None
        yield
    finally:
        os.close(folder)          # closing the folder releases the lock
