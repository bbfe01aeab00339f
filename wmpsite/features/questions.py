""""Rate your local police": residents' questions with the force's answers, by LPU and department.

Pages: the force-wide list on the main site (/rate-your-local-police/, every
question, newest answer first), one per department
(/rate-your-local-police/departments/<department>/), one per LPU
(/<lpu>/rate-your-local-police/), and a page per question on the site of the
LPU it was asked of (the main site for force-wide ones). Feeds: the force's
(feeds/questions/) and each LPU's (<lpu>/feeds/questions/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from wmpsite.content import content_types as ct
from wmpsite.core.errors import ContentError
from wmpsite.core.kind import Collection, Kind, Parsed
from wmpsite.core.page import Built, FeedSpec, PlannedPage, paginate
from wmpsite.core.model import Force, Question, per_force
from wmpsite.core.urls import Location, Urls
from wmpsite.present.views import Link, Pagination, When, when_date, when_time

PATH = "rate-your-local-police/"
FEED = "feeds/questions/"
PER_PAGE = 20
TITLE = "Rate your local police"


def make_question(parsed: Parsed) -> Question:
    """A Question from checked fields; the answer (the text) must be there and come after the question."""
    source, slug, lpu, values, body, errors = (parsed.source, parsed.slug(), parsed.lpu, parsed.values,
                                               parsed.body, parsed.errors)
    if not body.html.strip():
        errors.append(ContentError(source.path, "the answer is missing", None,
                                   "write the force's answer below the fields"))
    if values["answered"].date() < values["asked"]:
        errors.append(ContentError(source.path, f"'answered': {values['answered'].date()} is before the question "
                                   f"was asked ({values['asked']})", source.line_of("answered")))
    return Question(source=source, slug=slug, body=body, lpu=lpu, **values)


def department_slug(name: str) -> str:
    """'Roads Policing & Traffic' -> 'roads-policing-traffic'."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "department"


def departments(force: Force) -> dict[str, str]:
    """{slug: name} of every department that answered, by name; the first spelling of a slug wins."""
    found: dict[str, str] = {}
    for name in sorted({q.department for q in force.questions if q.department}, key=str.casefold):
        found.setdefault(department_slug(name), name)
    return found


def department_location(urls: Urls, name: str) -> Location:
    return urls.main(f"{PATH}departments/{department_slug(name)}/")


@per_force
def asked(force: Force) -> tuple[str, ...]:
    """The LPUs (their slugs, in the force's order) asked at least one question: only they have a list
    and a feed of their own, so no page links to an empty one."""
    local = {q.lpu for q in force.questions}
    return tuple(lpu.slug for lpu in force.lpus if lpu.slug in local)


def list_of(urls: Urls, force: Force, lpu: str | None) -> Location:
    """Where an LPU's questions are listed: its own list if it was asked any, else the force-wide one."""
    return urls.lpu_page(lpu, PATH) if lpu in asked(force) else urls.main(PATH)


def plan_questions(force: Force, urls: Urls) -> list[PlannedPage]:
    """The force-wide list, each department's, each asked LPU's, then a page per question."""
    if not force.questions:
        return []
    pages = paginate(urls, urls.main(PATH), "questions", force.questions, PER_PAGE)
    for slug, name in departments(force).items():
        pages += paginate(urls, department_location(urls, name), "questions",
                          tuple(q for q in force.questions if q.department and department_slug(q.department) == slug),
                          PER_PAGE, item=name)
    for lpu in asked(force):
        local = tuple(q for q in force.questions if q.lpu == lpu)
        pages += paginate(urls, urls.lpu_page(lpu, PATH), "questions", local, PER_PAGE, lpu=lpu)
    pages += [PlannedPage(urls.of(q), "question", q.source.path, q, lpu=q.lpu) for q in force.questions]
    return pages


def feed_specs(config, force: Force, urls: Urls) -> list[FeedSpec]:
    """The force's feed of answered questions, and each asked LPU's (none for an LPU with no questions yet)."""
    if not force.questions:
        return []
    limit, name = config.build.feed_items, config.force.name
    specs = [FeedSpec("questions", urls.main(FEED), f"{name}: {TITLE.lower()}",
                      f"Questions from the public, answered by {name}.", urls.main(PATH), force.questions[:limit])]
    for lpu in (lpu for lpu in force.lpus if lpu.slug in asked(force)):
        specs.append(FeedSpec(f"questions:{lpu.slug}", urls.lpu_page(lpu.slug, FEED), f"{lpu.name}: your questions",
                              f"Questions from the public to {lpu.name}, answered.", urls.lpu_page(lpu.slug, PATH),
                              tuple(q for q in force.questions if q.lpu == lpu.slug)[:limit]))
    return specs


# Views -------------------------------------------------------------------------------
@dataclass(frozen=True)
class QuestionCard:
    """A question as lists show it."""

    title: str
    url: str                            # its page
    question: str                       # what the resident asked
    asked: When                         # when it was asked
    answered: When                      # when the force answered
    place: Link | None        # the LPU it was asked of, or None for the force
    department: Link | None   # the department that answered, linking to its list
    preview: str | None = None          # only in `serve`: 'Draft' or 'Not public until ...' for an item that waits


@dataclass(frozen=True)
class QuestionView:
    card: QuestionCard
    answer_html: str                    # the force's answer (see below)
    updated: When | None                # when the answer was last changed, if it was


@dataclass(frozen=True)
class QuestionsContext:
    WHERE: ClassVar[str] = ("`/rate-your-local-police/`, `.../departments/<department>/`, "
                            "`/<lpu>/rate-your-local-police/`")

    questions: tuple[QuestionCard, ...]    # this page's questions, newest answer first
    pagination: Pagination
    feed: tuple[Link, Link] | None         # the list's RSS and Atom feeds, or None
    everywhere: Link | None                # the force-wide list, on a department's or an LPU's
    by_lpu: tuple[Link, ...]               # the LPUs' lists, of those asked questions
    by_department: tuple[Link, ...]        # the departments' lists


@dataclass(frozen=True)
class QuestionContext:
    WHERE: ClassVar[str] = "`/rate-your-local-police/<slug>/`, `/<lpu>/rate-your-local-police/<slug>/`"

    question: QuestionView                 # the question and the force's answer
    back: Link                             # the list it is on


def question_card(r, q: Question, site: str) -> QuestionCard:
    place = None
    if q.lpu:
        lpu = r.look.lpus[q.lpu]
        place = Link(lpu.name, r.link(r.urls.lpu_page(lpu.slug, PATH), site))
    department = Link(q.department, r.link(department_location(r.urls, q.department), site)) if q.department else None
    return QuestionCard(q.title, r.link(r.urls.of(q), site), q.question, when_date(q.asked), when_date(q.answered),
                        place, department, r.preview(q.source.path))


def _feed(r, key: str, site: str) -> tuple[Link, Link] | None:
    spec = r.feeds.get(key)
    if spec is None:
        return None
    return (Link("RSS", r.link(Location(spec.folder.site, spec.folder.path + "rss.xml"), site)),
            Link("Atom", r.link(Location(spec.folder.site, spec.folder.path + "atom.xml"), site)))


def questions_list(r, page: PlannedPage, site: str) -> Built[QuestionsContext]:
    """The force-wide list, a department's (page.item is its name) or an LPU's."""
    if page.lpu:
        lpu = r.look.lpus[page.lpu]
        first = r.urls.lpu_page(lpu.slug, PATH)
        title, description = f"{TITLE}: {lpu.name}", f"Questions residents asked {lpu.name} police, and our answers."
        feed = _feed(r, f"questions:{lpu.slug}", site)
    elif page.item:
        first = department_location(r.urls, page.item)
        title = f"{TITLE}: {page.item}"
        description = f"Questions from the public answered by {page.item}, {r.config.force.name}."
        feed = _feed(r, "questions", site)
    else:
        first = r.urls.main(PATH)
        title = TITLE
        description = f"Questions from the public about policing, and the answers of {r.config.force.name}."
        feed = _feed(r, "questions", site)
    pagination = r.pagination(first, page, site)
    if page.count > 1:
        title += f" (page {page.number} of {page.count})"
    everywhere = Link(f"All questions to {r.config.force.name}", r.link(r.urls.main(PATH), site))
    by_lpu = tuple(Link(r.look.lpus[lpu].name, r.link(r.urls.lpu_page(lpu, PATH), site)) for lpu in asked(r.force))
    by_department = tuple(Link(name, r.link(department_location(r.urls, name), site))
                          for name in departments(r.force).values())
    crumbs = () if first == r.urls.main(PATH) or page.lpu else (everywhere,)
    own = QuestionsContext(tuple(question_card(r, q, site) for q in page.items), pagination, feed,
                           None if first == r.urls.main(PATH) else everywhere, by_lpu, by_department)
    return Built(own, title, description, crumbs)


def question(r, page: PlannedPage, site: str) -> Built[QuestionContext]:
    q: Question = page.item
    card = question_card(r, q, site)
    back = Link(TITLE, r.link(r.urls.lpu_page(q.lpu, PATH) if q.lpu else r.urls.main(PATH), site))
    view = QuestionView(card, r.body(q, site), when_time(q.updated) if q.updated else None)
    return Built(QuestionContext(view, back), q.title, q.summary, (back,))


def footer_links(r, lpu, site: str) -> tuple[Link, ...]:
    """Rate your local police and photo of the day, where they exist, for every page's footer; an LPU's
    own questions on its pages."""
    links = []
    if r.force.questions:
        links.append(Link(TITLE, r.link(list_of(r.urls, r.force, lpu.slug if lpu else None), site)))
    if r.force.photos:
        from wmpsite.features.gallery import PATH as GALLERY
        links.append(Link("Photo of the day", r.link(r.urls.main(GALLERY), site)))
    return tuple(links)


@dataclass(frozen=True)
class Feature:
    """A page residents can take part in, as the home pages point to it: a title, a link, a sentence."""

    title: str
    url: str
    text: str                           # a sentence on what it is


def home_links(r, site: str) -> tuple[Feature, ...]:
    """The main home page's 'Get involved' section: rate your local police and the gallery, when they exist."""
    links = []
    if r.force.questions:
        links.append(Feature(TITLE, r.link(r.urls.main(PATH), site),
                             "Questions from residents about their local police, and our answers."))
    if r.force.photos:
        from wmpsite.features.gallery import PATH as GALLERY
        links.append(Feature("Photo of the day", r.link(r.urls.main(GALLERY), site),
                             "A picture a day, taken by our officers and staff on their beats."))
    return tuple(links)


def lpu_links(r, lpu, site: str) -> tuple[Feature, ...]:
    """An LPU home page's 'Get involved' section: its appeals, events, questions, and the gallery."""
    links = [Feature(f"Appeals in {lpu.name}", r.link(r.urls.lpu_page(lpu.slug, "appeals/"), site),
                     "Can you help? Missing people, witnesses, wanted people and stolen property."),
             Feature("Events and meetings", r.link(r.urls.lpu_page(lpu.slug, "events/"), site),
                     f"Meet the neighbourhood teams of {lpu.name}: public meetings, beat surgeries, web chats.")]
    if r.force.questions:
        links.append(Feature(TITLE, r.link(list_of(r.urls, r.force, lpu.slug), site),
                             "Questions from residents about their local police, and our answers."))
    links += [f for f in home_links(r, site) if f.title != TITLE]
    return tuple(links)


KIND = Kind(
    "questions",
    makers=((ct.QUESTION, make_question),
            (ct.LOCAL_QUESTION, make_question)),
    collections=(Collection("questions", (ct.QUESTION, ct.LOCAL_QUESTION),
                            lambda q: (-q.answered.timestamp(), q.lpu or "", q.slug)),),
    plan=lambda config, force, urls, now: plan_questions(force, urls),
    builders={"questions": questions_list, "question": question},
    footer=footer_links,
    feeds=feed_specs,
)
