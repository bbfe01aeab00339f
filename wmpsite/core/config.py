"""Read site.toml into frozen dataclasses; unknown keys are errors, free keys go under [extra]."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.core.text import text_of
from wmpsite.core.parts import SocialAccount
from wmpsite.core.tested import Tested, load_tested
from wmpsite.core.urls import account_key
from wmpsite.core.schema import (
    Choice,
    Context,
    Date,
    Email,
    Field,
    Integer,
    ListOf,
    Money,
    Phone,
    Record,
    Text,
    Url,
    check_fields,
    toml_lines,
)

#: The default theme: the templates/ and static/ folders of the wmpsite checkout.
THEME_ROOT = Path(__file__).resolve().parents[2]

NETWORKS = ("x", "facebook", "instagram", "mastodon", "bluesky", "youtube", "threads",
            "tiktok", "nextdoor", "linkedin")

SOCIAL = Record([
    Field("network", Choice(*NETWORKS), "The social network.", required=True),
    Field("handle", Text(max_length=100), "The account's name as the network shows it, e.g. '@WMPolice'.",
          required=True),
    Field("url", Url(), "The account's public page.", required=True),
], make=SocialAccount, expected="an account (network, handle, url)")

#: A link to a page of the force's main site ('/privacy/') or a whole address elsewhere.
LINK = Text(pattern=r"/[^\s]*|https://[^\s/$.?#][^\s]*",
            expected="a path on the main site like '/privacy/', or a web address starting with https://")

COLOUR = Text(pattern=r"#[0-9a-fA-F]{6}", expected="a colour like '#0b2f5b' (a hash and six hex digits)")


@dataclass(frozen=True)
class FooterLink:
    """A link the footer of every page carries: contact, privacy, cookies, complaints."""

    text: str
    url: str                      # a path on the main site ('/privacy/') or a whole https:// address


FOOTER_LINK = Record([
    Field("text", Text(max_length=60), "The link's words, e.g. 'Privacy notice'.", required=True),
    Field("url", LINK, "Where it leads: a page of the main site like '/privacy/', or a web address.",
          required=True),
], make=FooterLink, expected="a link (text, url)")


@dataclass(frozen=True)
class ForceConfig:
    """The force itself: names, address of the main site, numbers to call."""

    name: str
    short_name: str
    base_url: str
    description: str
    language: str = "en-GB"
    time_zone: str = "Europe/London"
    emergency_number: str = "999"
    non_emergency_number: str = "101"
    textphone: str | None = None
    report_online_url: str | None = None
    report_page: str | None = None
    share_image: str | None = None
    share_image_alt: str | None = None
    colour: str = "#0b2f5b"       # the force's colour: its share cards' background, the browsers' theme colour
    accent_colour: str = "#ffdd00"  # the share cards' band, and their owner's name where it reads well
    social: tuple[SocialAccount, ...] = ()
    footer_links: tuple[FooterLink, ...] = ()
    police_uk_id: str | None = None   # the force's id on data.police.uk, for the open data's force.json
    logo: str | None = None           # an image under static/, shown before the force's name at the top of every page


@dataclass(frozen=True)
class AccessibilityConfig:
    """Facts for the accessibility statement (GOV.UK model statement headings)."""

    contact_email: str
    statement_prepared: dt.date
    last_reviewed: dt.date
    compliance: str = "full"                  # 'full', 'partial' or 'not'
    contact_phone: str | None = None
    known_issues: tuple[str, ...] = ()
    response_days: int = 5
    test_record: str | None = None            # the file `make accessibility` writes (core/tested.py)
    tested: Tested | None = None              # what that file says: read by load_config, never typed


@dataclass(frozen=True)
class BuildConfig:
    """How the build runs."""

    output: str = "_site"
    news_per_page: int = 10
    home_news_count: int = 6
    feed_items: int = 20


@dataclass(frozen=True)
class PublishAccount:
    """A social account that `build.py post` posts to (docs/social.md)."""

    account: str                  # network:handle as the content declares it, e.g. 'x:@WMPolice'
    credentials: str              # prefix of its environment variables, e.g. 'WMP_X_MAIN'
    limit: int | None = None      # a Mastodon instance's own post limit
    base_url: str | None = None   # the Mastodon instance, or the Bluesky PDS
    id: str | None = None         # Facebook, Instagram, Threads: the account's numeric id on Meta's Graph API
    monthly_cap: Decimal | None = None   # X: dollars it may spend on posts in a calendar month
    post_cost: Decimal = Decimal("0.20")  # X: dollars a post with a link costs

    @property
    def network(self) -> str:
        return self.account.split(":", 1)[0]

    @property
    def handle(self) -> str:
        return self.account.split(":", 1)[1]


@dataclass(frozen=True)
class Route:
    """Send every item with `tag` to `account`'s social feed as well (docs/social.md)."""

    tag: str
    account: str                  # network:handle, e.g. 'x:@WMPFootballUnit'


@dataclass(frozen=True)
class PublishConfig:
    """Where `build.py post` keeps its ledger, and the accounts it posts to."""

    state: str = "state"
    accounts: tuple[PublishAccount, ...] = ()
    routes: tuple[Route, ...] = ()


@dataclass(frozen=True)
class AuditConfig:
    """What `build.py audit` calls a quiet account."""

    quiet_days: int = 60          # an account whose social feed has had nothing new for this long


@dataclass(frozen=True)
class CmsConfig:
    """The editors' CMS at /admin/ (Decap CMS, docs/editors.md): where it commits their changes."""

    backend: str                  # 'git-gateway', 'github', 'gitlab' or 'azure'
    repo: str | None = None       # owner/name (azure: organisation/project/repository); not for git-gateway
    branch: str = "main"
    base_url: str | None = None   # the OAuth server that signs editors in to github or gitlab, if not Netlify's
    local_backend: int | None = None  # the port of decap-server, to try the CMS on a local copy


@dataclass(frozen=True)
class Config:
    """The whole of site.toml, plus where the project lives."""

    root: Path
    force: ForceConfig
    accessibility: AccessibilityConfig
    build: BuildConfig = field(default_factory=BuildConfig)
    publish: PublishConfig = field(default_factory=PublishConfig)
    audit: AuditConfig = field(default_factory=AuditConfig)
    cms: CmsConfig | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.force.time_zone)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    def layers(self, folder: str) -> list[Path]:
        """Where to look for `folder` ('templates' or 'static'): the project's own
        first, then wmpsite's default theme, so a small site needs neither."""
        dirs = [self.root / folder, THEME_ROOT / folder]
        return [d for i, d in enumerate(dirs) if d.is_dir() and d.resolve() not in
                [e.resolve() for e in dirs[:i]]]


_FORCE = [
    Field("name", Text(), "The force's full name.", required=True),
    Field("short_name", Text(max_length=20), "A short name for titles, e.g. 'WMP'.", required=True),
    Field("base_url", Url(), "Where the main site is published, e.g. 'https://www.example.police.uk/'.",
          required=True),
    Field("description", Text(max_length=300), "One sentence that describes the main site.", required=True),
    Field("language", Text(pattern=r"[a-z]{2}(-[A-Z]{2})?", expected="a language tag like 'en-GB'"),
          "The language of the content.", default="en-GB"),
    Field("time_zone", Text(), "The force's time zone; all dates are in it.", default="Europe/London"),
    Field("emergency_number", Phone(), "The emergency number.", default="999"),
    Field("non_emergency_number", Phone(), "The non-emergency number.", default="101"),
    Field("textphone", Phone(), "Textphone or text relay number for deaf residents."),
    Field("report_online_url", Url(), "Where residents report a crime online: the force's form on another "
          "host, such as police.uk (a link to the site's own host must be a page the build makes)."),
    Field("report_page", LINK, "The page that lists every way to report a crime, linked from the top of every "
          "page, e.g. '/report-a-crime/' (without it, the top links to report_online_url)."),
    Field("share_image", Text(pattern=r"[A-Za-z0-9_./-]+\.(?:png|jpe?g|webp|gif)",
                              expected="a path under static/ to a PNG, JPEG, WebP or GIF image"),
          "The picture shown when a page without its own image is shared on social media (1200x630)."),
    Field("share_image_alt", Text(max_length=250), "What the share picture shows."),
    Field("colour", COLOUR, "The force's colour: the background of the share card drawn for each item "
          "(docs/social.md) and the colour browsers give their bar on a phone; the pages' own colours are in the "
          "force's static/css/force.css (docs/forces.md).", default="#0b2f5b"),
    Field("accent_colour", COLOUR, "The share cards' second colour: a band down their left side, and the "
          "team or LPU's name where it keeps 4.5:1 against `colour`.", default="#ffdd00"),
    Field("social", ListOf(SOCIAL), "The force's main social accounts.", default=()),
    Field("footer_links", ListOf(FOOTER_LINK), "The links in the footer of every page, beside the accessibility "
          "statement (which every site has): contact, privacy, cookies, complaints.", default=()),
    Field("police_uk_id", Text(pattern=r"[a-z0-9]+(?:-[a-z0-9]+)*", expected="an id in lower case letters, "
                               "digits and dashes, like 'west-midlands'"),
          "The force's id on data.police.uk, given as `id` in the open data's api/force.json "
          "(docs/open-data.md); a slug of the force's name without it."),
    Field("logo", Text(pattern=r"[A-Za-z0-9_./-]+\.(?:svg|png)", expected="a path under static/ to an SVG or PNG "
                       "image, like 'images/logo.svg'"),
          "The force's logo, shown before its name at the top of every page (the name is beside it, so it "
          "needs no words of its own)."),
]
_ACCESSIBILITY = [
    Field("contact_email", Email(), "Who to tell about an accessibility problem.", required=True),
    Field("contact_phone", Phone(), "A phone number for accessibility problems."),
    Field("statement_prepared", Date(), "When the statement was first prepared.", required=True),
    Field("last_reviewed", Date(), "When the statement was last reviewed.", required=True),
    Field("compliance", Choice("full", "partial", "not"),
          "How far the site complies with WCAG 2.2 AA. The statement never says 'full' while it lists a known "
          "issue: those the test record or the content shows make it 'partial'.", default="full"),
    Field("known_issues", ListOf(Text()), "Content that is not yet accessible that no test can find (a "
          "service on another site, say), one line each. What the test run finds, videos without captions "
          "and links to documents are listed without being typed here.", default=()),
    Field("response_days", Integer(1, 60), "Working days within which the force replies.", default=5),
    Field("test_record", Text(pattern=r"[A-Za-z0-9_./-]+\.toml", expected="a path like 'accessibility-tested.toml'"),
          "The record of the last accessibility test run, beside site.toml: `make accessibility` writes it, "
          "and the statement says what was tested, with which tools, when, and what failed."),
]
_BUILD = [
    Field("output", Text(), "The folder the sites are written to.", default="_site"),
    Field("news_per_page", Integer(1, 100), "News items on each page of a news list.", default=10),
    Field("home_news_count", Integer(1, 20), "News items on a home page.", default=6),
    Field("feed_items", Integer(1, 500), "Items in each RSS, Atom and JSON feed.", default=20),
]
_PUBLISH_ACCOUNT = Record([
    Field("account", Text(pattern=r"(x|mastodon|bluesky|facebook|instagram|threads):\S(.*\S)?",
                          expected="an account like 'x:@WMPolice' (x, mastodon, bluesky, facebook, instagram or "
                                   "threads, a colon, the handle)"),
          "The account as the content declares it: network:handle.", required=True),
    Field("credentials", Text(pattern=r"[A-Z][A-Z0-9_]*",
                              expected="an environment variable prefix in capitals, like 'WMP_X_MAIN'"),
          "The prefix of the environment variables that hold its keys (docs/social.md).", required=True),
    Field("limit", Integer(1, 100_000), "A Mastodon instance's own post limit, if not 500."),
    Field("base_url", Text(pattern=r"https://\S+|http://(127\.0\.0\.1|localhost)(:\d+)?(/\S*)?",
                           expected="a web address starting with https://"),
          "The Mastodon instance (required for Mastodon), or the Bluesky PDS (default https://bsky.social); for "
          "Facebook, Instagram and Threads, another address of Meta's Graph API (for tests)."),
    Field("id", Text(pattern=r"[0-9]{1,30}", expected="a number like '104712345678901'"),
          "Facebook, Instagram and Threads (required): the account's id on Meta's Graph API, the Page id, the "
          "Instagram professional account's id or the Threads user id (docs/social.md)."),
    Field("monthly_cap", Money(), "X: the most, in US dollars, its posts may cost in a calendar month (Europe/"
          "London); a post that would go over it waits for the next month."),
    Field("post_cost", Money(minimum=Decimal("0.01")), "X: what one post with a link costs, in US dollars.",
          default=Decimal("0.20")),
], make=PublishAccount, expected="an account (account, credentials, limit, base_url, id, monthly_cap, post_cost)")
_PUBLISH = [
    Field("state", Text(), "The folder, from the project root, that keeps the ledger of posts made.",
          default="state"),
    Field("accounts", ListOf(_PUBLISH_ACCOUNT), "The social accounts `build.py post` posts to.", default=()),
    Field("routes", ListOf(Record([
        Field("tag", Text(pattern=r"[a-z0-9]+(?:-[a-z0-9]+)*", expected="a tag like 'knife-crime'"),
              "Items with this tag...", required=True),
        Field("account", Text(pattern=r"[a-z]+:\S+", expected="an account like 'x:@WMPolice'"),
              "...also go to this account's social feed (network:handle).", required=True),
    ], make=Route, expected="a route (tag, account)")), "Extra routes from a tag to an account.", default=()),
]
_AUDIT = [
    Field("quiet_days", Integer(1, 3650), "`build.py audit` reports an account whose social feed has had nothing "
          "new for this many days.", default=60),
]
CMS_BACKENDS = ("git-gateway", "github", "gitlab", "azure")
_CMS = [
    Field("backend", Choice(*CMS_BACKENDS), "How the CMS signs editors in and commits their changes: 'github', "
          "'gitlab' or 'azure' for a repository there, 'git-gateway' for Netlify Identity.", required=True),
    Field("repo", Text(pattern=r"[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+){1,3}",
                       expected="a repository like 'west-midlands-police/website'"),
          "The force's repository: owner/name (for azure, organisation/project/repository). Needed for every "
          "backend but git-gateway."),
    Field("branch", Text(pattern=r"[A-Za-z0-9_./-]+", expected="a branch name like 'main'"),
          "The branch the site is built from: approved changes are merged into it.", default="main"),
    Field("base_url", Url(), "The OAuth server that signs editors in to github or gitlab, when the site is "
          "not hosted on Netlify (docs/editors.md)."),
    Field("local_backend", Integer(1024, 65535), "The port of decap-server on your own computer, to try the "
                                                 "CMS on a local copy of the repository; the CMS uses it only "
                                                 "when opened on 127.0.0.1 or localhost."),
]
CONFIG_TABLES = {
    "force": (_FORCE, ForceConfig, True),
    "accessibility": (_ACCESSIBILITY, AccessibilityConfig, True),
    "build": (_BUILD, BuildConfig, False),
    "publish": (_PUBLISH, PublishConfig, False),
    "audit": (_AUDIT, AuditConfig, False),
}


def load_config(path: Path) -> Config:
    """Read and check site.toml; raise BuildFailed naming every problem in it."""
    rel = path.name
    try:
        text = text_of(rel, path.read_bytes())
    except FileNotFoundError:
        raise BuildFailed([ContentError(rel, "no site.toml found here",
                                        hint="run the command in the project folder, or give --source")]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise BuildFailed([ContentError(rel, f"site.toml is not valid TOML: {exc}",
                                        int(match.group(1)) if match else None)]) from None
    errors: list[ContentError] = []
    line_of = toml_lines(text)
    tz = ZoneInfo("Europe/London")
    if isinstance(raw.get("force"), dict) and isinstance(raw["force"].get("time_zone"), str):
        try:
            tz = ZoneInfo(raw["force"]["time_zone"])
        except (ZoneInfoNotFoundError, ValueError):
            errors.append(ContentError(rel, f"'force.time_zone': expected a time zone like 'Europe/London', "
                                            f"found {raw['force']['time_zone']!r}", line_of(("force", "time_zone"))))
    ctx = Context(rel, line_of, tz, errors)
    sections: dict[str, Any] = {}
    known = dict.fromkeys(CONFIG_TABLES) | {"cms": None, "extra": None}
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1)
            ctx.error((key,), f"unknown table or key '{key}'",
                      f"did you mean '{close[0]}'?" if close else "put free keys of your own under [extra]")
    for table, (fields, make, required) in CONFIG_TABLES.items():
        value = raw.get(table)
        if value is None and not required:
            value = {}
        if not isinstance(value, dict):
            ctx.error((table,), f"a [{table}] table is missing from site.toml")
            continue
        before = len(errors)
        values = check_fields(value, {f.name: f for f in fields}, (table,), ctx)
        if len(errors) == before:
            sections[table] = make(**values)
    cms = _cms(raw, ctx) if "cms" in raw else None
    if "publish" in sections:
        _check_publish_accounts(sections["publish"].accounts, ctx)
    statement = sections.get("accessibility")
    if statement and statement.test_record:
        sections["accessibility"] = replace(statement, tested=load_tested(path.parent, statement.test_record,
                                                                          tz, errors))
    if errors:
        raise BuildFailed(errors)
    return Config(root=path.parent.resolve(), force=sections["force"],
                  accessibility=sections["accessibility"], build=sections["build"],
                  publish=sections["publish"], audit=sections["audit"], cms=cms, extra=raw.get("extra", {}))


#: Networks whose posts go through Meta's Graph API, which names an account by its numeric id.
META_NETWORKS = ("facebook", "instagram", "threads")


def _check_publish_accounts(accounts: tuple[PublishAccount, ...], ctx: Context) -> None:
    """What each network's [[publish.accounts]] needs, and allows, beyond the fields' own kinds."""
    seen: dict[str, int] = {}
    for n, account in enumerate(accounts):
        at = ("publish", "accounts", n)
        network, name = account.network, f"'{account.account}'"
        key = account_key(network, account.handle)       # the name of its feed: two would post one feed
        if key in seen:
            ctx.error(at + ("account",), f"{name} is in [publish] accounts twice",
                      f"the first is publish.accounts[{seen[key] + 1}]")
        seen.setdefault(key, n)
        if network == "mastodon" and not account.base_url:
            ctx.error(at, f"{name}: a Mastodon account needs base_url, its instance's address")
        if network == "x" and account.base_url:
            ctx.error(at + ("base_url",), f"{name}: X has one address; remove base_url")
        if account.limit and network != "mastodon":
            ctx.error(at + ("limit",), f"{name}: limit is for Mastodon instances")
        if network in META_NETWORKS and not account.id:
            ctx.error(at, f"{name}: a {network.capitalize()} account needs id, its number on Meta's Graph API",
                      "docs/social.md says where to find it")
        if account.id and network not in META_NETWORKS:
            ctx.error(at + ("id",), f"{name}: id is for Facebook, Instagram and Threads accounts")
        for money in ("monthly_cap", "post_cost"):
            if network != "x" and (money == "monthly_cap" and account.monthly_cap is not None or
                                   money == "post_cost" and account.post_cost != Decimal("0.20")):
                ctx.error(at + (money,), f"{name}: {money} is for X accounts, the network that charges per post")


def _cms(raw: dict, ctx: Context) -> CmsConfig | None:
    """The [cms] table, checked; None (and errors in `ctx`) when it is wrong."""
    if not isinstance(raw["cms"], dict):
        ctx.error(("cms",), "'cms' must be a table: write [cms] on a line of its own, then its keys")
        return None
    before = len(ctx.errors)
    values = check_fields(raw["cms"], {f.name: f for f in _CMS}, ("cms",), ctx)
    if len(ctx.errors) > before:
        return None
    if values["backend"] != "git-gateway" and not values["repo"]:
        ctx.error(("cms", "backend"), f"'cms.repo' is missing: the {values['backend']} backend commits to a "
                  "repository", "add repo = \"owner/name\" under [cms]")
        return None
    return CmsConfig(**values)
