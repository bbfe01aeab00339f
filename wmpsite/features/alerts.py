"""Major-incident messages: which are active, their banner, their feed items and posts.

An alert concerns the force's main site always, and the local sites of its
`lpus` (every LPU when it names none). While active (start <= build date < end)
it is a banner at the top of every page of those sites, the first item of the
main news feed and of those LPUs' news feeds, and the first item of the social
feeds of the force's main accounts and of those LPUs' and their teams' accounts.
The build after its end shows it nowhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import ClassVar

from wmpsite.content import content_types as ct
from wmpsite.core.errors import ContentError
from wmpsite.core.kind import Collection, Kind, Parsed
from wmpsite.core.model import Alert, Force
from wmpsite.core.moment import active
from wmpsite.core.page import Built, PlannedPage
from wmpsite.core.queries import lpu_file
from wmpsite.present.views import SEVERITY_LABELS, Link, When, when_time

_DATED = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+)")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class AlertView:
    """An active alert as the banner shows it."""

    id: str               # the banner's element id, e.g. 'alert-m6-closure'
    severity: str         # 'critical', 'major' or 'advisory': the banner's CSS modifier
    label: str            # e.g. 'Major incident'
    title: str
    summary: str | None
    body_html: str        # its text: HTML made from the editor's Markdown (see below)
    updated: str          # e.g. '14 March 2026, 6:30am'
    updated_iso: str      # the same, for `<time datetime>`
    url: str              # its own page, with the full message (plan_alerts)


def make_alert(parsed: Parsed) -> Alert:
    """Build an Alert from checked front matter, adding an error for each rule across fields it breaks."""
    source, stem, line_of, values, body, errors = (parsed.source, parsed.stem, parsed.line_of, parsed.values,
                                                   parsed.body, parsed.errors)
    dated = _DATED.fullmatch(stem)
    slug = dated.group(2) if dated else stem
    if not _SLUG.fullmatch(slug):
        errors.append(ContentError(source.path, f"the file name '{stem}' cannot be a web address", None,
                                   "name files in lower case letters, digits and dashes, like "
                                   "'2026-03-14-m6-closure.md'"))
    start, end = values["start"], values["end"]
    if end <= start:
        errors.append(ContentError(source.path, f"'end': expected a time after the start ({start:%Y-%m-%d %H:%M}), "
                                   f"found {end:%Y-%m-%d %H:%M}", line_of(("end",)),
                                   "write the date too if it ends on another day"))
    return Alert(source=source, slug=slug, body=body, **values)


def check_alerts(force: Force) -> list[ContentError]:
    """Errors for alerts naming an LPU that does not exist, or linking to no content file."""
    lpus = sorted(lpu.slug for lpu in force.lpus)
    names = ", ".join(f"'{s}'" for s in lpus) or "none yet"
    errors = [ContentError(alert.source.path, f"'lpus': there is no LPU '{name}'", alert.source.line_of("lpus"),
                           f"the LPUs are {names}", lpu_file(name))
              for alert in force.alerts for name in alert.lpus if name not in lpus]
    pages = {item.source.path for item in (*force.pages, *force.news, *force.advice, *force.lpus, *force.teams,
                                           *force.priorities, *force.events)}
    errors += [ContentError(alert.source.path, f"the link to '{target}' leads to no content file", line,
                            "check the file name and how many '../' it needs", target)
               for alert in force.alerts for target, line in alert.body.links
               if target.startswith("content/") and target not in pages]
    return errors


def concerns(alert: Alert, lpu: str | None) -> bool:
    """Whether `alert` shows on pages of `lpu` (None: the force's own pages, which show every alert)."""
    return lpu is None or not alert.lpus or lpu in alert.lpus


def banner(renderer, lpu: str | None, site: str) -> tuple[AlertView, ...]:
    """The banners of a page of `lpu` (None for force pages) on `site`, from the renderer's build date."""
    out = []
    for alert in renderer.moment.active_alerts(renderer.force):
        if concerns(alert, lpu):
            changed = alert.updated or alert.start
            out.append(AlertView(f"alert-{alert.slug}", alert.severity, SEVERITY_LABELS[alert.severity],
                                 alert.title, alert.summary, renderer.body(alert, site),
                                 when_time(changed).text, changed.isoformat(),
                                 renderer.link(renderer.urls.of(alert), site)))
    return tuple(out)


# --- its own page ------------------------------------------------------------------------------

@dataclass(frozen=True)
class AlertPageView:
    """An alert's own page: the full message, its times, the LPUs it concerns, and whether it has ended."""

    severity: str           # 'critical', 'major' or 'advisory'
    label: str              # e.g. 'Major incident'
    summary: str | None
    body_html: str          # its text: HTML made from the editor's Markdown (see below)
    start: When             # when it began
    end: When               # when it ends, or ended
    updated: When | None    # its latest change, if one
    ended: bool             # the build date is past its end: the page says so
    lpus: tuple[Link, ...]  # the home pages of the LPUs it concerns; () for every LPU


@dataclass(frozen=True)
class AlertContext:
    WHERE: ClassVar[str] = "`/alerts/<slug>/` (main site, from the alert's start)"

    alert: AlertPageView                   # the whole message, active or ended


@dataclass(frozen=True)
class Banner:
    """What the alerts add to every page."""

    alerts: tuple[AlertView, ...]  # those active at the build date that concern this page's site, most serious first


def banner_names(r, planned: PlannedPage, site: str) -> Banner:
    """The banner of every page, at once."""
    return Banner(banner(r, planned.lpu, site))


def plan_alerts(force: Force, urls, now: dt.datetime) -> list:
    """A page on the main site for every alert that has started (active or ended): /alerts/<slug>/.

    The banner and feed items link to it while the alert is active; after it ends it stays, saying
    so, so links already shared lead to the truth. An alert not started yet has no page."""
    return [PlannedPage(urls.of(a), "alert", a.source.path, a) for a in force.alerts if a.start <= now]


def page(r, planned, site: str) -> Built[AlertContext]:
    """The context of an alert's own page (templates/alert.html)."""
    alert: Alert = planned.item
    ended = r.moment.ended(alert)
    lpus = tuple(Link(lpu.name, r.link(r.urls.of(lpu), site)) for lpu in r.force.lpus if lpu.slug in alert.lpus)
    view = AlertPageView(alert.severity, SEVERITY_LABELS[alert.severity], alert.summary,
                         r.body(alert, site), when_time(alert.start), when_time(alert.end),
                         when_time(alert.updated) if alert.updated else None, ended, lpus)
    title = f"{alert.title} (ended)" if ended else alert.title
    description = alert.summary or f"{SEVERITY_LABELS[alert.severity]}: {alert.title}"
    return Built(AlertContext(view), title, description)


def add_to_feeds(feeds: tuple, force: Force, now: dt.datetime) -> tuple:
    """Put the active alerts first in the main news feed and the concerned LPUs' news feeds."""
    live = active(force, now)
    if not live:
        return feeds
    out = []
    for spec in feeds:
        if spec.key == "news":
            spec = dataclasses.replace(spec, items=(*live, *spec.items))
        elif spec.key.startswith("lpu:"):
            mine = tuple(a for a in live if concerns(a, spec.key.removeprefix("lpu:")))
            if mine:
                spec = dataclasses.replace(spec, items=(*mine, *spec.items))
        out.append(spec)
    return tuple(out)


def add_to_social(config, force: Force, social: tuple, now: dt.datetime) -> tuple:
    """Put the active alerts first in the social feeds of the accounts they concern.

    Those are the force's main accounts (every alert) and the accounts of each
    LPU concerned and of its teams; officers' and units' accounts get none.
    """
    from wmpsite.core.urls import account_key
    live = active(force, now)
    if not live:
        return social
    lpu_of: dict[str, str | None] = {account_key(a.network, a.handle): None for a in config.force.social}
    for lpu in force.lpus:
        for a in lpu.social:
            lpu_of.setdefault(account_key(a.network, a.handle), lpu.slug)
    for team in force.teams:
        for a in team.social:
            lpu_of.setdefault(account_key(a.network, a.handle), team.lpu)
    out = []
    for feed in social:
        if feed.key in lpu_of:
            mine = tuple(a for a in live if concerns(a, lpu_of[feed.key]))
            if mine:
                feed = dataclasses.replace(feed, items=(*mine, *feed.items))
        out.append(feed)
    return tuple(out)


KIND = Kind(
    "alerts",
    makers=((ct.ALERT, make_alert),),
    collections=(Collection("alerts", (ct.ALERT,), lambda a: (a.start, a.slug)),),
    checks=(check_alerts,),
    plan=lambda config, force, urls, now: plan_alerts(force, urls, now),
    builders={"alert": page},
    every_page=banner_names,  # on every page at once
    amend_feeds=add_to_feeds,  # active alerts first
    amend_social=add_to_social,
)
