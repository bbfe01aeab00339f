"""The force's social account registry: every account the content declares, and its directories.

An account is declared by the force (site.toml [[force.social]]), an LPU, a
team, an officer on a team (`members`, or `former` once they have left), or a
unit or the specials (content/units/). Each declaration is one `Account`, with
its owner and purpose; the same handle declared twice stays twice, for the audit.
The directory pages list them: /social-media/ force-wide, /<lpu>/social-media/ per LPU.
"""

from __future__ import annotations

from wmpsite.content import content_types as ct
from wmpsite.core.kind import Collection, Kind, file_slug
from wmpsite.core.model import Unit
from dataclasses import dataclass
from typing import ClassVar

from wmpsite.core.config import Config
from wmpsite.core.model import Force
from wmpsite.core.parts import SocialAccount
from wmpsite.core.page import Built, PlannedPage
from wmpsite.core.events import slugify
from wmpsite.core.urls import Urls
from wmpsite.present.views import NETWORK_NAMES, Link

#: Owner kinds, in the order a directory lists them.
OWNER_KINDS = ("force", "lpu", "team", "unit", "specials", "officer", "former-officer")
PATH = "social-media/"


@dataclass(frozen=True)
class Account:
    """One declaration of a social account: what it is, who owns it, what it is for, where it was written."""

    network: str
    handle: str
    url: str
    key: str                  # the social feed's key, e.g. 'x-wmpolice' (publish.account_key)
    owner_kind: str           # one of OWNER_KINDS
    owner: str                # e.g. 'West Midlands Police', 'Selly Oak team', 'PC Sam Okafor'
    purpose: str
    source: str               # the file that declares it
    line: int | None = None
    lpu: str | None = None    # the LPU it belongs to (for team, officer and local unit accounts too)
    team: str | None = None

    @property
    def name(self) -> str:
        """network:handle, as site.toml's publish settings write it."""
        return f"{self.network}:{self.handle}"


def build_registry(config: Config, force: Force) -> tuple[Account, ...]:
    """Every account declaration in site.toml and the content, in directory order."""
    from wmpsite.core.urls import account_key

    out: list[Account] = []

    def add(a: SocialAccount, kind: str, owner: str, purpose: str, source: str, line=None, lpu=None, team=None):
        out.append(Account(a.network, a.handle, a.url, account_key(a.network, a.handle), kind, owner, purpose,
                           source, line, lpu, team))

    name = config.force.name
    for a in config.force.social:
        add(a, "force", name, f"{name}'s main account: force news, press releases and appeals", "site.toml")
    lpu_names = {lpu.slug: lpu.name for lpu in force.lpus}
    for lpu in force.lpus:
        for a in lpu.social:
            add(a, "lpu", lpu.name, f"Local news from {lpu.name}", lpu.source.path, lpu.source.line_of("social"),
                lpu.slug)
    for team in force.teams:
        for a in team.social:
            add(a, "team", f"{team.name} team", f"News from the {team.name} neighbourhood team", team.source.path,
                team.source.line_of("social"), team.lpu, team.slug)
        for member in team.members:
            if member.social:
                add(member.social, "officer", member.name, f"{member.role}, {team.name} team", team.source.path,
                    team.source.line_of("members"), team.lpu, team.slug)
        for member in team.former:
            if member.social:
                add(member.social, "former-officer", member.name, f"{member.role}, formerly of the {team.name} team",
                    team.source.path, team.source.line_of("former"), team.lpu, team.slug)
    for unit in force.units:
        for a in unit.social:
            add(a, unit.kind, unit.name, unit.summary, unit.source.path, unit.source.line_of("social"),
                unit.lpu if unit.lpu in lpu_names else None)
    return tuple(out)


@dataclass(frozen=True)
class AccountEntry:
    """One account as a directory lists it: a link to it on its network."""

    network: str                        # as people say it, e.g. 'X (Twitter)'
    handle: str
    url: str                            # the account's page on its network


@dataclass(frozen=True)
class OwnerEntry:
    """Who runs some accounts and what they are for, said once, with each of their accounts."""

    owner: str                          # e.g. 'West Midlands Police', 'Selly Oak team', 'PC Sam Okafor'
    purpose: str
    accounts: tuple[AccountEntry, ...]


@dataclass(frozen=True)
class AccountGroup:
    """A part of a directory section, e.g. an LPU's neighbourhood teams; a section of one part has no heading."""

    heading: str | None
    owners: tuple[OwnerEntry, ...]


@dataclass(frozen=True)
class DirectorySection:
    """A section of a directory, with its own heading and address on the page (the list at the top links it)."""

    heading: str
    anchor: str                         # the id of its heading, e.g. 'birmingham-south'
    groups: tuple[AccountGroup, ...]
    more: Link | None                   # on the force's directory, the LPU's own directory; else None


def plan_directories(force: Force, urls: Urls) -> list[PlannedPage]:
    """The force-wide directory on the main site, and one per LPU on its local site."""
    pages = [PlannedPage(urls.main(PATH), "social-directory")]
    pages += [PlannedPage(urls.lpu_page(lpu.slug, PATH), "social-directory", lpu=lpu.slug) for lpu in force.lpus]
    return pages


def directory_url(renderer, lpu: str | None, site: str) -> str:
    """The link to the directory of `lpu` (None: force-wide) from a page on `site`."""
    urls = renderer.urls
    return renderer.link(urls.lpu_page(lpu, PATH) if lpu else urls.main(PATH), site)


@dataclass(frozen=True)
class DirectoryContext:
    WHERE: ClassVar[str] = "`/social-media/`, `/<lpu>/social-media/`"

    sections: tuple[DirectorySection, ...]  # the force, then each LPU, then force-wide units; none empty
    jump: tuple[Link, ...]                  # to each section on the page: how a resident finds their area
    other: Link | None                      # on an LPU's directory, the force-wide one; else None


def owners_of(accounts) -> tuple[OwnerEntry, ...]:
    """The accounts under their owners, in order: an owner with four networks is one entry, not four."""
    grouped: dict[tuple, list[Account]] = {}
    for a in accounts:
        grouped.setdefault((a.owner_kind, a.owner, a.purpose, a.team), []).append(a)
    return tuple(OwnerEntry(owner, purpose, tuple(AccountEntry(NETWORK_NAMES[a.network], a.handle, a.url)
                                                  for a in mine))
                 for (_, owner, purpose, _), mine in grouped.items())


def _area(r, lpu, accounts: list[Account], headed: bool) -> list[AccountGroup]:
    """An LPU's accounts: its own, its teams', its officers', its local units'."""
    mine = [a for a in accounts if a.lpu == lpu.slug]
    parts = [("Local policing unit", [a for a in mine if a.owner_kind == "lpu"]),
             ("Neighbourhood teams", [a for t in r.force.teams if t.lpu == lpu.slug
                                      for a in mine if a.owner_kind == "team" and a.team == t.slug]),
             ("Officers", [a for a in mine if a.owner_kind == "officer"]),
             ("Local units and specials", [a for a in mine if a.owner_kind in ("unit", "specials")])]
    return [AccountGroup(heading if headed else None, owners_of(found)) for heading, found in parts if found]


def directory(r, page: PlannedPage, site: str) -> Built[DirectoryContext]:
    """Context of a directory page: the accounts by area and owner, and a list that jumps to each area."""
    registry = [a for a in build_registry(r.config, r.force) if a.owner_kind != "former-officer"]
    sections: list[DirectorySection] = []
    if page.lpu:
        lpu = r.look.lpus[page.lpu]
        for group in _area(r, lpu, registry, headed=True):  # one LPU: each part is a section of its own
            heading = lpu.name if group.heading == "Local policing unit" else group.heading
            sections.append(DirectorySection(heading, slugify(heading), (AccountGroup(None, group.owners),),
                                             None))
        title = f"{lpu.name} on social media"
        description = f"Every social media account of {lpu.name}, its neighbourhood teams and officers."
        other = Link(f"All {r.config.force.short_name} accounts", directory_url(r, None, site))
    else:
        name = r.config.force.name
        force = [a for a in registry if a.owner_kind == "force"]
        if force:
            sections.append(DirectorySection(name, "force", (AccountGroup(None, owners_of(force)),), None))
        for lpu in r.force.lpus:
            groups = _area(r, lpu, registry, headed=True)
            if groups:
                sections.append(DirectorySection(lpu.name, lpu.slug, tuple(groups),
                                                 Link(f"{lpu.name} on social media", directory_url(r, lpu.slug, site))))
        for kind, heading, anchor in (("unit", "Units across the force", "units"),
                                      ("specials", "Special constables", "specials")):
            found = [a for a in registry if a.owner_kind == kind and a.lpu is None]
            if found:
                sections.append(DirectorySection(heading, anchor, (AccountGroup(None, owners_of(found)),), None))
        title = r._("Our social media accounts")
        description = f"Every social media account {name} runs, and who runs it."
        other = None
    jump = tuple(Link(s.heading, f"#{s.anchor}") for s in sections)
    return Built(DirectoryContext(tuple(sections), jump, other), title, description)


KIND = Kind(
    "social accounts",
    makers=((ct.UNIT, lambda p: Unit(source=p.source, slug=file_slug(p.source.path, p.stem, p.errors),
                                     body=p.body, **p.values)),),  # units' and specials' accounts
    collections=(Collection("units", (ct.UNIT,), lambda u: (u.name, u.slug)),),
    plan=lambda config, force, urls, now: plan_directories(force, urls),
    builders={"social-directory": directory},
)
