"""The accessibility statement describes the site as built: what the last test run ran, when and what
it found (the record `make accessibility` writes), and what the content shows (videos whose captions
no one has checked, links to documents), with site.toml adding only what no test can see."""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NOW, REPO
from wmpsite.build import pipeline
from wmpsite.core.errors import BuildFailed
from wmpsite.core.tested import Failure, Tool, load_tested

sys.path.insert(0, str(REPO / "scripts"))
from accessibility_audit import toml_record  # noqa: E402

SITE_TOML = "site.toml"
RECORD = "accessibility-tested.toml"
TOOLS = [{"name": "Nu Html Checker", "version": "26.9.27", "what": "valid HTML", "pages": 41},
         {"name": "axe-core", "version": "4.14.1", "what": "the WCAG 2.2 A and AA rules it can test", "pages": 9}]
FAILURE = {"page": "/find-your-team/", "problem": "Form elements must have labels at 390 px wide (label)"}
CAPTIONED = "Bike marking, step by step"
UNCAPTIONED = "A shift with the specials"
SPECIALS = """---
title: Join the specials
summary: Volunteer as a special constable.
updated: 2026-01-15
video:
  youtube: ScMzIvxBSi4
  title: {title}
  thumbnail: images/share.png
  captions: {captions}
---
Read the [annual report (PDF)](https://www.testshire-pcc.example/files/annual-report-2025.pdf?v=2) and the
[budget](https://www.testshire-pcc.example/files/budget.xlsx).
"""


def statement_text(out: Path) -> str:
    page = (out / "main" / "accessibility" / "index.html").read_text(encoding="utf-8")
    main = page[page.index("<main"):page.index("</main>")]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())
    return re.sub(r" ([,.:;)])", r"\1", text.replace("( ", "("))  # as read, without the tags' spaces


def with_record(site_copy, record: str | None, *, toml_change=None, overlay=None) -> Path:
    root = site_copy(overlay or {})
    text = (root / SITE_TOML).read_text(encoding="utf-8")
    text = text.replace("[accessibility]\n", f'[accessibility]\ntest_record = "{RECORD}"\n')
    (root / SITE_TOML).write_text(toml_change(text) if toml_change else text, encoding="utf-8")
    if record is not None:
        (root / RECORD).write_text(record, encoding="utf-8")
    return root


def test_the_statement_says_what_was_tested_when_and_lists_each_failure(site_copy, tmp_path):
    root = with_record(site_copy, toml_record(dt.date(2026, 11, 20), "Chromium 156.0.8078.114", TOOLS, [FAILURE]))
    pipeline.build(root, tmp_path / "out", now=NOW)
    text = statement_text(tmp_path / "out")
    assert "We last tested this website on Friday 20 November 2026, in Chromium 156.0.8078.114" in text
    assert "Nu Html Checker 26.9.27: valid HTML, on 41 pages" in text
    assert "axe-core 4.14.1: the WCAG 2.2 A and AA rules it can test, on 9 pages" in text
    assert "It found 1 problem" in text
    assert text.count(FAILURE["problem"] + " (/find-your-team/)") == 2  # the summary and the non-compliances
    page = (tmp_path / "out" / "main" / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.testshire.police.example/find-your-team/">/find-your-team/</a>' in page
    assert "partially compliant" in text


def test_no_failure_and_nothing_known_is_full_compliance(site_copy, tmp_path):
    root = with_record(site_copy, toml_record(dt.date(2026, 11, 20), "Chromium 156", TOOLS, []),
                       toml_change=lambda t: re.sub(r'compliance = "partial"\nknown_issues = \[.*\]\n', "", t))
    pipeline.build(root, tmp_path / "out", now=NOW)
    text = statement_text(tmp_path / "out")
    assert "It found no failures" in text
    assert "fully compliant" in text and "We are not aware of any part" in text
    assert "Non-accessible content" not in text


def test_videos_without_checked_captions_and_documents_are_known_issues_found_in_the_content(site_copy, tmp_path):
    full = lambda t: t.replace('compliance = "partial"', 'compliance = "full"')  # noqa: E731
    root = with_record(site_copy, None, toml_change=lambda t: full(t).replace(f'test_record = "{RECORD}"\n', ""),
                       overlay={"content/pages/join-the-specials.md":
                                SPECIALS.format(title=UNCAPTIONED, captions="false")})
    pipeline.build(root, tmp_path / "out", now=NOW)
    text = statement_text(tmp_path / "out")
    assert f"The video ‘{UNCAPTIONED}’ does not yet have captions checked by a person. (Join the specials)" in text
    assert "The PDF document annual-report-2025.pdf may not be accessible" in text
    assert "The spreadsheet document budget.xlsx may not be accessible" in text
    assert "Some older PDF leaflets are not tagged for screen readers." in text  # site.toml's own, after them
    assert "partially compliant" in text  # site.toml says 'full'; the statement cannot
    assert "How we tested" not in text  # no record named: no claim about testing

    pipeline.build(root, tmp_path / "again", now=NOW, cache=False)  # same input, same bytes
    assert (tmp_path / "again" / "main" / "accessibility" / "index.html").read_bytes() == \
        (tmp_path / "out" / "main" / "accessibility" / "index.html").read_bytes()


def test_a_video_whose_captions_were_checked_is_not_listed(site_copy, tmp_path):
    root = site_copy({"content/pages/join-the-specials.md": SPECIALS.format(title=CAPTIONED, captions="true")})
    pipeline.build(root, tmp_path / "out", now=NOW)
    text = statement_text(tmp_path / "out")
    assert CAPTIONED not in text
    assert "annual-report-2025.pdf" in text


@pytest.mark.parametrize("record, line, words", [
    (None, None, "the accessibility test record named by 'accessibility.test_record' in site.toml is missing"),
    ('tested_on = 2026-11-20\nbrowser = "Chromium"\n\n[[tools]]\nname = "axe-core"\nversion = "4"\n'
     'what = "rules"\npages = "many"\n', 8, "pages"),
    ('tested_on = 2026-02-30\nbrowser = "Chromium"\n', 1, "Invalid date"),
    ("tested_on = \n", 1, "not valid TOML"),
])
def test_a_bad_record_is_an_error_naming_its_file_and_line_in_check_and_build(site_copy, tmp_path, record, line,
                                                                               words):
    root = with_record(site_copy, record)
    results = [subprocess.run([sys.executable, str(REPO / "build.py"), command, "--source", str(root), *extra],
                              capture_output=True, text=True)
               for command, extra in (("check", []), ("build", ["--output", str(tmp_path / "out")]))]
    assert [r.returncode for r in results] == [1, 1], [r.stderr for r in results]
    assert results[0].stderr.splitlines()[:2] == results[1].stderr.splitlines()[:2]
    first = results[0].stderr.splitlines()[0]
    assert first.startswith(f"1. {RECORD}" + (f":{line}:" if line else ":")), first
    assert words in results[0].stderr
    assert "Traceback" not in results[0].stderr + results[1].stderr
    assert not (tmp_path / "out").exists()


def test_the_record_the_audit_writes_reads_back_as_written(tmp_path):
    failures = [FAILURE, {"page": "/a-z/", "problem": 'Quotes "and" ŵ survive'}]
    (tmp_path / RECORD).write_text(toml_record(dt.date(2026, 11, 20), "Chromium 156", TOOLS, failures),
                                   encoding="utf-8")
    errors: list = []
    tested = load_tested(tmp_path, RECORD, NOW.astimezone().tzinfo, errors)
    assert errors == []
    assert tested.tested_on == dt.date(2026, 11, 20) and tested.browser == "Chromium 156"
    assert tested.tools == tuple(Tool(**t) for t in TOOLS)
    assert tested.failures == tuple(Failure(**f) for f in failures)


def test_the_demo_statement_describes_the_demo_as_built(demo_build):
    text = statement_text(demo_build)
    assert "interactive map" not in text  # the find-your-team page has none
    assert "A shift with our special constables" in text  # its captions are not yet checked
    assert "Bike marking, step by step" not in text  # its captions are
    assert "How we tested this website" in text and "axe-core" in text and "Nu Html Checker" in text


def test_an_unknown_record_field_is_named(site_copy):
    root = with_record(site_copy, 'tested_on = 2026-11-20\nbrowser = "Chromium"\ntool = []\n')
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(root, now=NOW)
    assert [(e.path, e.line, e.message) for e in failed.value.errors] == [(RECORD, 3, "unknown field 'tool'")]
