"""Golden output: the golden force builds, byte for byte, to the tree committed under tests/golden/.

A change to templates, CSS, feeds or any stage that alters one output byte fails here, naming the
files, so the change is seen and reviewed; `make golden` then writes the new tree (docs/developers.md).
"""

from __future__ import annotations

import re

import golden_tree
import pytest

from wmpsite.content.content_types import CONTENT_TYPES


def test_golden_force_builds_to_the_committed_tree(tmp_path):
    built = tmp_path / "site"
    golden_tree.build(built)
    problems = golden_tree.differences(built)
    if problems:
        pytest.fail(problems, pytrace=False)


def test_golden_force_has_every_content_kind():
    """Every content type of the build has a file in the golden force, so its pages are in the tree;
    and the tree shows the states that matter: an ended appeal, an active alert, a resized photo."""
    for kind in CONTENT_TYPES:
        pattern = re.sub(r"[A-Z]+(?:-[A-Z]+)*", "*", kind.where)  # content/lpus/LPU/news/DATE-SLUG.md
        assert sorted(golden_tree.SITE.glob(pattern)), f"the golden force has no {kind.name} ({kind.where})"
    tree = golden_tree.TREE
    assert "appeal--ended" in (tree / "main/northfield/appeals/missing-man-mill-end/index.html").read_text("utf-8")
    assert not (tree / "main/images/appeals/sam.svg").exists()  # an ended appeal's photo is not copied
    assert "Northfield High Street closed" in (tree / "main/northfield/index.html").read_text("utf-8")
    assert sorted(p.name for p in (tree / "main/images/gallery/sizes").iterdir()) == [
        "autumn-wood-24.jpg", "autumn-wood-24.webp"]
    assert (tree / "riverside/index.html").is_file()  # an LPU deployed on its own address


@pytest.fixture
def scratch_golden(tmp_path, monkeypatch):
    """A hand-made build written as the golden tree of a scratch folder: returns the build's folder."""
    built = tmp_path / "built"
    files = {
        "main/index.html": b"<h1>Testshire Police</h1>\n<p>News</p>\n<p>Advice</p>\n",
        "main/feeds/news/rss.xml": b"<rss></rss>\n",
        "main/events/calendar.ics": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        "main/images/share.png": b"\x89PNG\r\n\x1a\n\0\0\0",
        "main/pagefind/site/pagefind.js": b"// the runtime\n",
        "main/pagefind/site/fragment/en-gb_1.pf_fragment": b"\x1f\x8b\x08\0",
    }
    for rel, data in files.items():
        (built / rel).parent.mkdir(parents=True, exist_ok=True)
        (built / rel).write_bytes(data)
    monkeypatch.setattr(golden_tree, "TREE", tmp_path / "golden" / "tree")
    monkeypatch.setattr(golden_tree, "HASHES", tmp_path / "golden" / "omitted.sha256")
    assert golden_tree.write_golden(built) == (5, sum(len(d) for d in files.values()) - 15, 1)
    assert not (golden_tree.TREE / "main/pagefind/site/pagefind.js").exists()
    return built


def test_an_identical_build_has_no_differences(scratch_golden):
    assert golden_tree.differences(scratch_golden) is None


def test_differences_name_each_file_with_a_diff_and_the_refresh_command(scratch_golden):
    (scratch_golden / "main/index.html").write_bytes(b"<h1>Testshire Police</h1>\n<p>Latest news</p>\n<p>Advice</p>\n")
    (scratch_golden / "main/events/calendar.ics").write_bytes(b"BEGIN:VCALENDAR\nEND:VCALENDAR\n")
    (scratch_golden / "main/images/share.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\1\0")
    (scratch_golden / "main/pagefind/site/pagefind.js").write_bytes(b"// another runtime\n")
    (scratch_golden / "main/feeds/news/rss.xml").unlink()
    (scratch_golden / "main/404.html").write_bytes(b"<h1>Not found</h1>\n")
    message = golden_tree.differences(scratch_golden)
    assert message is not None
    assert "4 changed, 1 missing, 1 new" in message
    assert "missing from the build: main/feeds/news/rss.xml" in message
    assert "new in the build: main/404.html" in message
    assert ("changed: main/index.html\n"
            "  --- tests/golden/tree/main/index.html\n"
            "  +++ built/main/index.html\n"
            "  @@ -1,3 +1,3 @@\n"
            "   <h1>Testshire Police</h1>\n"
            "  -<p>News</p>\n"
            "  +<p>Latest news</p>\n"
            "   <p>Advice</p>\n") in message
    assert "changed: main/events/calendar.ics\n  (the same lines with different line endings" in message
    assert "changed: main/images/share.png\n  (binary: 11 bytes in tests/golden/, 12 bytes built)" in message
    assert "changed: main/pagefind/site/pagefind.js (Pagefind's runtime: its SHA-256 differs" in message
    assert "run `make golden`" in message and "git diff tests/golden" in message


def test_long_diffs_are_cut_and_only_the_first_files_shown(scratch_golden, monkeypatch):
    monkeypatch.setattr(golden_tree, "DIFF_LINES", 5)
    monkeypatch.setattr(golden_tree, "DIFF_FILES", 1)
    (scratch_golden / "main/feeds/news/rss.xml").write_bytes(b"".join(b"<item>%d</item>\n" % i for i in range(20)))
    (scratch_golden / "main/index.html").write_bytes(b"<h1>Testshire Police</h1>\n")
    message = golden_tree.differences(scratch_golden)
    assert "changed: main/feeds/news/rss.xml\n  --- tests/golden/tree/main/feeds/news/rss.xml\n" in message
    assert "\n  ... 19 more diff lines\n" in message  # 3 header lines, 1 removed, 20 added: 24, 5 shown
    assert message.count("  --- ") == 1
    assert "changed: main/index.html\nIf every difference" in message
