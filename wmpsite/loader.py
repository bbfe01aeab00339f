"""Walk content/, parse and check every file, and build the Force; collect every error."""

from __future__ import annotations

import re
from pathlib import Path

from . import content_types as ct
from .config import THEME_ROOT, Config
from .errors import BuildFailed, ContentError
from .frontmatter import parse_document
from .markdown import convert_body
from .model import Advice, Force, Lpu, NewsItem, Page, Priority, Source, Team
from .schema import Context, check_fields

#: What the default theme lends a project that lacks them, under static/.
THEME_STATIC = ("css/", "js/", "favicon.svg")
_DATED = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+)")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

WHERE = "\n".join(f"  {t.where}: {t.about}" for t in ct.CONTENT_TYPES)


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


def content_type_of(parts: tuple[str, ...]) -> ct.ContentType | None:
    """Say which kind of content a file is from its path under content/."""
    match parts:
        case ("pages", _):
            return ct.PAGE
        case ("news", _):
            return ct.NEWS
        case ("advice", _):
            return ct.ADVICE
        case ("lpus", _, "_index.md"):
            return ct.LPU
        case ("lpus", _, "teams", _):
            return ct.TEAM
        case ("lpus", _, "news", _):
            return ct.LOCAL_NEWS
        case ("lpus", _, "priorities", _):
            return ct.PRIORITY
    return None


def load_site(config: Config) -> Force:
    """Read every file under content/ and static/ into a Force, or raise BuildFailed with all errors."""
    root = config.root
    errors: list[ContentError] = []
    static_files = frozenset(static_sources(config))
    items: dict[ct.ContentType, list] = {t: [] for t in ct.CONTENT_TYPES}
    content_dir = config.content_dir
    if not content_dir.is_dir():
        raise BuildFailed([ContentError("content", "no content/ folder found",
                                        hint="the project needs a content/ folder beside site.toml")])
    for file in sorted(p for p in content_dir.rglob("*") if p.is_file()):
        rel = file.relative_to(root).as_posix()
        parts = file.relative_to(content_dir).parts
        if file.name.startswith(".") or any(p.startswith(".") for p in parts):
            continue  # editors' tools leave hidden files (.DS_Store); they are never content
        kind = content_type_of(parts) if file.suffix == ".md" else None
        if kind is None:
            what = "a Markdown file" if file.suffix == ".md" else "a file"
            errors.append(ContentError(rel, f"{what} in a place where no content is expected",
                                       "content goes in one of these places (images go under static/):\n"
                                       + WHERE))
            continue
        item = _load_file(config, file, rel, parts, kind, static_files, errors)
        if item is not None:
            items[kind].append(item)
    if errors:
        raise BuildFailed(errors)

    def by_date(news):
        return sorted(news, key=lambda n: (-n.date.timestamp(), n.slug))

    return Force(
        pages=tuple(sorted(items[ct.PAGE], key=lambda p: p.slug)),
        news=tuple(by_date(items[ct.NEWS] + items[ct.LOCAL_NEWS])),
        advice=tuple(sorted(items[ct.ADVICE], key=lambda a: (a.category, a.title, a.slug))),
        lpus=tuple(sorted(items[ct.LPU], key=lambda lpu: lpu.name)),
        teams=tuple(sorted(items[ct.TEAM], key=lambda t: (t.lpu, t.name))),
        priorities=tuple(sorted(items[ct.PRIORITY], key=lambda p: (p.lpu, p.team, -p.raised.toordinal(), p.slug))),
        static_files=tuple(sorted(static_files)),
    )


def _load_file(config, file: Path, rel: str, parts, kind: ct.ContentType, static_files, errors):
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        errors.append(ContentError(rel, f"the file is not UTF-8 text (byte {exc.start})",
                                   "save it as UTF-8 in your editor"))
        return None
    doc, parse_errors = parse_document(rel, text)
    errors.extend(parse_errors)
    if doc is None:
        return None
    ctx = Context(rel, doc.line_of, config.tz, [])
    values = check_fields(doc.data, {f.name: f for f in kind.fields}, (), ctx)
    body, body_errors = convert_body(rel, doc.body, doc.body_line, static_files)
    errors.extend(ctx.errors + body_errors)
    image = values.get("image")
    if image is not None and image.src not in static_files:
        errors.append(ContentError(rel, f"'image.src': no file static/{image.src}", doc.line_of(("image", "src")),
                                   "put the image under static/ and give its path from there"))
    if ctx.errors:
        return None
    source = Source(rel, tuple((k[0], line) for k, line in doc.lines.items() if len(k) == 1))
    if kind is ct.LPU:
        return Lpu(source=source, slug=_folder_slug(rel, parts[1], errors), body=body, **values)
    if kind is ct.TEAM:
        return Team(source=source, slug=_file_slug(rel, file.stem, errors), lpu=parts[1], body=body, **values)
    slug = values.pop("slug", None) or _file_slug(rel, file.stem, errors)
    if kind is ct.PAGE:
        return Page(source=source, slug=slug, body=body, **values)
    if kind is ct.ADVICE:
        return Advice(source=source, slug=slug, body=body, **values)
    if kind is ct.NEWS:
        return NewsItem(source=source, slug=slug, body=body, **values)
    if kind is ct.LOCAL_NEWS:
        return NewsItem(source=source, slug=slug, body=body, lpu=parts[1], **values)
    if kind is ct.PRIORITY:
        return Priority(source=source, slug=slug, body=body, lpu=parts[1], **values)
    raise AssertionError(kind)


def _file_slug(rel: str, stem: str, errors: list) -> str:
    dated = _DATED.fullmatch(stem)
    slug = dated.group(2) if dated else stem
    if not _SLUG.fullmatch(slug):
        errors.append(ContentError(rel, f"the file name '{stem}' cannot be a web address",
                                   "name files in lower case letters, digits and dashes, like "
                                   "'2025-03-14-bike-marking.md'"))
    return slug


def _folder_slug(rel: str, folder: str, errors: list) -> str:
    if not _SLUG.fullmatch(folder):
        errors.append(ContentError(rel, f"the folder name '{folder}' cannot be a web address",
                                   "name LPU folders in lower case letters, digits and dashes, like "
                                   "'birmingham-south'"))
    return folder
