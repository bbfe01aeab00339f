"""`build.py audit`: each kind of problem on a fixture, the report's forms and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import MINIMAL, REPO

LEDGER = {"about": "test", "version": 1, "accounts": {
    "x-oldmarinapolice": {"account": "x:@OldMarinaPolice", "cutoff": "2026-01-01T00:00:00+00:00", "items": {}}}}
UNIT = """---
name: Marina Unit
summary: Policing the marina.
lpu: southfield
social:
  - network: x
    handle: "@MarinaUnit"
    url: https://x.com/MarinaUnit
  - network: x
    handle: "@NorthfieldPolice"
    url: https://x.com/NorthfieldPolice
---
"""
FORMER = """former:
  - name: PC Gone Elsewhere
    role: Police Constable
    social:
      network: x
      handle: "@PCGoneElsewhere"
      url: https://x.com/PCGoneElsewhere
meetings:"""


@pytest.fixture
def problem_site(site_copy):
    """The minimal site with one of each problem."""
    team = (MINIMAL / "content/lpus/northfield/teams/oldtown.md").read_text(encoding="utf-8")
    config = (MINIMAL / "site.toml").read_text(encoding="utf-8")
    return site_copy({
        "site.toml": config + '\n[audit]\nquiet_days = 200\n\n[[publish.accounts]]\naccount = "x:@TestshireOld"\n'
                              'credentials = "TP_OLD"\n',
        "state/social-ledger.json": json.dumps(LEDGER),
        "content/units/marina.md": UNIT,
        "content/lpus/northfield/teams/oldtown.md": team.replace("meetings:", FORMER, 1),
    })


def audit(site, *args):
    return subprocess.run([sys.executable, str(REPO / "build.py"), "audit", "--source", str(site),
                           "--now", "2026-11-25", *args], capture_output=True, text=True)


def test_audit_reports_each_kind_of_problem(problem_site):
    result = audit(problem_site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        "1. x:@TestshireOld (no owner): site.toml: [[publish.accounts]] posts to it, but no force, LPU, team, unit "
        "or officer declares it (declare it where it belongs, or remove it from [publish])",
        "2. x:@MarinaUnit (owner gone): content/units/marina.md:4: the unit serves the LPU 'southfield', which no "
        "longer exists",
        "3. x:@NorthfieldPolice (owner gone): content/units/marina.md:4: the unit serves the LPU 'southfield', "
        "which no longer exists",
        "4. x:@OldMarinaPolice (owner gone): state/social-ledger.json: it has posted before, but nothing declares "
        "it any more (close the account or hand it to a new owner and declare it there)",
        "5. x:@NorthfieldPolice (same handle twice): content/lpus/northfield/_index.md:11: declared 2 times: "
        "Northfield (content/lpus/northfield/_index.md); Marina Unit (content/units/marina.md) (keep one owner)",
        "6. x:@NorthfieldPolice (same handle twice): content/units/marina.md:5: declared 2 times: "
        "Northfield (content/lpus/northfield/_index.md); Marina Unit (content/units/marina.md) (keep one owner)",
        "7. x:@PCGoneElsewhere (officer has left): content/lpus/northfield/teams/oldtown.md:19: PC Gone Elsewhere "
        "has left the team; close the account or hand it over, then remove it from 'former'",
        "8. x:@NorthfieldPolice (quiet): content/lpus/northfield/_index.md:11: nothing new for over 200 days: its "
        "last item was on 10 March 2026 (post to it, route items to it, or close it)",
        "9. x:@TestshirePolice (quiet): site.toml: nothing new for over 200 days: its last item was on 1 March 2026 "
        "(post to it, route items to it, or close it)",
        "Found 9 accounts need attention (6 declared; quiet after 200 days).",
    ]


def test_strict_exits_1_when_anything_is_found(problem_site, site_copy):
    assert audit(problem_site, "--strict").returncode == 1


def test_a_clean_site_passes_strict(site_copy):
    site = site_copy({"site.toml": (MINIMAL / "site.toml").read_text(encoding="utf-8")
                      + "\n[audit]\nquiet_days = 400\n"})
    result = audit(site, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "No social accounts need attention (3 declared; quiet after 400 days).\n"


def test_json_lists_the_registry_and_findings(problem_site):
    result = audit(problem_site, "--json")
    data = json.loads(result.stdout)
    assert data["quiet_days"] == 200
    assert [f["kind"] for f in data["findings"]] == ["no-owner", "owner-gone", "owner-gone", "owner-gone",
                                                     "duplicate", "duplicate", "former-officer", "quiet", "quiet"]
    owners = {(a["account"], a["owner_kind"], a["owner"]) for a in data["accounts"]}
    assert ("x:@PCGoneElsewhere", "former-officer", "PC Gone Elsewhere") in owners
    assert ("x:@MarinaUnit", "unit", "Marina Unit") in owners
    assert ("x:@TestshirePolice", "force", "Testshire Police") in owners


def test_bad_content_exits_1_without_a_traceback(site_copy):
    site = site_copy({"content/units/marina.md": UNIT.replace("name: Marina Unit\n", "")})
    result = audit(site)
    assert result.returncode == 1
    assert "content/units/marina.md" in result.stderr and "'name'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_audit_setting_is_refused(site_copy):
    site = site_copy({"site.toml": (MINIMAL / "site.toml").read_text(encoding="utf-8") + "\n[audit]\nquiet = 3\n"})
    result = audit(site)
    assert result.returncode == 1
    assert "quiet" in result.stderr
