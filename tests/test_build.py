"""Building the minimal fixture force: every page kind, links across sites, reproducible bytes."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import MINIMAL, NOW, REPO
from wmpsite.build import pipeline


def page(out: Path, rel: str):
    return lxml_html.fromstring((out / rel).read_bytes())


def texts(doc, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_home_shows_latest_news_numbers_and_every_lpu(minimal_build):
    doc = page(minimal_build, "main/index.html")
    assert texts(doc, "//h1") == ["Testshire Police"]
    # home_news_count = 2: the two newest force stories, newest first.
    assert texts(doc, "//section[@aria-labelledby='latest-news']//h3") == [
        "Free bike marking in Northfield", "New Chief Constable starts work"]
    assert "tel:999" in doc.xpath("//a/@href") and "tel:101" in doc.xpath("//a/@href")
    assert texts(doc, "//ul[@class='lpu-links']//a") == ["Northfield", "Riverside"]


def test_news_list_paginates_with_working_links(minimal_build):
    first = page(minimal_build, "main/news/index.html")
    second = page(minimal_build, "main/news/page/2/index.html")
    assert texts(first, "//main//h2[@class='card__title']") == [
        "Free bike marking in Northfield", "New Chief Constable starts work"]
    assert texts(second, "//main//h2[@class='card__title']") == ["Stay safe this winter"]
    assert first.xpath("//a[@rel='next']/@href") == ["/news/page/2/"]
    assert second.xpath("//a[@rel='prev']/@href") == ["/news/"]
    assert texts(second, "//h1") == ["News (page 2 of 2)"]
    assert not (minimal_build / "main/news/page/3").exists()


def test_article_resolves_content_links_and_images(minimal_build):
    doc = page(minimal_build, "main/news/bike-marking/index.html")
    assert texts(doc, "//h1") == ["Free bike marking in Northfield"]
    assert doc.xpath("//div[@class='prose']//a/@href") == ["/advice/burglary/#lock-it"]
    assert doc.xpath("//figure//img/@alt") == ["A bicycle with a security mark on its frame"]
    assert doc.xpath("//meta[@property='og:image']/@content") == [
        "https://www.testshire.police.example/images/bike.svg"]
    assert doc.xpath("//link[@rel='canonical']/@href") == [
        "https://www.testshire.police.example/news/bike-marking/"]
    assert texts(doc, "//time[@datetime='2026-03-01']") == ["Sunday 1 March 2026"]


def test_advice_list_groups_by_category(minimal_build):
    doc = page(minimal_build, "main/advice/index.html")
    assert texts(doc, "//main//h2") == ["Home and property"]
    assert doc.xpath("//main//h3/a/@href") == ["/advice/burglary/"]
    advice = page(minimal_build, "main/advice/burglary/index.html")
    assert texts(advice, "//div[@class='prose']/h2") == ["Lock it"]
    assert advice.xpath("//div[@class='prose']/h2/@id") == ["lock-it"]


def test_page_a_z_and_accessibility_statement(minimal_build):
    about = page(minimal_build, "main/about-us/index.html")
    assert about.xpath("//div[@class='prose']//a/@href") == ["/advice/burglary/"]
    az = page(minimal_build, "main/a-z/index.html")
    assert texts(az, "//ul[@class='az-list']//a") == [
        "Northfield", "Oldtown (Northfield)", "Quayside (Riverside)", "Riverside"]
    statement = page(minimal_build, "main/accessibility/index.html")
    # The GOV.UK model statement's headings, in order.
    assert texts(statement, "//main//h2") == [
        "How accessible this website is", "Feedback and contact information", "Enforcement procedure",
        "Technical information about this website's accessibility", "Non-accessible content",
        "What we're doing to improve accessibility", "Preparation of this accessibility statement"]
    assert "partially compliant" in statement.text_content()
    assert "Some older PDF leaflets are not tagged for screen readers." in statement.text_content()
    for rel in ("main/index.html", "main/northfield/teams/oldtown/index.html", "riverside/index.html"):
        footer_links = page(minimal_build, rel).xpath("//footer//a[text()='Accessibility statement']/@href")
        assert len(footer_links) == 1


def test_lpu_home_lists_teams_news_priorities_and_contacts(minimal_build):
    doc = page(minimal_build, "main/northfield/index.html")
    assert texts(doc, "//h1") == ["Northfield"]
    assert doc.xpath("//section[@aria-labelledby='teams']//a/@href") == ["/northfield/teams/oldtown/"]
    # Local news and force news marked for Northfield, newest first.
    assert texts(doc, "//section[@aria-labelledby='local-news']//h3") == [
        "Speed checks on the High Street", "Free bike marking in Northfield"]
    assert texts(doc, "//section[@aria-labelledby='priorities']//h3") == ["Speeding on the High Street"]
    contact = doc.xpath("//section[@class='contact']")[0]
    assert "tel:+441632960000" in contact.xpath(".//a/@href")
    assert "tel:999" in contact.xpath(".//a/@href") and "tel:101" in contact.xpath(".//a/@href")
    assert "Northfield Police Station" in contact.text_content()


def test_team_page_members_priorities_meetings(minimal_build):
    doc = page(minimal_build, "main/northfield/teams/oldtown/index.html")
    assert texts(doc, "//h1") == ["Oldtown neighbourhood team"]
    assert texts(doc, "//p[@class='member__name']") == ["Sergeant Alex Example", "PCSO Jo Sample"]
    assert texts(doc, "//section[@aria-labelledby='priorities']//h3") == ["Speeding on the High Street"]
    section = doc.xpath("//section[@aria-labelledby='priorities']")[0].text_content()
    assert "You said:" in section and "Twelve drivers stopped and warned." in section
    # Against the build date 2026-11-25 the December meeting is upcoming, the October one past.
    assert texts(doc, "//section[@aria-labelledby='meetings']//h3") == ["Have your say in Oldtown"]
    assert "Beat surgery at Mill End" in doc.xpath("//details[@class='past']")[0].text_content()
    assert doc.xpath("//section[@aria-labelledby='meetings']//time/@datetime")[0] == "2026-12-03T18:30+00:00"
    # A meeting that ends on the day it starts gives the date once.
    assert texts(doc, "//section[@aria-labelledby='meetings']//li/p[1]") == ["Thursday 3 December 2026, 6:30pm to 8pm"]


def test_priority_page_shows_you_said_we_did_in_date_order(minimal_build):
    doc = page(minimal_build, "main/northfield/priorities/speeding/index.html")
    assert texts(doc, "//main//h2") == ["You said", "We did"]
    assert texts(doc, "//ol[@class='timeline']/li") == [
        "Tuesday 10 February 2026: Speed checks with the community speed watch group.",
        "Tuesday 10 March 2026: Twelve drivers stopped and warned."]
    assert texts(doc, "//span[contains(@class,'status')]") == ["In progress"]


def test_lpu_with_own_base_url_is_a_separate_site_with_absolute_cross_links(minimal_build):
    assert (minimal_build / "riverside/index.html").is_file()
    assert not (minimal_build / "main/riverside").exists()
    river = page(minimal_build, "riverside/news/marina-patrols/index.html")
    # Inside its own site, links are paths; to the main site, absolute URLs.
    assert river.xpath("//link[@rel='canonical']/@href") == [
        "https://riverside.testshire.police.example/news/marina-patrols/"]
    assert river.xpath("//div[@class='prose']//a/@href") == ["https://www.testshire.police.example/about-us/"]
    assert "/teams/quayside/" in river.xpath("//a/@href")
    home = page(minimal_build, "main/index.html")
    assert "https://riverside.testshire.police.example/" in home.xpath("//a/@href")
    # The separate site carries its own copy of the stylesheet, 404 and accessibility statement.
    assert (minimal_build / "riverside/css/site.css").is_file()
    assert (minimal_build / "riverside/404.html").is_file()
    assert river.xpath("//footer//a[text()='Accessibility statement']/@href") == ["/accessibility/"]


def test_not_found_page_offers_a_way_on(minimal_build):
    doc = page(minimal_build, "main/404.html")
    assert texts(doc, "//h1") == ["Page not found"]
    assert {"/", "/a-z/", "tel:999", "tel:101"} <= set(doc.xpath("//main//a/@href"))


def test_every_page_has_landmarks_skip_link_and_csp(minimal_build):
    for file in sorted(minimal_build.rglob("*.html")):
        doc = lxml_html.fromstring(file.read_bytes())
        rel = file.relative_to(minimal_build)
        assert doc.xpath("//a[@class='skip-link']/@href") == ["#main"], rel
        assert len(doc.xpath("//main[@id='main']")) == 1, rel
        assert len(doc.xpath("//h1")) == 1, rel
        csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, rel
        # Scripts only on the find-your-team and search pages: our own files, never inline code;
        # WebAssembly (for Pagefind) is allowed on the search page alone.
        scripts = doc.xpath("//script[not(@type='application/ld+json')]")
        assert all(s.get("src", "").startswith("/js/") and not (s.text or "").strip() for s in scripts), rel
        assert bool(scripts) == (str(rel) in ("main/find-your-team/index.html", "main/search/index.html")), rel
        assert ("'wasm-unsafe-eval'" in csp) == (str(rel) == "main/search/index.html"), rel
        assert doc.xpath("//html/@lang") == ["en-GB"], rel
        # No page loads anything from another host.
        for url in doc.xpath("//link/@href | //img/@src | //script/@src"):
            if not doc.xpath(f"//link[@rel='canonical'][@href='{url}']"):
                assert url.startswith("/"), (rel, url)


def test_two_builds_give_identical_bytes(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    pipeline.build(MINIMAL, first, now=NOW)
    pipeline.build(MINIMAL, second, now=NOW)
    assert tree_digest(first) == tree_digest(second)


def test_build_date_comes_from_source_date_epoch(tmp_path, monkeypatch):
    # 2026-12-10: the December meeting is now in the past.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796904000")
    pipeline.build(MINIMAL, tmp_path / "out")
    doc = page(tmp_path / "out", "main/northfield/teams/oldtown/index.html")
    assert texts(doc, "//section[@aria-labelledby='meetings']//h3") == []
    assert "Have your say in Oldtown" in doc.xpath("//details[@class='past']")[0].text_content()


def test_cli_usage_errors_exit_2_and_help_names_exit_codes():
    bad = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--now", "soon"],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    assert "expected a date like 2025-03-14" in bad.stderr
    helped = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--help"],
                            capture_output=True, text=True)
    assert helped.returncode == 0
    assert "exit codes: 0 success; 1 the content has errors" in helped.stdout


def test_cli_builds_and_summarises(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--source", str(MINIMAL),
                             "--output", str(tmp_path / "out"), "--now", "2026-11-25"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # One summary line: pages, feeds, sites, where, how long.
    assert re.fullmatch(r"Built \d+ pages and \d+ feeds for 2 sites into .+ in \d+\.\ds\.\n", result.stdout)
    assert (tmp_path / "out/main/index.html").is_file()


@pytest.mark.parametrize("number, count, shown", [
    (1, 1, [1]),
    (1, 2, [1, 2]),
    (1, 8, [1, 2, 3, None, 8]),
    (4, 9, [1, 2, 3, 4, 5, 6, None, 9]),
    (5, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),   # a gap of one page shows the page, not an ellipsis
    (300, 605, [1, None, 298, 299, 300, 301, 302, None, 605]),
    (605, 605, [1, None, 603, 604, 605]),
])
def test_pager_shows_the_ends_and_the_pages_near_this_one(number, count, shown):
    from wmpsite.present.views import page_numbers
    assert page_numbers(number, count) == shown


def test_a_long_news_list_links_a_window_of_pages(tmp_path):
    stories = {f"content/news/2025-{m:02d}-{d:02d}-story-{m}-{d}.md":
               f"---\ntitle: Story {m} {d}\ndate: 2025-{m:02d}-{d:02d}\nsummary: A story.\n---\nText.\n"
               for m in range(1, 13) for d in (1, 8, 15, 22)}
    from conftest import copy_site
    site = copy_site(MINIMAL, tmp_path / "site", stories)
    out = tmp_path / "out"
    pipeline.build(site, out, now=NOW)
    doc = page(out, "main/news/page/3/index.html")
    pager = doc.xpath("//nav[@class='pager']")[0]
    labels = [" ".join(li.text_content().split()) for li in pager.xpath(".//li")]
    last = len(list((out / "main/news/page").iterdir())) + 1
    assert last > 6
    assert labels == ["Previous page", "Page 1", "Page 2", "Page 3", "Page 4", "Page 5", "\u2026", f"Page {last}",
                      "Next page"]
    assert pager.xpath(".//a[@aria-current='page']/@href") == ["/news/page/3/"]
