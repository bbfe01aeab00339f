"""The editors' CMS: admin/config.yml written from the content types, [cms] in site.toml, and /admin/ on
the main site only, with its own policy. The CMS itself, in a browser, is tests/quality/test_cms_browser.py."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import pytest
import yaml
from conftest import MINIMAL, NOW, REPO
from lxml import html

from wmpsite.build import pipeline
from wmpsite.content import content_types as ct
from wmpsite.core.config import load_config
from wmpsite.core.errors import BuildFailed
from wmpsite.core.schema import Field, Integer
from wmpsite.features import cms, decap

CMS = '\n[cms]\nbackend = "github"\nrepo = "testshire-police/website"\n'


def site_with_cms(site_copy, table: str = CMS):
    site = site_copy()
    (site / "site.toml").write_text((MINIMAL / "site.toml").read_text() + table)
    return site


def generated(site) -> dict:
    config = load_config(site / "site.toml")
    return decap.decap_config(config, pipeline.check(config.root).force)


def collection(found: dict, name: str) -> dict:
    return next(c for c in found["collections"] if c["name"] == name)


def field(fields: list[dict], name: str) -> dict:
    return next(f for f in fields if f["name"] == name)


def test_each_content_kind_and_place_has_a_collection_where_its_files_go(site_copy):
    found = generated(site_with_cms(site_copy))
    folders = {c["name"]: c.get("folder") for c in found["collections"]}
    assert folders["news"] == "content/news"
    assert folders["news-northfield"] == "content/lpus/northfield/news"
    assert folders["news-riverside"] == "content/lpus/riverside/news"
    assert folders["team-northfield"] == "content/lpus/northfield/teams"
    assert folders["priority-riverside"] == "content/lpus/riverside/priorities"
    assert folders["appeal-northfield"] == "content/lpus/northfield/appeals"
    for kind in ("page", "advice", "event", "alert", "photo-of-the-day", "appeal", "unit", "question"):
        assert folders[kind] == ct.CONTENT_TYPES[[t.name for t in ct.CONTENT_TYPES].index(kind.replace("-", " "))
                                                 ].where.rpartition("/")[0]
    lpus = collection(found, "lpu")
    assert [(f["name"], f["file"]) for f in lpus["files"]] == [
        ("northfield", "content/lpus/northfield/_index.md"), ("riverside", "content/lpus/riverside/_index.md")]
    assert collection(found, "news")["slug"] == "{{fields.date | date('YYYY-MM-DD')}}-{{slug}}"
    assert collection(found, "event")["slug"] == "{{fields.start | date('YYYY-MM-DD')}}-{{slug}}"
    assert collection(found, "appeal")["slug"] == "{{year}}-{{month}}-{{day}}-{{slug}}"  # no date field of its own
    assert collection(found, "team-northfield")["slug"] == "{{slug}}"
    assert collection(found, "team-northfield")["identifier_field"] == "name"


def test_every_field_of_every_content_type_is_in_the_cms_with_scheduling(site_copy):
    found = generated(site_with_cms(site_copy))
    by_folder = {}
    for c in found["collections"]:
        for fields in ([c["fields"]] if "fields" in c else [f["fields"] for f in c["files"]]):
            by_folder[c.get("folder") or "content/lpus/LPU"] = fields
    for kind in ct.CONTENT_TYPES:
        folder = re.sub(r"/LPU(?=/)", "/northfield", kind.where).rpartition("/")[0]
        fields = by_folder[folder if "_index" not in kind.where else "content/lpus/LPU"]
        assert [f["name"] for f in fields] == [f.name for f in kind.fields] + ["body"], kind.name
        assert field(fields, "draft") == {"name": "draft", "label": "Draft", "required": False,
                                          "widget": "boolean", "default": False, "hint": ct.DRAFT.doc}
        publish_at = field(fields, "publish_at")
        assert publish_at["widget"] == "datetime" and publish_at["format"] == "YYYY-MM-DD HH:mm"
        assert publish_at["default"] == "" and not publish_at["required"]  # left out unless given, not 'now'
        assert publish_at["hint"].endswith("Local time (Europe/London).")
        assert field(fields, "body")["widget"] == "markdown"


def test_widgets_fit_each_kind_of_field(site_copy):
    found = generated(site_with_cms(site_copy))
    news = collection(found, "news-northfield")["fields"]
    assert field(news, "title")["required"] and field(news, "summary")["required"]
    assert not field(news, "updated")["required"]
    assert field(news, "summary")["hint"] == ct.SUMMARY.doc
    assert field(news, "date")["widget"] == "datetime" and "default" not in field(news, "date")
    # a team of this LPU, chosen from its own teams
    assert field(news, "team")["widget"] == "select"
    assert field(news, "team")["options"] == [{"label": "Oldtown", "value": "oldtown"}]
    assert field(collection(found, "priority-riverside")["fields"], "team")["options"] == [
        {"label": "Quayside", "value": "quayside"}]
    lpus = field(collection(found, "news")["fields"], "lpus")
    assert lpus["widget"] == "select" and lpus["multiple"]
    assert [o["value"] for o in lpus["options"]] == ["northfield", "riverside"]
    kind = field(collection(found, "news")["fields"], "kind")
    assert kind["options"] == ["news", "press-release"] and kind["default"] == "news"
    tags = field(news, "tags")
    assert tags["widget"] == "list" and tags["field"]["pattern"][0] == "^(?:[a-z0-9]+(?:-[a-z0-9]+)*)$"
    image = field(news, "image")
    assert image["widget"] == "object" and not image["required"]
    assert [(f["name"], f["widget"]) for f in image["fields"]] == [("src", "image"), ("alt", "string")]
    photo = field(collection(found, "photo-of-the-day")["fields"], "photo")
    assert photo["required"] and field(photo["fields"], "alt")["required"]  # a photo always needs its alt text
    actions = field(collection(found, "priority-northfield")["fields"], "actions")
    assert actions["widget"] == "list"
    assert [(f["name"], f["widget"], f["required"]) for f in actions["fields"]] == [
        ("date", "datetime", True), ("text", "string", True)]
    history = field(collection(found, "appeal")["fields"], "history")
    assert history["min"] == 1 and field(history["fields"], "status")["widget"] == "select"
    phone = field(field(collection(found, "team-northfield")["fields"], "contact")["fields"], "phone")
    assert phone["pattern"] == [r"^(?:\+?[0-9][0-9 ]{1,18}[0-9])$", "Expected a phone number in digits and "
                                "spaces, like '0121 626 5000' or '101'."]


def test_a_field_added_to_a_content_type_is_in_the_cms_with_no_other_change(site_copy, monkeypatch):
    extra = Field("officers", Integer(1, 40), "How many officers took part.", required=True)
    news = dataclasses.replace(ct.LOCAL_NEWS, fields=ct.LOCAL_NEWS.fields + (extra,))
    monkeypatch.setattr(decap, "CONTENT_TYPES", tuple(news if t is ct.LOCAL_NEWS else t for t in ct.CONTENT_TYPES))
    found = generated(site_with_cms(site_copy))
    for lpu in ("northfield", "riverside"):
        assert field(collection(found, f"news-{lpu}")["fields"], "officers") == {
            "name": "officers", "label": "Officers", "required": True, "widget": "number", "value_type": "int",
            "min": 1, "max": 40, "hint": "How many officers took part."}
    assert "officers" not in [f["name"] for f in collection(found, "news")["fields"]]


def test_backend_and_local_backend(site_copy):
    found = generated(site_with_cms(site_copy, CMS + 'branch = "live"\nlocal_backend = 8082\n'))
    assert found["backend"] == {"name": "github", "branch": "live", "repo": "testshire-police/website"}
    assert found["local_backend"] == {"url": "http://127.0.0.1:8082/api/v1"}
    assert found["publish_mode"] == "editorial_workflow"
    assert (found["media_folder"], found["public_folder"]) == ("static/images/uploads", "images/uploads")


@pytest.mark.parametrize("table, message", [
    ('\n[cms]\nbackend = "github"\n', "site.toml:32: 'cms.repo' is missing: the github backend commits to a "
                                      "repository (add repo = \"owner/name\" under [cms])"),
    ('\n[cms]\nbackend = "gitub"\nrepo = "a/b"\n', "site.toml:32: 'cms.backend': expected one of 'git-gateway', "
                                                   "'github', 'gitlab', 'azure', found 'gitub' (did you mean 'github'?)"),
    ('\n[cms]\nbackend = "gitlab"\nrepo = "a/b"\nlocal_backend = 80\n',
     "site.toml:34: 'cms.local_backend': expected a whole number of at least 1024 and at most 65535, found the "
     "number 80"),
    ('\n[cms]\nbackend = "azure"\nrepo = "a/b/c"\ntoken = "x"\n', "site.toml:34: unknown field 'token' (the fields "
     "here are 'backend', 'repo', 'branch', 'base_url', 'local_backend')"),
])
def test_a_wrong_cms_table_names_site_toml_and_the_line(site_copy, table, message):
    site = site_with_cms(site_copy, table)
    with pytest.raises(BuildFailed) as failed:
        load_config(site / "site.toml")
    assert [str(e) for e in failed.value.errors] == [message]


def test_git_gateway_needs_no_repository(site_copy):
    found = generated(site_with_cms(site_copy, '\n[cms]\nbackend = "git-gateway"\n'))
    assert found["backend"] == {"name": "git-gateway", "branch": "main"}


def test_without_decap_installed_check_and_build_both_say_so(site_copy, monkeypatch, tmp_path):
    site = site_with_cms(site_copy)
    expected = ("site.toml:31: [cms] is on, but the Decap CMS script is not installed (looked for "
                "node_modules/nowhere/decap-cms.js here and in wmpsite's folder) (run `npm ci --ignore-scripts` "
                "in the project folder (package.json lists decap-cms), or remove [cms])")
    monkeypatch.setattr(cms, "BUNDLE", cms.Path("node_modules/nowhere"))
    for run in (lambda: pipeline.check(site), lambda: pipeline.build(site, tmp_path / "out", now=NOW)):
        with pytest.raises(BuildFailed) as failed:
            run()
        assert [str(e) for e in failed.value.errors] == [expected]
    assert not (tmp_path / "out").exists()


def test_the_demo_writes_admin_on_the_main_site_only(demo_build):
    admin = demo_build / "main" / "admin"
    page = html.fromstring((admin / "index.html").read_bytes())
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex, nofollow"]
    assert page.xpath("//script/@src") == ["decap-cms.js"]  # from our own origin
    assert not page.xpath("//script[not(@src)]")
    policy = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "connect-src 'self' https://api.github.com;" in policy and "script-src 'self' 'unsafe-eval'" in policy
    for other in (demo_build / "main" / "index.html", demo_build / "main" / "search" / "index.html"):
        assert "'unsafe-eval'" not in html.fromstring(other.read_bytes()).xpath(
            "//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert page.xpath("//link[@rel='cms-config-url']/@href") == ["config.yml"]
    config = yaml.safe_load((admin / "config.yml").read_text())
    assert config["backend"] == {"name": "github", "branch": "main", "repo": "west-midlands-police/website"}
    assert "local_backend" not in config
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000 and list(admin.glob("*.wasm"))
    assert not list(admin.glob("*.map"))
    for site in demo_build.iterdir():
        if site.is_dir() and site.name != "main":
            assert not (site / "admin").exists()
    for built in demo_build.rglob("*"):  # no link to it, and not in any sitemap or the search index
        if built.suffix in (".html", ".xml", ".json", ".txt") and admin not in built.parents:
            assert b"/admin/" not in built.read_bytes(), built


def test_a_site_without_cms_has_no_admin(minimal_build):
    assert not (minimal_build / "main" / "admin").exists()
    assert "'unsafe-inline'" not in (minimal_build / "main" / "_headers").read_text()


def test_the_cms_config_is_the_same_bytes_each_build(site_copy):
    site = site_with_cms(site_copy)
    config = load_config(site / "site.toml")
    force = pipeline.check(site).force
    assert decap.config_yaml(config, force) == decap.config_yaml(config, force)
    assert decap.config_yaml(config, force).startswith(b"# Decap CMS configuration of Testshire Police")


def test_the_build_command_writes_admin(site_copy, tmp_path):
    site = site_with_cms(site_copy)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--source", str(site), "--output",
                             str(out), "--now", "2026-11-25"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (out / "main" / "admin" / "config.yml").is_file()


@pytest.mark.parametrize("group", ["video:\n  captions: false\n", "video:\n  title: ''\n  youtube: ''\n  captions: false\n",
                                   "video: {}\n"])
def test_a_group_the_cms_wrote_but_the_editor_never_opened_is_left_out(site_copy, group):
    """The CMS writes an optional group's switches (off) even when the editor never opened the group; that
    is no video, not half of one."""
    site = site_copy({"content/news/2026-03-02-cms-story.md": "---\ntitle: A story from the CMS\n"
                      "date: 2026-03-02 10:00\nsummary: Saved by the CMS.\n" + group + "---\nText.\n"})
    story = next(item for item in pipeline.check(site).force.news if item.title == "A story from the CMS")
    assert story.video is None


def test_a_group_with_one_real_value_is_still_checked_whole(site_copy):
    site = site_copy({"content/news/2026-03-02-cms-story.md": "---\ntitle: A story from the CMS\n"
                      "date: 2026-03-02 10:00\nsummary: Saved by the CMS.\nvideo:\n  title: Bike marking\n"
                      "  captions: false\n---\nText.\n"})
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(site)
    assert "'video.youtube' is missing" in str(failed.value)
