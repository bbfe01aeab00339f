"""The click-to-load video facade in headless chromium, on the demo build.

Before the click nothing leaves 127.0.0.1; after it the iframe comes from
youtube-nocookie.com (the request is blocked by tools.open_page: there is no
internet here). Without JavaScript, the plain link to YouTube is there.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from . import tools

PAGES = ["join-the-specials/", "news/free-bike-marking-this-summer/"]


def _video_page(main_site, path: str) -> str:
    if not (main_site / path / "index.html").is_file():
        found = sorted(p for p in main_site.rglob("index.html") if 'class="video"' in p.read_text())
        assert found, "the demo build has no page with a video"
        return found[0].parent.relative_to(main_site).as_posix() + "/"
    return path


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_nothing_loads_from_youtube_until_the_resident_clicks(browser, main_site, site_url, path):
    path = _video_page(main_site, path)
    with tools.visit_page(browser, site_url + path, "desktop", settle=True) as (page, visit):
        assert visit.status == 200
        assert visit.third_party == [], f"requests left 127.0.0.1 before the click: {visit.third_party}"
        assert page.locator("iframe").count() == 0
        violations = tools.run_axe(page)
        assert not violations, "\n".join(str(v) for v in violations)

        button = page.get_by_role("button", name="Play video")
        assert button.is_visible()
        button.click()
        frame = page.locator("figure.video iframe")
        frame.wait_for(state="attached")
        src = frame.get_attribute("src")
        assert urlsplit(src).hostname == "www.youtube-nocookie.com" and src.startswith(
            "https://www.youtube-nocookie.com/embed/")
        assert frame.get_attribute("title").startswith("Video: ")
        page.wait_for_timeout(300)
        hosts = {urlsplit(u).hostname for u in visit.third_party}
        assert hosts == {"www.youtube-nocookie.com"}, visit.third_party  # only after the click, only nocookie


@pytest.mark.browser
def test_without_javascript_there_is_a_plain_link_and_no_dead_button(browser, main_site, site_url):
    path = _video_page(main_site, PAGES[0])
    with tools.visit_page(browser, site_url + path, "desktop", javascript=False) as (page, visit):
        assert visit.third_party == []
        assert not page.locator(".video__play").is_visible()
        link = page.locator("a.video__link")
        assert link.get_attribute("href").startswith("https://www.youtube.com/watch?v=")
