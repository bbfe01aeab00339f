"""Hostile content files: each ends as errors naming the file (exit 1), the same in `check` as in
`build`, within a fixed budget of work, and the site built before stays byte for byte as it was.

Work is counted, not timed: a tracer counts the Python lines a command runs and stops it past
WORK_BUDGET, so a file that makes the build run away fails its test at once, on any machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, REPO, copy_site
from wmpsite import cli
from wmpsite.content import limits

#: Python lines one `check` or `build` of the minimal site plus one file may run. A build with
#: nothing cached runs about 6.5 million; 16 KB of '[' ran billions before the limits.
WORK_BUDGET = 12_000_000


class OverBudget(BaseException):
    """The command ran past WORK_BUDGET (a BaseException: the CLI's own handler must not catch it)."""


@contextlib.contextmanager
def metered(budget: int):
    """Count the lines of Python run inside the block; raise OverBudget past `budget`."""
    count = 0

    def on_line(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
            if count > budget:
                raise OverBudget(f"more than {budget:,} lines of Python")
        return on_line

    before = sys.gettrace()
    sys.settrace(lambda frame, event, arg: on_line)
    try:
        yield
    finally:
        sys.settrace(before)


@dataclass
class Site:
    root: Path
    out: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The minimal site, built once: the output every failed build must leave as it was."""
    tmp = tmp_path_factory.mktemp("hostile")
    root = copy_site(MINIMAL, tmp / "site")
    assert cli.main(["build", "--source", str(root), "--output", str(tmp / "out"), "--now", "2026-11-25",
                     "--jobs", "1", "--quiet"]) == 0
    return Site(root, tmp / "out")


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def command(site: Site, *args: str) -> tuple[int, str]:
    """Run build.py `args` in this process, metered; return its exit code and what it printed on stderr."""
    err = io.StringIO()
    with metered(WORK_BUDGET), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main([*args, "--source", str(site.root), "--now", "2026-11-25", "--jobs", "1"])
    return code, err.getvalue()


def check_and_build(site: Site, files: dict[str, str | bytes]) -> tuple[int, str]:
    """Write `files` into the site, run `check` then `build`, remove the files again; assert what holds
    for every input: exit 0 or 1 alike in both, no traceback, errors the same in both and naming a
    file written, and a failed build leaving the last output untouched. Return the exit code and errors."""
    for rel, data in files.items():
        path = site.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    try:
        before = snapshot(site.out)
        try:
            checked, check_errors = command(site, "check")
            built, build_errors = command(site, "build", "--output", str(site.out), "--quiet")
        except OverBudget as over:  # an assertion, so that Hypothesis shrinks the input and shows it
            raise AssertionError(f"{over}: {files!r:.300}") from None
    finally:
        for rel in files:
            (site.root / rel).unlink()
    assert checked in (0, 1), check_errors
    assert built == checked, build_errors
    assert "Traceback" not in check_errors + build_errors
    if checked == 1:
        assert build_errors == check_errors  # both print the one numbered list
        assert any(f"{rel}:" in check_errors for rel in files if rel.endswith(".md")), check_errors
        assert snapshot(site.out) == before
    return checked, check_errors


NEWS = "content/news/2026-05-01-hostile.md"
FIELDS = "title: A hostile file\ndate: 2026-05-01\nsummary: It tries to hurt the build.\nkind: press-release\n"
BODY_LINE = 7  # '---', the four fields, '---'
EVENT = "content/events/2026-05-01-hostile.md"
GALLERY = "content/gallery/2026-05-01-cut-off.md"
CUT_OFF = "static/images/gallery/cut-off.jpg"


def news(body: str = "Text.", fields: str = FIELDS) -> dict[str, str]:
    return {NEWS: f"---\n{fields}---\n{body}\n"}


def event(start: str) -> dict[str, str]:
    return {EVENT: f"---\ntitle: A web chat\nkind: web-chat\nstart: {start}\nend: 2026-05-01 19:30\n"
                   "online: https://chat.testshire.police.example/\nsummary: Ask us anything.\n---\nJoin us.\n"}


def alias_bomb() -> str:
    """About 450 bytes that expand to millions of values."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefg", "bcdefgh"):
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


def cut_off_photo() -> dict[str, str | bytes]:
    whole = (REPO / "static/images/gallery/sunset-hills.jpg").read_bytes()
    return {CUT_OFF: whole[: len(whole) // 2],
            GALLERY: "---\ntitle: Cut off\ndate: 2026-05-01\nphoto:\n  src: images/gallery/cut-off.jpg\n"
                     "  alt: Half a photo of hills\ncaption: The hills.\ncredit: A PCSO\n---\n"}


BRACKETS = f"{NEWS}:{BODY_LINE}: the text has too many '['"
NESTED = f"{NEWS}:{BODY_LINE}: lists or quotes are nested more than {limits.MAX_BODY_NESTING} deep"
YEARS = "(the year must be from 1900 to 2199)"
#: (name, files, an error the output must hold): each of these hung or crashed the build before.
CASES = [
    ("16 KB of '['", news("[" * 16_000), BRACKETS),
    ("'![' repeated", news("![" * 8_000), BRACKETS),
    ("100k nested brackets", news("[" * 49_999 + "]" * 49_999), BRACKETS),
    ("'[a](' repeated", news("[a](" * 8_000), BRACKETS),
    ("100 KB of '['", news("[" * 100_001), f"{NEWS}:{BODY_LINE}: the text is 100,002 characters long"),
    ("a 2,000-level nested list", news("- " * 2_000 + "x"), NESTED),
    ("a 2,000-level nested list by indent", news("".join("    " * i + "- x\n" for i in range(2_000))),
     f"{NEWS}:{BODY_LINE}: the text is 8,004,001 characters long"),
    ("quotes 300 deep", news("".join(">" * i + " x\n" for i in range(1, 300))),
     f"{NEWS}:{BODY_LINE + 8}: lists or quotes are nested more than"),
    ("a YAML alias bomb", news(fields=FIELDS + alias_bomb()), f"{NEWS}:7: a value repeats another with '*'"),
    ("a million tags", news(fields=FIELDS + "tags:\n" + "- a\n" * 1_000_000),
     f"{NEWS}:2: the front matter is 4,000,101 characters long; at most 20,000 are allowed"),
    ("600 tags", news(fields=FIELDS + "tags:\n" + "- a\n" * 600), f"{NEWS}:6: the list has 600 items"),
    ("DEL in front matter", news(fields=FIELDS.replace("hostile", "host\x7file")),
     f"{NEWS}:2: the front matter contains the control character U+007F"),
    ("NUL in front matter", news(fields=FIELDS.replace("hurt", "hu\x00rt")),
     f"{NEWS}:4: the front matter contains the control character U+0000"),
    ("\\x01 in front matter", news(fields=FIELDS + "tags: [a\x01]\n"),
     f"{NEWS}:6: the front matter contains the control character U+0001"),
    ("an escaped NUL in a value", news(fields=FIELDS.replace("A hostile file", '"A \\0 file"')),
     f"{NEWS}:2: the value contains the control character U+0000"),
    ("a start in year 1 east of Greenwich", event("0001-01-01 00:00+14:00"), f"{EVENT}:4: 'start': expected a date"),
    ("a start in year 9999 west of Greenwich", event("9999-12-31 23:59-12:00"), YEARS),
    ("an alias of itself", news(fields=FIELDS + "rec: &r [*r]\n"), f"{NEWS}:6: a value repeats another with '*'"),
    ("!!int on a text", news(fields=FIELDS.replace("title: A hostile file", "title: !!int x")),
     f"{NEWS}:2: the value 'x' does not fit its tag '!!int'"),
    ("NUL in the body", news("Before\n\nand af\x00ter"),
     f"{NEWS}:{BODY_LINE + 2}: the text contains the control character U+0000"),
    ("a cut-off gallery JPEG", cut_off_photo(),
     f"{GALLERY}:4: 'photo.src': static/{CUT_OFF} is not a photo the build can read".replace("static/static/", "static/")),
    ("a link to /etc/passwd", news("See [this](../../../../etc/passwd.md)."),
     f"{NEWS}:{BODY_LINE}: the link '../../../../etc/passwd.md' leads outside the content/ folder"),
    ("a link above the root", news("See [this](/../../outside.md)."),
     f"{NEWS}:{BODY_LINE}: the link '/../../outside.md' leads outside the content/ folder"),
    ("key 1", news(fields=FIELDS + "1: x\n"), f"{NEWS}:6: unknown field '1'"),
    ("key true", news(fields=FIELDS + "true: x\n"), f"{NEWS}:6: unknown field 'True'"),
    ("key ~", news(fields=FIELDS + "~: x\n"), f"{NEWS}:6: unknown field 'None'"),
    ("!!null title", news(fields=FIELDS.replace("title: A hostile file", "title: !!null ''")),
     f"{NEWS}:2: 'title' is missing"),
]


@pytest.mark.parametrize("files, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_hostile_file_is_a_named_error_in_check_and_build(site, files, expected):
    code, errors = check_and_build(site, files)
    assert code == 1
    assert expected in errors


def test_the_limits_leave_long_ordinary_text_alone(site):
    body = "\n\n".join(f"Paragraph {i} with [a link](../advice/burglary.md) and *stress*.\n"
                       "- a list\n    - nested once\n\n> a quote" for i in range(900))
    assert len(body) < limits.MAX_BODY_CHARS
    code, errors = check_and_build(site, news(body))
    assert code == 0, errors


#: Pieces of Markdown and YAML that have made converters and parsers slow or crash.
PIECES = ["[", "]", "![", "(", ")", "[a](", "[a][", "](", "    ", "- ", "> ", "1. ", "\n", "\n\n", "*", "_",
          "`", "<", "&#", "|", "#", "\\", "<div>", "x", " ", "\t", "\x00", "\x7f", "\u2028", "\ufeff", "é"]
pieces = st.lists(st.tuples(st.sampled_from(PIECES), st.integers(1, 4_000)), max_size=5)
bodies = st.one_of(pieces.map(lambda parts: "".join(piece * n for piece, n in parts)), st.text(max_size=300))
fields = st.one_of(st.just(FIELDS), st.text(max_size=200),
                   st.sampled_from(["tags: [a, b]\n", "tags: &x [a]\nlpus: *x\n", "title: !!binary x\n",
                                    "date: !!timestamp 2026-01-01\n", "summary: [[[[[[[[[[]]]]]]]]]]\n",
                                    "? [a]\n: b\n", "!!set {a}\n", "kind: !!python/name:os.system\n"])
                   .map(lambda extra: FIELDS + extra))


@settings(max_examples=15, deadline=None, phases=(Phase.explicit, Phase.generate), database=None)
@given(body=bodies, front=fields)
@example(body="[" * 16_000, front=FIELDS)
@example(body="- " * 2_000, front=FIELDS)
@example(body="[a](" * 4_000, front=FIELDS)
@example(body="[" * 354 + "*" * 1_471 + "\n", front=FIELDS)  # found by this test: 20 lines of Python per unit
@example(body="[" * 150 + "`\\" * 60, front=FIELDS)
@example(body="Text", front=FIELDS + alias_bomb())
@example(body="Text", front=FIELDS + "rec: &r [*r]\n")
@example(body="a\x00b", front=FIELDS.replace("title: A hostile file", "title: !!int x"))
def test_any_content_file_is_built_or_named_within_the_budget(site, body, front):
    check_and_build(site, news(body, front))
