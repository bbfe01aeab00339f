"""The golden output: the golden force (tests/sites/golden/) built at a fixed date, and its comparison
with the tree committed under tests/golden/.

tests/test_golden.py builds the force and fails on any byte that differs; scripts/refresh_golden.py
(`make golden`) writes the tree again once a difference has been reviewed (docs/developers.md).

Pagefind's runtime (pagefind.js, pagefind-worker.js and the wasm.*.pagefind files of each search
bundle) is not committed: about 450 KB, the same in every bundle and set by Pagefind's version
alone, not by our content. tests/golden/omitted.sha256 keeps each such file's SHA-256 instead (the
format of `sha256sum`), so every file of the build is still compared, byte for byte. So do the share
cards (card.png and card.jpg beside each item's page): about 120 KB each, pictures whose words are
in the pages beside them and in their own text chunk, so a diff of their bytes would say nothing.

    built = tmp_path / "site"
    build(built)
    differences(built)  # None, or a message naming each differing file, with short diffs
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from fnmatch import fnmatch
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "tests" / "sites" / "golden"
GOLDEN = REPO / "tests" / "golden"
TREE = GOLDEN / "tree"
HASHES = GOLDEN / "omitted.sha256"
#: The build date: the alert on Northfield's High Street is active, the one in Riverside has ended,
#: the Chief Constable's web chat is past and the Oldtown meeting of 3 December is upcoming.
NOW = "2026-11-25T12:00"
REFRESH = "make golden"
#: Pagefind's runtime, by file name, inside any pagefind/ folder.
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
DIFF_FILES = 10   # changed files shown with a diff; the rest are only named
DIFF_LINES = 40   # lines of each diff


def build(out: Path) -> None:
    """Build the golden force into `out` with the real command line, with a cache of its own
    (so nothing is reused from an earlier build and the fixture folder stays as committed)."""
    with tempfile.TemporaryDirectory(prefix="wmpsite-golden-cache-") as cache:
        proc = subprocess.run(
            [sys.executable, "build.py", "build", "--source", str(SITE), "--now", NOW, "--output", str(out),
             "--quiet"],
            cwd=REPO, env={**os.environ, "WMPSITE_CACHE_DIR": cache}, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"building {SITE.relative_to(REPO)} exited {proc.returncode}:\n{proc.stderr}")


#: The share cards, by file name, anywhere.
CARDS = ("card.png", "card.jpg")


def is_runtime(rel: str) -> bool:
    """Whether a built file (a POSIX path relative to the output) is kept as its hash: Pagefind's
    runtime, or a share card."""
    parts = rel.split("/")
    return parts[-1] in CARDS or \
        "pagefind" in parts[:-1] and any(fnmatch(parts[-1], pattern) for pattern in RUNTIME)


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under root, by its POSIX path relative to root."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def fingerprint(built: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """A build as the golden tree holds it: (committed files' bytes, the runtime's SHA-256s)."""
    kept, hashes = {}, {}
    for rel, data in files_of(built).items():
        if is_runtime(rel):
            hashes[rel] = hashlib.sha256(data).hexdigest()
        else:
            kept[rel] = data
    return kept, hashes


def read_golden() -> tuple[dict[str, bytes], dict[str, str]]:
    """The committed golden tree, in the form fingerprint() gives."""
    hashes = {}
    if HASHES.is_file():
        for line in HASHES.read_text(encoding="utf-8").splitlines():
            digest, rel = line.split("  ", 1)
            hashes[rel] = digest
    return (files_of(TREE) if TREE.is_dir() else {}), hashes


def write_golden(built: Path) -> tuple[int, int, int]:
    """Replace the committed tree with `built`: returns (files written, their bytes, hashes kept)."""
    kept, hashes = fingerprint(built)
    if TREE.exists():
        shutil.rmtree(TREE)
    for rel, data in kept.items():
        path = TREE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    HASHES.write_text("".join(f"{digest}  {rel}\n" for rel, digest in sorted(hashes.items())), encoding="utf-8")
    return len(kept), sum(map(len, kept.values())), len(hashes)


def as_text(data: bytes) -> str | None:
    """The file as text, or None when it is binary (not UTF-8, or holding a NUL byte)."""
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def short_diff(rel: str, expected: bytes, actual: bytes) -> list[str]:
    """A unified diff of a text file cut to DIFF_LINES lines, or one line saying how a binary one differs."""
    old, new = as_text(expected), as_text(actual)
    if old is None or new is None:
        return [f"  (binary: {len(expected)} bytes in tests/golden/, {len(actual)} bytes built)"]
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), f"tests/golden/tree/{rel}",
                                      f"built/{rel}", n=2, lineterm=""))
    if not lines:  # the same lines: only the line endings or the final newline differ
        return ["  (the same lines with different line endings or final newline)"]
    cut = [f"  {line}" for line in lines[:DIFF_LINES]]
    if len(lines) > DIFF_LINES:
        cut.append(f"  ... {len(lines) - DIFF_LINES} more diff lines")
    return cut


def differences(built: Path) -> str | None:
    """None when `built` is byte for byte the golden tree; else a message for the developer: the
    missing, new and changed files, short diffs of the first changed text files, and how to refresh."""
    expected, expected_hashes = read_golden()
    actual, actual_hashes = fingerprint(built)
    want = set(expected) | set(expected_hashes)
    have = set(actual) | set(actual_hashes)
    missing, new = sorted(want - have), sorted(have - want)
    changed = sorted(rel for rel in want & have
                     if expected.get(rel) != actual.get(rel) or expected_hashes.get(rel) != actual_hashes.get(rel))
    if not (missing or new or changed):
        return None
    out = [(f"The golden force ({SITE.relative_to(REPO)}, built at {NOW}) no longer builds to tests/golden/: "
            f"{len(changed)} changed, {len(missing)} missing, {len(new)} new.")]
    out += [f"missing from the build: {rel}" for rel in missing]
    out += [f"new in the build: {rel}" for rel in new]
    diffed = 0
    for rel in changed:
        if rel in actual_hashes:
            what = "a share card" if rel.split("/")[-1] in CARDS else "Pagefind's runtime"
            out.append(f"changed: {rel} ({what}: its SHA-256 differs from tests/golden/omitted.sha256)")
        elif diffed < DIFF_FILES:
            out += [f"changed: {rel}", *short_diff(rel, expected[rel], actual[rel])]
            diffed += 1
        else:
            out.append(f"changed: {rel}")
    out.append(f"If every difference is intended, run `{REFRESH}` (scripts/refresh_golden.py), review "
               "`git diff tests/golden` and commit it with the change that caused it.")
    return "\n".join(out)
