"""Share cards: for every public item with a page, a picture of its title, its owner and the force, beside
its page as card.png (link previews) and, where a post shows it, card.jpg (posts; Instagram takes nothing
else). Most carded items (events, priorities, teams) are in no account's social feed: they get no JPEG.

Which items: news, pages, advice, LPUs, teams, their priorities until resolved, events until they are
over, questions, appeals while open and alerts while on. An item that waits (a draft, or scheduled:
content/schedule.py keeps it out of the Force), has ended or is past its `unpublish_on` gets none,
so no card can say what is not public, or no longer true. Each site also gets a card of its own at
its root, with no item on it: the posts of an ended appeal show their LPU's card, or the force's.
"""

from __future__ import annotations

import functools
from typing import Iterator

from wmpsite.core.cache import Cache
from wmpsite.core.events import all_events
from wmpsite.core.kind import Kind
from wmpsite.core.model import (
    Advice, Alert, Appeal, AppealNotice, Event, Force, Lpu, NewsItem, Page, Priority, Question, Team, per_force,
)
from wmpsite.core.page import ShareCard, Task
from wmpsite.core.urls import MAIN, Location, Urls
from wmpsite.features import card_image
from wmpsite.features.card_image import CardWords, Colours
from wmpsite.outputs.social import AccountFeed, posted_cards

#: Cards drawn in one task: enough to be worth a process, few enough to share out on two cores.
PER_TASK = 40


@per_force
def _unpublished(force: Force) -> frozenset[int]:
    return frozenset(id(item) for item in force.unpublished)


def has_card(item, force: Force, moment) -> bool:
    """Whether `item` gets a card at the build's moment: public (the Force holds only what is, but for
    the items past their `unpublish_on`, whose address keeps a notice) and not ended."""
    if id(item) in _unpublished(force):
        return False
    if isinstance(item, (NewsItem, Page, Advice, Lpu, Team, Question)):
        return True
    if isinstance(item, Priority):
        return item.status != "resolved"
    if isinstance(item, Event):
        return not moment.over(item)
    if isinstance(item, Appeal):
        return not (item.ended or item.gone or item.redacted)
    if isinstance(item, Alert):
        return item in moment.active_alerts(force)
    return False


def carded(force: Force, moment) -> Iterator:
    """Every item that gets a card, in a stable order."""
    for item in (*force.news, *force.pages, *force.advice, *force.lpus, *force.teams, *force.priorities,
                 *all_events(force), *force.questions, *force.appeals, *force.alerts):
        if has_card(item, force, moment):
            yield item


def words(config, force: Force, item) -> CardWords:
    """What an item's card says: the title its page has, whose it is (its team, else its LPU) and the force."""
    lpus = {lpu.slug: lpu for lpu in force.lpus}
    teams = {(team.lpu, team.slug): team for team in force.teams}
    lpu, team = getattr(item, "lpu", None), getattr(item, "team", None)
    if isinstance(item, Lpu):
        title, owner = item.name, None
    elif isinstance(item, Team):
        title, owner = f"{item.name} neighbourhood team", lpus[item.lpu].name
    else:
        title = item.title
        owner = f"{teams[(lpu, team)].name} neighbourhood team" if (lpu, team) in teams else \
            lpus[lpu].name if lpu in lpus else None
    return CardWords(title, owner, config.force.name)


def site_words(config, force: Force, urls: Urls, site: str) -> CardWords:
    """The card of a site itself: the force's (its name, and where its site is), or an LPU's on its own address."""
    if site == MAIN:
        address = urls.sites[MAIN].base_url.split("://", 1)[-1].rstrip("/")
        return CardWords(config.force.name, None, address)
    lpu = next(lpu for lpu in force.lpus if urls.lpu_site[lpu.slug] == site)
    return CardWords(lpu.name, None, config.force.name)


def _card(page: Location, alt: str) -> ShareCard:
    return ShareCard(page, Location(page.site, f"{page.path}card.png"), Location(page.site, f"{page.path}card.jpg"),
                     alt)


def own_card(config, force: Force, urls: Urls, moment, item) -> ShareCard | None:
    """The card of `item`'s page, or None if it gets none."""
    if not has_card(item, force, moment):
        return None
    return _card(urls.of(item), words(config, force, item).alt)


def share_card(config, force: Force, urls: Urls, moment, item) -> ShareCard:
    """The card an item's page and posts show: its own (an appeal's notice, the appeal's), else (an
    ended item) its LPU's card, or the force's. A page shows only its own (the render stage checks
    `ShareCard.page`)."""
    own = own_card(config, force, urls, moment, item.appeal if isinstance(item, AppealNotice) else item)
    if own is not None:
        return own
    lpu = next((lpu for lpu in force.lpus if lpu.slug == getattr(item, "lpu", None)), None)
    if lpu is not None:
        return own_card(config, force, urls, moment, lpu)
    return _card(urls.main(), site_words(config, force, urls, MAIN).alt)


def colours(config) -> Colours:
    return Colours(config.force.colour, config.force.accent_colour)


def planned(config, force: Force, urls: Urls, moment) -> list[tuple[ShareCard, CardWords]]:
    """Every card of the build with its words: the items' and each site's own."""
    out = [(_card(urls.of(item), w), w) for item in carded(force, moment)
           for w in (words(config, force, item),)]
    taken = {card.page for card, _ in out}  # an LPU on its own address: its card is its site's
    for site in urls.sites:
        if Location(site, "") not in taken:
            w = site_words(config, force, urls, site)
            out.append((_card(Location(site, ""), w.alt), w))
    return out


def draw_cards(cards: list[tuple[ShareCard, CardWords]], colours_: Colours, cache_file,
               posted: frozenset[Location] = frozenset()) -> list[tuple[str, bytes]]:
    """The files of `cards`, drawn or read back from the cache at `cache_file` (None: no cache): each
    card's PNG, and its JPEG if its page is in `posted`. The cache keeps both, so a card that a post
    shows later is not drawn again."""
    store = Cache(cache_file)
    try:
        keys = [card_image.cache_key(w, colours_) for _, w in cards]
        found = {key: store.get(key) for key in dict.fromkeys(keys)}
        made = {key: card_image.render(w, colours_) for key, (_, w) in zip(keys, cards) if found[key] is None}
        if made:
            store.put_many(sorted(made.items()))
        found.update(made)
    finally:
        store.close()
    out = []
    for key, (card, _) in zip(keys, cards):
        out.append((card.png.file, found[key]["png"]))
        if card.page in posted:
            out.append((card.jpg.file, found[key]["jpg"]))
    return out


def card_tasks(config, force: Force, urls: Urls, moment, cache_file, social: tuple[AccountFeed, ...]) -> list[Task]:
    cards = planned(config, force, urls, moment)
    posted = posted_cards(social, lambda item: share_card(config, force, urls, moment, item))
    return [Task("share cards", functools.partial(draw_cards, cards[i:i + PER_TASK], colours(config), cache_file,
                                                  posted))
            for i in range(0, len(cards), PER_TASK)]


KIND = Kind(
    "share cards",
    share_card=share_card,
    tasks=card_tasks,
)
