"""The force's social account registry and its directory pages."""

from __future__ import annotations

import html
import re

from conftest import MINIMAL, NOW, REPO
from wmpsite.build import pipeline
from wmpsite.features.accounts import build_registry

UNIT = """---
name: Specials
summary: Volunteer officers in Northfield.
kind: specials
lpu: northfield
social:
  - network: instagram
    handle: "@NorthfieldSpecials"
    url: https://www.instagram.com/northfieldspecials
---
"""


def test_registry_has_every_kind_of_owner_in_directory_order(site_copy):
    site = site_copy({"content/units/specials.md": UNIT})
    checked = pipeline.check(site, now=NOW, cache=False)
    registry = build_registry(checked.config, checked.force)
    assert [(a.owner_kind, a.owner, a.name, a.lpu) for a in registry] == [
        ("force", "Testshire Police", "x:@TestshirePolice", None),
        ("lpu", "Northfield", "x:@NorthfieldPolice", "northfield"),
        ("officer", "PCSO Jo Sample", "x:@PCSOJoSample", "northfield"),
        ("specials", "Specials", "instagram:@NorthfieldSpecials", "northfield"),
    ]
    officer = registry[2]
    assert officer.purpose == "Police Community Support Officer, Oldtown team"
    assert officer.source == "content/lpus/northfield/teams/oldtown.md" and officer.team == "oldtown"


def _main(html: str) -> str:
    return html.split('<main', 1)[1].split("</main>", 1)[0]


def test_lpu_directory_lists_lpu_then_teams_then_officers_and_local_accounts(site_copy, tmp_path):
    site = site_copy({"content/units/specials.md": UNIT})
    out = tmp_path / "out"
    pipeline.build(site, out, now=NOW, cache=False)
    main = _main((out / "main/northfield/social-media/index.html").read_text(encoding="utf-8"))
    headings = re.findall(r"<h2 [^>]*>([^<]+)</h2>", main)
    assert headings == ["Find an area or team", "Northfield", "Officers", "Local units and specials"]
    for anchor in re.findall(r'<li><a href="#([^"]+)">', main):  # the list at the top leads to each section
        assert f'id="{anchor}"' in main
    assert main.index("@NorthfieldPolice") < main.index("@PCSOJoSample") < main.index("@NorthfieldSpecials")
    assert "@TestshirePolice" not in main
    force = _main((out / "main/social-media/index.html").read_text(encoding="utf-8"))
    for handle in ("@TestshirePolice", "@NorthfieldPolice", "@PCSOJoSample", "@NorthfieldSpecials"):
        assert handle in force
    assert 'href="/northfield/social-media/"' in force                   # links to each LPU's directory


def test_every_page_links_its_directory_from_the_footer(minimal_build):
    home = (minimal_build / "main/index.html").read_text(encoding="utf-8")
    assert '<a href="/social-media/">Our social media accounts</a>' in home
    local = (minimal_build / "main/northfield/index.html").read_text(encoding="utf-8")
    assert '<a href="/northfield/social-media/">Our social media accounts</a>' in local
    own = (minimal_build / "riverside/index.html").read_text(encoding="utf-8")   # an LPU on its own address
    assert 'Our social media accounts' in own
    assert (minimal_build / "riverside/social-media/index.html").is_file()


def test_demo_has_unit_and_specials_accounts(demo_build):
    force = (demo_build / "main/social-media/index.html").read_text(encoding="utf-8")
    assert "@WMPFootball" in force and "@WMPSpecials" in force
    assert (REPO / "content/units/football-unit.md").is_file()


def test_the_force_directory_says_who_runs_an_account_once_and_groups_by_area(demo_build):
    force = html.unescape(_main((demo_build / "main/social-media/index.html").read_text(encoding="utf-8")))
    assert force.count("West Midlands Police's main account") == 1  # five networks, one owner
    for section in force.split('<section class="directory"')[1:]:  # each owner and purpose said once an area
        owners = re.findall(r'<p class="owner__name">([^<]+)</p>\s*<p class="owner__purpose">([^<]+)</p>', section)
        assert owners and len(owners) == len(set(owners)), owners
    sections = re.findall(r'<section class="directory" aria-labelledby="([^"]+)">\s*<h2 id="\1">([^<]+)</h2>', force)
    assert [h for _, h in sections][:3] == ["West Midlands Police", "Birmingham East", "Birmingham North"]
    assert [h for _, h in sections][-2:] == ["Units across the force", "Special constables"]
    south = force[force.index('id="birmingham-south"'):force.index('id="birmingham-west-central"')]
    assert re.findall(r"<h3>([^<]+)</h3>", south) == ["Local policing unit", "Neighbourhood teams", "Officers",
                                                     "Local units and specials"][:len(re.findall("<h3>", south))]
    assert "Selly Oak team" in south and "Aston team" not in south
    jump = re.findall(r'<li><a href="#([^"]+)">', force)
    assert jump == [anchor for anchor, _ in sections]
