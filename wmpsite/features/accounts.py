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
    """An account as a directory lists it."""

    network: str       # as people say it, e.g. 'X (Twitter)'
    handle: str
    url: str                            # the account's page on its network
    owner: str                          # who runs it
    purpose: str                        # what it is for


@dataclass(frozen=True)
class AccountGroup:
    """A heading of a directory and its accounts."""

    heading: str
    accounts: tuple[AccountEntry, ...]


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

    groups: tuple[AccountGroup, ...]       # the accounts by owner; groups without any are left out
    other: Link | None                     # on an LPU's directory, the force-wide one; else None
    lpu_directories: tuple[Link, ...]      # on the force's directory, the LPUs' directories; else empty


def directory(r, page: PlannedPage, site: str) -> Built[DirectoryContext]:
    """Context of a directory page: the accounts by owner, and links to the other directories."""
    registry = [a for a in build_registry(r.config, r.force) if a.owner_kind != "former-officer"]

    def entries(accounts) -> tuple[AccountEntry, ...]:
        return tuple(AccountEntry(NETWORK_NAMES[a.network], a.handle, a.url, a.owner, a.purpose) for a in accounts)

    groups: list[AccountGroup] = []
    if page.lpu:
        lpu = r.look.lpus[page.lpu]
        mine = [a for a in registry if a.lpu == page.lpu]
        groups.append(AccountGroup(f"{lpu.name}", entries(a for a in mine if a.owner_kind == "lpu")))
        for team in (t for t in r.force.teams if t.lpu == page.lpu):
            groups.append(AccountGroup(f"{team.name} neighbourhood team",
                                       entries(a for a in mine if a.owner_kind == "team" and a.team == team.slug)))
        groups.append(AccountGroup("Officers", entries(a for a in mine if a.owner_kind == "officer")))
        groups.append(AccountGroup("Local units and specials",
                                   entries(a for a in mine if a.owner_kind in ("unit", "specials"))))
        title = f"{lpu.name} on social media"
        description = f"Every social media account of {lpu.name}, its neighbourhood teams and officers."
        other = Link(f"All {r.config.force.short_name} accounts", directory_url(r, None, site))
    else:
        labels = {"force": r.config.force.name, "lpu": "Local Policing Units", "team": "Neighbourhood teams",
                  "unit": "Units", "specials": "Special constables", "officer": "Officers"}
        for kind, heading in labels.items():
            groups.append(AccountGroup(heading, entries(a for a in registry if a.owner_kind == kind)))
        title = "Our social media accounts"
        description = f"Every social media account {r.config.force.name} runs, and who runs it."
        other = None
    own = DirectoryContext(tuple(g for g in groups if g.accounts), other, () if page.lpu else tuple(
        Link(lpu.name, directory_url(r, lpu.slug, site)) for lpu in r.force.lpus))
    return Built(own, title, description)


KIND = Kind(
    "social accounts",
    makers=((ct.UNIT, lambda p: Unit(source=p.source, slug=file_slug(p.source.path, p.stem, p.errors),
                                     body=p.body, **p.values)),),  # units' and specials' accounts
    collections=(Collection("units", (ct.UNIT,), lambda u: (u.name, u.slug)),),
    plan=lambda config, force, urls, now: plan_directories(force, urls),
    builders={"social-directory": directory},
)
