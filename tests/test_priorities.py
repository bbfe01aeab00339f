"""You said, we did: resolved priorities' archives, and the Neighbourhood Policing Guarantee's warnings."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import MINIMAL, NOW, REPO, copy_site
from wmpsite.build import pipeline
from wmpsite.content.guarantee import check_guarantee, months_before

RESOLVED = {
    "content/lpus/northfield/priorities/graffiti.md": """---
title: Graffiti on the underpass
team: oldtown
raised: 2026-02-01
status: resolved
summary: Residents reported graffiti on the Mill End underpass.
actions:
  - date: 2026-04-01
    text: The council removed the graffiti after our report.
  - date: 2026-02-15
    text: Reported to the council and patrolled at night.
---
""",
    "content/lpus/northfield/priorities/parking.md": """---
title: Parking outside the school
team: oldtown
raised: 2025-09-01
status: resolved
summary: Parents parked on the zigzag lines at home time.
actions:
  - date: 2025-11-01
    text: Tickets issued with the council's wardens; the school added a walking bus.
---
""",
}


def page(out: Path, rel: str):
    return lxml_html.fromstring((out / rel).read_bytes())


def texts(doc, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]


@pytest.fixture(scope="module")
def archive_build(tmp_path_factory) -> Path:
    site = copy_site(MINIMAL, tmp_path_factory.mktemp("archive") / "site", RESOLVED)
    out = site.parent / "_site"
    pipeline.build(site, out, now=NOW)
    return out


def test_team_page_lists_current_priorities_and_links_its_archive(archive_build):
    doc = page(archive_build, "main/northfield/teams/oldtown/index.html")
    section = "//section[@aria-labelledby='priorities']"
    assert texts(doc, f"{section}//h3") == ["Speeding on the High Street"]
    assert "Graffiti" not in doc.xpath(section)[0].text_content()
    assert texts(doc, f"{section}//p[@class='archive-link']/a") == ["2 resolved priorities: you said, we did"]
    assert doc.xpath(f"{section}//p[@class='archive-link']/a/@href") == ["/northfield/teams/oldtown/you-said-we-did/"]


def test_team_archive_shows_resolved_priorities_latest_first_with_every_action(archive_build):
    doc = page(archive_build, "main/northfield/teams/oldtown/you-said-we-did/index.html")
    assert texts(doc, "//h1") == ["Oldtown: resolved priorities"]
    assert texts(doc, "//main//h2") == ["Graffiti on the underpass", "Parking outside the school"]
    assert doc.xpath("//main//h2/a/@href") == ["/northfield/priorities/graffiti/", "/northfield/priorities/parking/"]
    first = doc.xpath("//main//li[contains(@class, 'priority')]")[0]
    assert texts(first, ".//span[contains(@class, 'status')]") == ["Resolved"]
    assert texts(first, ".//p[@class='card__meta']//time") == ["Sunday 1 February 2026", "Wednesday 1 April 2026"]
    assert texts(first, ".//ol[@class='timeline']/li") == [
        "Sunday 15 February 2026: Reported to the council and patrolled at night.",
        "Wednesday 1 April 2026: The council removed the graffiti after our report."]
    assert texts(doc, "//nav[@aria-label='Breadcrumb']//a") == [
        "Testshire Police", "Northfield", "Oldtown neighbourhood team"]
    assert doc.xpath("//main/p/a/@href")[-1] == "/northfield/teams/oldtown/#priorities"


def test_lpu_priorities_page_keeps_resolved_ones_in_its_archive(archive_build):
    doc = page(archive_build, "main/northfield/priorities/index.html")
    assert texts(doc, "//section[@aria-labelledby='current']//h3") == ["Speeding on the High Street"]
    resolved = doc.xpath("//section[@aria-labelledby='resolved']")[0]
    assert not resolved.xpath(".//li") and "Graffiti" not in resolved.text_content()
    assert resolved.xpath(".//a/@href") == ["/northfield/you-said-we-did/"]
    archive = page(archive_build, "main/northfield/you-said-we-did/index.html")
    assert texts(archive, "//main//h2") == ["Graffiti on the underpass", "Parking outside the school"]
    assert "Oldtown" in texts(archive, "//p[@class='card__meta']")[0]
    # The local home page shows only current priorities; each resolved one keeps its own page.
    home = page(archive_build, "main/northfield/index.html")
    assert texts(home, "//section[@aria-labelledby='priorities']//h3") == ["Speeding on the High Street"]
    assert (archive_build / "main/northfield/priorities/graffiti/index.html").is_file()
    local_nav = archive.xpath("//nav[@aria-label='Local']//a[@aria-current='page']/text()")
    assert local_nav == ["Priorities"]


def test_no_archive_without_resolved_priorities(archive_build, minimal_build):
    assert not (archive_build / "riverside/teams/quayside/you-said-we-did").exists()
    assert not (archive_build / "riverside/you-said-we-did").exists()
    assert not page(archive_build, "riverside/teams/quayside/index.html").xpath("//p[@class='archive-link']")
    assert not list(minimal_build.rglob("you-said-we-did"))
    assert not page(minimal_build, "main/northfield/priorities/index.html").xpath(
        "//section[@aria-labelledby='resolved']")


def test_resolved_priorities_stay_in_the_teams_feed(archive_build):
    feed = (archive_build / "main/northfield/feeds/teams/oldtown/atom.xml").read_text()
    assert "Priority (resolved): Graffiti on the underpass" in feed


# The Neighbourhood Policing Guarantee --------------------------------------------------------------
#: Makes the minimal site keep the guarantee: a recent action on Oldtown's priority; a named member
#: (contactable through the team's email) and a priority for Quayside.
CLEAN = {
    "content/lpus/northfield/priorities/speeding.md": """---
title: Speeding on the High Street
team: oldtown
raised: 2026-01-20
status: in-progress
summary: Residents told us drivers speed on the High Street near the school.
actions:
  - date: 2026-03-10
    text: Twelve drivers stopped and warned.
  - date: 2026-08-25
    text: Average speed cameras agreed with the council.
---
""",
    "content/lpus/riverside/teams/quayside.md": """---
name: Quayside
summary: The team for the quay and the marina.
areas: [Quayside, Marina]
postcodes: [TS9]
contact:
  email: quayside@testshire.police.example
members:
  - name: PC Sam Quay
    role: Police Constable
---
""",
    "content/lpus/riverside/priorities/marina-thefts.md": """---
title: Thefts from boats at the marina
team: quayside
raised: 2026-10-01
status: open
summary: Boat owners report outboard motors stolen overnight.
---
""",
}
STALE_ACTION = CLEAN["content/lpus/northfield/priorities/speeding.md"].replace("2026-08-25", "2026-08-24")
NO_MEMBERS = CLEAN["content/lpus/riverside/teams/quayside.md"].replace(
    "members:\n  - name: PC Sam Quay\n    role: Police Constable\n", "")
UNREACHABLE = CLEAN["content/lpus/riverside/teams/quayside.md"].replace(
    "  email: quayside@testshire.police.example\n", "  stations:\n    - name: Quayside Police Office\n"
    "      address: 1 Harbour Road, Testshire TS9 1AA\n")
BY_TEAM_PHONE = UNREACHABLE.replace("contact:\n", "contact:\n  phone: 01632 960009\n")
BY_OWN_EMAIL = UNREACHABLE.replace("    role: Police Constable\n",
                                   "    role: Police Constable\n    email: sam.quay@testshire.police.example\n")


def guarantee_site(tmp_path: Path, changes: dict[str, str | None]) -> Path:
    """The minimal site made CLEAN, then `changes` (None: leave a CLEAN file out)."""
    overlay = {rel: text for rel, text in {**CLEAN, **changes}.items()
               if text is not None or (MINIMAL / rel).exists()}
    return copy_site(MINIMAL, tmp_path / "site", overlay)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], capture_output=True, text=True)


@pytest.mark.parametrize("changes", [{}, {"content/lpus/riverside/teams/quayside.md": BY_TEAM_PHONE},
                                     {"content/lpus/riverside/teams/quayside.md": BY_OWN_EMAIL}],
                         ids=["clean", "member-named-team-phone", "member-with-email"])
def test_teams_that_keep_the_guarantee_pass_strict(changes, tmp_path):
    site = guarantee_site(tmp_path, changes)
    result = run("check", "--source", str(site), "--now", "2026-11-25", "--strict")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("No errors: ")


@pytest.mark.parametrize("changes, warning", [
    ({"content/lpus/northfield/priorities/speeding.md": STALE_ACTION},
     "content/lpus/northfield/teams/oldtown.md:2: no priority updated in the last 3 months (since 2026-08-25): "
     "the latest, content/lpus/northfield/priorities/speeding.md, was updated on 2026-08-24 (add what the team "
     "did, with its date, to the priority's 'actions', or raise a new priority)"),
    ({"content/lpus/riverside/priorities/marina-thefts.md": None},
     "content/lpus/riverside/teams/quayside.md:2: the team has no priorities: the Neighbourhood Policing "
     "Guarantee promises residents priorities they can see being worked on (add one in "
     "content/lpus/riverside/priorities/ with 'team: quayside')"),
    ({"content/lpus/riverside/teams/quayside.md": NO_MEMBERS},
     "content/lpus/riverside/teams/quayside.md:2: no named officer: the Neighbourhood Policing Guarantee "
     "promises residents a named, contactable officer (list the team's officers under 'members', each with a "
     "name and role)"),
    ({"content/lpus/riverside/teams/quayside.md": UNREACHABLE},
     "content/lpus/riverside/teams/quayside.md:10: no way to contact the team's officers: no member has an "
     "'email', and the team's 'contact' has no phone or email (give an officer an 'email', or the team a "
     "'contact' phone or email)"),
], ids=["stale-priority", "no-priorities", "no-members", "no-contact"])
def test_each_broken_promise_is_one_warning_and_strict_fails(changes, warning, tmp_path):
    site = guarantee_site(tmp_path, changes)
    checked = run("check", "--source", str(site), "--now", "2026-11-25")
    assert checked.returncode == 0
    assert checked.stderr == (f"Warnings: the Neighbourhood Policing Guarantee\n1. {warning}\n"
                              "Found 1 warning (with --strict they fail the check).\n")
    strict = run("check", "--source", str(site), "--now", "2026-11-25", "--strict")
    assert strict.returncode == 1
    assert strict.stderr == (f"Warnings: the Neighbourhood Policing Guarantee\n1. {warning}\n"
                             "Found 1 warning; with --strict they fail the check.\n")
    assert "No errors" not in strict.stdout


def test_build_prints_warnings_and_builds_and_strict_build_writes_nothing(tmp_path):
    # The minimal site as it is breaks three promises.
    out = tmp_path / "out"
    built = run("build", "--source", str(MINIMAL), "--output", str(out), "--now", "2026-11-25")
    assert built.returncode == 0 and (out / "main/index.html").is_file()
    lines = built.stderr.splitlines()
    assert lines[0] == "Warnings: the Neighbourhood Policing Guarantee"
    assert [line.split(":", 2)[:2] for line in lines[1:4]] == [
        ["1. content/lpus/northfield/teams/oldtown.md", "2"], ["2. content/lpus/riverside/teams/quayside.md", "2"],
        ["3. content/lpus/riverside/teams/quayside.md", "2"]]
    assert lines[4] == "Found 3 warnings; the site was built anyway (with --strict they fail the build)."
    strict_out = tmp_path / "strict"
    strict = run("build", "--source", str(MINIMAL), "--output", str(strict_out), "--now", "2026-11-25", "--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[1:4] == lines[1:4]
    assert strict.stderr.splitlines()[-1] == "Found 3 warnings; with --strict they fail the build, so nothing was written."
    assert not strict_out.exists()
    # --quiet keeps the log for errors only.
    quiet = run("build", "--source", str(MINIMAL), "--output", str(tmp_path / "q"), "--now", "2026-11-25", "--quiet")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_the_three_months_count_back_from_the_build_date(tmp_path):
    site = guarantee_site(tmp_path, {})
    fresh = pipeline.check(site, now=dt.datetime(2026, 11, 25, 23, 59))
    assert fresh.warnings == ()
    # A day later the action of 2026-08-25 is more than three months old.
    stale = pipeline.check(site, now=dt.datetime(2026, 11, 26))
    assert [w.path for w in stale.warnings] == ["content/lpus/northfield/teams/oldtown.md"]
    assert check_guarantee(stale.force, stale.now) == list(stale.warnings)


@pytest.mark.parametrize("day, expected", [
    ("2026-11-25", "2026-08-25"), ("2026-05-31", "2026-02-28"), ("2024-05-31", "2024-02-29"),
    ("2026-01-15", "2025-10-15"), ("2026-12-31", "2026-09-30")])
def test_months_before_counts_calendar_months(day, expected):
    assert months_before(dt.date.fromisoformat(day), 3) == dt.date.fromisoformat(expected)


def test_demo_force_keeps_the_guarantee():
    result = run("check", "--source", str(REPO), "--now", "2026-11-25", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
