#!/usr/bin/env python3
"""Write the generated parts of the guides again from the code: docs/content.md's field reference (the
content types' schemas) and docs/templates.md's tables of template names (the builders' context dataclasses).

tests/test_docs.py fails while either guide differs from what this writes. The prose around the
markers is left as it is; review `git diff docs` and commit it with the change that caused it.

    make docs                           # or: .venv/bin/python scripts/refresh_docs.py

Exit codes: 0 written (or already current).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from wmpsite.build import templates_doc  # noqa: E402
from wmpsite.content.content_types import describe  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    guides = {REPO_ROOT / "docs/content.md": {"fields": describe()},
              REPO_ROOT / "docs/templates.md": templates_doc.parts()}
    for path, parts in guides.items():
        text = path.read_text(encoding="utf-8")
        new = text
        for name, part in parts.items():
            new = templates_doc.fill(new, name, part)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
