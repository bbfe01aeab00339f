"""The 2025 Neighbourhood Policing Guarantee, checked per team: warnings, not errors, so a build still publishes.

The guarantee promises residents a named, contactable officer for their
neighbourhood and priorities they can see being worked on. A team is warned
about when:

- none of its priorities was updated (raised, or given an action) in the three
  months before the build date;
- it has no named, contactable officer: at least one member (every member has
  a name) who can be reached, by their own `email` or through the team's
  `contact` phone or email.

`build` and `check` print the warnings and carry on; with `--strict` they fail
(exit 1), and `build` writes nothing.
"""

from __future__ import annotations

import datetime as dt

from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.core.model import Force

#: How recently a team must have updated a priority.
RECENT_MONTHS = 3
GUARANTEE = "the Neighbourhood Policing Guarantee"


class GuaranteeFailed(BuildFailed):
    """Raised by `build --strict` when there are warnings; carries them by section (see format_warnings),
    the guarantee's first, in check_guarantee's order."""

    def __init__(self, sections):
        self.sections = tuple((title, tuple(found)) for title, found in sections)
        super().__init__([w for _, found in self.sections for w in found])
        self.errors = [w for _, found in self.sections for w in found]


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter): 31 May -> 28 Feb."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    following = dt.date(year + (month == 11), (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(day.day, (following - dt.timedelta(days=1)).day))


def check_guarantee(force: Force, now: dt.datetime) -> list[ContentError]:
    """Every team that breaks a promise of the guarantee against the build date `now`, as warnings."""
    since = months_before(now.date(), RECENT_MONTHS)
    warnings: list[ContentError] = []
    for team in force.teams:
        path, line = team.source.path, team.source.line_of("name")
        own = [p for p in force.priorities if p.lpu == team.lpu and p.team == team.slug]
        latest = max(own, key=lambda p: (p.updated, p.slug), default=None)
        folder = f"content/lpus/{team.lpu}/priorities/"
        if latest is None:
            warnings.append(ContentError(
                path, f"the team has no priorities: {GUARANTEE} promises residents priorities they can see "
                f"being worked on", line, f"add one in {folder} with 'team: {team.slug}'"))
        elif latest.updated < since:
            warnings.append(ContentError(
                path, f"no priority updated in the last {RECENT_MONTHS} months (since {since.isoformat()}): the "
                f"latest, {latest.source.path}, was updated on {latest.updated.isoformat()}", line,
                "add what the team did, with its date, to the priority's 'actions', or raise a new priority"))
        if not team.members:
            warnings.append(ContentError(
                path, f"no named officer: {GUARANTEE} promises residents a named, contactable officer", line,
                "list the team's officers under 'members', each with a name and role"))
        elif not (any(m.email for m in team.members) or team.contact.phone or team.contact.email):
            warnings.append(ContentError(
                path, "no way to contact the team's officers: no member has an 'email', and the team's "
                "'contact' has no phone or email", team.source.line_of("members"),
                "give an officer an 'email', or the team a 'contact' phone or email"))
    return sorted(warnings, key=lambda w: w.path)  # stable: per team, priorities first


def format_warnings(sections, *, command: str, strict: bool) -> str:
    """Number the warnings and say what they mean for this `command` ('build' or 'check'), as editors see them.

    `sections` is (what they are about, its warnings) for each kind of warning, e.g.
    ("the Neighbourhood Policing Guarantee", [...]); each gets its heading, numbers run on across them.
    """
    lines: list[str] = []
    warnings: list[ContentError] = []
    for title, found in sections:
        if found:
            lines.append(f"Warnings: {title}")
            lines += [f"{len(warnings) + i}. {warning}" for i, warning in enumerate(found, 1)]
            warnings += found
    found = f"Found {len(warnings)} warning{'' if len(warnings) == 1 else 's'}"
    if strict:
        lines.append(f"{found}; with --strict they fail the {command}" +
                     (", so nothing was written." if command == "build" else "."))
    elif command == "build":
        lines.append(f"{found}; the site was built anyway (with --strict they fail the build).")
    else:
        lines.append(f"{found} (with --strict they fail the check).")
    return "\n".join(lines)
