"""Walk content/, parse and check every file, and build the Force; collect every error."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
import re
from pathlib import Path
from typing import Any, Callable

from wmpsite.content import content_types as ct, limits, markdown as markdown_module, sanitise as sanitise_module
from wmpsite.core import parallel
from wmpsite.core.cache import Cache, code_digest, key_of
from wmpsite.core.config import Config
from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.content.checks import site_errors
from wmpsite.content.frontmatter import parse_document
from wmpsite.content.markdown import EXTENSION_CONFIGS, EXTENSIONS, RENDERER_VERSION, convert_body
from wmpsite.core.kind import Kind, Parsed
from wmpsite.core.model import Force
from wmpsite.core.parts import Image, Source, Video
from wmpsite.core.progress import Progress, Silent
from wmpsite.core.schema import Context, check_fields
from wmpsite.core.static import static_sources
from wmpsite.core.text import text_of

_WILD = re.compile(r"[A-Z-]+(?:\.md)?")  # a part of a content type's `where` that any name fills (SLUG.md, LPU)


def content_types(kinds: tuple[Kind, ...]) -> tuple[ct.ContentType, ...]:
    """The content types of `kinds`, in their order."""
    return tuple(content_type for kind in kinds for content_type, _ in kind.makers)


def content_type_of(parts: tuple[str, ...], types: tuple[ct.ContentType, ...]) -> ct.ContentType | None:
    """Say which type of content a file is from its path under content/: the type whose `where` it fits
    (content/lpus/LPU/news/DATE-SLUG.md fits lpus/birmingham-south/news/2026-03-01-x.md)."""
    for content_type in types:
        pattern = content_type.where.split("/")[1:]
        if len(pattern) == len(parts) and all(p == part or _WILD.fullmatch(p) for p, part in zip(pattern, parts)):
            return content_type
    return None


def load_site(config: Config, kinds: tuple[Kind, ...], *, jobs: int = 1, cache: Cache | None = None,
              progress: Progress | None = None) -> Force:
    """Read every file under content/ and static/ into a Force, or raise BuildFailed with all errors;
    `kinds` make the items (build/kinds.py).

    Files are parsed and converted on `jobs` processes; converted Markdown is
    kept in `cache`, keyed by everything the conversion reads.
    """
    return make_force(config, load_files(config, kinds, jobs=jobs, cache=cache, progress=progress), kinds)


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


def load_files(config: Config, kinds: tuple[Kind, ...], *, jobs: int = 1, cache: Cache | None = None,
               progress: Progress | None = None) -> Loaded:
    """Load every file under content/ on `jobs` processes, keeping each file's item and errors apart."""
    root = config.root
    static_files = frozenset(static_sources(config))
    content_dir = config.content_dir
    if not content_dir.is_dir():
        raise BuildFailed([ContentError("content", "no content/ folder found",
                                        hint="the project needs a content/ folder beside site.toml")])
    loaded = new_loaded(config, static_files)
    makers, types = makers_of(kinds), content_types(kinds)
    by_name = {t.name: t for t in types}
    tasks: list[tuple[str, tuple[str, ...], str]] = []  # (file, path parts, kind name): cheap to send to workers
    prefix = content_dir.relative_to(root).as_posix() + "/"
    for file in sorted(p for p in content_dir.rglob("*") if p.is_file()):
        parts = file.relative_to(content_dir).parts
        rel = prefix + "/".join(parts)
        kind, error = classify(rel, parts, types)
        if error is not None:
            loaded.misplaced[rel] = error
        elif kind is not None:
            tasks.append((rel, parts, kind.name))

    def load_chunk(chunk):
        return [(rel, _load_file(config, loaded, rel, parts, by_name[kind], cache, makers)) for rel, parts, kind in chunk]

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


def classify(rel: str, parts: tuple[str, ...],
             types: tuple[ct.ContentType, ...]) -> tuple[ct.ContentType | None, ContentError | None]:
    """Say what the file `rel` holds (`parts`: its path under content/): its content type, or an error
    for a file where no content goes, or neither for a hidden file, which is never content."""
    if any(p.startswith(".") for p in parts):
        return None, None  # editors' tools leave hidden files (.DS_Store); they are never content
    kind = content_type_of(parts, types) if rel.endswith(".md") else None
    if kind is None:
        what = "a Markdown file" if rel.endswith(".md") else "a file"
        where = "\n".join(f"  {t.where}: {t.about}" for t in types)
        return None, ContentError(rel, f"{what} in a place where no content is expected",
                                  hint="content goes in one of these places (images go under static/):\n" + where)
    return kind, None


def makers_of(kinds: tuple[Kind, ...]) -> dict[str, Callable[[Parsed], Any]]:
    """Content type name -> the function of its kind that makes its item."""
    return {content_type.name: make for kind in kinds for content_type, make in kind.makers}


def load_one(config: Config, kinds: tuple[Kind, ...], loaded: Loaded, rel: str, cache: Cache | None = None) -> None:
    """Reload the one file `rel` under content/ into `loaded`: added, changed or deleted (`serve`)."""
    loaded.files.pop(rel, None)
    loaded.misplaced.pop(rel, None)
    if not (config.root / rel).is_file():
        return
    parts = Path(rel).relative_to(config.content_dir.relative_to(config.root)).parts
    kind, error = classify(rel, parts, content_types(kinds))
    if error is not None:
        loaded.misplaced[rel] = error
    elif kind is not None:
        blob, entries = _load_file(config, loaded, rel, parts, kind, cache, makers_of(kinds))
        loaded.files[rel] = pickle.loads(blob)
        if cache is not None and entries:
            cache.put_many(entries)


def make_force(config: Config, loaded: Loaded, kinds: tuple[Kind, ...]) -> Force:
    """Build the Force from files loaded one by one, or raise BuildFailed with every file's errors and
    what the cross-file checks find in the items that did load; each of `kinds` gathers its items into
    its fields of the Force, in its order."""
    def in_order(rels):  # the order of the walk in load_files, whatever order the files were reloaded in
        return sorted(rels, key=lambda rel: rel.split("/"))

    errors: list[ContentError] = [loaded.misplaced[rel] for rel in in_order(loaded.misplaced)]
    items: dict[str, list] = {t.name: [] for t in content_types(kinds)}
    for rel in in_order(loaded.files):
        kind_name, item, file_errors = loaded.files[rel]
        errors.extend(file_errors)
        if item is not None:
            items[kind_name].append(item)
    fields: dict[str, tuple] = {}
    for kind in kinds:
        for collection in kind.collections:
            gathered = [item for content_type in collection.types for item in items[content_type.name]]
            fields[collection.field] = tuple(sorted(gathered, key=collection.key) if collection.key else gathered)
    for kind in kinds:
        if kind.finish is not None:
            fields.update(kind.finish(config, fields, errors))
    force = Force(static_files=tuple(sorted(loaded.static_files)), **fields)
    if errors:  # the cross-file checks too, over the items that loaded: one run lists every error
        broken = {rel for rel, (_, item, _) in loaded.files.items() if item is None}
        rules = tuple(rule for kind in kinds for rule in kind.checks)
        # A reference to a file that exists but failed to load is no error of its own (its file's say why).
        raise BuildFailed(errors + [e for e in site_errors(force, rules) if e.missing not in broken])
    return force


def body_cache_salt(static_files: frozenset[str]) -> str:
    """Everything a Markdown conversion reads besides the file itself: converter and sanitiser versions,
    settings and code (the limits too), and the list of static files (it checks links against them)."""
    code = "".join(Path(module.__file__).read_text(encoding="utf-8") for module in (markdown_module, sanitise_module, limits))
    return key_of(RENDERER_VERSION, repr(EXTENSIONS), repr(EXTENSION_CONFIGS), code, *sorted(static_files))


def new_loaded(config: Config, static_files: frozenset[str]) -> Loaded:
    """An empty Loaded for `config`, with the salts of its cache keys."""
    salt = body_cache_salt(static_files)
    return Loaded(static_files, salt, key_of("file", salt, code_digest(), str(config.tz)))


def _load_file(config, loaded: Loaded, rel: str, parts, kind: ct.ContentType, cache, makers) -> tuple[bytes, list]:
    """Load one file: (kind name, item or None, errors) pickled, and new cache entries. Runs in a worker.

    The result is a pure function of the file's path and text and of `loaded.file_salt` (wmpsite's
    code, the time zone, the static files), so it is cached under their hash (a rebuild
    reads the files but parses none it has seen). Parsed or cached, each file's item comes out of
    a pickle of its own, so a build makes the same objects either way (reuse.frame pickles them).
    """
    try:
        text = text_of(rel, (config.root / rel).read_bytes())
    except BuildFailed as failed:  # not UTF-8
        return pickle.dumps((kind.name, None, failed.errors)), []
    key = key_of(loaded.file_salt, rel, text)
    if cache is not None and (known := cache.get(key)) is not None:
        return known, []
    kind_name, item, errors, entry = _parse_file(config, rel, text, parts, kind, loaded.static_files, cache,
                                                 loaded.salt, makers)
    blob = pickle.dumps((kind_name, item, errors), protocol=pickle.HIGHEST_PROTOCOL)
    return blob, [*([entry] if entry else []), (key, blob)]


def _parse_file(config, rel: str, text: str, parts, kind: ct.ContentType, static_files, cache, salt, makers):
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
    errors.extend(ctx.errors + body_errors + _missing_files(rel, values, static_files, doc.line_of))
    if ctx.errors:
        return kind.name, None, errors, new_entry
    source = Source(rel, tuple((k[0], line) for k, line in doc.lines.items() if len(k) == 1))
    parsed = Parsed(source, Path(rel).stem, parts[1] if parts[0] == "lpus" else None, values, body, doc.line_of,
                    errors, doc.body, doc.body_line)
    return kind.name, makers[kind.name](parsed), errors, new_entry


def _missing_files(rel: str, values: dict, static_files, line_of) -> list[ContentError]:
    """An error for each picture or video still the fields name that is not a file under static/."""
    errors = []
    for name in ("image", "photo"):
        image = values.get(name)
        if isinstance(image, Image) and image.src not in static_files:
            errors.append(ContentError(rel, f"'{name}.src': no file static/{image.src}", line_of((name, "src")),
                                       "put the image under static/ and give its path from there"))
    video = values.get("video")
    if isinstance(video, Video) and video.thumbnail not in static_files:
        errors.append(ContentError(rel, f"'video.thumbnail': no file static/{video.thumbnail}",
                                   line_of(("video", "thumbnail")),
                                   "save a still from the video under static/ and give its path from there; the "
                                   "build never fetches thumbnails from YouTube"))
    return errors
