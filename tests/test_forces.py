"""A force is its own folder (site.toml, content/, static/) over wmpsite's default theme: what it sets
there reaches every page (the minimal site), and the second demo force, Dyfed-Powys Police in
examples/dyfed-powys/, builds from the same wmpsite with none of the first demo's names in it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from lxml import html as lxml_html

from conftest import DYFED_POWYS, NOW, REPO
from wmpsite.build import pipeline

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#063"/></svg>\n'
FORCE_CSS = ":root { --brand: #006633; --brand-dark: #004422; }\n"
APPEAL = """---
title: Witnesses sought after a theft from the marina
kind: witness-appeal
summary: Did you see anyone near the boats on Sunday night?
history:
  - {date: 2026-11-20 09:00, status: open}
reference: log 12 of 19 November
---
An outboard engine was taken.
"""


def page(out: Path, rel: str):
    return lxml_html.fromstring((out / rel).read_bytes())


def built(site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "_site"
    pipeline.build(site, out, now=NOW)
    return out


def with_settings(site: Path, lines: str) -> Path:
    """Add `lines` to site.toml's [force] table (right after its first line)."""
    toml = site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[force]\n", "[force]\n" + lines, 1), encoding="utf-8")
    return site


# --- what a force sets in its own folder -------------------------------------------------------

def test_the_default_theme_gives_its_own_colour_and_no_force_stylesheet_or_logo(minimal_build):
    for rel in ("main/index.html", "main/northfield/index.html", "riverside/index.html"):
        doc = page(minimal_build, rel)
        assert doc.xpath('//meta[@name="theme-color"]/@content') == ["#0b2f5b"]
        assert [h.split("?")[0] for h in doc.xpath('//link[@rel="stylesheet"]/@href')] == ["/css/site.css"]
        assert not doc.xpath('//img[contains(@class, "masthead__logo")]')
    assert not (minimal_build / "main/css/force.css").exists()


def test_a_force_stylesheet_comes_after_the_themes_on_every_site(site_copy, tmp_path):
    out = built(site_copy({"static/css/force.css": FORCE_CSS}), tmp_path)
    for site in ("main", "riverside"):  # riverside is an LPU on its own address
        hrefs = page(out, f"{site}/index.html").xpath('//link[@rel="stylesheet"]/@href')
        assert [h.split("?v=")[0] for h in hrefs] == ["/css/site.css", "/css/force.css"]
        assert re.fullmatch(r"/css/force\.css\?v=[0-9a-f]{10}", hrefs[1])  # a new version when it changes
        assert (out / site / "css/force.css").read_text(encoding="utf-8") == FORCE_CSS
    # The theme's stylesheet is still the theme's.
    assert (out / "main/css/site.css").read_bytes() == (REPO / "static/css/site.css").read_bytes()


def test_the_colour_and_logo_come_from_site_toml(site_copy, tmp_path):
    site = with_settings(site_copy({"static/images/logo.svg": LOGO}),
                         'colour = "#006633"\nlogo = "images/logo.svg"\n')
    out = built(site, tmp_path)
    for rel, src in (("main/index.html", "/images/logo.svg"), ("main/northfield/teams/oldtown/index.html",
                                                               "/images/logo.svg"), ("riverside/index.html",
                                                                                     "/images/logo.svg")):
        doc = page(out, rel)
        assert doc.xpath('//meta[@name="theme-color"]/@content') == ["#006633"]
        [logo] = doc.xpath('//a[contains(@class, "masthead__brand")]/img')
        # Decorative: the force's name is the link's text, right beside it.
        assert logo.get("src") == src and logo.get("alt") == ""
        assert logo.getnext().text_content() == "Testshire Police"
    assert (out / "riverside/images/logo.svg").read_text(encoding="utf-8") == LOGO


def test_appeals_give_the_forces_own_numbers(site_copy, tmp_path):
    site = with_settings(site_copy({"content/appeals/2026-11-20-marina-theft.md": APPEAL}),
                         'emergency_number = "112"\nnon_emergency_number = "0300 200 0000"\n')
    out = built(site, tmp_path)
    for path in ("main/appeals/index.html", "main/appeals/marina-theft/index.html"):
        calls = page(out, path).xpath('//section[@class="help"]//a/@href')
        assert calls[0] == "tel:+443002000000" and calls[-1] == "tel:112", (path, calls)
        assert not [href for href in calls if href in ("tel:101", "tel:999")]


# --- the second demo force ---------------------------------------------------------------------

#: The first demo's names, hosts and numbers, none of which may reach the second force's output.
FIRST_DEMO = re.compile(r"West Midlands|west-midlands|Birmingham|\bWMP\b|\b0121 ?\d{3}")


def test_the_second_force_checks_strictly_and_builds_with_the_command_line(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "build.py", *args, "--source", str(DYFED_POWYS),
                               "--now", "2026-11-25T12:00"], cwd=REPO, capture_output=True, text=True)

    check = run("check", "--strict")  # the Neighbourhood Policing Guarantee's warnings fail it too
    assert check.returncode == 0 and "No errors" in check.stdout, check.stdout + check.stderr
    build = run("build", "--quiet", "--output", str(tmp_path / "out"))
    assert build.returncode == 0, build.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir()) == ["main"]


def test_the_second_force_output_has_nothing_of_the_first(force2_build):
    found = []
    for file in sorted(force2_build.rglob("*")):
        if file.is_file() and file.suffix in {".html", ".xml", ".json", ".ics", ".txt", ".css", ".js", ""}:
            text = file.read_text(encoding="utf-8", errors="replace")
            found += [f"{file.relative_to(force2_build)}: {m.group(0)!r}" for m in FIRST_DEMO.finditer(text)]
    assert not found, "\n".join(found[:20])
    home = page(force2_build, "main/index.html")
    assert home.xpath("string(//title)").startswith("Dyfed-Powys Police")


def test_the_second_force_has_its_own_look(force2_build):
    doc = page(force2_build, "main/powys/teams/radnorshire/index.html")
    assert doc.xpath('//meta[@name="theme-color"]/@content') == ["#00594f"]
    assert [h.split("?")[0] for h in doc.xpath('//link[@rel="stylesheet"]/@href')] == [
        "/css/site.css", "/css/force.css"]
    assert doc.xpath('//img[contains(@class, "masthead__logo")]/@src') == ["/images/logo.svg"]
    for rel in ("favicon.svg", "css/force.css", "images/logo.svg"):
        assert (force2_build / "main" / rel).read_bytes() == (DYFED_POWYS / "static" / rel).read_bytes()
    # Its own folder has no templates: every page comes from the default theme.
    assert not (DYFED_POWYS / "templates").exists()


def test_the_second_force_has_its_real_divisions_each_with_two_to_four_teams(force2_build):
    lpus = sorted(p.name for p in (DYFED_POWYS / "content/lpus").iterdir())
    assert lpus == ["carmarthenshire", "ceredigion", "pembrokeshire", "powys"]
    for lpu in lpus:
        teams = sorted((DYFED_POWYS / "content/lpus" / lpu / "teams").glob("*.md"))
        assert 2 <= len(teams) <= 4, (lpu, teams)
        for team in teams:
            assert (force2_build / "main" / lpu / "teams" / team.stem / "index.html").is_file()
    main = force2_build / "main"
    assert "appeal--ended" in (main / "appeals/missing-walker-brecon-beacons/index.html").read_text(encoding="utf-8")
    assert "appeal--ended" not in (main / "appeals/witnesses-a470-collision-rhayader/index.html").read_text(
        encoding="utf-8")
    # The ended alert has its page, and no page of the build carries its banner.
    assert (main / "alerts/flooding-ceredigion-carmarthenshire/index.html").is_file()
    assert not [p for p in main.rglob("*.html") if '<section class="alert alert--' in p.read_text(encoding="utf-8")]


#: Numbers any force may give: 999, 101 and their relay forms, Crimestoppers, Childline.
NATIONAL = {"999", "101", "18001 101", "18001101", "18000", "0800 555 111", "0800555111", "0800 1111", "55"}


def test_the_second_forces_people_and_numbers_are_invented():
    """Phone numbers are in Ofcom's drama range (01632 960xxx) or national; addresses are at .example."""
    for file in sorted([DYFED_POWYS / "site.toml", *(DYFED_POWYS / "content").rglob("*.md")]):
        text = file.read_text(encoding="utf-8")
        for email in re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text):
            assert email.endswith(".example"), (file, email)
        for host in re.findall(r"https?://([^/\s)\"]+)", text):
            assert host.endswith(".example") or host in {
                "x.com", "www.facebook.com", "www.instagram.com", "www.police.uk", "www.emergencysms.net"}, (file, host)
        for number in re.findall(r"(?:phone|call|on) \**\[?(0[\d ]{9,12}\d)", text):
            number = number.replace(" ", "")
            assert number.startswith("01632960") or number in {n.replace(" ", "") for n in NATIONAL}, (file, number)
