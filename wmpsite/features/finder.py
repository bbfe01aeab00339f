"""Find your neighbourhood team: the postcode and place index, and the page that searches it.

The build writes one static JSON index (`find-your-team/teams.json` on the main
site) from the teams' front matter; `static/js/find-team.js` searches it in the
browser. The same index gives the page its A to Z of places and postcode
districts, so the page works without JavaScript too.
"""

from __future__ import annotations

from wmpsite.core.kind import Kind
from wmpsite.core.page import Built, PlannedPage, Task
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, ClassVar, Iterator

from wmpsite.core.errors import ContentError
from wmpsite.core.events import of_team
from wmpsite.core.phone import tel_href
from wmpsite.core.model import Force, Team
from wmpsite.core.moment import Moment
from wmpsite.core.urls import MAIN, Location, Urls
from wmpsite.present.kit import Kit
from wmpsite.present.views import Link, when_time

#: Where the page lives on the main site, its index, and its script (under static/).
PATH = "find-your-team/"
INDEX = Location(MAIN, PATH + "teams.json")
SCRIPT = "js/find-team.js"

_DISTRICT = re.compile(r"([A-Z]{1,2})([0-9]+)([A-Z]?)")


@dataclass(frozen=True)
class PlaceEntry:
    """A place residents name, and the teams that cover it."""

    name: str
    teams: tuple[Link, ...]


@dataclass(frozen=True)
class DistrictEntry:
    """A postcode district, and each team covering it with the part it covers ('B29 5', or 'all')."""

    code: str
    teams: tuple[tuple[Link, str], ...]
    shared: tuple[str, ...] = ()        # its sectors more than one team claims: residents there check each team's area


def place_key(text: str) -> str:
    """Fold a place name for matching: no accents or case, apostrophes dropped, one space between words.

    Example: ``place_key("Highter's  Heath") == "highters heath"``; find-team.js folds the same way.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['\u2019]", "", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def district_of(code: str) -> str:
    """The district of a district or sector: 'B30 2' -> 'B30', 'B30' -> 'B30'."""
    return code.split()[0]


def district_sort_key(code: str) -> tuple:
    """Order districts as people expect: B1, B2, ..., B10, not B1, B10, B2."""
    match = _DISTRICT.fullmatch(code)
    return (match.group(1), int(match.group(2)), match.group(3)) if match else (code, 0, "")


def team_index(force: Force, urls: Urls, moment: Moment, site: str = MAIN) -> dict[str, Any]:
    """The index find-team.js searches, with URLs for `site`.

    `teams` lists each team once (sorted by name); the lookups refer to teams by
    their position in it. `sectors` maps a sector ('B29 5') to the teams naming
    it; `districts` maps a district to the teams covering all of it (`whole`)
    and to every team covering it or any of its sectors (`any`); `places` maps
    each place name (a team's name and its areas) to its teams.
    """
    lpus = {lpu.slug: lpu for lpu in force.lpus}
    teams = sorted(force.teams, key=lambda t: (place_key(t.name), t.lpu, t.slug))
    sectors: dict[str, set[int]] = defaultdict(set)
    whole: dict[str, set[int]] = defaultdict(set)
    any_part: dict[str, set[int]] = defaultdict(set)
    places: dict[str, dict[str, Any]] = {}
    records = []
    for number, team in enumerate(teams):
        records.append(_team_record(team, lpus[team.lpu], urls, moment, site, force))
        for code in team.postcodes:
            district = district_of(code)
            any_part[district].add(number)
            (sectors[code] if " " in code else whole[district]).add(number)
        for name in (team.name, *team.areas):
            entry = places.setdefault(place_key(name), {"name": name, "teams": set()})
            entry["teams"].add(number)
    return {
        "teams": records,
        "sectors": {code: sorted(found) for code, found in sorted(sectors.items())},
        "districts": {code: {"whole": sorted(whole.get(code, ())), "any": sorted(any_part[code])}
                      for code in sorted(any_part, key=district_sort_key)},
        "places": [{"name": entry["name"], "teams": sorted(entry["teams"])}
                   for _, entry in sorted(places.items())],
    }


def _team_record(team: Team, lpu, urls: Urls, moment: Moment, site: str, force: Force) -> dict[str, Any]:
    phone = team.contact.phone or lpu.contact.phone
    # Its meetings and the event files that name it alike (events.of_team), soonest first.
    upcoming, _past = moment.split(of_team(force, team.lpu, team.slug))
    meeting = None
    if upcoming:
        m = min(upcoming, key=lambda e: (e.start, e.title))
        meeting = {"title": m.title, "when": when_time(m.start).text, "iso": when_time(m.start).iso,
                   "location": m.location or "Online"}
    return {
        "name": team.name,
        "url": urls.link(urls.of(team), site),
        "lpu": lpu.name,
        "areas": list(team.areas),
        "postcodes": list(team.postcodes),
        "phone": phone,
        "phoneHref": tel_href(phone) if phone else None,
        "email": team.contact.email,
        "meeting": meeting,
    }


def _shared_sectors(index: dict[str, Any], teams: list[int], district: str) -> tuple[str, ...]:
    """The sectors of `district` that two or more of `teams` claim, or all of it when two claim the whole."""
    if len(index["districts"][district]["whole"]) > 1:
        return (district,)
    return tuple(code for code, found in index["sectors"].items()
                 if district_of(code) == district and len(found) > 1)


def overlap_warnings(force: Force) -> list[ContentError]:
    """Warn about two teams claiming the same part of a postcode district: both all of it, one all of it and
    the other a sector in it, or both one sector. Residents there are shown both teams, so each team's
    file should say only what it covers; a warning, not an error, because some streets really are shared.

    Example: City Centre claims all of B1 and Ladywood claims 'B1 2': a warning on city-centre.md naming
    Ladywood, ladywood.md and B1.
    """
    claims: dict[str, dict[Team, list[str]]] = defaultdict(lambda: defaultdict(list))
    for team in force.teams:
        for code in team.postcodes:
            claims[district_of(code)][team].append(code)
    warnings = []
    for district in sorted(claims, key=district_sort_key):
        teams = sorted(claims[district], key=lambda t: t.source.path)
        for i, first in enumerate(teams):
            for second in teams[i + 1:]:
                found = _overlap(district, first, claims[district][first], second, claims[district][second])
                if found:
                    warnings.append(found)
    return sorted(warnings, key=lambda w: (w.path, w.line or 0))


def _overlap(district: str, a: Team, a_codes: list[str], b: Team, b_codes: list[str]) -> ContentError | None:
    a_whole, b_whole = district in a_codes, district in b_codes
    if b_whole and not a_whole:  # said on the file of the team claiming all of it
        a, a_codes, b, b_codes, a_whole, b_whole = b, b_codes, a, a_codes, b_whole, a_whole
    this, other = f"the {a.name} team", f"the {b.name} team ({b.source.path}:{b.source.line_of('postcodes')})"
    if a_whole and b_whole:
        what = f"{this} and {other} both claim all of {district}"
        hint = (f"residents anywhere in {district} are shown both teams; give each team the sectors of "
                f"{district} it covers (like '{district} 1') instead of the whole district")
    elif a_whole:
        what = f"{this} claims all of {district}, but {other} claims {_and(b_codes)} in it"
        free = next((f"{district} {n}" for n in range(10) if f"{district} {n}" not in b_codes), district)
        hint = (f"if {a.name} covers only the rest of {district}, list the sectors it covers (like '{free}') "
                "instead of the whole district")
    else:
        shared = sorted(set(a_codes) & set(b_codes))
        if not shared:
            return None
        what = f"{this} and {other} both claim {_and(shared)}, in {district}"
        hint = (f"residents of {_and(shared)} are shown both teams and told to check each one's areas; "
                "if one team covers all of it, take it out of the other's 'postcodes'")
    return ContentError(a.source.path, f"'postcodes': {what}", a.source.line_of("postcodes"), hint)


def _and(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " and " + codes[-1]


def index_bytes(index: dict[str, Any]) -> bytes:
    """The index as compact, stable JSON."""
    return json.dumps(index, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def index_files(force: Force, urls: Urls, moment: Moment) -> Iterator[tuple[str, bytes]]:
    """The output files of this feature beyond its page: the JSON index on the main site."""
    yield INDEX.file, index_bytes(team_index(force, urls, moment))


# The page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindTeamContext:
    WHERE: ClassVar[str] = "`/find-your-team/` ([docs/search.md](search.md))"

    place_letters: tuple[tuple[str, tuple[PlaceEntry, ...]], ...]  # (letter, places), A to Z
    districts: tuple[DistrictEntry, ...]   # the postcode districts the teams cover
    index_url: str                         # the JSON index our script searches
    script_url: str                        # our script, with its version for caches


def page(r: Kit, page: PlannedPage, site: str) -> Built[FindTeamContext]:
    """Context builder for `find-team.html`: the search form's settings and the A to Z without JavaScript."""
    index = team_index(r.force, r.urls, r.moment, site)
    links = [Link(t["name"], t["url"]) for t in index["teams"]]
    letters: dict[str, list[PlaceEntry]] = {}
    for place in index["places"]:
        entry = PlaceEntry(place["name"], tuple(links[n] for n in place["teams"]))
        letters.setdefault(place_key(place["name"])[:1].upper(), []).append(entry)
    districts = []
    for code, found in index["districts"].items():
        parts = []
        for n in found["any"]:
            covered = [c for c in index["teams"][n]["postcodes"] if district_of(c) == code]
            parts.append((links[n], "all" if code in covered else ", ".join(covered)))
        districts.append(DistrictEntry(code, tuple(parts), _shared_sectors(index, found["any"], code)))
    script = r.static.get(SCRIPT)
    version = hashlib.sha256(script.read_bytes()).hexdigest()[:10] if script else "0"
    own = FindTeamContext(tuple((letter, tuple(entries)) for letter, entries in letters.items()),
                          tuple(districts), r.link(INDEX, site), r.urls.static(SCRIPT, site) + f"?v={version}")
    return Built(own, r._("Find your neighbourhood team"),
                 "Type your postcode or the name of your area to find your neighbourhood police team, "
                 "how to contact them and when you can meet them.")


KIND = Kind(
    "find your team",  # its page is planned with the site's own pages (features/pages.py)
    builders={"find-team": page},
    warnings=(overlap_warnings,),  # two teams claiming one postcode district
    tasks=lambda config, force, urls, moment, cache_file, social: [
        Task("team finder", lambda: index_files(force, urls, moment))],  # find-your-team/teams.json
)
