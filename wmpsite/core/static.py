"""The files under static/: the project's own, then what the default theme lends."""

from __future__ import annotations

from pathlib import Path

from wmpsite.core.config import THEME_ROOT, Config

#: What the default theme lends a project that lacks them, under static/.
THEME_STATIC = ("css/", "js/", "favicon.svg", "favicon.ico")  # .ico: for clients that ask /favicon.ico


def static_sources(config: Config) -> dict[str, Path]:
    """Map each file under static/ (project first, then the theme) to where it is read from."""
    found: dict[str, Path] = {}
    for folder in config.layers("static"):
        theme = folder == THEME_ROOT / "static" and folder != config.root / "static"
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if theme and not rel.startswith(THEME_STATIC):
                continue  # the theme lends its stylesheet and icons, never the demo's images
            if path.is_file() and not path.name.startswith(".") and rel not in found:
                found[rel] = path
    return found
