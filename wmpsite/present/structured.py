"""schema.org JSON-LD for pages: the force and its website, LPUs and teams with their contact
points and stations, news articles and events, and appeals.

Which page gets what is decided here, from the pieces in `schemaorg.py`; the data is serialised
once by `to_script`, which escapes it for a `<script type="application/ld+json">` block; templates
only print the result (`page.structured_data`). A data block is not script, so the pages' CSP
(`script-src 'self'`) does not block it.

    >>> print(to_script({"@context": SCHEMA, "@type": "Thing", "name": "</script>"}))
    {"@context":"https://schema.org","@type":"Thing","name":"<\\/script>"}
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from markupsafe import Markup

from wmpsite.core.model import Lpu, NewsItem, Team
from wmpsite.present.schemaorg import (
    SCHEMA,
    event,
    image_object,
    news_article,
    org_ref,
    organization,
    police_station,
    website,
)
from wmpsite.core.urls import MAIN

if TYPE_CHECKING:
    from wmpsite.core.page import PlannedPage
    from wmpsite.present.kit import Kit
    from wmpsite.present.views import ImageView


def to_script(data: dict | None) -> Markup | None:
    """Serialise JSON-LD for a <script type="application/ld+json"> block.

    `</` becomes `<\\/` and `<!--` becomes `<\\u0021--` (both still the same JSON string), so
    nothing an editor writes can end the block or change how the HTML parser reads it.
    """
    if data is None:
        return None
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("</", "<\\/").replace("<!--", "<\\u0021--"))



# --- per page ---------------------------------------------------------------------------------

def page_data(r: "Kit", page: "PlannedPage", site: str, card: "ImageView | None" = None) -> Markup | None:
    """The JSON-LD of a planned page, ready for its <script> block, or None for kinds that have none.
    `card` is the page's own share card (features/cards.py), if its item has one."""
    build = _BUILDERS.get(page.kind)
    return to_script(build(r, page, site, card)) if build else None


def _pictures(r: "Kit", site: str, own: list[str], card: "ImageView | None") -> list:
    """What an item's `image` lists: its own picture; else its share card, with its size, as search
    engines want a picture of the item itself; else the force's share image."""
    if own:
        return own
    if card is not None:
        return [image_object(card.src, card.width, card.height)]
    share = r.config.force.share_image
    return [r.urls.sites[site].base_url + share] if share else []


def _force(r: "Kit") -> dict:
    force = r.config.force
    return org_ref(r.urls.absolute(r.urls.main()), force.name)


def _lpu_ref(r: "Kit", lpu: Lpu) -> dict:
    return {**org_ref(r.urls.absolute(r.urls.of(lpu)), lpu.name), "parentOrganization": _force(r)}


def _home(r: "Kit", page: "PlannedPage", site: str, card=None) -> dict:
    force = r.config.force
    url = r.urls.absolute(r.urls.main())
    org = organization(name=force.name, alternate_name=force.short_name, url=url,
                       description=force.description, contact=None, social=force.social,
                       emergency=force.emergency_number, non_emergency=force.non_emergency_number,
                       textphone=force.textphone,
                       teams=[org_ref(r.urls.absolute(r.urls.of(l)), l.name) for l in r.force.lpus])
    return {"@context": SCHEMA, "@graph": [
        org, website(name=force.name, url=url, description=force.description, language=force.language,
                     publisher=org)]}


def _lpu_home(r: "Kit", page: "PlannedPage", site: str, card=None) -> dict:
    lpu: Lpu = page.item
    force = r.config.force
    url = r.urls.absolute(r.urls.of(lpu))
    teams = [t for t in r.force.teams if t.lpu == lpu.slug]
    org = organization(name=lpu.name, url=url, description=lpu.summary, contact=lpu.contact,
                       social=lpu.social, emergency=force.emergency_number,
                       non_emergency=force.non_emergency_number, textphone=force.textphone,
                       contact_type=f"{lpu.name} local policing", parent=_force(r),
                       areas=[t.name for t in teams],
                       teams=[org_ref(r.urls.absolute(r.urls.of(t)), f"{t.name} neighbourhood team")
                              for t in teams])
    if site == MAIN:
        return {"@context": SCHEMA, **org}
    # An LPU deployed on its own address: its home page is also a website's home.
    return {"@context": SCHEMA, "@graph": [
        org, website(name=f"{lpu.name} – {force.name}", url=r.urls.sites[site].base_url,
                     description=lpu.summary, language=force.language, publisher=org)]}


def _team(r: "Kit", page: "PlannedPage", site: str, card=None) -> dict:
    team: Team = page.item
    force = r.config.force
    lpu = r.look.lpus[team.lpu]
    parent = _lpu_ref(r, lpu)
    if not team.contact.stations and lpu.contact.stations:
        # The page shows the LPU's front counters instead (templates/_macros.html, contact_block).
        parent["location"] = [police_station(s) for s in lpu.contact.stations]
    return {"@context": SCHEMA, **organization(
        name=f"{team.name} neighbourhood team", url=r.urls.absolute(r.urls.of(team)),
        description=team.summary, contact=team.contact, social=team.social,
        emergency=force.emergency_number, non_emergency=force.non_emergency_number, textphone=force.textphone,
        contact_type=f"{team.name} neighbourhood team", parent=parent,
        areas=team.areas, postcodes=team.postcodes)}


def _article(r: "Kit", page: "PlannedPage", site: str, card=None) -> dict:
    news: NewsItem = page.item
    force = r.config.force
    base = r.urls.sites[site].base_url
    images = _pictures(r, site, [base + news.image.src] if news.image else [], card)
    if news.lpu:
        lpu = r.look.lpus[news.lpu]
        author = _lpu_ref(r, lpu)
    else:
        author = _force(r)
    return news_article(
        headline=news.title, url=r.urls.absolute(page.location), description=news.summary,
        published=news.date, modified=news.updated, images=images, publisher=_force(r), author=author,
        language=force.language, section="Press release" if news.kind == "press-release" else "News",
        keywords=news.tags)


def _event(r: "Kit", page: "PlannedPage", site: str, card=None) -> dict:
    """An event page (event_pages.py): organised by its team, else its LPU, else the force."""
    item = page.item
    force = r.config.force
    if item.team:
        team = r.look.teams[(item.lpu, item.team)]
        organizer = {**org_ref(r.urls.absolute(r.urls.of(team)), f"{team.name} neighbourhood team"),
                     "parentOrganization": _lpu_ref(r, r.look.lpus[item.lpu])}
    elif item.lpu:
        organizer = _lpu_ref(r, r.look.lpus[item.lpu])
    else:
        organizer = _force(r)
    return event(name=item.title, url=r.urls.absolute(page.location), start=item.start, end=item.end,
                 location=item.location, online_url=item.online, description=item.summary,
                 organizer=organizer, images=_pictures(r, site, [], card),
                 language=force.language)


def _appeal(r: "Kit", page: "PlannedPage", site: str, card=None) -> dict:
    """An appeal page: a NewsArticle by its LPU or the force; while open, the person it is
    about and where. An ended appeal arrives redacted (appeals.settle) and gets no more than its
    neutral headline, summary and dates, never its photo."""
    from wmpsite.present.views import APPEAL_KIND_LABELS as KIND_LABELS
    item = page.item
    force = r.config.force
    base = r.urls.sites[site].base_url
    own = [base + item.photo.src] if item.photo and not item.ended else []
    data = news_article(
        headline=item.title, url=r.urls.absolute(page.location), description=item.summary,
        published=item.date, modified=item.updated, publisher=_force(r),
        images=_pictures(r, site, own, card),
        author=_lpu_ref(r, r.look.lpus[item.lpu]) if item.lpu else _force(r),
        language=force.language, section=f"Appeal: {KIND_LABELS[item.kind]}", keywords=item.tags)
    if item.ended:
        return data
    if item.name and item.kind in ("missing-person", "wanted"):
        data["about"] = {"@type": "Person", "name": item.name,
                         **({"description": item.description} if item.description else {}),
                         **({"image": own[0]} if own else {})}
    if item.area:
        data["spatialCoverage"] = {"@type": "Place", "name": item.area}
    return data


_BUILDERS = {"home": _home, "lpu-home": _lpu_home, "team": _team, "article": _article, "event": _event,
             "appeal": _appeal}
