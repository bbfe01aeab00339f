"""`check` and `build` agree on bad content, for every kind of content file and every kind of fault.

An editor runs `check` before publishing and trusts it: content it passes must build, and content
it refuses must be refused by `build` with the same list, naming the file and line, and with
nothing written. Each case writes one fault into one file of a small site that has every kind of
content, then runs both commands as build.py does (wmpsite.cli.main) on a copy of its own.
"""

from __future__ import annotations

import contextlib
import io
import re

import pytest
from hypothesis import Phase, given, settings, strategies as st

from conftest import MINIMAL, copy_site
from wmpsite.cli import main
from wmpsite.content.content_types import CONTENT_TYPES

NOW = "2026-11-25T12:00"

#: The minimal site lacks these kinds: each is written over a copy of it. The alert is active at
#: NOW, so its text is in the banner of every page; the appeals are open.
MORE_KINDS = {
    "content/events/2026-12-10-web-chat.md": """---
title: Live web chat with the Chief Constable
kind: web-chat
start: 2026-12-10 18:30
end: 2026-12-10 19:30
online: https://webchat.testshire.police.example/chief
summary: The Chief Constable answers your questions.
---
Join the chat from any device.
""",
    "content/lpus/northfield/events/2026-12-05-market-surgery.md": """---
title: Beat surgery at the market
kind: beat-surgery
team: oldtown
start: 2026-12-05 10:00
end: 2026-12-05 12:00
location: Oldtown Market Square
summary: Drop in and meet your local officers.
---
Bring your questions.
""",
    "content/alerts/2026-11-25-high-street-closed.md": """---
title: "Road closed: Northfield High Street"
severity: advisory
start: 2026-11-25 06:00
end: 2026-11-26 18:00
summary: The High Street is closed after a burst water main.
---
Use the bypass until it reopens.
""",
    "content/gallery/2026-11-20-market-square.md": """---
title: Market Square at dawn
date: 2026-11-20
photo:
  src: images/share.png
  alt: The Testshire Police crest on a navy background
caption: The first light over Oldtown's market square.
---
Taken on an early patrol.
""",
    "content/appeals/2026-11-01-missing-man.md": """---
title: "Missing Sam: can you help us find him?"
kind: missing-person
summary: Sam, 52, has been missing from his home in Oldtown since Sunday.
history:
  - {date: 2026-11-01 08:15, status: open}
name: Sam Example
photo:
  src: images/bike.svg
  alt: A placeholder picture
---
Sam has a medical condition that needs treatment.
""",
    "content/lpus/northfield/appeals/2026-11-02-stolen-tractor.md": """---
title: Stolen tractor in Mill End
kind: stolen-property
summary: A red tractor was taken from a farm near Mill End overnight.
history:
  - {date: 2026-11-02 09:00, status: open}
---
Call 101 if you have seen it.
""",
    "content/units/football-unit.md": """---
name: Football Unit
summary: Policing football matches across Testshire.
social:
  - network: x
    handle: "@TestshireFootball"
    url: https://x.com/TestshireFootball
---
The Football Unit works with the clubs on match days.
""",
    "content/questions/2026-11-03-speed-vans.md": """---
title: Where do the speed camera vans park?
question: How do you decide where the speed camera vans go?
asked: 2026-10-30
answered: 2026-11-03
department: Roads policing
---
Where residents and collisions tell us drivers speed.
""",
    "content/lpus/northfield/questions/2026-11-04-front-counter.md": """---
title: Why did the front counter close early?
question: The Northfield front counter was shut at 4pm on Friday. Why?
asked: 2026-11-01
answered: 2026-11-04
---
A member of staff was ill; we are sorry.
""",
}

#: One file of each kind of content in the site (the minimal site's own, or one of MORE_KINDS).
FILES = {
    "page": "content/pages/about-us.md",
    "news": "content/news/2026-02-01-new-chief.md",
    "local news": "content/lpus/northfield/news/2026-03-10-speed-checks.md",
    "advice": "content/advice/burglary.md",
    "LPU": "content/lpus/northfield/_index.md",
    "team": "content/lpus/northfield/teams/oldtown.md",
    "priority": "content/lpus/northfield/priorities/speeding.md",
    "event": "content/events/2026-12-10-web-chat.md",
    "local event": "content/lpus/northfield/events/2026-12-05-market-surgery.md",
    "alert": "content/alerts/2026-11-25-high-street-closed.md",
    "photo of the day": "content/gallery/2026-11-20-market-square.md",
    "appeal": "content/appeals/2026-11-01-missing-man.md",
    "local appeal": "content/lpus/northfield/appeals/2026-11-02-stolen-tractor.md",
    "unit": "content/units/football-unit.md",
    "question": "content/questions/2026-11-03-speed-vans.md",
    "local question": "content/lpus/northfield/questions/2026-11-04-front-counter.md",
}

#: Faults written into the text below the front matter of any file, by the name of the fault.
BODY_FAULTS = {
    "broken link": "Read [our other page](../pages/no-such-page.md) too.",
    "missing image": "![A map of the area](no-such.jpg)",
    # a whole address on the force's own host is a page too: it must be one the build makes
    "own-site link": "Report it [online](https://www.testshire.police.example/no-such-page/).",
}
TEAM = "team: no-such-team"
LPUS = "lpus: [no-such-lpu]"
IMAGE = "image:\n  src: images/no-such-image.jpg\n  alt: A bicycle"
VIDEO = "video:\n  youtube: M7lc1UVf-VE\n  title: How to mark your bike\n  thumbnail: images/no-such-still.jpg"
PHOTO = "photo:\n  src: images/no-such-photo.jpg\n  alt: A portrait"
#: Faults in the fields that name a team or an LPU, or a file under static/: (kind, fault, field).
FIELD_FAULTS = [
    ("local news", "missing team", TEAM),
    ("priority", "missing team", TEAM),
    ("local event", "missing team", TEAM),
    ("news", "missing LPU", LPUS),
    ("alert", "missing LPU", LPUS),
    ("appeal", "missing LPU", LPUS),
    # A unit whose LPU is gone is not a content error: `build.py audit` reports its accounts as
    # having lost their owner (tests/test_audit.py), so a merged LPU never stops the build.
    ("news", "missing file", IMAGE),
    ("local news", "missing file", IMAGE),
    ("page", "missing file", VIDEO),
    ("news", "missing file", VIDEO),
    ("local news", "missing file", VIDEO),
    ("appeal", "missing file", PHOTO),
    ("local appeal", "missing file", PHOTO),
    ("photo of the day", "missing file", PHOTO),
]

CASES = [pytest.param(kind, fault, text, id=f"{kind}-{fault}")
         for kind in FILES for fault, text in BODY_FAULTS.items()] + \
        [pytest.param(kind, fault, text, id=f"{kind}-{fault}-{text.split(':')[0]}")
         for kind, fault, text in FIELD_FAULTS]


def with_field(text: str, field: str) -> str:
    """`text` with the front matter field `field` (YAML, 'key: value' and any indented lines under
    it) in place of the key's own lines, at the end of the front matter."""
    key = field.split(":")[0] + ":"
    head, body = text.removeprefix("---\n").split("\n---\n", 1)
    kept, inside = [], False
    for line in head.split("\n"):
        inside = line.startswith(key) or inside and line.startswith((" ", "-"))
        if not inside:
            kept.append(line)
    return "---\n" + "\n".join(kept + [field]) + "\n---\n" + body


def paragraphs_of(text: str) -> tuple[str, list[str]]:
    """A file's front matter (with its opening '---') and the paragraphs of its body."""
    head, body = text.split("\n---\n", 1)
    return head, [p for p in body.strip("\n").split("\n\n") if p]


def with_paragraph(text: str, paragraph: str, at: int | None = None) -> str:
    """`text` with `paragraph` among the paragraphs of its body: before the one numbered `at`, or last."""
    head, paragraphs = paragraphs_of(text)
    paragraphs.insert(len(paragraphs) if at is None else at, paragraph)
    return head + "\n---\n" + "\n\n".join(paragraphs) + "\n"


def run(command: str, site, out=None) -> tuple[int, str]:
    """Run `build.py COMMAND` on `site` in this process, as build.py does; its exit code and stderr.

    One process (--jobs 1): the suite shares the machine's cores, and a pool builds the same bytes.
    """
    argv = [command, "--source", str(site), "--now", NOW, "--jobs", "1"] + (["--output", str(out)] if out else [])
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, err.getvalue()


def error_lines(stderr: str) -> list[str]:
    """The numbered errors of a failed run, without their numbers."""
    return [re.sub(r"^\d+\. ", "", line) for line in stderr.splitlines() if re.match(r"\d+\. ", line)]


def test_every_kind_of_content_has_a_file():
    # A new kind of content must join the matrix, or check and build could disagree on it unseen.
    assert set(FILES) == {kind.name for kind in CONTENT_TYPES}


def test_the_site_with_every_kind_is_clean(tmp_path):
    # The faults below are the only errors: without them both commands succeed.
    site = copy_site(MINIMAL, tmp_path / "site", MORE_KINDS)
    assert [run("check", site)[0], run("build", site, tmp_path / "out")[0]] == [0, 0]


def clean_text(kind: str) -> str:
    return MORE_KINDS.get(FILES[kind]) or (MINIMAL / FILES[kind]).read_text(encoding="utf-8")


def assert_refused_alike(rel: str, faulty: str, tmp_path) -> None:
    """Write `faulty` as the file `rel` of the site, then `check` and `build` must both refuse it
    with one error naming the file and the line of the fault (the line with 'no-such')."""
    site = copy_site(MINIMAL, tmp_path / "site", MORE_KINDS)
    (site / rel).write_bytes(faulty.encode("utf-8"))
    line = next(n for n, written in enumerate(faulty.splitlines(), 1) if "no-such" in written)
    out = tmp_path / "out"

    check_code, check_err = run("check", site)
    build_code, build_err = run("build", site, out)

    outcome = f"check exit {check_code}:\n{check_err}\nbuild exit {build_code}:\n{build_err}"
    assert (check_code, build_code) == (1, 1), outcome
    assert check_err == build_err, outcome
    assert [e.split(": ", 1)[0] for e in error_lines(build_err)] == [f"{rel}:{line}"], outcome
    assert not out.exists()


@pytest.mark.parametrize(("kind", "fault", "text"), CASES)
def test_check_and_build_refuse_the_same_fault_the_same_way(kind, fault, text, tmp_path):
    faulty = with_paragraph(clean_text(kind), text) if fault in BODY_FAULTS else with_field(clean_text(kind), text)
    assert_refused_alike(FILES[kind], faulty, tmp_path)


#: Markdown a fault may sit in, for the property below: '{}' is the fault.
SETTINGS = ["{}", "- {}", "1. First\n2. {}", "> {}", "## Where {}", "*{}*",
            "| Where | What |\n| --- | --- |\n| Oldtown | {} |"]


@st.composite
def faulty_files(draw) -> tuple[str, str]:
    """A file of any kind with a body fault anywhere among its paragraphs, in any setting, with
    Unix or Windows line ends: (its path, its text)."""
    kind = draw(st.sampled_from(sorted(FILES)))
    text = clean_text(kind)
    fault = draw(st.sampled_from(SETTINGS)).format(draw(st.sampled_from(sorted(BODY_FAULTS.values()))))
    faulty = with_paragraph(text, fault, at=draw(st.integers(0, len(paragraphs_of(text)[1]))))
    return FILES[kind], faulty.replace("\n", "\r\n") if draw(st.booleans()) else faulty


# Bounded, and the same examples every run; no shrinking, as each example is two whole builds.
@settings(max_examples=25, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate])
@given(faulty_files())
def test_a_body_fault_anywhere_is_refused_alike(tmp_path_factory, case):
    # Editors put links in lists, quotes, headings and tables, and save from Windows: the line
    # reported must still be the fault's own.
    rel, faulty = case
    assert_refused_alike(rel, faulty, tmp_path_factory.mktemp("case"))


@pytest.mark.parametrize("kind", sorted(FILES))
def test_a_file_that_fails_to_load_hides_no_reference_fault_and_causes_none(kind, tmp_path):
    # A misspelt field in one file and a misspelt team in another are listed in one run, so the
    # editor fixes both at once; and what names the file that failed (its LPU, its team, a link
    # to it) is no error of its own: the file is there, its own error says what is wrong with it.
    other = "priority" if kind == "local news" else "local news"
    site = copy_site(MINIMAL, tmp_path / "site", MORE_KINDS)
    (site / FILES[kind]).write_text(with_field(clean_text(kind), "no_such_field: 1"), encoding="utf-8")
    (site / FILES[other]).write_text(with_field(clean_text(other), TEAM), encoding="utf-8")
    check_code, check_err = run("check", site)
    build_code, build_err = run("build", site, tmp_path / "out")
    outcome = f"check exit {check_code}:\n{check_err}\nbuild exit {build_code}:\n{build_err}"
    assert (check_code, build_code) == (1, 1) and check_err == build_err, outcome
    expected = sorted([(FILES[kind], "unknown field 'no_such_field'"),
                       (FILES[other], "there is no team 'no-such-team'")])
    lines = error_lines(build_err)
    assert len(lines) == 2 and all(line.startswith(path + ":") and text in line
                                   for line, (path, text) in zip(lines, expected)), outcome


STORY = "content/news/2026-02-01-new-chief.md"
#: What an editor is told of faults that are easy to make and were hard to understand: (a file, its
#: text with the fault, as bytes, the one error `check` and `build` both give).
SITE_TOML = (MINIMAL / "site.toml").read_text(encoding="utf-8")
TOLD = [
    pytest.param("site.toml", (SITE_TOML + "# Written in the caf\xe9\n").encode("cp1252"),
                 f"site.toml:{SITE_TOML.count(chr(10)) + 1}: this file is not saved as UTF-8: a character near "
                 "'# Written in the caf\ufffd' cannot be read (save it again in your editor choosing UTF-8 as its "
                 "encoding; in Notepad that is File, Save as, Encoding: UTF-8. Then check that character)",
                 id="site.toml not UTF-8"),
    pytest.param(STORY, clean_text("news").replace("starts work", "starts work at the caf\xe9").encode("cp1252"),
                 f"{STORY}:2: this file is not saved as UTF-8: a character near 'starts work at the "
                 "caf\ufffd' cannot be read (save it again in your editor choosing UTF-8 as its "
                 "encoding; in Notepad that is File, Save as, Encoding: UTF-8. Then check that character)",
                 id="not UTF-8"),
    pytest.param(STORY, clean_text("news").replace("2026-02-01", "2026-02-30").encode(),
                 f"{STORY}:3: 'date': expected a date like 2025-03-14 or a date and time like 2025-03-14 18:30, "
                 "found '2026-02-30' (that day does not exist: February 2026 has 28 days)", id="no such day"),
    pytest.param(STORY, with_paragraph(clean_text("news"), "![a map](/images/no-such.png)").encode(),
                 f"{STORY}:8: the image '/images/no-such.png' points to no file under static/ (put the image under "
                 "static/ as static/images/no-such.png, or check the spelling of its name)", id="missing image"),
    pytest.param(STORY, with_paragraph(clean_text("news"), "![a bike](../../static/images/bike.svg)").encode(),
                 f"{STORY}:8: the image '../../static/images/bike.svg' is not a file this site knows (give its path "
                 "from static/, starting with '/': '/images/bike.svg')", id="image path from the file"),
    pytest.param(STORY, with_field(clean_text("news"), IMAGE).encode(),
                 f"{STORY}:6: 'image.src': no file static/images/no-such-image.jpg (put the image under static/ "
                 "and give its path from there)", id="missing image field"),
]


@pytest.mark.parametrize(("rel", "faulty", "told"), TOLD)
def test_what_an_editor_is_told(rel, faulty, told, tmp_path):
    site = copy_site(MINIMAL, tmp_path / "site")
    (site / rel).write_bytes(faulty)
    check_code, check_err = run("check", site)
    build_code, build_err = run("build", site, tmp_path / "out")
    assert (check_code, build_code) == (1, 1) and check_err == build_err
    assert error_lines(build_err) == [told]
