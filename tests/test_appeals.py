"""Appeals with a lifecycle: pages, feeds, ending without a trace, and expiry."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import markupsafe
import pytest

from conftest import NOW, build_overlaid
from leaks import traces
from wmpsite.build import pipeline

# Distinctive values with characters every output format escapes differently.
NAME = "Siobhán O'Brien & Co"
DESCRIPTION = 'Wears a <red> coat & "lucky" scarf, Zoë\'s'
LAST_SEEN = "Café Ñandú, Rue d'Été & Sons"
AREA = "Bögle's Yard & Mews"
REFERENCE = "REF-ÆØÅ-'&-7731"
AGE = "41¾"
NOTE = "Siobhán O'Brien & Co seen near the canal"
PERSONAL = (NAME, DESCRIPTION, LAST_SEEN, AREA, REFERENCE, AGE, NOTE)
PHOTO = b"\x89PNG\r\n\x1a\n" + hashlib.sha256(b"appeal photo").digest() * 40  # bytes no other file has


def appeal(history: str, where: str = "content/appeals/2026-11-01-missing-woman.md") -> dict[str, str]:
    return {where: f"""---
title: "Have you seen {NAME}?"
kind: missing-person
summary: "We are worried about {NAME}."
history:
  - {{date: 2026-11-01 09:00, status: open}}
  - {{date: 2026-11-02 09:00, status: updated, note: "{NOTE}"}}
{history}
name: "{NAME}"
age: "{AGE}"
photo: {{src: images/appeals/woman.png, alt: "Photo of {NAME}"}}
description: '{DESCRIPTION.replace("'", "''")}'
last_seen: "{LAST_SEEN}"
area: "{AREA}"
reference: "{REFERENCE}"
personal: [area, reference]
update: {{text: "Thank you for sharing our appeal.", url: "https://www.testshire.police.example/news/"}}
---
{NAME} was last seen at {LAST_SEEN}. [Read our news](https://www.testshire.police.example/news/).
"""}


def build(site_copy, tmp_path, overlay, now=NOW) -> Path:
    site = site_copy(overlay)
    (site / "static/images/appeals").mkdir(parents=True, exist_ok=True)
    (site / "static/images/appeals/woman.png").write_bytes(PHOTO)
    out = tmp_path / "out"
    pipeline.build(site, out, now=now)
    return out


def photo_copies(out: Path) -> list[str]:
    digest = hashlib.sha256(PHOTO).digest()
    return [str(p) for p in out.rglob("*") if p.is_file() and (
        hashlib.sha256(p.read_bytes()).digest() == digest or PHOTO[8:72] in p.read_bytes())]


def test_open_appeal_shows_its_details_everywhere(site_copy, tmp_path):
    # The control for the no-trace test: the scanner does find the values while the appeal is open.
    out = build(site_copy, tmp_path, appeal(""))
    page = (out / "main/appeals/missing-woman/index.html").read_text()
    assert str(markupsafe.escape(NAME)) in page and "woman.png" in page
    found = traces(out, [NAME])
    assert any("/pagefind/" in f for f in found)  # the search index too, unpacked
    assert photo_copies(out)
    feed = json.loads((out / "main/feeds/appeals/feed.json").read_text())
    assert [i["id"] for i in feed["items"]] == ["tag:www.testshire.police.example,2026-11-01:appeal/missing-woman"]
    social = json.loads((out / "main/social/x-testshirepolice.json").read_text())
    assert any(i["url"].endswith("/appeals/missing-woman/") for i in social["items"])


@pytest.mark.parametrize("status", ["resolved", "withdrawn"])
def test_ended_appeal_leaves_no_trace(site_copy, tmp_path, status):
    out = build(site_copy, tmp_path, appeal(f"  - {{date: 2026-11-20 10:00, status: {status}}}"))
    assert traces(out, PERSONAL) == []
    assert photo_copies(out) == []
    page = (out / "main/appeals/missing-woman/index.html").read_text()
    assert "This appeal has ended" in page and "https://www.testshire.police.example/news/" in page
    # It says nothing about where the person was found: only the editor's words.
    assert "found" not in page.split('<main', 1)[1].lower()
    feed = json.loads((out / "main/feeds/appeals/feed.json").read_text())
    assert [i["id"] for i in feed["items"]] == [
        f"tag:www.testshire.police.example,2026-11-20:appeal/missing-woman/{status}"]
    social = json.loads((out / "main/social/x-testshirepolice.json").read_text())
    assert [i["id"] for i in social["items"] if "appeal/" in i["id"]] == [feed["items"][0]["id"]]


def test_ended_local_appeal_leaves_no_trace(site_copy, tmp_path):
    out = build(site_copy, tmp_path, appeal("  - {date: 2026-11-20 10:00, status: resolved}",
                                            "content/lpus/riverside/appeals/2026-11-01-missing-woman.md"))
    assert traces(out, PERSONAL) == []
    assert photo_copies(out) == []
    assert (out / "riverside/appeals/missing-woman/index.html").exists()


def test_expired_appeal_and_unpublished_news_leave_lists_feeds_and_sitemaps(site_copy, tmp_path):
    overlay = appeal("expires: 2026-11-10")
    news = "content/news/2026-11-01-unpublish-me.md"
    overlay[news] = ("---\ntitle: Takedownheadline story\ndate: 2026-11-01\nsummary: Short-lived story.\n"
                     "unpublish_on: 2026-11-20\n---\nUnpublishedsecretword text.\n")
    out = build(site_copy, tmp_path, overlay)
    appeal_page = (out / "main/appeals/missing-woman/index.html").read_text()
    news_page = (out / "main/news/unpublish-me/index.html").read_text()
    assert "no longer available" in appeal_page and "no longer available" in news_page
    assert '<meta name="robots" content="noindex">' in news_page
    assert traces(out, PERSONAL + ("Unpublishedsecretword", "Takedownheadline")) == []
    assert photo_copies(out) == []
    for sitemap in out.rglob("sitemap*.xml"):
        text = sitemap.read_text()
        assert "unpublish-me" not in text and "missing-woman" not in text


def test_unpublish_on_in_the_future_changes_nothing(site_copy, tmp_path):
    overlay = {"content/news/2026-11-01-unpublish-me.md":
               "---\ntitle: A story to take down\ndate: 2026-11-01\nsummary: Short-lived story.\n"
               "unpublish_on: 2026-12-20\n---\nStill here.\n"}
    out = build(site_copy, tmp_path, overlay)
    assert "Still here." in (out / "main/news/unpublish-me/index.html").read_text()
    assert "unpublish-me" in (out / "main/feeds/news/feed.json").read_text()


def test_demo_has_open_and_ended_appeals(demo_build):
    listing = (demo_build / "main/appeals/index.html").read_text()
    assert "Have you seen Dana?" in listing and "Ended appeals" in listing
    ended = main_text(demo_build / "main/appeals/index.html").split("Ended appeals", 1)[1]
    assert ": resolved</a>" in ended and ": withdrawn</a>" in ended
    assert not (demo_build / "main/images/appeals/placeholder-marek.svg").exists()
    assert (demo_build / "main/images/appeals/placeholder-dana.svg").exists()
    assert traces(demo_build, ["Marek Lindqvist", "Lindqvist"]) == []


# --- build.py post --delete-ended ---------------------------------------------------------------

from test_publish import ENV, local_x, post, project, server  # noqa: E402,F401 (the fake networks)

DELETE_FEEDS = ("x-wmpolice", "mastodon-wmpolice-mastodon-example", "bluesky-wmpolice-bsky-social")


def set_first_id(root: Path, item_id: str) -> None:
    """Give the newest item of each main account's feed `item_id` (as a rebuild would)."""
    for key in DELETE_FEEDS:
        path = root / "built/main/social" / f"{key}.json"
        feed = json.loads(path.read_text())
        feed["items"][0]["id"] = item_id
        path.write_text(json.dumps(feed))


def delete_ended(root: Path, *args: str):
    import io
    from wmpsite.publish.ended import delete_ended_command
    out, err = io.StringIO(), io.StringIO()
    code = delete_ended_command(root, live="--live" in args, as_json="--json" in args, env=ENV, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_delete_ended_lists_then_deletes_the_posts_of_an_ended_appeal(tmp_path, server, local_x):
    root = project(tmp_path, server)
    set_first_id(root, "tag:west-midlands.police.uk,2026-11-01:appeal/missing-woman")
    assert post(root)[0] == 0                       # the appeal is posted on every network
    ledger = json.loads((root / "state/social-ledger.json").read_text())
    posted = {key: ledger["accounts"][key]["items"]["tag:west-midlands.police.uk,2026-11-01:appeal/missing-woman"]["id"]
              for key in DELETE_FEEDS}
    # The appeal is resolved: the rebuilt feeds carry the news that it ended instead.
    set_first_id(root, "tag:west-midlands.police.uk,2026-11-20:appeal/missing-woman/resolved")

    code, out, err = delete_ended(root)             # a dry run lists them and deletes nothing
    assert code == 0, err
    assert sorted(line.split(":")[0] for line in out.splitlines()[:-1]) == sorted(DELETE_FEEDS)
    assert "3 post(s)" in out and server.deleted == {"x": [], "mastodon": [], "bluesky": []}

    code, out, err = delete_ended(root, "--live")
    assert code == 0, err
    assert server.deleted == {"x": [posted["x-wmpolice"]], "mastodon": [posted["mastodon-wmpolice-mastodon-example"]],
                              "bluesky": [posted["bluesky-wmpolice-bsky-social"]]}
    ledger = json.loads((root / "state/social-ledger.json").read_text())
    for key in DELETE_FEEDS:
        assert ledger["accounts"][key]["items"]["tag:west-midlands.police.uk,2026-11-01:appeal/missing-woman"][
            "state"] == "deleted"
    # Other posts are untouched, and a rerun deletes nothing more.
    assert delete_ended(root, "--live")[1].strip() == "Deleted 0 post(s) of ended appeals."
    assert len(server.deleted["x"]) == 1


def test_delete_ended_from_the_command_line_is_a_dry_run(tmp_path, server):
    import subprocess
    import sys
    from conftest import REPO
    root = project(tmp_path, server)
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "post", "--delete-ended", "--source", str(root),
                             "--output", str(root / "built")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Dry run: 0 post(s) of ended appeals" in result.stdout


def test_a_local_appeal_goes_to_the_main_and_the_lpu_accounts(demo_build):
    ending = "tag:www.west-midlands.police.example,2026-09-30:appeal/witnesses-foleshill-road-burglary/withdrawn"
    for key in ("x-wmpolice", "x-covpolice"):
        feed = json.loads((demo_build / f"main/social/{key}.json").read_text())
        assert ending in [i["id"] for i in feed["items"]], key
    assert "witnesses-foleshill" not in (demo_build / "main/social/x-sandwellpolice.json").read_text()


def test_pages_and_advice_can_be_unpublished_too(site_copy, tmp_path):
    overlay = {
        "content/pages/old-campaign.md": "---\ntitle: Oldcampaignpage\nsummary: A campaign that ended.\n"
                                         "unpublish_on: 2026-11-01\n---\nOldcampaignbody.\n",
        "content/advice/old-advice.md": "---\ntitle: Oldadvicepage\nsummary: Advice no longer given.\n"
                                        "category: Home and property\nunpublish_on: 2026-11-01 09:00\n---\n"
                                        "Oldadvicebody.\n",
    }
    out = build(site_copy, tmp_path, overlay)
    for path in ("main/old-campaign/index.html", "main/advice/old-advice/index.html"):
        assert "no longer available" in (out / path).read_text()
    assert traces(out, ["Oldcampaignpage", "Oldcampaignbody", "Oldadvicepage", "Oldadvicebody"]) == []


# --- per-LPU appeals lists, the LPU home, and JSON-LD -------------------------------------------

def simple_appeal(title: str, kind: str, history: str, extra: str = "") -> str:
    return (f"---\ntitle: {title}\nkind: {kind}\nsummary: About {title}.\nhistory:\n"
            f"  - {{date: 2026-11-01 09:00, status: open}}\n{history}{extra}---\nCall 101.\n")


LPU_APPEALS = {
    "content/lpus/northfield/appeals/2026-11-01-stolen-van.md":
        simple_appeal("Stolenvan appeal", "stolen-property", ""),
    "content/lpus/northfield/appeals/2026-11-02-old-witness.md":
        simple_appeal("Oldwitness appeal", "witness-appeal", "  - {date: 2026-11-10 09:00, status: withdrawn}\n"),
    "content/appeals/2026-11-03-wanted-man.md":
        simple_appeal("Wantedman appeal", "wanted", "", "lpus: [northfield]\n"),
    "content/appeals/2026-11-04-elsewhere.md":
        simple_appeal("Elsewhere appeal", "witness-appeal", ""),
    "content/lpus/riverside/appeals/2026-11-05-quay.md":
        simple_appeal("Quayside appeal", "witness-appeal", ""),
    "content/appeals/2026-11-06-found-man.md":
        simple_appeal("Foundman appeal", "missing-person", "  - {date: 2026-11-12 09:00, status: resolved}\n",
                      "lpus: [northfield]\n"),
}


@pytest.fixture(scope="module")
def lpu_appeals_build(tmp_path_factory):
    return build_overlaid(tmp_path_factory, "lpu-appeals", LPU_APPEALS)


def main_text(path: Path) -> str:
    html_text = path.read_text()
    return html_text[html_text.index("<main"):html_text.index("</main>")]


def test_each_lpu_lists_the_open_appeals_concerning_it(lpu_appeals_build):
    northfield = main_text(lpu_appeals_build / "main/northfield/appeals/index.html")
    # Its own open appeal and a force-wide one naming it; not its ended one, nor other LPUs' or force-wide ones.
    assert "Stolenvan appeal" in northfield and "Wantedman appeal" in northfield
    assert "Oldwitness" not in northfield and "Elsewhere" not in northfield and "Quayside" not in northfield
    assert 'href="/appeals/"' in northfield  # the force's list, with the ended ones
    riverside = main_text(lpu_appeals_build / "riverside/appeals/index.html")
    assert "Quayside appeal" in riverside and "Stolenvan" not in riverside
    # A local appeal's page leads back to its LPU's list.
    page = (lpu_appeals_build / "main/northfield/appeals/stolen-van/index.html").read_text()
    assert '<a href="/northfield/appeals/">Appeals</a>' in page


def test_lpu_home_shows_current_appeals_and_always_links_its_list(lpu_appeals_build):
    home = main_text(lpu_appeals_build / "main/northfield/index.html")
    section = home[home.index('id="current-appeals"'):]
    assert "Stolenvan appeal" in section and "Wantedman appeal" in section and "Oldwitness" not in home
    assert 'href="/northfield/appeals/"' in section
    # The 'Get involved' section links it too, as it does when there are none (below).
    assert home.count('href="/northfield/appeals/"') == 2


def nav(path: Path, label: str) -> list[tuple[str, str, bool]]:
    """(text, href, current) of each link in a page's site navigation ('Main' or 'Local')."""
    from lxml import html as lxml_html
    doc = lxml_html.fromstring(path.read_bytes())
    return [(a.text_content().strip(), a.get("href"), a.get("aria-current") == "page")
            for a in doc.xpath(f"//nav[@aria-label='{label}']//a")]


def test_lpu_nav_links_its_appeals_list_current_on_its_appeals_pages(lpu_appeals_build):
    # In the same place as on the main site: after the LPU's own sections, before events.
    home = nav(lpu_appeals_build / "main/northfield/index.html", "Local")
    assert [text for text, _, _ in home] == ["Local home", "Local news", "Priorities", "Appeals", "Events",
                                             "Find your team", "Search", "TP home"]
    assert ("Appeals", "/northfield/appeals/", False) in home
    for rel in ("main/northfield/appeals/index.html", "main/northfield/appeals/stolen-van/index.html",
                "main/northfield/appeals/old-witness/index.html"):
        current = [(text, href) for text, href, is_current in nav(lpu_appeals_build / rel, "Local") if is_current]
        assert current == [("Appeals", "/northfield/appeals/")], rel
    # An LPU on its own address links its own list; a force-wide appeal's page is the main site's.
    for rel in ("riverside/appeals/index.html", "riverside/appeals/quay/index.html"):
        current = [(text, href) for text, href, is_current in nav(lpu_appeals_build / rel, "Local") if is_current]
        assert current == [("Appeals", "/appeals/")], rel
    assert ("Appeals", "/appeals/", True) in nav(lpu_appeals_build / "main/appeals/wanted-man/index.html", "Main")
    assert [t for t, _, current in nav(lpu_appeals_build / "main/northfield/events/index.html", "Local")
            if current] == ["Events"]


def test_a_force_wide_appeal_and_its_ending_go_to_the_accounts_of_the_lpus_it_names(lpu_appeals_build):
    host = "tag:www.testshire.police.example"
    northfield = json.loads((lpu_appeals_build / "main/social/x-northfieldpolice.json").read_text())
    items = {i["id"]: i for i in northfield["items"] if ":appeal/" in i["id"]}
    # Its own appeals (open, and the ending of the withdrawn one) and the force-wide ones naming it,
    # open (Wantedman) and ended (Foundman: only the news that it ended); not other LPUs' or force-wide ones.
    assert sorted(items) == [f"{host},2026-11-01:appeal/stolen-van", f"{host},2026-11-01:appeal/wanted-man",
                             f"{host},2026-11-10:appeal/old-witness/withdrawn",
                             f"{host},2026-11-12:appeal/found-man/resolved"]
    wanted = items[f"{host},2026-11-01:appeal/wanted-man"]
    assert wanted["url"] == "https://www.testshire.police.example/appeals/wanted-man/"  # its one page
    assert items[f"{host},2026-11-12:appeal/found-man/resolved"]["title"] == "Missing person appeal: resolved"
    # The same items, with the same ids, as the force's account: each is posted once per account.
    force = json.loads((lpu_appeals_build / "main/social/x-testshirepolice.json").read_text())
    assert set(items) <= {i["id"] for i in force["items"]}
    assert "Foundman" not in (lpu_appeals_build / "main/social/x-northfieldpolice.json").read_text()


def test_an_ended_force_wide_appeal_reaches_its_lpus_accounts_without_a_trace(site_copy, tmp_path):
    out = build(site_copy, tmp_path, appeal("  - {date: 2026-11-20 10:00, status: resolved}\nlpus: [northfield]"))
    assert traces(out, PERSONAL) == []
    feed = json.loads((out / "main/social/x-northfieldpolice.json").read_text())
    assert [i["id"] for i in feed["items"] if ":appeal/" in i["id"]] == [
        "tag:www.testshire.police.example,2026-11-20:appeal/missing-woman/resolved"]


def test_lpu_home_without_open_appeals_has_no_section_but_links_the_list(minimal_build):
    home = main_text(minimal_build / "main/northfield/index.html")
    assert 'id="current-appeals"' not in home
    assert 'href="/northfield/appeals/"' in home
    assert "There are no open appeals in Northfield." in main_text(minimal_build / "main/northfield/appeals/index.html")


def json_ld(path: Path) -> dict:
    from structured_check import blocks
    [block] = blocks(path.read_bytes())
    return json.loads(block)


def test_open_appeal_has_news_article_json_ld_about_the_person(site_copy, tmp_path):
    from structured_check import check_html
    out = build(site_copy, tmp_path, appeal(""))
    path = out / "main/appeals/missing-woman/index.html"
    assert check_html(path.read_bytes(), "appeal") == []
    data = json_ld(path)
    assert data["@type"] == "NewsArticle" and data["headline"] == f"Have you seen {NAME}?"
    assert data["url"] == "https://www.testshire.police.example/appeals/missing-woman/"
    assert data["datePublished"] == "2026-11-01T09:00:00+00:00" and data["dateModified"] == "2026-11-02T09:00:00+00:00"
    assert data["articleSection"] == "Appeal: Missing person"
    assert data["about"] == {"@type": "Person", "name": NAME, "description": DESCRIPTION,
                             "image": "https://www.testshire.police.example/images/appeals/woman.png"}
    assert data["image"] == ["https://www.testshire.police.example/images/appeals/woman.png"]
    assert data["spatialCoverage"] == {"@type": "Place", "name": AREA}


@pytest.mark.parametrize("status", ["resolved", "withdrawn"])
def test_ended_appeal_json_ld_has_nothing_personal(site_copy, tmp_path, status):
    from structured_check import check_html
    out = build(site_copy, tmp_path, appeal(f"  - {{date: 2026-11-20 10:00, status: {status}}}"))
    path = out / "main/appeals/missing-woman/index.html"
    assert check_html(path.read_bytes(), "appeal") == []
    data = json_ld(path)
    assert data["@type"] == "NewsArticle" and data["headline"] == f"Missing person appeal: {status}"
    assert data["dateModified"] == "2026-11-20T10:00:00+00:00"
    assert not {"about", "spatialCoverage"} & set(data)
    assert data["image"] == ["https://www.testshire.police.example/images/share.png"]  # never the photo
    assert [t for t in traces(out, PERSONAL) if "missing-woman" in t] == []


def test_demo_has_appeals_of_every_kind_on_several_lpus(demo_build):
    from wmpsite.features.appeals import KIND_LABELS
    listing = main_text(demo_build / "main/appeals/index.html")
    assert all(label in listing for label in KIND_LABELS.values())
    with_open = [p.parent.parent.name for p in sorted((demo_build / "main").glob("*/appeals/index.html"))
                 if 'class="cards"' in main_text(p)]
    assert len(with_open) >= 3
    assert "Have you seen Dana?" in main_text(demo_build / "main/birmingham-north/appeals/index.html")
    assert traces(demo_build, ["Tamsin Verrall", "Verrall"]) == []
    assert not (demo_build / "main/images/appeals/placeholder-tamsin.svg").exists()
