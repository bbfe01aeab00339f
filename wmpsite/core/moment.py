"""What the pages say that depends on the moment of the build.

Pages never read the build's clock. The Renderer gets a Moment, and the few
things a page says about time go through it: which events are over, which
alerts are on or have ended, and the day. `fingerprint` sums up those
decisions, so a rebuild that wants to keep last build's pages (reuse.py) can
tell whether any of them came out differently, without comparing clocks: two
builds a minute apart, with no event or alert in between, give the same pages.
"""

from __future__ import annotations

import bisect
import datetime as dt

from wmpsite.core.model import ALERT_SEVERITIES, Alert, Event, Force


class Moment:
    """The build's moment, as the pages of one Force may use it."""

    def __init__(self, force: Force, now: dt.datetime):
        from wmpsite.core.events import all_events
        self._now = now
        self.date = now.date()
        finishes = sorted(e.finish for e in all_events(force))
        starts = sorted(a.start for a in force.alerts)
        ends = sorted(a.end for a in force.alerts)
        # Every answer below compares `now` with one of these instants, so how many of each lie
        # before it decides them all.
        self.fingerprint = (self.date.isoformat(), bisect.bisect_left(finishes, now),
                            bisect.bisect_right(starts, now), bisect.bisect_right(ends, now))

    def over(self, event: Event) -> bool:
        """An event is upcoming until it is over."""
        return event.finish < self._now

    def split(self, events) -> tuple[tuple, tuple]:
        """(upcoming soonest first, past latest first)."""
        return (tuple(e for e in events if not self.over(e)),
                tuple(e for e in reversed(events) if self.over(e)))

    def active_alerts(self, force: Force) -> tuple[Alert, ...]:
        """The alerts on now, most serious first (alerts.active)."""
        return active(force, self._now)

    def ended(self, alert: Alert) -> bool:
        return alert.end <= self._now


def active(force: Force, now: dt.datetime) -> tuple[Alert, ...]:
    """The alerts active at `now`, most serious first, then latest start."""
    live = [a for a in force.alerts if a.start <= now < a.end]
    return tuple(sorted(live, key=lambda a: (ALERT_SEVERITIES.index(a.severity), -a.start.timestamp(), a.slug)))
