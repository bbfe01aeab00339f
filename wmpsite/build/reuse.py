"""Keep the pages of the last build that cannot have changed.

A page is a pure function of what the Renderer is given: wmpsite's code and the
libraries that render, the templates, the settings, the static files, the
checked Force, the plan, the feeds, the Moment's decisions (moment.py) and the
Markdown bodies the page shows. `frame` hashes all of it except the bodies'
HTML; as a page renders, the Renderer notes each body it shows with a digest of
its HTML. A rebuild keeps a page of the tree before when

- the frame is the same (else nothing is kept: a new title, date, template or
  event that has finished can change any page),
- every body the page showed is still there with the same digest, and
- its file is still the one that build wrote (same size and modification time,
  as git's index checks a working tree).

The other files (feeds, calendars, sitemaps, the team finder's index, social feeds,
photos, static copies) are kept only when nothing changed at all: the same frame and
every body the same, and each of them still the file that build wrote.

Whatever is not kept is made again, so a kept file is always the file a clean
build would write; tests/test_reuse.py edits each kind of input and compares.
The record of a tree (`Record`) lives beside it, and output.staged moves the two
together.
"""

from __future__ import annotations

import copyreg
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, NamedTuple

from wmpsite.core.cache import body_key, code_digest, digest
from wmpsite.core.parts import Body
from wmpsite.core.queries import all_items

VERSION = 1  # of the record's format


class Entry(NamedTuple):  # a tuple: a record holds one per file, and reads back fast
    """One file a build wrote: what the next build needs to know of it."""

    size: int
    mtime_ns: int
    digest: str                          # of its bytes (search.py keys its index parts by these)
    shown: tuple[tuple[str, str], ...]   # pages: (body_key, digest of the HTML) of each body shown


@dataclass(frozen=True)
class Record:
    """What a build wrote into its tree: the frame it rendered in, each file, the digest of all the
    bodies (`bodies_digest`), and which files are not pages (`extras`)."""

    frame: str
    files: dict[str, Entry]
    bodies: str = ""
    extras: tuple[str, ...] = ()


def frame(checked, static: dict[str, Path], templates: list[Path]) -> str:
    """The hash of everything the pages of `checked` (a pipeline.Checked) are made from but the bodies'
    HTML (see the module's docstring): with the files under static/ and the template folders."""
    h = hashlib.blake2b(digest_size=20)
    h.update(code_digest().encode())
    for folder in templates:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in sorted(static):
        h.update(name.encode() + b"\0" + static[name].read_bytes() + b"\0")
    pickler = pickle.Pickler(_Hashing(h), protocol=5)  # hashed as it is made: never whole in memory
    pickler.dispatch_table = {**copyreg.dispatch_table, Body: _without_html}
    pickler.dump((checked.config, checked.urls.sites, checked.force, checked.plan, checked.feeds,
                  checked.moment.fingerprint))
    return h.hexdigest()


class _Hashing:
    """A file that a pickle is written to, feeding a hash."""

    def __init__(self, h):
        self.write = h.update


def _without_html(body: Body):
    """A Body pickles as an empty one: the pages that show it note its HTML, and its links (with
    the lines they are on, which move with every line added above them) serve only the checks."""
    return Body, ("",)


def kept(record: Record | None, frame_now: str, pages: Iterable[str], bodies: dict[str, str],
         tree: Path) -> dict[str, Entry]:
    """The pages (relative paths in `tree`) that can stay as the last build wrote them, with their entries.
    `bodies` maps each body_key of the Force to the digest of its HTML (`body_digests`)."""
    if record is None or record.frame != frame_now:
        return {}
    return _unchanged(record, (rel for rel in pages if rel in record.files and all(
        bodies.get(key) == value for key, value in record.files[rel].shown)), tree)


def kept_extras(record: Record | None, frame_now: str, bodies_now: str, tree: Path) -> dict[str, Entry] | None:
    """When nothing changed since the build that wrote `tree` (same frame, same bodies), the files
    besides pages, with their entries, if each is still the file that build wrote; else None."""
    if record is None or record.frame != frame_now or record.bodies != bodies_now:
        return None
    out = _unchanged(record, record.extras, tree)
    return out if len(out) == len(record.extras) else None


def _unchanged(record: Record, files: Iterable[str], tree: Path) -> dict[str, Entry]:
    """Those of `files` that are still in `tree` as `record` has them (size and modification time)."""
    out = {}
    for rel in files:
        entry = record.files.get(rel)
        try:
            info = os.stat(tree / rel)
        except OSError:
            continue
        if entry is not None and info.st_size == entry.size and info.st_mtime_ns == entry.mtime_ns:
            out[rel] = entry
    return out


def bodies_digest(bodies: dict[str, str | None]) -> str:
    """One digest of every body (`body_digests`)."""
    return digest("\n".join(f"{key} {value}" for key, value in sorted(bodies.items())))


def body_digests(force) -> dict[str, str]:
    """body_key -> digest of the HTML, for every body of the Force; a key two bodies share maps to
    None, so no page showing it is kept."""
    from wmpsite.core.events import all_events  # the teams' meetings are events made from the team's file
    out: dict[str, str | None] = {}
    for item in (*all_items(force), *all_events(force)):
        for name in ("body", "transcript"):
            body = getattr(item, name, None)
            if isinstance(body, Body):
                key = body_key(item, name)
                value = digest(body.html)
                out[key] = value if out.get(key, value) == value else None
    return out


def read(path: Path) -> Record | None:
    """The record at `path`, or None if there is none or it is from another version of wmpsite."""
    try:
        version, record = pickle.loads(path.read_bytes())
    except Exception:  # missing, cut short, or from an incompatible wmpsite: keep nothing
        return None
    return record if version == VERSION and isinstance(record, Record) else None


def write(path: Path, record: Record) -> None:
    temporary = path.with_name(path.name + f".{os.getpid()}")
    temporary.write_bytes(pickle.dumps((VERSION, record), protocol=5))
    os.replace(temporary, path)
