"""Social feeds: one JSON Feed per declared social account, each item with its ready-to-post text.

Which items an account gets (docs/social.md): the force's main accounts every
force press release and appeal; an LPU's accounts that LPU's news and the
appeals concerning it (its own, and force-wide ones naming it in `lpus`); a team's
accounts that team's news; any account, the items of a tag routed to it in
site.toml. `build.py post` (publish.py) reads these files; so can a
feed-to-post service.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from wmpsite.core.config import Config
from wmpsite.core.errors import BuildFailed, ContentError, making
from wmpsite.core.queries import APPEAL_TAGS, by_team, local_news_of
from wmpsite.outputs.feeds import JSON_FEED_VERSION, item_id
from wmpsite.core.model import Force, NewsItem
from wmpsite.core.parts import SocialAccount
from wmpsite.outputs.posts import NETWORKS as POSTABLE, check_post, compose_post, post_from_text
from wmpsite.core.page import ShareCard
from wmpsite.core.urls import MAIN, Location, Urls, account_key


@dataclass(frozen=True)
class AccountFeed:
    """The social feed the build plans for one account: who it is, the site carrying the file, its items."""

    key: str
    account: SocialAccount
    site: str
    owner: str                    # e.g. 'West Midlands Police', 'Birmingham South', 'Selly Oak team'
    items: tuple[NewsItem, ...]   # newest first


def plan_social(config: Config, force: Force, urls: Urls,
                more: tuple[Callable[[Force, str | None], Iterable], ...] = ()) -> tuple[AccountFeed, ...]:
    """Decide every account's feed; raise BuildFailed where a route names an unknown account.

    Each of `more` gives, for the force's accounts (None) or an LPU's, items they post besides news
    (the appeals, and the news that one ended)."""

    def extra(lpu: str | None) -> list:
        return [item for items_of in more for item in items_of(force, lpu)]

    owners: dict[str, list] = {}          # key -> [account, site, owner, items]

    def declare(account: SocialAccount, site: str, owner: str, items) -> None:
        key = account_key(account.network, account.handle)
        entry = owners.setdefault(key, [account, site, owner, []])
        entry[3].extend(items)

    force_news = [n for n in force.news if n.lpu is None]
    for account in config.force.social:
        declare(account, MAIN, config.force.name,
                [n for n in force_news if n.kind == "press-release" or APPEAL_TAGS & set(n.tags)]
                + extra(None))
    for lpu in force.lpus:
        for account in lpu.social:
            declare(account, urls.lpu_site[lpu.slug], lpu.name,
                    [*local_news_of(force, lpu.slug), *extra(lpu.slug)])  # incl. `lpus`
    team_news = by_team(force.news)  # one pass, not one per team: `serve` re-plans
    for team in force.teams:
        news = list(team_news.get((team.lpu, team.slug), ()))
        for account in team.social:
            declare(account, urls.lpu_site[team.lpu], f"{team.name} team", news)
        for member in team.members:
            if member.social:
                declare(member.social, urls.lpu_site[team.lpu], member.name, [])
    errors = []
    by_name = {f"{v[0].network}:{v[0].handle}".casefold(): k for k, v in owners.items()}
    for number, route in enumerate(config.publish.routes, 1):
        key = by_name.get(route.account.casefold())
        if key is None:
            errors.append(ContentError("site.toml", f"'publish.routes[{number}].account': no account "
                                       f"'{route.account}' is declared in site.toml or the content",
                                       hint="write it as network:handle, e.g. 'x:@WMPolice'"))
            continue
        owners[key][3].extend(n for n in force.news if route.tag in n.tags)
    if errors:
        raise BuildFailed(errors)
    feeds = []
    for key in sorted(owners):
        account, site, owner, items = owners[key]
        unique = {id(n): n for n in items}.values()
        ordered = sorted(unique, key=lambda n: (-n.date.timestamp(), n.slug))[:config.build.feed_items]
        feeds.append(AccountFeed(key, account, site, owner, tuple(ordered)))
    return tuple(feeds)


def _limit(config: Config, account: SocialAccount) -> int | None:
    for publish in config.publish.accounts:
        if publish.account.casefold() == f"{account.network}:{account.handle}".casefold():
            return publish.limit
    return None


def hashtags(tags) -> list[str]:
    """'knife-crime' -> 'KnifeCrime'."""
    return ["".join(part.capitalize() for part in tag.split("-")) for tag in tags]


def _post(config: Config, account: SocialAccount, item: NewsItem, url: str) -> dict:
    if account.network not in POSTABLE:
        # Networks we do not post to get the plain text a feed-to-post service would use.
        text = " ".join([item.post or item.title, url] + ["#" + t for t in hashtags(item.tags)])
        return {"text": text, "facets": []}
    limit = _limit(config, account)
    post = post_from_text(account.network, item.post, url, limit) if item.post else \
        compose_post(account.network, item.title, url, hashtags(item.tags), limit)
    return post.to_json()


def check_posts(config: Config, urls: Urls, feeds: tuple[AccountFeed, ...]) -> None:
    """Refuse an editor's own post text that does not fit a network it goes to, naming file and line."""
    errors = []
    for feed in feeds:
        if feed.account.network not in POSTABLE:
            continue
        for item in feed.items:
            if item.post:
                url = urls.absolute(urls.of(item))
                for problem in check_post(feed.account.network, item.post, url, _limit(config, feed.account)):
                    errors.append(ContentError(item.source.path, f"'post': the post text {problem} "
                                               f"(for {feed.account.handle})", item.source.line_of("post"),
                                               "shorten it; the link counts too"))
    if errors:
        raise BuildFailed(errors)


def _own_jpeg(item):
    """The item's own picture if it is a JPEG (Instagram takes nothing else), else None."""
    own = getattr(item, "image", None) or getattr(getattr(item, "appeal", None), "photo", None)
    return own if own is not None and own.src.lower().endswith((".jpg", ".jpeg")) else None


def picture(urls: Urls, item, card: Callable[[Any], ShareCard | None]) -> tuple[str, str] | None:
    """(absolute URL, text alternative) of the picture a post of `item` shows: the item's own if it is
    a JPEG, else its share card's JPEG."""
    own = _own_jpeg(item)
    if own is not None:
        return urls.absolute(Location(urls.of(item).site, own.src)), own.alt
    found = card(item)
    return (urls.absolute(found.jpg), found.alt) if found is not None else None


def posted_cards(feeds: tuple[AccountFeed, ...], card: Callable[[Any], ShareCard | None]) -> frozenset[Location]:
    """The pages whose share card is the picture of a post in `feeds`: the only cards that need their
    JPEG (most items, such as events and teams, are in no account's feed)."""
    return frozenset(found.page for feed in feeds for item in feed.items
                     if _own_jpeg(item) is None and (found := card(item)) is not None)


def render_social(config: Config, urls: Urls, feeds: tuple[AccountFeed, ...],
                  card: Callable[[Any], ShareCard | None] = lambda item: None) -> dict[str, bytes]:
    """Write each account's JSON feed to social/<key>.json on its owner's site; `card` gives an item's
    share card (Kind.share_card), the picture of a post without one of its own."""
    out = {}
    for feed in feeds:
        base = urls.sites[feed.site].base_url
        account = feed.account
        data = {
            "version": JSON_FEED_VERSION,
            "title": f"{config.force.name} – posts for {account.handle} on {account.network}",
            "home_page_url": base,
            "feed_url": f"{base}social/{feed.key}.json",
            "description": f"Items for the {feed.owner} account {account.handle}, each with its ready-to-post text.",
            "_wmpsite": {"account": {"key": feed.key, "network": account.network, "handle": account.handle,
                                     "url": account.url, "owner": feed.owner}},
            "items": [],
        }
        for item in feed.items:
            with making(f"the social feed of {account.handle}", item.source.path):
                url = urls.absolute(urls.of(item))
                post = _post(config, account, item, url)
                image = picture(urls, item, card)
                if image is not None:
                    post["image_alt"] = image[1]
                data["items"].append({
                    "id": item_id(item, urls), "url": url, "title": item.title, "summary": item.summary,
                    "date_published": item.date.isoformat(),
                    **({"date_modified": item.updated.isoformat()} if item.updated else {}),
                    **({"tags": list(item.tags)} if item.tags else {}),
                    **({"image": image[0]} if image else {}),
                    "_wmpsite": {"post": post},
                })
        out[f"{feed.site}/social/{feed.key}.json"] = (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()
    return out
