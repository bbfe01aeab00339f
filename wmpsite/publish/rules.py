"""What may be posted now besides a text that fits: Instagram's need of an image, the daily limits
Meta sets on posts made through its API, and an X account's monthly spend cap.

A missing image is the content's problem: the account stops at that item, as for a text that does
not fit, and the run fails. A limit or a cap reached is no one's mistake: the items wait, in order,
for a later run, and the run says so and succeeds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from wmpsite.core.config import PublishAccount
from wmpsite.outputs.posts import NAMES
from wmpsite.publish.ledger import Ledger
from wmpsite.publish.networks import FeedItem

#: Posts an account may make through the network's API in any 24 hours (Meta counts a moving window).
DAILY_LIMITS = {"instagram": 50, "threads": 250}
DAY = dt.timedelta(hours=24)


def refusal(account: PublishAccount, item: FeedItem) -> str | None:
    """Why this item cannot be posted to this account as it stands, or None."""
    if account.network == "instagram" and not item.image:
        return (f"{item.id}: Instagram posts need an image and this item has none (its feed item gives no "
                "'image'); give the item an image, or its share card, and build again")
    return None


def month_of(moment: dt.datetime, tz: ZoneInfo) -> str:
    """The calendar month an X post is charged to, in the force's time zone: '2026-11'."""
    return moment.astimezone(tz).strftime("%Y-%m")


def room(account: PublishAccount, ledger: Ledger, key: str, queue: list[FeedItem], now: dt.datetime,
         tz: ZoneInfo) -> tuple[int, str | None]:
    """How many of `queue` (oldest first) may be posted now, and, if fewer than all, why the rest wait."""
    allowed, why = len(queue), None
    limit = DAILY_LIMITS.get(account.network)
    if limit is not None:
        made = ledger.posted_since(key, now - DAY)
        if len(queue) > limit - len(made):
            allowed = max(0, limit - len(made))
            free = (min(made) + DAY).astimezone(tz) if made else now.astimezone(tz)
            why = (f"{NAMES[account.network]} takes {limit} posts a day from an account through its API and "
                   f"{len(made)} were made in the last 24 hours; {len(queue) - allowed} post(s) wait for a run "
                   f"after {free:%Y-%m-%d %H:%M}")
    if account.network == "x" and account.monthly_cap is not None:
        month = month_of(now, tz)
        spent = ledger.spent(key, month)
        can = int((account.monthly_cap - spent) // account.post_cost) if spent < account.monthly_cap else 0
        if len(queue) > can and can < allowed:
            allowed = max(0, can)
            local = now.astimezone(tz)
            first = dt.date(local.year + local.month // 12, local.month % 12 + 1, 1)
            why = (f"its monthly cap is ${account.monthly_cap:.2f} and ${spent:.2f} is spent in {local:%B %Y} "
                   f"at ${account.post_cost:.2f} a post; {len(queue) - allowed} post(s) wait for "
                   f"{first:%-d %B %Y}, or a higher monthly_cap in site.toml")
    return allowed, why


def spend_note(account: PublishAccount, ledger: Ledger, key: str, count: int, now: dt.datetime,
               tz: ZoneInfo) -> str | None:
    """What an X account with a cap has spent this month, and what this run's posts add."""
    if account.network != "x" or account.monthly_cap is None:
        return None
    spent = ledger.spent(key, month_of(now, tz))
    return (f"${spent:.2f} of its ${account.monthly_cap:.2f} monthly cap is spent in {now.astimezone(tz):%B %Y}; "
            f"{count} post(s) at ${account.post_cost:.2f} add ${count * account.post_cost:.2f}")


def cost(account: PublishAccount) -> Decimal | None:
    """What a post on this account costs, to record in the ledger (X only)."""
    return account.post_cost if account.network == "x" else None
