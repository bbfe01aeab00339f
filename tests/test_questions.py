"""'Rate your local police': questions with answers, by LPU and department, as pages and feeds."""

from __future__ import annotations

import feedparser
import pytest
from lxml import etree

from conftest import NOW, build_overlaid
from wmpsite.build import pipeline
from wmpsite.core.errors import BuildFailed


def question(title, asked, answered, department=None, answer="We answered it.") -> str:
    dept = f"department: {department}\n" if department else ""
    return (f"---\ntitle: {title}\nquestion: Why {title.lower()}?\nasked: {asked}\nanswered: {answered}\n"
            f"{dept}---\n{answer}\n")


QUESTIONS = {
    "content/questions/2026-10-01-wait.md": question("The wait on 101", "2026-09-25", "2026-10-01", "Contact centre"),
    "content/questions/2026-10-05-vans.md": question("Speed vans", "2026-10-01", "2026-10-05 14:00", "Roads policing"),
    "content/lpus/northfield/questions/2026-10-03-counter.md":
        question("The counter closed", "2026-09-30", "2026-10-03", "Contact centre"),
    "content/lpus/riverside/questions/2026-10-04-bikes.md": question("Bike thefts", "2026-10-02", "2026-10-04"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_overlaid(tmp_path_factory, "questions", QUESTIONS)


def titles_in(html: str) -> list[str]:
    return [t for t in ("Speed vans", "Bike thefts", "The counter closed", "The wait on 101") if f">{t}</a>" in html]


def test_force_wide_list_has_every_question_newest_answer_first(built):
    html = (built / "main/rate-your-local-police/index.html").read_text()
    assert titles_in(html) == ["Speed vans", "Bike thefts", "The counter closed", "The wait on 101"]
    assert [html.index(f">{t}</a>") for t in titles_in(html)] == sorted(html.index(f">{t}</a>") for t in titles_in(html))
    assert 'href="/rate-your-local-police/departments/contact-centre/">Contact centre</a>' in html


def test_each_lpu_lists_only_its_own_questions(built):
    html = (built / "main/northfield/rate-your-local-police/index.html").read_text()
    assert titles_in(html) == ["The counter closed"]
    # riverside has its own base_url in the minimal site: its list and pages are on its own site
    riverside = (built / "riverside/rate-your-local-police/index.html").read_text()
    assert titles_in(riverside) == ["Bike thefts"]
    assert 'href="/rate-your-local-police/bikes/"' in riverside
    main = (built / "main/rate-your-local-police/index.html").read_text()
    assert 'href="https://riverside.testshire.police.example/rate-your-local-police/bikes/"' in main


def test_department_lists_span_lpus(built):
    html = (built / "main/rate-your-local-police/departments/contact-centre/index.html").read_text()
    assert titles_in(html) == ["The counter closed", "The wait on 101"]
    assert "<h1>Rate your local police: Contact centre</h1>" in html


def test_question_page_shows_question_and_answer(built):
    html = (built / "main/northfield/rate-your-local-police/counter/index.html").read_text()
    assert "<h1>The counter closed</h1>" in html
    assert "Why the counter closed?" in html and "<p>We answered it.</p>" in html
    assert 'datetime="2026-09-30"' in html and 'datetime="2026-10-03"' in html


def test_feeds_carry_the_answers_with_required_elements(built):
    rss = (built / "main/feeds/questions/rss.xml").read_bytes()
    parsed = feedparser.parse(rss)
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["Speed vans", "Bike thefts", "The counter closed", "The wait on 101"]
    channel = etree.fromstring(rss).find("channel")
    for name in ("title", "link", "description"):
        assert channel.find(name) is not None and channel.find(name).text
    for item in channel.findall("item"):
        assert item.find("guid").text.startswith("tag:") and ":question/" in item.find("guid").text
        assert item.find("pubDate").text
    atom = etree.fromstring((built / "main/feeds/questions/atom.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for entry in atom.findall("a:entry", ns):
        assert entry.find("a:id", ns).text and entry.find("a:updated", ns).text
    local = feedparser.parse((built / "main/northfield/feeds/questions/rss.xml").read_bytes())
    assert [e.title for e in local.entries] == ["The counter closed"]


def test_question_needs_an_answer_given_after_it_was_asked(site_copy):
    site = site_copy({
        "content/questions/2026-10-01-empty.md": question("Empty", "2026-09-25", "2026-10-01", answer=""),
        "content/questions/2026-10-01-early.md": question("Early", "2026-10-09", "2026-10-01"),
    })
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(site, now=NOW)
    text = "\n".join(str(e) for e in failed.value.errors)
    assert "content/questions/2026-10-01-empty.md: the answer is missing" in text
    assert "content/questions/2026-10-01-early.md:5: 'answered': 2026-10-01 is before the question was asked" in text


def test_missing_required_fields_are_named(site_copy):
    site = site_copy({"content/questions/2026-10-01-bad.md": "---\ntitle: Bad\n---\nAn answer.\n"})
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(site, now=NOW)
    text = "\n".join(str(e) for e in failed.value.errors)
    for field in ("question", "asked", "answered"):
        assert f"'{field}'" in text


def test_home_pages_point_residents_to_the_questions_and_the_gallery(demo_build):
    # Not only the footer: the main home page and each LPU's home, in their main content.
    home = (demo_build / "main/index.html").read_text()
    main = home[home.index("<main"):home.index("</main>")]
    assert 'id="get-involved"' in main
    assert '<a href="/rate-your-local-police/">Rate your local police</a>' in main
    assert '<a href="/gallery/">Photo of the day</a>' in main
    lpu = (demo_build / "main/coventry/index.html").read_text()
    local = lpu[lpu.index("<main"):lpu.index("</main>")]
    assert '<a href="/coventry/rate-your-local-police/">Rate your local police</a>' in local  # its own questions
    assert '<a href="/gallery/">Photo of the day</a>' in local
    assert '<a href="/coventry/appeals/">Appeals in Coventry</a>' in local


def test_home_page_has_no_get_involved_section_without_questions_or_photos(minimal_build):
    home = (minimal_build / "main/index.html").read_text()
    assert 'id="get-involved"' not in home


@pytest.fixture(scope="module")
def riverside_unasked(tmp_path_factory):
    """Questions to the force and to Northfield only: Riverside (its own site) was asked none."""
    return build_overlaid(tmp_path_factory, "questions-unasked",
                          {k: v for k, v in QUESTIONS.items() if "/riverside/" not in k})


def test_an_lpu_asked_no_questions_has_no_list_no_feed_and_no_link_to_them(riverside_unasked):
    out = riverside_unasked
    assert (out / "main/northfield/rate-your-local-police/index.html").is_file()
    assert (out / "main/northfield/feeds/questions/rss.xml").is_file()
    assert not (out / "riverside/rate-your-local-police").exists()
    assert not (out / "riverside/feeds/questions").exists()
    everything = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt")]
    for path in everything:
        text = path.read_text(encoding="utf-8")
        assert "riverside.testshire.police.example/rate-your-local-police" not in text, path
        assert "riverside.testshire.police.example/feeds/questions" not in text, path
        if path.is_relative_to(out / "riverside"):
            assert 'href="/rate-your-local-police/' not in text and "/feeds/questions/" not in text, path
    # Riverside's pages send residents to the force-wide list instead; the force-wide list names only
    # the LPUs that have one.
    home = (out / "riverside/index.html").read_text()
    assert 'href="https://www.testshire.police.example/rate-your-local-police/">Rate your local police</a>' in home
    listing = (out / "main/rate-your-local-police/index.html").read_text()
    assert '<a href="/northfield/rate-your-local-police/">' in listing and "Riverside</a>" not in listing
