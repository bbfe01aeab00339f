"""YouTube videos behind a click-to-load facade: markup, CSP, and the editors' `video:` field.

The browser half (nothing leaves 127.0.0.1 before the click) is tests/quality/test_video_facade.py.
"""

from __future__ import annotations

import re

import pytest
from PIL import Image

from conftest import NOW, REPO
from wmpsite.build import pipeline
from wmpsite.core.errors import BuildFailed

NEWS = "content/news/2026-02-01-new-chief.md"
VIDEO = ("video:\n  youtube: {id}\n  title: Meet the Chief Constable\n  thumbnail: {thumb}\n"
         "  description: A short welcome from the new Chief Constable.\n")


def news_with_video(id="M7lc1UVf-VE", thumb="images/videos/chief.jpg") -> str:
    return ("---\ntitle: New Chief Constable starts work\ndate: 2026-02-01\n"
            "summary: The force welcomes its new Chief Constable.\n" + VIDEO.format(id=id, thumb=thumb) +
            "---\nThe new Chief Constable starts today.\n")


@pytest.fixture
def video_site(site_copy):
    site = site_copy({NEWS: news_with_video()})
    (site / "static/images/videos").mkdir(parents=True)
    Image.new("RGB", (64, 36), (20, 60, 120)).save(site / "static/images/videos/chief.jpg")
    return site


def test_video_is_a_local_still_a_button_and_a_plain_link(video_site, tmp_path):
    out = tmp_path / "_site"
    pipeline.build(video_site, out, now=NOW)
    html = (out / "main/news/new-chief/index.html").read_text()
    figure = re.search(r'<figure class="video".*?</figure>', html, re.S).group(0)
    assert 'data-video-embed="https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1"' in figure
    assert '<img class="video__still" src="/images/videos/chief.jpg"' in figure
    assert '<button type="button" class="video__play" hidden>Play video' in figure
    assert '<a class="video__link" href="https://www.youtube.com/watch?v=M7lc1UVf-VE">' in figure
    assert "<iframe" not in html  # the frame exists only after the click
    # nothing on the page loads from YouTube: every src and srcset is local
    assert not [u for u in re.findall(r'(?:src|srcset)="([^"]+)"', html) if "youtube" in u]
    assert '<script src="/js/video-facade.js" defer></script>' in html
    assert (out / "main/js/video-facade.js").is_file()
    assert (out / "main/images/videos/chief.jpg").is_file()


def test_only_pages_with_a_video_allow_the_nocookie_frame(video_site, tmp_path):
    out = tmp_path / "_site"
    pipeline.build(video_site, out, now=NOW)
    csp = re.compile(r'http-equiv="Content-Security-Policy" content="([^"]+)"')
    with_video = csp.search((out / "main/news/new-chief/index.html").read_text()).group(1)
    assert with_video.endswith("; frame-src https://www.youtube-nocookie.com")
    assert "script-src 'self';" in with_video
    for page in out.rglob("*.html"):
        if page != out / "main/news/new-chief/index.html":
            assert "frame-src" not in page.read_text(), page


def test_a_page_can_have_a_video_too(site_copy, tmp_path):
    site = site_copy({"content/pages/about-us.md": "---\ntitle: About us\nsummary: Who we are.\n" +
                      VIDEO.format(id="ScMzIvxBSi4", thumb="images/videos/about.png") + "---\nWe police.\n"})
    (site / "static/images/videos").mkdir(parents=True)
    Image.new("RGB", (64, 36)).save(site / "static/images/videos/about.png")
    out = tmp_path / "_site"
    pipeline.build(site, out, now=NOW)
    html = (out / "main/about-us/index.html").read_text()
    assert "youtube-nocookie.com/embed/ScMzIvxBSi4" in html and "frame-src https://www.youtube-nocookie.com" in html


def test_bad_video_fields_name_the_file_and_line(site_copy):
    site = site_copy({NEWS: news_with_video(id="not-an-id", thumb="images/videos/missing.jpg")})
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(site, now=NOW)
    text = "\n".join(str(e) for e in failed.value.errors)
    assert f"{NEWS}:6: 'video.youtube': expected a YouTube video id of 11 letters" in text


def test_missing_thumbnail_is_an_error(site_copy):
    site = site_copy({NEWS: news_with_video(thumb="images/videos/missing.jpg")})
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(site, now=NOW)
    text = "\n".join(str(e) for e in failed.value.errors)
    assert f"{NEWS}:8: 'video.thumbnail': no file static/images/videos/missing.jpg" in text


def test_iframes_in_the_text_are_still_refused(site_copy):
    site = site_copy({NEWS: "---\ntitle: T\ndate: 2026-02-01\nsummary: S.\n---\n"
                      '<iframe src="https://www.youtube.com/embed/M7lc1UVf-VE"></iframe>\n'})
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(site, now=NOW)
    assert "iframe" in "\n".join(str(e) for e in failed.value.errors)


def test_demo_has_videos_behind_the_facade(demo_build):
    from lxml import html as lxml_html
    with_video = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "content").rglob("*.md")
                        if "\nvideo:" in p.read_text(encoding="utf-8"))
    assert len(with_video) >= 2, with_video
    for rel in ("main/join-the-specials/index.html", "main/news/free-bike-marking-this-summer/index.html"):
        doc = lxml_html.fromstring((demo_build / rel).read_bytes())
        [figure] = doc.xpath("//figure[@class='video']")
        assert figure.get("data-video-embed").startswith("https://www.youtube-nocookie.com/embed/")
        [still] = figure.xpath(".//img[@class='video__still']/@src")
        assert (demo_build / "main" / still.lstrip("/")).is_file(), still          # a local thumbnail
        [link] = figure.xpath(".//a[@class='video__link']/@href")
        assert link.startswith("https://www.youtube.com/watch?v="), link          # for residents without JS
        assert not doc.xpath("//iframe"), rel                                    # nothing loads until asked
