"""The plan of a synthetic force: how many of everything, their names, dates and Markdown bodies.

`Force(scale, seed)` decides every LPU, team, priority, advice page and news item (names, slugs,
dates, paths) before any file is written, so that bodies can link to any other file; its `body()`
writes Markdown from the word lists in bench/words.py. bench/generate.py writes the files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
from dataclasses import dataclass, field

import words as W

REF_SCALE = 200.0
#: (count at scale 1, count at the reference scale) for each kind of thing.
COUNTS = {"lpus": (10, 12), "teams": (60, 170), "news": (100, 20000), "priorities": (75, 3000),
          "meetings": (300, 2000), "advice": (15, 60), "pages": (6, 13)}
FORCE_NEWS_SHARE = 0.3
START = dt.date(2016, 7, 1)          # ten years of archive, ending the day before NOW
NOW = dt.date(2026, 7, 1)            # pass `--now 2026-07-01` to build.py for upcoming meetings

def parse_scale(text: str) -> float:
    """'ref' or a positive number."""
    if text == "ref":
        return REF_SCALE
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number or 'ref', found {text!r}")
    return value


def counts_for(scale: float) -> dict[str, int]:
    """How many of each thing a force of `scale` has: a log-log line from scale 1 to the reference."""
    out = {}
    for name, (base, ref) in COUNTS.items():
        exponent = math.log(ref / base) / math.log(REF_SCALE)
        out[name] = max(1, round(base * scale ** exponent))
    out["teams"] = max(out["teams"], out["lpus"])
    return out


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def yaml_text(text: str) -> str:
    """A YAML scalar: plain when safe, as editors write it; double-quoted (JSON) otherwise."""
    if ": " in text or " #" in text or text[:1] in "@[{#&*!|>'\"%`-?," or text.endswith(":"):
        return json.dumps(text, ensure_ascii=False)
    return text


@dataclass
class Team:
    lpu: str
    slug: str
    name: str
    path: str


@dataclass
class Priority:
    lpu: str
    team: Team
    slug: str
    title: str
    topic: tuple
    street: str
    path: str


@dataclass
class News:
    index: int
    when: dt.datetime
    lpu: str | None            # None: force-wide news
    team: Team | None
    topic: tuple
    place: str
    street: str
    slug: str
    title: str
    path: str
    extra: dict = field(default_factory=dict)


class Force:
    """Everything decided before any body is written, so bodies can link to any file."""

    def __init__(self, scale: float, seed: int):
        self.rng = random.Random(seed)
        self.n = counts_for(scale)
        self.places = self._places(self.n["lpus"] + self.n["teams"] + 40)
        self.name = "Synthetic Valley Police"
        self.lpus: list[tuple[str, str]] = []          # (slug, name)
        self.teams: list[Team] = []
        self.priorities: list[Priority] = []
        self.news: list[News] = []
        self.advice: list[tuple[str, str, tuple]] = []  # (slug, title, topic)
        self._plan()

    # -- naming ---------------------------------------------------------------------
    def _places(self, count: int) -> list[str]:
        names = [a + b for a in W.PLACE_START for b in W.PLACE_END]
        self.rng.shuffle(names)
        extra = [f"{d} {n}" for n in names for d in ("North", "South", "East", "West", "Upper", "Lower")]
        return (names + extra)[:count]

    def street(self, place: str) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return f"{place} {rng.choice(W.STREET_KINDS)}"
        return f"{rng.choice(W.STREET_NAMES)} {rng.choice(W.STREET_KINDS)}"

    def person(self) -> str:
        return f"{self.rng.choice(W.FIRST_NAMES)} {self.rng.choice(W.LAST_NAMES)}"

    def phone(self) -> str:
        return f"0121 496 {self.rng.randrange(1000):04d}"

    # -- the plan -------------------------------------------------------------------
    def _plan(self) -> None:
        rng, n = self.rng, self.n
        places = iter(self.places)
        for _ in range(n["lpus"]):
            name = next(places)
            self.lpus.append((slugify(name), name))
        for i in range(n["teams"]):
            lpu = self.lpus[i % len(self.lpus)][0]
            name = next(places)
            slug = slugify(name)
            self.teams.append(Team(lpu, slug, name, f"content/lpus/{lpu}/teams/{slug}.md"))
        self.teams_of = {slug: [t for t in self.teams if t.lpu == slug] for slug, _ in self.lpus}
        used: set[tuple[str, str]] = set()
        for i in range(n["priorities"]):
            team = self.teams[rng.randrange(len(self.teams))]
            topic = rng.choice(W.TOPICS)
            street = self.street(team.name)
            slug = slugify(f"{topic[0]} {street}")
            while (team.lpu, slug) in used:
                slug = f"{slugify(f'{topic[0]} {street}')}-{rng.randrange(2, 1000)}"
            used.add((team.lpu, slug))
            title = f"{topic[1].capitalize()} on {street}, {team.name}"
            self.priorities.append(Priority(team.lpu, team, slug, title, topic, street,
                                            f"content/lpus/{team.lpu}/priorities/{slug}.md"))
        for i in range(n["advice"]):
            topic = W.TOPICS[i % len(W.TOPICS)]
            audience = W.ADVICE_AUDIENCES[(i // len(W.TOPICS)) % len(W.ADVICE_AUDIENCES)]
            slug = f"{topic[0]}-{audience}".strip("-") if i < len(W.TOPICS) * len(W.ADVICE_AUDIENCES) \
                else f"{topic[0]}-{i}"
            title = f"{topic[1].capitalize()}" + (f" {audience.replace('-', ' ')}" if audience else ": how to stay safe")
            self.advice.append((slug, title, topic))
        self.advice_of = {}
        for slug, _title, topic in self.advice:
            self.advice_of.setdefault(topic[0], slug)
        span = (NOW - START).days * 24 * 60
        moments = sorted(rng.randrange(span) for _ in range(n["news"]))
        for i, minutes in enumerate(moments):
            day = START + dt.timedelta(days=minutes // (24 * 60))
            when = dt.datetime(day.year, day.month, day.day, 7 + (minutes // 60) % 15, minutes % 60)
            topic = rng.choice(W.TOPICS)
            if rng.random() < FORCE_NEWS_SHARE:
                lpu, team = None, None
                place = self.lpus[rng.randrange(len(self.lpus))][1]
            else:
                lpu = self.lpus[rng.randrange(len(self.lpus))][0]
                team = rng.choice(self.teams_of[lpu]) if rng.random() < 0.6 else None
                place = team.name if team else dict(self.lpus)[lpu]
            street = self.street(place)
            title = rng.choice(topic[3]).format(place=place, street=street, n=rng.randint(3, 12))
            slug = f"{'-'.join(slugify(title).split('-')[:7])}-{i + 1}"
            stem = f"{when:%Y-%m-%d}-{slug}"
            path = f"content/news/{stem}.md" if lpu is None else f"content/lpus/{lpu}/news/{stem}.md"
            self.news.append(News(i, when, lpu, team, topic, place, street, slug, title, path))

    # -- bodies ---------------------------------------------------------------------
    def slots(self, place: str, street: str, team: str, topic: tuple) -> dict:
        rng = self.rng
        return {"place": place, "street": street, "team": team, "topic": topic[1],
                "weekday": rng.choice(W.WEEKDAYS), "month": rng.choice(W.MONTHS), "n": rng.randint(12, 400),
                "age": rng.randint(17, 64), "venue": rng.choice(W.VENUES)}

    def body(self, here: str, slots: dict, topic: tuple, low: int, high: int, *, news: News | None = None,
             headings: list[str] | None = None, links: list[tuple[str, str]] = ()) -> str:
        """A Markdown body of `low` to `high` words: paragraphs, ## headings, lists, links, emphasis."""
        rng = self.rng
        target = rng.randint(low, high)
        own = topic[4]

        def sentence() -> str:
            pool = own if rng.random() < 0.35 else W.GENERIC
            return rng.choice(pool).format_map(slots)

        def paragraph(k: int) -> str:
            sentences = [sentence() for _ in range(k)]
            roll = rng.random()
            if roll < 0.25 and links:
                text, target_path = rng.choice(links)
                sentences.insert(rng.randrange(len(sentences) + 1), f"Read more about [{text}]({target_path}).")
            elif roll < 0.35:
                label, url = rng.choice(W.EXTERNAL)
                sentences.append(f"You can also contact [{label}]({url}).")
            elif roll < 0.45:
                sentences.append(f"**{rng.choice(['Call 999 in an emergency.', 'Never approach the offenders yourself.', 'Do not post details that could harm the case.'])}**")
            elif roll < 0.5:
                short, long = rng.choice(W.ABBRS)
                sentences.append(f'The <abbr title="{long}">{short}</abbr> team will review it every month.')
            elif roll < 0.58:
                operation = f"{rng.choice(W.PLACE_START)}{rng.choice(['ite', 'star', 'stone', 'ward'])}"
                sentences[0] = f"Under *Operation {operation}*, {sentences[0][0].lower()}{sentences[0][1:]}"
            return " ".join(sentences)

        blocks = [paragraph(rng.randint(2, 3))]
        count = len(blocks[0].split())
        sections = list(headings or rng.sample(W.HEADINGS, 4))
        while count < target:
            if sections and not blocks[-1].startswith("##") and len(blocks) > 1 and rng.random() < 0.4:
                block = f"## {sections.pop(0)}"
            else:
                roll = rng.random() if blocks[-1][:1].isalpha() else 1.0   # lists and quotes follow text
                if roll < 0.15:
                    items = rng.sample(W.LIST_ITEMS, rng.randint(3, 6))
                    block = "\n".join(f"- {item}" for item in items)
                elif roll < 0.22:
                    items = rng.sample(W.LIST_ITEMS, rng.randint(3, 5))
                    block = "\n".join(f"{k}. {item}" for k, item in enumerate(items, 1))
                elif roll < 0.3:
                    name = f"{rng.choice(W.QUOTE_RANKS)} {self.person()}"
                    block = f'"{rng.choice(W.QUOTES)}" said {name}. "{rng.choice(W.QUOTES)}"'
                elif roll < 0.33:
                    block = f"> {rng.choice(W.QUOTES)}"
                elif roll < 0.35 and news is not None:
                    block = f"![{topic[1].capitalize()}: a picture from the story](/images/news/{rng.randrange(8)}.svg)"
                else:
                    block = paragraph(rng.randint(2, 5))
            size = len(block.split())
            if count + size > high and count >= low:
                break
            blocks.append(block)
            count += size
        while blocks[-1].startswith("##"):
            blocks.pop()
        return "\n\n".join(blocks) + "\n"


def rel_link(here: str, target: str, rng: random.Random) -> str:
    """A link to a content file as editors write it: from the content root, or relative."""
    if rng.random() < 0.5:
        return "/" + target.removeprefix("content/")
    base = here.rsplit("/", 1)[0].split("/")
    parts = target.split("/")
    common = 0
    while common < min(len(base), len(parts) - 1) and base[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:])
