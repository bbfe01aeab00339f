#!/usr/bin/env python3
"""Rebuild the golden force and write its output to tests/golden/, for tests/test_golden.py.

Run it only after reading what the test says differs: the new tree becomes what every later build
must produce, byte for byte. Then review `git diff tests/golden` and commit it with the change that
caused it (docs/developers.md).

    make golden                         # or: .venv/bin/python scripts/refresh_golden.py

Exit codes: 0 written; 1 the golden force did not build (nothing was written).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests import golden_tree  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wmpsite-golden-") as tmp:
        built = Path(tmp) / "site"
        try:
            golden_tree.build(built)
        except RuntimeError as error:
            print(f"refresh_golden: {error}\nNothing was written.", file=sys.stderr)
            return 1
        changes = golden_tree.differences(built)
        files, size, hashes = golden_tree.write_golden(built)
    where = golden_tree.GOLDEN.relative_to(REPO_ROOT)
    print(f"refresh_golden: {where}/tree/ holds {files} files ({size / 1024:.0f} KB); "
          f"{where}/omitted.sha256 the SHA-256 of {hashes} files (Pagefind runtime, share cards).")
    if changes is None:
        print("refresh_golden: nothing changed.")
    else:
        print(f"refresh_golden: review `git status {where}` and `git diff {where}` before you commit.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
