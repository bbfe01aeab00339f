"""`build.py audit`: the force's social accounts that need attention.

Kinds of finding, in the order they are listed:
  no-owner        site.toml's [[publish.accounts]] posts to an account that nothing declares
  owner-gone      the ledger has posts of an account that nothing declares any more, or a unit
                  names an LPU that no longer exists
  duplicate       one handle declared by two owners (or twice by one)
  former-officer  an officer listed under a team's `former` still has an account on record
  quiet           a force, LPU or team account (or any account with routed items) whose social
                  feed has had nothing new for [audit] quiet_days
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from wmpsite.core.urls import account_key
from wmpsite.features.accounts import Account, build_registry

KINDS = ("no-owner", "owner-gone", "duplicate", "former-officer", "quiet")
LABELS = {"no-owner": "no owner", "owner-gone": "owner gone", "duplicate": "same handle twice",
          "former-officer": "officer has left", "quiet": "quiet"}


@dataclass(frozen=True)
class Finding:
    """One account that needs attention, and why."""

    kind: str                 # one of KINDS
    account: str              # network:handle
    key: str                  # its social feed's key
    owner: str | None         # who declares it, if anyone
    source: str               # the file to change
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{self.account} ({LABELS[self.kind]}): {where}: {self.message}"


def audit(checked) -> tuple[tuple[Account, ...], tuple[Finding, ...]]:
    """The registry of a checked site, and every finding about it, sorted by kind then account."""

    config, force = checked.config, checked.force
    registry = build_registry(config, force)
    declared = {a.key for a in registry}
    findings: list[Finding] = []
    publish_keys = set()
    for publish in config.publish.accounts:
        key = account_key(publish.network, publish.handle)
        publish_keys.add(key)
        if key not in declared:
            findings.append(Finding("no-owner", publish.account, key, None, "site.toml", None,
                                    "[[publish.accounts]] posts to it, but no force, LPU, team, unit or officer "
                                    "declares it (declare it where it belongs, or remove it from [publish])"))
    for key, name in sorted(_ledger_accounts(config).items()):
        if key not in declared and key not in publish_keys:
            findings.append(Finding("owner-gone", name, key, None, f"{config.publish.state}/social-ledger.json",
                                    None, "it has posted before, but nothing declares it any more (close the "
                                    "account or hand it to a new owner and declare it there)"))
    lpus = {lpu.slug for lpu in force.lpus}
    for unit in force.units:
        if unit.lpu and unit.lpu not in lpus:
            for a in unit.social:
                findings.append(Finding("owner-gone", f"{a.network}:{a.handle}", account_key(a.network, a.handle),
                                        unit.name, unit.source.path, unit.source.line_of("lpu"),
                                        f"the unit serves the LPU '{unit.lpu}', which no longer exists"))
    by_key: dict[str, list[Account]] = defaultdict(list)
    for a in registry:
        by_key[a.key].append(a)
    for key, accounts in by_key.items():
        if len(accounts) > 1:
            owners = "; ".join(f"{a.owner} ({a.source})" for a in accounts)
            for a in accounts:
                findings.append(Finding("duplicate", a.name, key, a.owner, a.source, a.line,
                                        f"declared {len(accounts)} times: {owners} (keep one owner)"))
    for a in registry:
        if a.owner_kind == "former-officer":
            findings.append(Finding("former-officer", a.name, a.key, a.owner, a.source, a.line,
                                    f"{a.owner} has left the team; close the account or hand it over, then "
                                    "remove it from 'former'"))
    findings += _quiet(checked, registry)
    order = {kind: i for i, kind in enumerate(KINDS)}
    findings.sort(key=lambda f: (order[f.kind], f.account.casefold(), f.source, f.line or 0))
    return registry, tuple(findings)


def _quiet(checked, registry: tuple[Account, ...]) -> list[Finding]:
    days = checked.config.audit.quiet_days
    since = checked.now - dt.timedelta(days=days)
    feeds = {feed.key: feed for feed in checked.social}
    out, seen = [], set()
    for a in registry:
        feed = feeds.get(a.key)
        if feed is None or a.key in seen:
            continue
        expected = a.owner_kind in ("force", "lpu", "team")   # others get items only when routed
        if not feed.items and not expected:
            continue
        newest = max((item.date for item in feed.items if item.date <= checked.now), default=None)
        if newest is None or newest < since:
            seen.add(a.key)
            last = f"its last item was on {newest.day} {newest:%B %Y}" if newest else "its feed has never had an item"
            out.append(Finding("quiet", a.name, a.key, a.owner, a.source, a.line,
                               f"nothing new for over {days} days: {last} (post to it, route items to it, or "
                               "close it)"))
    return out


def _ledger_accounts(config) -> dict[str, str]:
    """key -> network:handle of every account in the publisher's ledger, if there is one."""
    path: Path = config.root / config.publish.state / "social-ledger.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    accounts = data.get("accounts") if isinstance(data, dict) else None
    if not isinstance(accounts, dict):
        return {}
    return {key: str(entry.get("account", key)) for key, entry in accounts.items() if isinstance(entry, dict)}


def format_report(registry, findings, quiet_days: int) -> str:
    """The human-readable report: numbered findings, then a count."""
    if not findings:
        return f"No social accounts need attention ({len(registry)} declared; quiet after {quiet_days} days)."
    lines = [f"{i}. {finding}" for i, finding in enumerate(findings, 1)]
    noun = "account needs" if len(findings) == 1 else "accounts need"
    lines.append(f"Found {len(findings)} {noun} attention ({len(registry)} declared; quiet after {quiet_days} days).")
    return "\n".join(lines)


def to_json(registry, findings, quiet_days: int) -> str:
    """The report for a pipeline: the registry and the findings."""
    return json.dumps({
        "quiet_days": quiet_days,
        "accounts": [{"account": a.name, **asdict(a)} for a in registry],
        "findings": [asdict(f) for f in findings],
    }, ensure_ascii=False, indent=1)
