"""Walk content/, parse and check every file, and build the Force; collect every error."""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wmpsite.content import content_types as ct, limits, markdown as markdown_module, sanitise as sanitise_module
from wmpsite.core import parallel
from wmpsite.core.cache import Cache, code_digest, key_of
from wmpsite.core.config import Config
from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.content.frontmatter import parse_document
from wmpsite.content.markdown import EXTENSION_CONFIGS, EXTENSIONS, RENDERER_VERSION, convert_body
from wmpsite.core.model import Advice, Force, Lpu, NewsItem, Page, Priority, Source, Team, Unit
from wmpsite.core.progress import Progress, Silent
from wmpsite.core.schema import Context, check_fields
from wmpsite.core.static import static_sources

_DATED = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+)")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

KINDS = {t.name: t for t in ct.CONTENT_TYPES}
WHERE = "\n".join(f"  {t.where}: {t.about}" for t in ct.CONTENT_TYPES)


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
        case ("events", _):
            return ct.EVENT
        case ("lpus", _, "events", _):
            return ct.LOCAL_EVENT
        case ("appeals", _):
            return ct.APPEAL  # appeals
        case ("lpus", _, "appeals", _):
            return ct.LOCAL_APPEAL
        case ("alerts", _):
            return ct.ALERT  # major-incident messages
        case ("units", _):
            return ct.UNIT  # units' and specials' social accounts
        case ("gallery", _):
            return ct.PHOTO  # photo of the day
        case ("questions", _):
            return ct.QUESTION  # rate your local police
        case ("lpus", _, "questions", _):
            return ct.LOCAL_QUESTION
    return None


def load_site(config: Config, *, jobs: int = 1, cache: Cache | None = None,
              progress: Progress | None = None) -> Force:
    """Read every file under content/ and static/ into a Force, or raise BuildFailed with all errors.

    Files are parsed and converted on `jobs` processes; converted Markdown is
    kept in `cache`, keyed by everything the conversion reads.
    """
    return make_force(config, load_files(config, jobs=jobs, cache=cache, progress=progress))


@dataclass
class Loaded:
    """Every file under content/, each loaded on its own: what `make_force` builds the Force from.

    `serve` keeps one and reloads only the files that change (`load_one`).
    """

    static_files: frozenset[str]
    salt: str                                  # see body_cache_salt
    file_salt: str                             # everything a file's item depends on but its path and text
    files: dict[str, tuple[str, Any, list[ContentError]]] = field(default_factory=dict)  # rel -> (kind, item or None, errors)
    misplaced: dict[str, ContentError] = field(default_factory=dict)  # rel -> a file where no content goes


def load_files(config: Config, *, jobs: int = 1, cache: Cache | None = None,
               progress: Progress | None = None) -> Loaded:
    """Load every file under content/ on `jobs` processes, keeping each file's item and errors apart."""
    root = config.root
    static_files = frozenset(static_sources(config))
    content_dir = config.content_dir
    if not content_dir.is_dir():
        raise BuildFailed([ContentError("content", "no content/ folder found",
                                        hint="the project needs a content/ folder beside site.toml")])
    loaded = new_loaded(config, static_files)
    tasks: list[tuple[str, tuple[str, ...], str]] = []  # (file, path parts, kind name): cheap to send to workers
    prefix = content_dir.relative_to(root).as_posix() + "/"
    for file in sorted(p for p in content_dir.rglob("*") if p.is_file()):
        parts = file.relative_to(content_dir).parts
        rel = prefix + "/".join(parts)
        kind, error = classify(rel, parts)
        if error is not None:
            loaded.misplaced[rel] = error
        elif kind is not None:
            tasks.append((rel, parts, kind.name))

    def load_chunk(chunk):
        return [(rel, _load_file(config, loaded, rel, parts, KINDS[kind], cache)) for rel, parts, kind in chunk]

    new_entries = []
    size = parallel.chunk_size(len(tasks), jobs)
    progress = progress or Silent()
    progress.start("load", len(tasks))
    for results in parallel.imap(load_chunk, parallel.chunks(tasks, size), jobs):
        progress.advance(len(results))
        for rel, (blob, cache_entries) in results:
            loaded.files[rel] = pickle.loads(blob)
            new_entries.extend(cache_entries)
    progress.finish()
    if cache is not None and new_entries:
        cache.put_many(new_entries)
    return loaded


def classify(rel: str, parts: tuple[str, ...]) -> tuple[ct.ContentType | None, ContentError | None]:
    """Say what the file `rel` holds (`parts`: its path under content/): its content type, or an error
    for a file where no content goes, or neither for a hidden file, which is never content."""
    if any(p.startswith(".") for p in parts):
        return None, None  # editors' tools leave hidden files (.DS_Store); they are never content
    kind = content_type_of(parts) if rel.endswith(".md") else None
    if kind is None:
        what = "a Markdown file" if rel.endswith(".md") else "a file"
        return None, ContentError(rel, f"{what} in a place where no content is expected",
                                  hint="content goes in one of these places (images go under static/):\n" + WHERE)
    return kind, None


def load_one(config: Config, loaded: Loaded, rel: str, cache: Cache | None = None) -> None:
    """Reload the one file `rel` under content/ into `loaded`: added, changed or deleted (`serve`)."""
    loaded.files.pop(rel, None)
    loaded.misplaced.pop(rel, None)
    if not (config.root / rel).is_file():
        return
    parts = Path(rel).relative_to(config.content_dir.relative_to(config.root)).parts
    kind, error = classify(rel, parts)
    if error is not None:
        loaded.misplaced[rel] = error
    elif kind is not None:
        blob, entries = _load_file(config, loaded, rel, parts, kind, cache)
        loaded.files[rel] = pickle.loads(blob)
        if cache is not None and entries:
            cache.put_many(entries)


def make_force(config: Config, loaded: Loaded) -> Force:
    """Build the Force from files loaded one by one, or raise BuildFailed with every file's errors."""
    def in_order(rels):  # the order of the walk in load_files, whatever order the files were reloaded in
        return sorted(rels, key=lambda rel: rel.split("/"))

    errors: list[ContentError] = [loaded.misplaced[rel] for rel in in_order(loaded.misplaced)]
    items: dict[str, list] = {t.name: [] for t in ct.CONTENT_TYPES}
    for rel in in_order(loaded.files):
        kind_name, item, file_errors = loaded.files[rel]
        errors.extend(file_errors)
        if item is not None:
            items[kind_name].append(item)
    static_files = loaded.static_files
    from wmpsite.features.gallery import measure  # the photos' pixel sizes, and that their files exist
    photos = measure(config, items[ct.PHOTO.name], errors)
    if errors:
        raise BuildFailed(errors)

    def by_date(news):
        return sorted(news, key=lambda n: (-n.date.timestamp(), n.slug))

    return Force(
        photos=photos,
        questions=tuple(sorted(items[ct.QUESTION.name] + items[ct.LOCAL_QUESTION.name],
                               key=lambda q: (-q.answered.timestamp(), q.lpu or "", q.slug))),
        pages=tuple(sorted(items[ct.PAGE.name], key=lambda p: p.slug)),
        news=tuple(by_date(items[ct.NEWS.name] + items[ct.LOCAL_NEWS.name])),
        advice=tuple(sorted(items[ct.ADVICE.name], key=lambda a: (a.category, a.title, a.slug))),
        lpus=tuple(sorted(items[ct.LPU.name], key=lambda lpu: lpu.name)),
        teams=tuple(sorted(items[ct.TEAM.name], key=lambda t: (t.lpu, t.name))),
        priorities=tuple(sorted(items[ct.PRIORITY.name],
                                key=lambda p: (p.lpu, p.team, -p.raised.toordinal(), p.slug))),
        static_files=tuple(sorted(static_files)),
        events=tuple(sorted(items[ct.EVENT.name] + items[ct.LOCAL_EVENT.name],
                            key=lambda e: (e.start, e.lpu or "", e.slug))),
        alerts=tuple(sorted(items[ct.ALERT.name], key=lambda a: (a.start, a.slug))),
        units=tuple(sorted(items[ct.UNIT.name], key=lambda u: (u.name, u.slug))),
        appeals=tuple(sorted(items[ct.APPEAL.name] + items[ct.LOCAL_APPEAL.name],
                             key=lambda a: (-a.date.timestamp(), a.lpu or "", a.slug))),
    )


def body_cache_salt(static_files: frozenset[str]) -> str:
    """Everything a Markdown conversion reads besides the file itself: converter and sanitiser versions,
    settings and code (the limits too), and the list of static files (it checks links against them)."""
    code = "".join(Path(module.__file__).read_text(encoding="utf-8") for module in (markdown_module, sanitise_module, limits))
    return key_of(RENDERER_VERSION, repr(EXTENSIONS), repr(EXTENSION_CONFIGS), code, *sorted(static_files))


def new_loaded(config: Config, static_files: frozenset[str]) -> Loaded:
    """An empty Loaded for `config`, with the salts of its cache keys."""
    salt = body_cache_salt(static_files)
    return Loaded(static_files, salt, key_of("file", salt, code_digest(), str(config.tz)))


def _load_file(config, loaded: Loaded, rel: str, parts, kind: ct.ContentType, cache) -> tuple[bytes, list]:
    """Load one file: (kind name, item or None, errors) pickled, and new cache entries. Runs in a worker.

    The result is a pure function of the file's path and text and of `loaded.file_salt` (wmpsite's
    code, the time zone, the static files), so it is cached under their hash (a rebuild
    reads the files but parses none it has seen). Parsed or cached, each file's item comes out of
    a pickle of its own, so a build makes the same objects either way (reuse.frame pickles them).
    """
    try:
        text = (config.root / rel).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        error = ContentError(rel, f"the file is not UTF-8 text (byte {exc.start})", "save it as UTF-8 in your editor")
        return pickle.dumps((kind.name, None, [error])), []
    key = key_of(loaded.file_salt, rel, text)
    if cache is not None and (known := cache.get(key)) is not None:
        return known, []
    kind_name, item, errors, entry = _parse_file(config, rel, text, parts, kind, loaded.static_files, cache,
                                                 loaded.salt)
    blob = pickle.dumps((kind_name, item, errors), protocol=pickle.HIGHEST_PROTOCOL)
    return blob, [*([entry] if entry else []), (key, blob)]


def _parse_file(config, rel: str, text: str, parts, kind: ct.ContentType, static_files, cache, salt):
    """Parse, check and convert one file: (kind name, item or None, errors, new body cache entry or None)."""
    errors: list[ContentError] = []
    doc, parse_errors = parse_document(rel, text)
    errors.extend(parse_errors)
    if doc is None:
        return kind.name, None, errors, None
    ctx = Context(rel, doc.line_of, config.tz, [])
    values = check_fields(doc.data, {f.name: f for f in kind.fields}, (), ctx)
    key = key_of(salt, rel, str(doc.body_line), doc.body)
    cached = cache.get(key) if cache is not None else None
    new_entry = None
    if cached is None:
        cached = convert_body(rel, doc.body, doc.body_line, static_files)
        new_entry = (key, cached)
    body, body_errors = cached
    errors.extend(ctx.errors + body_errors)
    image = values.get("image")
    if image is not None and image.src not in static_files:
        errors.append(ContentError(rel, f"'image.src': no file static/{image.src}", doc.line_of(("image", "src")),
                                   "put the image under static/ and give its path from there"))
    photo = values.get("photo") if kind in (ct.APPEAL, ct.LOCAL_APPEAL, ct.PHOTO) else None
    if photo is not None and photo.src not in static_files:
        errors.append(ContentError(rel, f"'photo.src': no file static/{photo.src}", doc.line_of(("photo", "src")),
                                   "put the image under static/ and give its path from there"))
    from wmpsite.features.videos import check_thumbnail  # a video's local still must exist
    errors.extend(check_thumbnail(rel, values.get("video"), static_files, doc.line_of))
    if ctx.errors:
        return kind.name, None, errors, new_entry
    return kind.name, _make_item(kind, rel, parts, doc, values, body, errors), errors, new_entry


def _make_item(kind: ct.ContentType, rel: str, parts, doc, values: dict, body, errors: list):
    source = Source(rel, tuple((k[0], line) for k, line in doc.lines.items() if len(k) == 1))
    if kind is ct.LPU:
        return Lpu(source=source, slug=_folder_slug(rel, parts[1], errors), body=body, **values)
    if kind is ct.TEAM:
        return Team(source=source, slug=_file_slug(rel, Path(rel).stem, errors), lpu=parts[1], body=body, **values)
    if kind in (ct.EVENT, ct.LOCAL_EVENT):
        from wmpsite.core.events import make_event  # events.py: the rules across an event's fields
        return make_event(source, Path(rel).stem, parts[1] if kind is ct.LOCAL_EVENT else None, doc.line_of,
                          values, body, errors)
    if kind is ct.UNIT:
        return Unit(source=source, slug=_file_slug(rel, Path(rel).stem, errors), body=body, **values)
    if kind is ct.ALERT:
        from wmpsite.features.alerts import make_alert  # alerts.py: the rules across an alert's fields
        return make_alert(source, Path(rel).stem, doc.line_of, values, body, errors)
    slug = values.pop("slug", None) or _file_slug(rel, Path(rel).stem, errors)
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
    if kind in (ct.APPEAL, ct.LOCAL_APPEAL):
        from wmpsite.features.appeals import make_appeal
        return make_appeal(source, slug, parts[1] if kind is ct.LOCAL_APPEAL else None, doc.line_of, values,
                           body, errors)
    if kind in (ct.QUESTION, ct.LOCAL_QUESTION):
        from wmpsite.features.questions import make_question
        return make_question(source, slug, parts[1] if kind is ct.LOCAL_QUESTION else None, values, body, errors)
    if kind is ct.PHOTO:
        from wmpsite.core.model import Photo
        return Photo(source=source, slug=slug, body=body, **values)
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
