"""Cross-file rules: references to LPUs and teams, links between files and to our own hosts, duplicate slugs."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from wmpsite.core.config import Config
from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.core.events import check_events
from wmpsite.core.model import Force
from wmpsite.core.page import FORMATS, FeedSpec, PlannedPage
from wmpsite.core.queries import all_items, lpu_file, team_file, with_pages
from wmpsite.core.static import static_sources
from wmpsite.core.urls import MAIN, Location, Urls


def check_site(force: Force, rules=()) -> None:
    """Raise BuildFailed listing every broken reference, link and duplicate in `force`, and what each
    of the features' `rules` (force -> errors) finds."""
    errors = site_errors(force, rules)
    if errors:
        raise BuildFailed(errors)


def site_errors(force: Force, rules=()) -> list[ContentError]:
    """Every broken reference, link and duplicate in `force`, and what `rules` find (see check_site).

    The loader runs these over the items that did load when other files have errors, so that one
    run lists both; an error for a reference sets `missing` to the file it looked for.
    """
    errors: list[ContentError] = []
    lpus = {lpu.slug: lpu for lpu in force.lpus}
    teams = {(t.lpu, t.slug) for t in force.teams}
    # Where a team's name can be checked: an LPU, or a folder with teams (its _index.md may have failed to load).
    with_teams = lpus.keys() | {lpu for lpu, _ in teams}
    lpu_names = ", ".join(f"'{s}'" for s in sorted(lpus)) or "none yet"

    def team_names(lpu: str) -> str:
        return ", ".join(f"'{t}'" for l, t in sorted(teams) if l == lpu) or "none yet"

    # Files inside an LPU folder need the LPU itself.
    seen_missing: set[str] = set()
    for item in (*force.teams, *force.priorities, *(n for n in force.news if n.lpu),
                 *(e for e in force.events if e.lpu),
                 *(a for a in force.appeals if a.lpu)):  # local appeals
        if item.lpu not in lpus and item.lpu not in seen_missing:
            seen_missing.add(item.lpu)
            errors.append(ContentError(lpu_file(item.lpu), f"the LPU folder '{item.lpu}' has no _index.md",
                                       hint=f"{item.source.path} is inside it; add _index.md with the LPU's name, "
                                       "summary and contact", missing=lpu_file(item.lpu)))
    for news in force.news:
        for name in news.lpus:
            if name not in lpus:
                errors.append(ContentError(news.source.path, f"'lpus': there is no LPU '{name}'",
                                           news.source.line_of("lpus"), f"the LPUs are {lpu_names}", lpu_file(name)))
        if news.team and news.lpu in with_teams and (news.lpu, news.team) not in teams:
            errors.append(ContentError(news.source.path, f"'team': there is no team '{news.team}' in {news.lpu}",
                                       news.source.line_of("team"), f"its teams are {team_names(news.lpu)}",
                                       team_file(news.lpu, news.team)))
    for appeal in force.appeals:  # the LPUs a force-wide appeal concerns
        for name in appeal.lpus:
            if name not in lpus:
                errors.append(ContentError(appeal.source.path, f"'lpus': there is no LPU '{name}'",
                                           appeal.source.line_of("lpus"), f"the LPUs are {lpu_names}", lpu_file(name)))
    for priority in force.priorities:
        if priority.lpu in with_teams and (priority.lpu, priority.team) not in teams:
            errors.append(ContentError(priority.source.path,
                                       f"'team': there is no team '{priority.team}' in {priority.lpu}",
                                       priority.source.line_of("team"), f"its teams are {team_names(priority.lpu)}",
                                       team_file(priority.lpu, priority.team)))

    # Links written in Markdown must lead to a file that becomes a page.
    pages = linkable(force)
    for item in all_items(force):
        errors.extend(link_errors(item, pages))

    # Two items of one kind and place may not share a slug (they would share an address).
    groups: dict[tuple, list] = defaultdict(list)
    for item in all_items(force):
        scope = (type(item).__name__, getattr(item, "lpu", None))
        groups[scope + (item.slug,)].append(item)
    for (kind, _lpu, slug), items in groups.items():
        items = sorted(items, key=lambda i: i.source.path)
        for item in items[1:]:
            errors.append(ContentError(item.source.path, f"the slug '{slug}' is also used by {items[0].source.path}",
                                       item.source.line_of("slug"),
                                       "give one of them another file name or a 'slug:' field"))

    # Feed ids come from date and slug alone, so that moving a story keeps its id (see feeds.item_id).
    stories: dict[tuple, list] = defaultdict(list)
    for news in force.news:
        stories[(news.date.date(), news.slug)].append(news)
    for (day, slug), items in stories.items():
        items = sorted(items, key=lambda i: i.source.path)
        for item in items[1:]:
            if item.lpu != items[0].lpu:
                errors.append(ContentError(item.source.path, f"another story with the slug '{slug}' was published "
                                           f"on {day.isoformat()}: {items[0].source.path}",
                                           item.source.line_of("slug"),
                                           "feed readers would take them for one story; give one a 'slug:' field"))

    base_urls: dict[str, str] = {}
    for lpu in force.lpus:
        if lpu.base_url:
            if lpu.base_url in base_urls:
                errors.append(ContentError(lpu.source.path, f"'base_url' is also used by {base_urls[lpu.base_url]}",
                                           lpu.source.line_of("base_url")))
            base_urls.setdefault(lpu.base_url, lpu.source.path)
    errors.extend(check_events(force))  # events.py: teams named by events, meetings' addresses
    for rule in rules:
        errors.extend(rule(force))
    return errors


def linkable(force: Force) -> frozenset[str]:
    """The content files a Markdown link may lead to: those that become pages."""
    return frozenset(item.source.path for item in with_pages(force))


def link_errors(item, pages: frozenset[str]) -> list[ContentError]:
    """The links in `item`'s Markdown that lead to no file in `pages` (`serve` checks an edited file alone)."""
    return [ContentError(item.source.path, f"the link to '{target}' leads to no content file", line,
                         "check the file name and how many '../' it needs", target)
            for target, line in item.body.links if target.startswith("content/") and target not in pages]



def own_host_errors(config: Config, force: Force, urls: Urls, plan: tuple[PlannedPage, ...],
                    feeds: tuple[FeedSpec, ...]) -> list[ContentError]:
    """The links to one of the force's own sites, in site.toml or in Markdown, that lead to nothing the
    build makes: a page, a feed or a file under static/. A resident who follows one meets a 404.

    Example: report_online_url = "https://www.example.police.uk/ro/report" on a site whose build has
    no ro/report/ page is an error naming site.toml, its line and the pages it could lead to.
    """
    built = {page.location.file for page in plan}
    built |= {Location(spec.folder.site, spec.folder.path + name).file for spec in feeds for name in FORMATS}
    built |= {f"{site}/{rel}" for site in urls.sites for rel in static_sources(config)}
    errors = []
    force_config = config.force
    settings = [("report_online_url", force_config.report_online_url), ("report_page", force_config.report_page),
                *((f"footer_links[{n}].url", link.url) for n, link in enumerate(force_config.footer_links, 1)),
                *((f"social[{n}].url", account.url) for n, account in enumerate(force_config.social, 1))]
    toml_lines = (config.root / "site.toml").read_text(encoding="utf-8").splitlines()
    for key, url in settings:
        if url and not _leads_somewhere(_absolute(url, urls), urls, built):
            line = next((n for n, text in enumerate(toml_lines, 1) if f'"{url}"' in text), None)
            errors.append(ContentError("site.toml", f"'force.{key}': '{url}' is on this force's own site, "
                                       "but the build makes no page there", line, _own_hint(url)))
    static = static_sources(config)
    if force_config.logo and force_config.logo not in static:  # every page would show a broken image
        line = next((n for n, text in enumerate(toml_lines, 1) if f'"{force_config.logo}"' in text), None)
        errors.append(ContentError("site.toml", f"'force.logo': there is no file static/{force_config.logo}", line,
                                   "put the image under the force's static/ folder, or correct the path"))
    for item in all_items(force):
        for target, line in item.body.links:
            if not target.startswith("content/") and not _leads_somewhere(target, urls, built):
                errors.append(ContentError(item.source.path, f"the link to '{target}' is on this force's own "
                                           "site, but the build makes no page there", line,
                                           "link to the page by its file, like '../pages/report-a-crime.md'"))
    return errors


def _absolute(url: str, urls: Urls) -> str:
    """A path in site.toml ('/privacy/') is on the main site."""
    return urls.sites[MAIN].base_url + url.lstrip("/") if url.startswith("/") else url


def _own_hint(url: str) -> str:
    if url.startswith("/"):
        return "write the path of a page the build makes, like '/contact-us/', or add that page under content/pages/"
    return ("use the address of a page the build makes, or the service's own address on another host, "
            "such as online crime reporting on police.uk")


def _leads_somewhere(url: str, urls: Urls, built: set[str]) -> bool:
    """Whether `url` is off our own hosts (not ours to check), or leads to a file the build makes."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    ours = [site for site in urls.sites.values() if urlsplit(site.base_url).hostname == host]
    if not ours:
        return True
    path = parts.path or "/"
    for site in sorted(ours, key=lambda s: -len(s.base_path)):  # the deepest site the address is under
        if (path + "/").startswith(site.base_path):
            rest = path[len(site.base_path):]
            tries = [rest] if rest.endswith("/") or "." in rest.rsplit("/", 1)[-1] else [rest, rest + "/"]
            return any(Location(site.name, t).file in built for t in tries)  # a server adds the slash
    return False
