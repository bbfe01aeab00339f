"""Photo of the day: the gallery's pages, responsive copies made with Pillow, and their cache."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from conftest import MINIMAL, NOW, REPO, copy_site
from wmpsite.features import gallery, images
from wmpsite.build import pipeline
from wmpsite.core.errors import BuildFailed


def photo_file(name: str, date: str, *, alt: str | None = "A green field under a blue sky", body: str = "") -> str:
    alt_line = f"  alt: {alt}\n" if alt is not None else ""
    return (f"---\ntitle: Photo {name}\ndate: {date}\nphoto:\n  src: images/gallery/{name}.jpg\n{alt_line}"
            f"caption: The caption of {name}.\ncredit: PC Test\n---\n{body}")


def write_jpeg(path: Path, size=(1000, 600), colour=(40, 160, 60)) -> None:
    """A JPEG with EXIF (a camera make and a GPS-like comment) that the copies must not carry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 50):  # some detail, so resizing has work to do
        image.paste((200, 200, 40), (x, 0, x + 10, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"          # Make
    exif[0x9286] = "taken at 52.48N 1.89W"  # UserComment
    image.save(path, quality=90, exif=exif.tobytes())


def make_site(tmp_path, names=("one", "two", "three"), **overlay) -> Path:
    files = {f"content/gallery/2026-11-{20 + i:02d}-{n}.md": photo_file(n, f"2026-11-{20 + i:02d}")
             for i, n in enumerate(names)}
    files.update(overlay)
    site = copy_site(MINIMAL, tmp_path / "site", files)
    for i, n in enumerate(names):  # each photo its own colour: identical photos would share cached copies
        write_jpeg(site / "static" / "images" / "gallery" / f"{n}.jpg", colour=(40 + 30 * i, 160, 60))
    return site


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def counted(monkeypatch):
    """Count every resize (the only place that decodes and encodes an image)."""
    calls = []
    real = images.resize

    def resize(source, variant):
        calls.append(variant.path)
        return real(source, variant)
    monkeypatch.setattr(images, "resize", resize)
    return calls


def test_gallery_pages_show_responsive_pictures_with_alt_text(tmp_path, monkeypatch):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "_site"
    pipeline.build(make_site(tmp_path), out, now=NOW)
    listing = (out / "main/gallery/index.html").read_text()
    # newest first, each linking to its own page
    assert listing.index("Photo three") < listing.index("Photo two") < listing.index("Photo one")
    assert 'href="/gallery/two/"' in listing
    page = (out / "main/gallery/two/index.html").read_text()
    assert '<source type="image/webp" srcset="/images/gallery/sizes/two-320.webp 320w, ' in page
    assert 'srcset="/images/gallery/sizes/two-320.jpg 320w, /images/gallery/sizes/two-640.jpg 640w, ' \
           '/images/gallery/sizes/two-960.jpg 960w, /images/gallery/sizes/two-1000.jpg 1000w"' in page
    assert 'width="1000" height="600" alt="A green field under a blue sky"' in page
    assert "Photo: PC Test" in page and "The caption of two." in page
    assert 'rel="prev">Newer: Photo three' in page and 'rel="next">Older: Photo one' in page
    for width in (320, 640, 960, 1000):
        for fmt, name in (("jpg", "JPEG"), ("webp", "WEBP")):
            with Image.open(out / f"main/images/gallery/sizes/two-{width}.{fmt}") as copy:
                assert copy.format == name
                assert copy.size == (width, round(600 * width / 1000))
                assert not copy.getexif() and "icc_profile" not in copy.info and "exif" not in copy.info
    data = (out / "main/images/gallery/sizes/two-1000.jpg").read_bytes()
    assert b"SecretCam" not in data and b"52.48N" not in data


def test_widths_never_upscale():
    assert images.widths_for(300) == (300,)
    assert images.widths_for(1000) == (320, 640, 960, 1000)
    assert images.widths_for(4000) == (320, 640, 960, 1440)


def test_rebuild_with_cache_does_no_image_work_and_gives_the_same_bytes(tmp_path, monkeypatch, counted):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    site = make_site(tmp_path)
    pipeline.build(site, tmp_path / "first", now=NOW)
    assert len(counted) == 3 * 2 * 4  # three photos, two formats, four widths
    counted.clear()
    pipeline.build(site, tmp_path / "second", now=NOW)
    assert counted == []  # everything came from the cache
    pipeline.build(site, tmp_path / "clean", now=NOW, cache=False)
    assert len(counted) == 24
    assert tree(tmp_path / "second") == tree(tmp_path / "first") == tree(tmp_path / "clean")


def test_a_changed_photo_is_remade_and_only_it(tmp_path, monkeypatch, counted):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    site = make_site(tmp_path)
    pipeline.build(site, tmp_path / "first", now=NOW)
    counted.clear()
    write_jpeg(site / "static/images/gallery/two.jpg", colour=(200, 30, 30))
    pipeline.build(site, tmp_path / "second", now=NOW)
    assert sorted(set(p.split("/")[-1].split("-")[0] for p in counted)) == ["two"]
    first = (tmp_path / "first/main/images/gallery/sizes/two-320.jpg").read_bytes()
    assert (tmp_path / "second/main/images/gallery/sizes/two-320.jpg").read_bytes() != first


def test_gallery_paginates(tmp_path, monkeypatch):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(gallery, "PER_PAGE", 2)
    out = tmp_path / "_site"
    pipeline.build(make_site(tmp_path), out, now=NOW)
    assert "Photo one" in (out / "main/gallery/page/2/index.html").read_text()
    assert 'href="/gallery/page/2/" rel="next"' in (out / "main/gallery/index.html").read_text()


def test_photo_needs_alt_text_and_an_existing_readable_file(tmp_path):
    site = make_site(tmp_path, names=("one",), **{
        "content/gallery/2026-11-21-no-alt.md": photo_file("one", "2026-11-21", alt=None),
        "content/gallery/2026-11-22-missing.md": photo_file("missing", "2026-11-22"),
        "content/gallery/2026-11-23-broken.md": photo_file("broken", "2026-11-23"),
        "static/images/gallery/broken.jpg": "not a picture",
    })
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(site, now=NOW)
    messages = [e.format() if hasattr(e, "format") else str(e) for e in failed.value.errors]
    text = "\n".join(messages)
    assert "content/gallery/2026-11-21-no-alt.md" in text and "'photo.alt'" in text
    assert "content/gallery/2026-11-22-missing.md:5: 'photo.src': no file static/images/gallery/missing.jpg" in text
    assert "content/gallery/2026-11-23-broken.md:4: 'photo.src': static/images/gallery/broken.jpg is not a photo" \
           in text


def test_copies_made_on_two_processes_are_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    site = make_site(tmp_path)
    pipeline.build(site, tmp_path / "serial", now=NOW, cache=False)
    pipeline.build(site, tmp_path / "parallel", now=NOW, jobs=2, cache=False)
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial")


def test_demo_has_a_gallery_of_photos_with_responsive_copies(demo_build):
    from lxml import html as lxml_html
    photos = sorted((REPO / "content/gallery").glob("*.md"))
    assert len(photos) >= 3
    main = demo_build / "main"
    index = lxml_html.fromstring((main / "gallery/index.html").read_bytes())
    assert len(index.xpath("//main//picture")) == len(photos)
    for source in photos:
        slug = source.stem.split("-", 3)[3]
        page = lxml_html.fromstring((main / "gallery" / slug / "index.html").read_bytes())
        [img] = page.xpath("//main//picture//img")
        assert img.get("alt") and img.get("srcset").count(".jpg ") >= 2, slug
        [webp] = page.xpath("//main//picture//source[@type='image/webp']/@srcset")
        for url in [part.split()[0] for part in webp.split(",")] + [img.get("src")]:
            assert (main / url.lstrip("/")).is_file(), url
