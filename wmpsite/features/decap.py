"""The Decap CMS configuration (admin/config.yml), written from the content types and the force's own lists.

Each content type (content/content_types.py) becomes a collection, one for each LPU when its files
live in an LPU's folder; each of its fields becomes the widget that fits its kind, with the field's
own words as the hint. A field added to a content type is in the CMS at the next build, and the CMS
refuses what the build would refuse where Decap can say so (required fields, patterns, list sizes).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from wmpsite.content.content_types import CONTENT_TYPES, ContentType
from wmpsite.core.config import CmsConfig, Config
from wmpsite.core.model import Force
from wmpsite.core.schema import (
    Boolean,
    Choice,
    Date,
    DateTime,
    Field,
    ImagePath,
    Integer,
    Kind,
    ListOf,
    Record,
    Slug,
    Text,
)

#: Where pictures uploaded in the CMS go, under static/, and so the path an image field holds.
UPLOADS = "images/uploads"
#: How dates and times are stored: as the build reads them, in the force's own time zone.
DATE_FORMAT, DATETIME_FORMAT = "YYYY-MM-DD", "YYYY-MM-DD HH:mm"


def decap_config(config: Config, force: Force) -> dict[str, Any]:
    """The whole configuration Decap reads, as plain data (`config_yaml` writes it)."""
    cms = config.cms
    assert cms is not None, "the CMS is written only when site.toml has [cms]"
    out: dict[str, Any] = {"backend": _backend(cms)}
    if cms.local_backend:  # Decap uses it only when opened on localhost or 127.0.0.1
        out["local_backend"] = {"url": f"http://127.0.0.1:{cms.local_backend}/api/v1"}
    out |= {
        "publish_mode": "editorial_workflow",  # a draft, in review, ready: a branch and a pull request per change
        "site_url": config.force.base_url,
        "locale": "en",
        "media_folder": f"static/{UPLOADS}",
        "public_folder": UPLOADS,
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": collections(config, force),
    }
    return out


def config_yaml(config: Config, force: Force) -> bytes:
    """admin/config.yml: the same content, the same bytes."""
    head = (f"# Decap CMS configuration of {config.force.name}, written by wmpsite on every build from its content "
            "types: edit those (wmpsite/content/content_types.py), not this file.\n")
    body = yaml.safe_dump(decap_config(config, force), sort_keys=False, allow_unicode=True, width=1000)
    return (head + body).encode()


def _backend(cms: CmsConfig) -> dict[str, Any]:
    backend: dict[str, Any] = {"name": cms.backend, "branch": cms.branch}
    if cms.repo:
        backend["repo"] = cms.repo
    if cms.base_url:
        backend["base_url"] = cms.base_url
    return backend


def collections(config: Config, force: Force) -> list[dict[str, Any]]:
    """The force's collections first, then the LPUs', then each LPU's own, in the order of the content types."""
    tz = config.force.time_zone
    lpus = [(lpu.slug, lpu.name) for lpu in sorted(force.lpus, key=lambda lpu: lpu.slug)]
    teams: dict[str, list[tuple[str, str]]] = {}
    for team in sorted(force.teams, key=lambda t: (t.lpu, t.slug)):
        teams.setdefault(team.lpu, []).append((team.slug, team.name))
    choices = {"lpu": lpus}
    found = [_collection(kind, None, None, choices, tz) for kind in CONTENT_TYPES if "/LPU/" not in kind.where]
    files = [kind for kind in CONTENT_TYPES if kind.where.endswith("/LPU/_index.md")]
    for kind in files:  # one file each: an LPU is made by the web team, its details kept here
        found.append({"name": _name(kind.name), "label": _plural(kind.name), "description": kind.about,
                      "files": [{"name": slug, "label": name, "file": kind.where.replace("LPU", slug),
                                 "fields": _fields(kind, choices, tz)} for slug, name in lpus]})
    for slug, name in lpus:
        own = choices | {"team": teams.get(slug, [])}
        found += [_collection(kind, slug, name, own, tz) for kind in CONTENT_TYPES
                  if "/LPU/" in kind.where and kind not in files]
    return found


def _collection(kind: ContentType, lpu: str | None, lpu_name: str | None, choices: dict, tz: str) -> dict:
    folder, _, file_name = kind.where.replace("LPU", lpu or "LPU").rpartition("/")
    names = {f.name for f in kind.fields}
    title = "title" if "title" in names else "name"
    label = _plural(kind.name.removeprefix("local "))
    out = {"name": _name(kind.name.removeprefix("local ")) + (f"-{lpu}" if lpu else ""),
           "label": f"{lpu_name}: {label.lower()}" if lpu_name else label,
           "label_singular": kind.name.removeprefix("local ").capitalize(),
           "description": kind.about, "folder": folder, "extension": "md", "format": "frontmatter",
           "create": True, "identifier_field": title, "slug": _slug(kind, file_name)}
    return out | {"summary": "{{" + title + "}}", "fields": _fields(kind, choices, tz)}


def _slug(kind: ContentType, file_name: str) -> str:
    """The file name of a new item: its date (from its first required date field, else today) and its title."""
    if not file_name.startswith("DATE-"):
        return "{{slug}}"
    dated = [f.name for f in kind.fields if f.required and isinstance(f.kind, (Date, DateTime))]
    if dated:
        return "{{fields." + dated[0] + " | date('YYYY-MM-DD')}}-{{slug}}"
    return "{{year}}-{{month}}-{{day}}-{{slug}}"


def _fields(kind: ContentType, choices: dict, tz: str) -> list[dict]:
    body = {"name": "body", "label": "Text", "widget": "markdown", "required": False,
            "hint": "The text of the page, in Markdown (docs/content.md)."}
    return [widget(field, choices, tz) for field in kind.fields] + [body]


def widget(field: Field, choices: dict, tz: str, required: bool = True) -> dict[str, Any]:
    """The Decap field for `field`; `required` is False inside an optional group, which Decap would
    otherwise insist on (the build still refuses half a group)."""
    need = field.required and required
    out: dict[str, Any] = {"name": field.name, "label": _label(field.name), "required": need}
    hint = field.doc
    out |= _kind(field.kind, choices, tz, need)
    if isinstance(field.kind, (Date, DateTime)):
        hint += f" Local time ({tz})." if isinstance(field.kind, DateTime) else ""
        if not need:
            out["default"] = ""  # left out, not today
    if field.default not in (None, (), "") and "default" not in out:
        out["default"] = field.default
    return out | {"hint": hint}


def _kind(kind: Kind, choices: dict, tz: str, required: bool) -> dict[str, Any]:
    """The widget and its options for a field's kind."""
    if isinstance(kind, Boolean):
        return {"widget": "boolean"}
    if isinstance(kind, Integer):
        out = {"widget": "number", "value_type": "int", "min": kind.minimum}
        return out | ({"max": kind.maximum} if kind.maximum is not None else {})
    if isinstance(kind, Choice):
        return {"widget": "select", "options": list(kind.choices)}
    if isinstance(kind, DateTime):
        return {"widget": "datetime", "format": DATETIME_FORMAT, "date_format": True, "time_format": True}
    if isinstance(kind, Date):
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": True, "time_format": False}
    if isinstance(kind, Slug) and kind.of in choices:
        return {"widget": "select", "options": _options(choices[kind.of])}
    if isinstance(kind, ImagePath):
        return {"widget": "image", "choose_url": False}
    if isinstance(kind, Record):
        return {"widget": "object", "collapsed": False,
                "fields": [widget(f, choices, tz, required) for f in kind.fields.values()]}
    if isinstance(kind, ListOf):
        return _list(kind, choices, tz)
    if isinstance(kind, Text):
        return _text(kind)
    raise AssertionError(f"no CMS widget for {type(kind).__name__}: add one in wmpsite/features/decap.py")


def _list(kind: ListOf, choices: dict, tz: str) -> dict[str, Any]:
    item = kind.item
    least = {"min": kind.min_items} if kind.min_items else {}
    if isinstance(item, Choice):
        return {"widget": "select", "multiple": True, "options": list(item.choices)} | least
    if isinstance(item, Slug) and item.of in choices:
        return {"widget": "select", "multiple": True, "options": _options(choices[item.of])} | least
    if isinstance(item, Record):
        return {"widget": "list", "fields": [widget(f, choices, tz) for f in item.fields.values()]} | least
    if isinstance(item, Text):
        return {"widget": "list", "field": {"name": "item", "label": "Item"} | _text(item)} | least
    raise AssertionError(f"no CMS widget for a list of {type(item).__name__}: add one in wmpsite/features/decap.py")


def _text(kind: Text) -> dict[str, Any]:
    out: dict[str, Any] = {"widget": "text" if (kind.max_length or 0) > 300 else "string"}
    if kind.pattern is not None:
        out["pattern"] = [f"^(?:{kind.pattern.pattern})$", f"Expected {kind.expected}."]
    elif kind.max_length:
        out["pattern"] = [f"^[\\s\\S]{{0,{kind.max_length}}}$", f"At most {kind.max_length} characters."]
    return out


def _options(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"label": name, "value": slug} for slug, name in pairs]


def _name(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _label(name: str) -> str:
    return {"lpus": "LPUs", "lpu": "LPU"}.get(name) or name.replace("_", " ").capitalize()


def _plural(name: str) -> str:
    plural = {"news": "News", "advice": "Advice", "photo of the day": "Photos of the day", "LPU": "LPUs",
              "priority": "Priorities"}
    return plural.get(name, name.capitalize() + "s")
