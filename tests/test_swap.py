"""The published folder is swapped in one step, killed builds of any kind leave nothing in it, and a
failing machine (a full disk, a cache it cannot write) is named, with exit 4, never blamed on the content."""

from __future__ import annotations

import errno
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import MINIMAL, NOW, REPO
from test_build import tree_digest
from wmpsite import cli
from wmpsite.build import pipeline, swap
from wmpsite.core.cache import Cache
from wmpsite.core.errors import MachineFailed

# A build that kills itself just after the `kill_at`-th step of the swap (each rename, the exchange),
# the moment a power cut or an OOM kill could come; with kill_at past the last step it finishes and
# prints how many steps there were. `atomic` 0 makes the system one without the atomic exchange.
KILLED_AT = textwrap.dedent("""
    import datetime as dt, os, signal, sys
    from pathlib import Path
    from wmpsite.build import output, pipeline, swap
    source, out, site, kill_at, atomic = sys.argv[1:]
    steps, swapping = [0], [False]
    def step(result):
        if swapping[0]:
            steps[0] += 1
            if steps[0] == int(kill_at):
                os.kill(os.getpid(), signal.SIGKILL)
        return result
    real_replace, real_exchange, real_swap_in = os.replace, swap.exchange, output._swap_in
    os.replace = lambda a, b: step(real_replace(a, b))
    swap.exchange = (lambda a, b: step(real_exchange(a, b))) if atomic == "1" else (lambda a, b: step(False))
    def swap_in(*args):
        swapping[0] = True
        real_swap_in(*args)
    output._swap_in = swap_in
    pipeline.build(Path(source), Path(out), site=site or None, now=dt.datetime(2026, 11, 25, 12, 0))
    print(steps[0])
""")


def _build_killed_at(source: Path, out: Path, site: str | None, kill_at: int, atomic: bool = True):
    return subprocess.run([sys.executable, "-c", KILLED_AT, str(source), str(out), site or "", str(kill_at),
                           "1" if atomic else "0"], capture_output=True, text=True, cwd=REPO)


def _two_versions(site_copy, tmp_path, site):
    """A copy of the minimal site, a function that sets it to version 0 or 1, and each version's tree."""
    source = site_copy()
    story = source / "content/news/2026-01-05-winter-safety.md"
    texts = [story.read_text(), story.read_text().replace("Use timer switches", "Use timer switches and smart bulbs")]
    trees = []
    for number, text in enumerate(texts):
        story.write_text(text)
        pipeline.build(source, tmp_path / f"clean{number}", now=NOW)
        trees.append(tree_digest(tmp_path / f"clean{number}" / (site or "")))
    assert trees[0] != trees[1]
    return source, lambda number: story.write_text(texts[number]), trees


@pytest.mark.parametrize("site", [None, "main"])
def test_a_build_killed_at_each_step_of_the_swap_leaves_the_old_site_or_the_new_one_whole(site_copy, tmp_path, site):
    source, version, trees = _two_versions(site_copy, tmp_path, site)
    out = tmp_path / "o/out"
    version(0)
    pipeline.build(source, out, now=NOW)
    live, other = (out / site, tree_digest(out / "riverside")) if site else (out, None)
    current, kills = 0, 0
    for _ in range(2):  # each step twice, the second time from the tree the first round left
        for kill_at in range(1, 20):
            target = 1 - current
            version(target)
            result = _build_killed_at(source, out, site, kill_at)
            if result.returncode == 0:
                steps = int(result.stdout)
                break
            assert result.returncode == -signal.SIGKILL, result.stderr
            kills += 1
            assert live.is_dir()  # never missing, not even for a moment
            found = tree_digest(live)
            assert found in (trees[current], trees[target])
            current = trees.index(found)
            assert not [p for p in out.iterdir() if p.name.startswith(".")]  # nothing of the build inside it
            if site:
                assert tree_digest(out / "riverside") == other
        current = target
        assert tree_digest(live) == trees[current]
    assert kills == 2 * steps and steps >= 4  # the record, the records' rename, the exchange, the old tree aside
    pipeline.build(source, out, site=site, now=NOW)  # the next build cleans up what the killed ones left
    name = ".out" + (f".{site}" if site else "")
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        [f"{name}.previous", f"{name}.previous.record", f"{name}.record", "out"] + ([".out.record"] if site else []))


def test_without_the_atomic_exchange_the_next_build_puts_the_last_good_site_back(site_copy, tmp_path, monkeypatch):
    source, version, trees = _two_versions(site_copy, tmp_path, None)
    out = tmp_path / "o/out"
    version(0)
    pipeline.build(source, out, now=NOW)
    version(1)
    for kill_at in range(1, 10):  # find the moment between the two renames of the fallback
        assert _build_killed_at(source, out, None, kill_at, atomic=False).returncode == -signal.SIGKILL
        if not out.exists():
            break
    assert not out.exists()
    # The next build fails (a full disk while writing), but first puts the last good site back.
    monkeypatch.setattr(Path, "write_bytes", _no_space(Path.write_bytes, after=3))
    with pytest.raises(MachineFailed):
        pipeline.build(source, out, now=NOW)
    monkeypatch.undo()
    assert tree_digest(out) == trees[0]
    pipeline.build(source, out, now=NOW)
    assert tree_digest(out) == trees[1]


def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/x").write_text("a")
    (tmp_path / "b").mkdir()
    assert swap.exchange(tmp_path / "a", tmp_path / "b")  # Linux with glibc 2.28 or later, as our machines
    assert (tmp_path / "b/x").read_text() == "a" and not any((tmp_path / "a").iterdir())
    with pytest.raises(FileNotFoundError) as raised:
        swap.exchange(tmp_path / "a", tmp_path / "missing")
    assert raised.value.filename == str(tmp_path / "missing")


def test_exchange_says_when_the_system_cannot(tmp_path, monkeypatch):
    monkeypatch.setattr(swap, "_renameat2", None)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a/x").write_text("a")
    assert not swap.exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a/x").is_file()  # nothing moved
    pipeline.build(MINIMAL, tmp_path / "out", now=NOW)  # the two renames instead
    pipeline.build(MINIMAL, tmp_path / "out", now=NOW)
    assert (tmp_path / "out/main/index.html").is_file() and (tmp_path / ".out.previous/main/index.html").is_file()


# A build that stops as Pagefind's service starts, its staging folder made, until it is killed.
STOPS_IN_SEARCH = textwrap.dedent("""
    import datetime as dt, subprocess, sys, time
    from pathlib import Path
    from wmpsite.build import pipeline
    real = subprocess.Popen
    class Stop(real):
        def __init__(self, command, *args, **options):
            if "--service" in command:
                print("indexing", flush=True)
                time.sleep(120)
            super().__init__(command, *args, **options)
    subprocess.Popen = Stop
    pipeline.build(Path(sys.argv[1]), Path(sys.argv[2]), site=sys.argv[3] or None, now=dt.datetime(2026, 11, 25, 12))
""")


def _kill_in_search(out: Path, site: str | None) -> None:
    cache = {"WMPSITE_CACHE_DIR": str(out.parent / "cache")}  # none of the index cached: Pagefind must run
    proc = subprocess.Popen([sys.executable, "-c", STOPS_IN_SEARCH, str(MINIMAL), str(out), site or ""],
                            stdout=subprocess.PIPE, text=True, cwd=REPO, env={**os.environ, **cache})
    assert proc.stdout.readline().strip() == "indexing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()


@pytest.mark.parametrize("first, then", [("main", None), (None, "main"), ("main", "riverside")])
def test_leftovers_of_a_killed_build_stay_out_of_the_output_and_any_next_build_removes_them(tmp_path, first, then):
    out = tmp_path / "out"
    pipeline.build(MINIMAL, out, now=NOW)
    before, names = tree_digest(out), sorted(p.name for p in out.rglob("*"))
    _kill_in_search(out, first)
    assert tree_digest(out) == before and sorted(p.name for p in out.rglob("*")) == names
    leftovers = [p for p in tmp_path.iterdir() if ".staging-" in p.name]
    assert len(leftovers) == 1  # beside the output folder (Pagefind works in memory: nothing of its own)
    pipeline.build(MINIMAL, out, site=then, now=NOW)
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name]


def test_a_site_build_removes_what_earlier_versions_left_inside_the_output_folder(tmp_path):
    out = tmp_path / "out"
    pipeline.build(MINIMAL, out, now=NOW)
    for rel in (".main.staging-99999999/index.html", ".pagefind-k2j4/site/index.html", ".main.previous/index.html"):
        (out / rel).parent.mkdir(parents=True)
        (out / rel).write_text("left by a killed build")
    (out / ".main.record").write_bytes(b"")
    pipeline.build(MINIMAL, out, site="riverside", now=NOW)
    assert sorted(p.name for p in out.iterdir()) == ["main", "next-change.json", "riverside"]


def _no_space(real, after: int):
    """Path.write_bytes that fails as a full disk does after `after` files: in write(2), naming no file."""
    count = [0]

    def write_bytes(self, data):
        count[0] += 1
        if count[0] > after:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)
    return write_bytes


def test_a_full_disk_names_the_file_and_exits_4_leaving_the_last_site(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    pipeline.build(MINIMAL, out, now=NOW)
    before = tree_digest(out)
    monkeypatch.setattr(Path, "write_bytes", _no_space(Path.write_bytes, after=10))
    code = cli.main(["build", "--source", str(MINIMAL), "--output", str(out), "--now", "2026-11-25", "--jobs", "1"])
    monkeypatch.undo()
    error = capsys.readouterr().err
    assert code == cli.EXIT_MACHINE == 4
    assert re.match(rf"wmpsite build: {tmp_path}/\.out\.staging-\d+/main/\S+: No space left on device\. ", error)
    assert "The disk is full: free some space on it" in error and f"{out} is as the last good build left it" in error
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.record", "out"]  # no staging folder left behind


def test_a_full_disk_under_the_cache_names_the_cache_file(tmp_path):
    store = Cache(tmp_path / "cache.sqlite")
    store.put_many([("a", "small")])
    db = store._connect()
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "database or disk is full", as on a full disk
    with pytest.raises(MachineFailed) as raised:
        store.put_many([("b", "x" * 100_000)])
    assert str(raised.value).startswith(f"{tmp_path / 'cache.sqlite'}: the cache could not be used (database or "
                                        "disk is full). The disk is full: free some space on it, or build with "
                                        "--no-cache")
    assert isinstance(raised.value.__context__, sqlite3.OperationalError)


def test_a_folder_it_may_not_write_is_a_machine_failure(tmp_path, monkeypatch, capsys):
    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))
    monkeypatch.setattr(Path, "mkdir", refuse)
    code = cli.main(["build", "--source", str(MINIMAL), "--output", str(tmp_path / "out"), "--now", "2026-11-25",
                     "--no-cache", "--jobs", "1"])
    monkeypatch.undo()
    error = capsys.readouterr().err
    assert code == 4, error
    assert error.startswith(f"wmpsite build: {tmp_path}") and ": Permission denied. wmpsite may not use it: give " \
        "the user who runs the command access to it" in error


def test_every_command_documents_exit_code_4(capsys):
    for command in ("build", "check", "serve", "post", "audit"):
        with pytest.raises(SystemExit):
            cli.main([command, "--help"])
        assert "4 the machine failed" in " ".join(capsys.readouterr().out.split()), command
