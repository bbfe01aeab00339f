"""Appeals with a lifecycle: ending them without a trace, expiry, and their pages.

The no-trace guarantee is kept in one place: `settle` runs right after loading,
against the build date, and replaces every ended (or expired) appeal with a copy
that holds no personal details at all, and drops their photos from the static
files. Every later stage (plan, pages, feeds, social feeds, search, sitemaps,
JSON-LD) only ever sees the redacted copy, so none of them can leak it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from markupsafe import escape

from wmpsite.content import content_types as ct
from wmpsite.core.phone import tel_href
from wmpsite.core.errors import ContentError
from wmpsite.core.kind import Collection, Kind, Parsed
from wmpsite.core.page import Built, FeedSpec
from wmpsite.core.queries import APPEAL_TAGS
from wmpsite.core.model import Appeal, AppealNotice, Force
from wmpsite.core.parts import AppealUpdate, Body, StatusChange
from wmpsite.features.appeal_dates import dated
from wmpsite.present.views import APPEAL_KIND_LABELS as KIND_LABELS, ImageView, Link, When, when_date

STATUS_LABELS = {"open": "Open", "updated": "Updated", "resolved": "Resolved", "withdrawn": "Withdrawn"}
#: Always personal: never output once an appeal has ended.
ALWAYS_PERSONAL = ("name", "photo", "description")
#: Personal by default for a missing person: where they went is theirs to tell.
MISSING_PERSONAL = ("age", "last_seen")


# --- loading ---------------------------------------------------------------------------------

def make_appeal(parsed: Parsed) -> Appeal:
    """Build an Appeal from checked front matter, adding errors for rules across its fields."""
    source, slug, lpu, line_of, values, body, errors = (parsed.source, parsed.slug(), parsed.lpu, parsed.line_of,
                                                        parsed.values, parsed.body, parsed.errors)
    history = values["history"]
    rel = source.path
    if history[0].status != "open":
        errors.append(ContentError(rel, f"'history': the first status must be 'open', found '{history[0].status}'",
                                   line_of(("history",)), "start the history with the date the appeal opened"))
    for before, after in zip(history, history[1:]):
        if after.date < before.date:
            errors.append(ContentError(rel, "'history': the changes must be in date order, oldest first",
                                       line_of(("history",)), None))
            break
    for change in history[:-1]:
        if change.status in ("resolved", "withdrawn"):
            errors.append(ContentError(rel, f"'history': nothing can follow '{change.status}'",
                                       line_of(("history",)), "an ended appeal stays ended; open a new one"))
            break
    values, body = dated(parsed, values, body)  # every date with its year
    return Appeal(source=source, slug=slug, lpu=lpu, body=body, **values)


# --- settling against the build date ---------------------------------------------------------

def is_gone(item, now: dt.datetime) -> bool:
    """True when an item is past its `unpublish_on` (or, for an appeal, `expires`)."""
    dates = [getattr(item, "unpublish_on", None), getattr(item, "expires", None)]
    return any(d is not None and d <= now for d in dates)


def redact(appeal: Appeal) -> Appeal:
    """A copy of an ended appeal with no personal details: a neutral title and summary, no body,
    no notes but the last one, and only the details the editor did not mark personal."""
    personal = set(ALWAYS_PERSONAL) | set(appeal.personal)
    if appeal.kind == "missing-person":
        personal |= set(MISSING_PERSONAL)
    last = appeal.history[-1]
    history = tuple(StatusChange(c.date, c.status, c.note if c is last else None) for c in appeal.history)
    area = None if "area" in personal else appeal.area
    label = KIND_LABELS[appeal.kind]
    title = f"{label} appeal{f' in {area}' if area else ''}: {last.status}" if appeal.kind != "witness-appeal" \
        else f"{label}{f' in {area}' if area else ''}: {last.status}"
    when = when_date(last.date).text
    # Thanks are said once: the editor's last note or update often says them already.
    said = " ".join(t for t in (last.note, (appeal.update or AppealUpdate()).text) if t).casefold()
    thanks = "" if "thank" in said else " Thank you to everyone who shared it."
    summary = f"This appeal has ended: {last.status} on {when}.{thanks}"
    return Appeal(source=appeal.source, slug=appeal.slug, title=title, kind=appeal.kind, summary=summary,
                  body=Body(""), history=history, lpu=appeal.lpu, lpus=appeal.lpus, area=area,
                  reference=None if "reference" in personal else appeal.reference,
                  personal=appeal.personal, update=appeal.update, expires=appeal.expires,
                  unpublish_on=appeal.unpublish_on, tags=appeal.tags, redacted=True)


def gone_copy(appeal: Appeal) -> Appeal:
    """A past-its-date appeal: nothing of it is left but its address and kind."""
    return Appeal(source=appeal.source, slug=appeal.slug, title="This appeal is no longer available",
                  kind=appeal.kind, summary="This appeal has expired.", body=Body(""),
                  history=tuple(StatusChange(c.date, c.status) for c in appeal.history), lpu=appeal.lpu,
                  lpus=appeal.lpus, expires=appeal.expires, unpublish_on=appeal.unpublish_on, redacted=True, gone=True)


def settle(force: Force, now: dt.datetime) -> Force:
    """Apply the build date: redact ended appeals, empty expired ones, drop every other item past its
    `unpublish_on` (news, pages, advice, events, photos, questions: kept in `unpublished` for their
    notice pages), and leave out the photos nobody shows."""
    appeals = []
    for appeal in force.appeals:
        if is_gone(appeal, now):
            appeals.append(gone_copy(appeal))
        elif appeal.ended:
            appeals.append(redact(appeal))
        else:
            appeals.append(appeal)
    kept = {name: tuple(i for i in getattr(force, name) if not is_gone(i, now)) for name in _UNPUBLISHABLE}
    unpublished = tuple(i for name in _UNPUBLISHABLE for i in getattr(force, name) if is_gone(i, now))
    shown = {a.photo.src for a in appeals if a.photo} | {n.image.src for n in kept["news"] if n.image} \
        | {p.photo.src for p in kept["photos"]}
    hidden = ({a.photo.src for a in force.appeals if a.photo} | {p.photo.src for p in force.photos}) - shown
    static = tuple(f for f in force.static_files if f not in hidden)
    return dataclasses.replace(force, appeals=tuple(appeals), static_files=static, **kept,
                               unpublished=force.unpublished + unpublished)


#: The Force's tuples whose items may set `unpublish_on` (appeals are settled above, with `expires`).
_UNPUBLISHABLE = ("news", "pages", "advice", "events", "photos", "questions")


def listed(force: Force) -> tuple[Appeal, ...]:
    """The appeals lists and feeds show: every appeal not past its date, newest first."""
    return tuple(a for a in force.appeals if not a.gone)


# --- feed items ------------------------------------------------------------------------------

def concerns(appeal: Appeal, lpu: str) -> bool:
    """True when an appeal is an LPU's own, or a force-wide one naming it in `lpus`."""
    return appeal.lpu == lpu or lpu in appeal.lpus


def notices(force: Force, lpu: str | None = None) -> tuple[AppealNotice, ...]:
    """Feed items for appeals (of one LPU, if given: those that `concerns` it): an open appeal
    itself; for an ended one, only the news that it ended, with an id of its own so the accounts
    that posted the appeal can post the update."""
    out = []
    for appeal in listed(force):
        if lpu is not None and not concerns(appeal, lpu):
            continue
        if appeal.ended:
            last = appeal.history[-1]
            out.append(AppealNotice(appeal, last.status, appeal.title, last.date, appeal.summary,
                                    Body(ended_html(appeal)), tags=appeal.tags))
        else:
            out.append(AppealNotice(appeal, "appeal", appeal.title, appeal.date, appeal.summary, appeal.body,
                                    updated=appeal.updated, post=appeal.post, tags=appeal.tags))
    return tuple(sorted(out, key=lambda n: (-n.date.timestamp(), n.slug)))


def ended_html(appeal: Appeal) -> str:
    """The ended appeal's own words, escaped: the last note and the update."""
    parts = [f"<p>{escape(appeal.summary)}</p>"]
    note = appeal.history[-1].note
    if note:
        parts.append(f"<p>{escape(note)}</p>")
    update = appeal.update or AppealUpdate()
    if update.text:
        parts.append(f"<p>{escape(update.text)}</p>")
    if update.url:
        parts.append(f'<p><a href="{escape(update.url)}">Read the update</a></p>')
    return "\n".join(parts)


# --- pages -----------------------------------------------------------------------------------

def concerning(force: Force, lpu: str) -> tuple[Appeal, ...]:
    """The open appeals an LPU's appeals list shows: its own, and force-wide ones naming it in `lpus`."""
    return tuple(a for a in listed(force) if not a.ended and concerns(a, lpu))


def list_location(urls, lpu: str | None):
    """Where the appeals list is: /appeals/ for the force, /<lpu>/appeals/ for an LPU."""
    return urls.lpu_page(lpu, "appeals/") if lpu else urls.main("appeals/")


def plan_appeals(force: Force, urls) -> list:
    """The appeals lists (the force's, each LPU's), a page per appeal, and a notice page for each
    unpublished item."""
    from wmpsite.core.page import PlannedPage
    pages = [PlannedPage(urls.main("appeals/"), "appeals", items=listed(force))]
    for lpu in force.lpus:
        pages.append(PlannedPage(list_location(urls, lpu.slug), "appeals", lpu=lpu.slug,
                                 items=concerning(force, lpu.slug)))
    for appeal in force.appeals:
        kind = "unpublished" if appeal.gone else "appeal"
        pages.append(PlannedPage(urls.of(appeal), kind, appeal.source.path, appeal, lpu=appeal.lpu))
    for item in force.unpublished:
        lpu = getattr(item, "lpu", None)
        pages.append(PlannedPage(urls.of(item), "unpublished", item.source.path, item, lpu=lpu))
    return pages


@dataclass(frozen=True)
class AppealCard:
    title: str
    url: str                            # its page
    kind_label: str                     # e.g. 'Missing person', 'Appeal for witnesses'
    status: str                         # its latest: 'open', 'updated', 'resolved', 'withdrawn' (for the CSS class)
    status_label: str                   # 'Open', 'Updated', 'Resolved' or 'Withdrawn'
    date: When                          # when it opened
    changed: When                       # its latest change
    summary: str
    ended: bool                         # it is resolved or withdrawn
    image: ImageView | None             # the photo, for open appeals only
    place: Link | None                  # its LPU's site
    preview: str | None = None          # only in `serve`: 'Draft' or 'Not public until ...' for an item that waits


@dataclass(frozen=True)
class CallView:
    number: str                         # as people dial it, e.g. '0800 555 111'
    href: str                           # its `tel:` link
    who: str                            # who answers, e.g. 'Police non-emergency', 'Crimestoppers'
    when: str                           # when to call it, e.g. 'if you have information'
    urgent: bool                        # 999: drawn as the emergency call


@dataclass(frozen=True)
class HelpBox:
    calls: tuple[CallView, ...]         # 101; Crimestoppers, anonymously, when site.toml's [extra] crimestoppers_number is set; 999
    reference: str | None               # the appeal's log or crime number, to quote when calling


@dataclass(frozen=True)
class AppealView:
    card: AppealCard
    name: str | None                    # the person's; None once ended
    age: str | None                     # None once ended if personal (a missing person's always)
    description: str | None             # what the person looks like; None once ended
    last_seen: str | None               # None once ended if personal (a missing person's always)
    area: str | None                    # where it happened; None once ended if marked personal
    reference: str | None               # the log or crime number to quote
    body_html: str                      # its text: HTML made from the editor's Markdown (see below)
    history: tuple[tuple[When, str, str | None], ...]   # (date, status label, note)
    update_text: str | None             # once ended, what became of it
    update_url: str | None              # once ended, where to read more
    help: HelpBox | None                # how you can help, while it is open; None once ended


@dataclass(frozen=True)
class AppealsContext:
    WHERE: ClassVar[str] = "`/appeals/`, `/<lpu>/appeals/`"

    open: tuple[AppealCard, ...]           # newest first
    ended: tuple[AppealCard, ...]          # on the force's list only: an LPU's has its open appeals
    everywhere: Link | None                # on an LPU's list, the force's list; else None
    help: HelpBox                          # the numbers to call with information (no reference)


@dataclass(frozen=True)
class AppealContext:
    WHERE: ClassVar[str] = "`/appeals/<slug>/`, `/<lpu>/appeals/<slug>/`"

    appeal: AppealView                     # an ended appeal arrives with its personal fields already None


@dataclass(frozen=True)
class UnpublishedContext:
    WHERE: ClassVar[str] = ("the address of an expired appeal or any item past `unpublish_on` (news, page, "
                            "advice, event, photo, question); not in sitemaps, `noindex`")

    back: Link                             # the list the item was on


def card(r, appeal: Appeal, site: str) -> AppealCard:
    last = appeal.history[-1]
    place = None
    if appeal.lpu:
        lpu = r.look.lpus[appeal.lpu]
        place = Link(lpu.name, r.link(r.urls.of(lpu), site))
    image = ImageView(r.urls.static(appeal.photo.src, site), appeal.photo.alt) if appeal.photo else None
    return AppealCard(appeal.title, r.link(r.urls.of(appeal), site), KIND_LABELS[appeal.kind], last.status,
                      STATUS_LABELS[last.status], when_date(appeal.date), when_date(last.date), appeal.summary,
                      appeal.ended, image, place, r.preview(appeal.source.path))


def help_box(r, appeal: Appeal | None) -> HelpBox:
    """The numbers to call about an appeal (or any, on the lists), each a `tel:` link, and its reference."""
    force = r.config.force
    someone = appeal is not None and appeal.name
    calls = [CallView(force.non_emergency_number, tel_href(force.non_emergency_number), r._("Police non-emergency"),
                      r._("if you have information"), False)]
    crimestoppers = r.config.extra.get("crimestoppers_number")
    if crimestoppers:
        calls.append(CallView(str(crimestoppers), tel_href(str(crimestoppers)), "Crimestoppers",
                              r._("to tell them anonymously: they will not ask your name"), False))
    calls.append(CallView(force.emergency_number, tel_href(force.emergency_number), r._("Emergency"),
                          r._("if you see them now, or someone is in danger") if someone else
                          r._("if you see anything now, or someone is in danger"), True))
    return HelpBox(tuple(calls), appeal.reference if appeal else None)



def appeals_list(r, page, site: str) -> Built[AppealsContext]:
    cards = [card(r, a, site) for a in page.items]
    if page.lpu:  # an LPU's list: its open appeals only; ended ones are on the force's list
        lpu = r.look.lpus[page.lpu]
        own = AppealsContext(tuple(cards), (), Link(f"All appeals of {r.config.force.name}, ended ones too",
                                                    r.link(list_location(r.urls, None), site)), help_box(r, None))
        return Built(own, f"{lpu.name} appeals", f"Open appeals for information about {lpu.name} from "
                     f"{r.config.force.name}.")
    own = AppealsContext(tuple(c for c in cards if not c.ended), tuple(c for c in cards if c.ended), None,
                         help_box(r, None))
    return Built(own, r._("Appeals"), r._("Current appeals for information from {force}.", force=r.config.force.name))


def appeal(r, page, site: str) -> Built[AppealContext]:
    item: Appeal = page.item
    update = item.update or AppealUpdate()
    view = AppealView(card(r, item, site), item.name, item.age, item.description, item.last_seen, item.area,
                      item.reference, r.body(item, site),
                      tuple((when_date(c.date), STATUS_LABELS[c.status], c.note) for c in item.history),
                      update.text if item.ended else None, update.url if item.ended else None,
                      None if item.ended else help_box(r, item))
    image = ImageView(r.urls.sites[site].base_url + item.photo.src, item.photo.alt) if item.photo else None
    return Built(AppealContext(view), item.title, item.summary,
                 (Link(r._("Appeals"), r.link(list_location(r.urls, item.lpu), site)),), image)


def lpu_home_appeals(r, lpu: str, site: str, limit: int = 3) -> tuple[tuple[AppealCard, ...], str]:
    """For an LPU's home page: its newest open appeals, and the link to its appeals list."""
    return (tuple(card(r, a, site) for a in concerning(r.force, lpu)[:limit]),
            r.link(list_location(r.urls, lpu), site))


def unpublished(r, page, site: str) -> Built[UnpublishedContext]:
    from wmpsite.core.model import Advice, Event, NewsItem, Photo, Question
    item = page.item
    is_appeal = isinstance(item, Appeal)
    title = "This appeal is no longer available" if is_appeal else "This page is no longer available"
    lpu = getattr(item, "lpu", None)
    if is_appeal:
        back = Link(r._("Appeals"), r.link(list_location(r.urls, lpu), site))
    elif isinstance(item, NewsItem):
        back = Link(r._("News"), r.link(r.urls.lpu_page(item.lpu, "news/") if item.lpu else r.urls.main("news/"), site))
    elif isinstance(item, Advice):
        back = Link("Crime prevention advice", r.link(r.urls.main("advice/"), site))
    elif isinstance(item, Event):  # events, photos and questions may set unpublish_on too
        back = Link(r._("Events"), r.link(r.urls.lpu_page(lpu, "events/") if lpu else r.urls.main("events/"), site))
    elif isinstance(item, Photo) and r.force.photos:
        back = Link("Photo of the day", r.link(r.urls.main("gallery/"), site))
    elif isinstance(item, Question) and r.force.questions:
        from wmpsite.features.questions import TITLE, list_of  # an LPU with no questions left has no list
        back = Link(TITLE, r.link(list_of(r.urls, r.force, lpu), site))
    else:
        back = Link("Home", r.link(r.urls.main(), site))
    return Built(UnpublishedContext(back), title, "This content has been taken down.")


def feeds(config, force: Force, urls) -> list[FeedSpec]:
    """The force's appeals feed: news tagged as an appeal, open appeals and the news that one ended."""
    name = config.force.name
    items = sorted((*(n for n in force.news if APPEAL_TAGS & set(n.tags)), *notices(force)),
                   key=lambda n: (-n.date.timestamp(), n.slug))
    return [FeedSpec("appeals", urls.main("feeds/appeals/"), f"{name}: appeals",
                     f"Appeals for witnesses and information from {name}.", urls.main("appeals/"),
                     tuple(items[:config.build.feed_items]))]


KIND = Kind(
    "appeals",
    makers=((ct.APPEAL, make_appeal),
            (ct.LOCAL_APPEAL, make_appeal)),
    collections=(Collection("appeals", (ct.APPEAL, ct.LOCAL_APPEAL),
                            lambda a: (-a.date.timestamp(), a.lpu or "", a.slug)),),
    settle=settle,  # ended appeals lose their personal details before anything uses them
    plan=lambda config, force, urls, now: plan_appeals(force, urls),
    builders={"appeals": appeals_list, "appeal": appeal, "unpublished": unpublished},
    feeds=feeds,
    social_items=notices,  # every appeal, and the news that it ended
)
