"""Convert every body of a wmpsite project with Python-Markdown alone, on one core.

    python bench/markdown_floor.py DIR

The same extensions and settings as wmpsite/content/markdown.py (`extra`, `sane_lists`, `toc`), one
converter reset per file, and nothing else: no fields, checks, templates or writing. Its CPU time
is the floor under a cold build that keeps Python-Markdown: divided by the cores, the least time
a cold build can take without a faster renderer.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import markdown


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    md = markdown.Markdown(extensions=["extra", "sane_lists", "toc"], extension_configs={"toc": {"permalink": False}},
                           output_format="html")
    files = sorted((root / "content").rglob("*.md"))
    started = time.process_time()
    size = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        md.reset()
        size += len(md.convert(body))
    cpu = time.process_time() - started
    print(f"{len(files)} files, {size:,} bytes of HTML, {cpu:.1f} s CPU, {len(files) / cpu:.0f} files/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
