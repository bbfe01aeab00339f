"""sitemap.xml and robots.txt per deployable site: valid against the sitemaps.org 0.9 schemas,
absolute URLs on the site's own address, lastmod from the content; and the 404 page of each site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import MINIMAL, NOW, TESTS
from wmpsite.features import cms
from wmpsite.build import pipeline
from wmpsite.core.config import load_config
from wmpsite.outputs.sitemap import render_sitemaps, w3c_date

SCHEMAS = TESTS / "schemas" / "sitemaps"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
MAIN_URL = "https://www.testshire.police.example/"
RIVERSIDE_URL = "https://riverside.testshire.police.example/"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def assert_valid(xml: bytes, xsd: str, where: str) -> etree._Element:
    doc = etree.fromstring(xml)
    validator = schema(xsd)
    assert validator.validate(doc), f"{where} is not valid against {xsd}:\n{validator.error_log}"
    return doc


def sitemap_entries(doc: etree._Element) -> dict[str, str | None]:
    return {url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
            for url in doc.iterfind("sm:url", NS)}


def moment(w3c: str) -> dt.datetime:
    """A sitemap date as a moment to compare: a plain date is taken as midnight UTC."""
    parsed = dt.datetime.fromisoformat(w3c)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def html_pages(site: Path) -> set[str]:
    """The URL path of every HTML page of a built site, except its 404 page and the editors' content
    manager (/admin/: not for residents, and never in a sitemap)."""
    paths = set()
    for file in site.rglob("*.html"):
        rel = file.relative_to(site).as_posix()
        if rel != "404.html" and not rel.startswith(f"{cms.FOLDER}/"):
            paths.add("/" + rel.removesuffix("index.html"))
    return paths


@pytest.mark.parametrize("site, base", [("main", MAIN_URL), ("riverside", RIVERSIDE_URL)])
def test_each_site_has_a_valid_sitemap_of_its_own_pages(minimal_build, site, base):
    folder = minimal_build / site
    doc = assert_valid((folder / "sitemap.xml").read_bytes(), "sitemap.xsd", f"{site}/sitemap.xml")
    entries = sitemap_entries(doc)
    # Absolute, on this site's own address: exactly its HTML pages, without the 404 page.
    assert all(loc.startswith(base) for loc in entries), entries
    assert {"/" + loc.removeprefix(base) for loc in entries} == html_pages(folder)
    assert not any(loc.endswith("404.html") for loc in entries)
    for lastmod in filter(None, entries.values()):
        dt.datetime.fromisoformat(lastmod)  # W3C Datetime; the schema checked the form


def test_demo_sitemap_is_valid_and_complete(demo_build):
    base = "https://www.west-midlands.police.example/"
    assert sorted(p.name for p in demo_build.iterdir() if p.is_dir()) == ["main"]  # no LPU of the demo has its own address
    doc = assert_valid((demo_build / "main/sitemap.xml").read_bytes(), "sitemap.xsd", "demo main/sitemap.xml")
    entries = sitemap_entries(doc)
    assert {"/" + loc.removeprefix(base) for loc in entries} == html_pages(demo_build / "main")
    assert all(loc.startswith(base) for loc in entries)
    assert sum(1 for lastmod in entries.values() if lastmod) > len(entries) / 2


def test_the_second_forces_sitemap_is_valid_and_complete(force2_build):
    base = "https://www.dyfed-powys.police.example/"
    doc = assert_valid((force2_build / "main/sitemap.xml").read_bytes(), "sitemap.xsd", "dyfed-powys main/sitemap.xml")
    entries = sitemap_entries(doc)
    assert all(loc.startswith(base) for loc in entries)
    assert {"/" + loc.removeprefix(base) for loc in entries} == html_pages(force2_build / "main")
    assert sum(1 for lastmod in entries.values() if lastmod) > len(entries) / 2


def test_lastmod_comes_from_the_content(minimal_build):
    main = sitemap_entries(etree.parse(str(minimal_build / "main/sitemap.xml")).getroot())
    assert main[MAIN_URL + "news/bike-marking/"] == "2026-03-01T10:00:00+00:00"      # its date
    assert main[MAIN_URL + "about-us/"] == "2026-01-15"                                  # its 'updated'
    assert main[MAIN_URL + "accessibility/"] == "2026-06-01"                             # last_reviewed
    # The priority's latest action (10 March) and the team's news of the same day.
    assert main[MAIN_URL + "northfield/priorities/speeding/"] == "2026-03-10"
    assert main[MAIN_URL + "northfield/teams/oldtown/"].startswith("2026-03-10")
    # Every page of a paginated list changed when its newest item came.
    assert main[MAIN_URL + "news/page/2/"] == main[MAIN_URL + "news/"] == "2026-03-01T10:00:00+00:00"
    assert main[MAIN_URL + "a-z/"] is None                                               # no content date
    river = sitemap_entries(etree.parse(str(minimal_build / "riverside/sitemap.xml")).getroot())
    assert river[RIVERSIDE_URL + "news/marina-patrols/"] == "2026-04-01T00:00:00+01:00"


def test_sitemaps_do_not_depend_on_the_build_date(tmp_path):
    pipeline.build(MINIMAL, tmp_path / "a", now=NOW)
    pipeline.build(MINIMAL, tmp_path / "b", now=NOW + dt.timedelta(days=400))
    for site in ("main", "riverside"):
        for name in ("sitemap.xml", "robots.txt"):
            assert (tmp_path / "a" / site / name).read_bytes() == (tmp_path / "b" / site / name).read_bytes()


@pytest.mark.parametrize("site, base", [("main", MAIN_URL), ("riverside", RIVERSIDE_URL)])
def test_robots_txt_names_the_sites_sitemap(minimal_build, site, base):
    lines = (minimal_build / site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert not any(line.strip() == "Disallow: /" for line in lines)
    assert f"Sitemap: {base}sitemap.xml" in lines
    # Clients that ask for /favicon.ico without reading the page find one (no 404 in the logs).
    assert (minimal_build / site / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"


def test_a_projects_own_robots_txt_wins(site_copy, tmp_path):
    root = site_copy({"static/robots.txt": "User-agent: *\nDisallow: /private/\n"})
    pipeline.build(root, tmp_path / "out", now=NOW)
    for site in ("main", "riverside"):
        assert (tmp_path / "out" / site / "robots.txt").read_text() == "User-agent: *\nDisallow: /private/\n"


def test_too_many_urls_split_into_parts_under_a_sitemap_index():
    checked = pipeline.check(MINIMAL, now=NOW)
    whole = render_sitemaps(checked.config, checked.force, checked.plan, checked.urls)
    split = render_sitemaps(checked.config, checked.force, checked.plan, checked.urls, max_urls=5)
    index = assert_valid(split["main/sitemap.xml"], "siteindex.xsd", "main/sitemap.xml (index)")
    locs = [s.findtext("sm:loc", namespaces=NS) for s in index.iterfind("sm:sitemap", NS)]
    assert locs == [f"{MAIN_URL}sitemap-{n}.xml" for n in range(1, len(locs) + 1)]
    count = len(sitemap_entries(etree.fromstring(whole["main/sitemap.xml"])))
    assert len(locs) == -(-count // 5)  # 5 URLs a file
    union: dict[str, str | None] = {}
    for n, loc in enumerate(locs, start=1):
        part = assert_valid(split[f"main/sitemap-{n}.xml"], "sitemap.xsd", f"sitemap-{n}.xml")
        entries = sitemap_entries(part)
        assert 1 <= len(entries) <= 5
        union.update(entries)
        lastmod = index.xpath(f"sm:sitemap[{n}]/sm:lastmod/text()", namespaces=NS)
        dates = [d for d in entries.values() if d]
        assert lastmod == ([max(dates, key=moment)] if dates else [])  # the part's newest, if it has dates
    assert union == sitemap_entries(etree.fromstring(whole["main/sitemap.xml"]))
    # robots.txt still names sitemap.xml; riverside (6 URLs) is split too, on its own address.
    assert split["main/robots.txt"] == whole["main/robots.txt"]
    assert etree.fromstring(split["riverside/sitemap.xml"]).tag == "{%s}sitemapindex" % NS["sm"]
    assert b"https://riverside.testshire.police.example/sitemap-2.xml" in split["riverside/sitemap.xml"]


def test_a_sitemap_too_big_in_bytes_is_split_too():
    checked = pipeline.check(MINIMAL, now=NOW)
    split = render_sitemaps(checked.config, checked.force, checked.plan, checked.urls, max_bytes=1000)
    assert etree.fromstring(split["main/sitemap.xml"]).tag == "{%s}sitemapindex" % NS["sm"]
    parts = [v for k, v in split.items() if k.startswith("main/sitemap-")]
    assert len(parts) > 1 and all(len(p) <= 1000 for p in parts)


def test_w3c_dates():
    assert w3c_date(dt.date(2026, 3, 1)) == "2026-03-01"
    london = load_config(MINIMAL / "site.toml").tz
    assert w3c_date(dt.datetime(2026, 7, 1, 18, 30, tzinfo=london)) == "2026-07-01T18:30:00+01:00"
    with pytest.raises(ValueError):
        w3c_date(dt.datetime(2026, 7, 1, 18, 30))


@pytest.mark.parametrize("rel, home", [("main/404.html", "/"), ("riverside/404.html", "/")])
def test_each_site_has_a_helpful_404(minimal_build, rel, home):
    doc = lxml_html.fromstring((minimal_build / rel).read_bytes())
    main = doc.xpath("//main")[0]
    links = set(main.xpath(".//a/@href"))
    assert home in links                                               # this site's home
    assert {"tel:999", "tel:101"} <= links                            # the numbers
    assert any(urlsplit(link).path == "/a-z/" for link in links)       # the A to Z
    assert doc.xpath("//meta[@name='robots']/@content") == ["noindex"]
