"""Generate a synthetic police force of a given size from a seed, for the benchmark.

    python bench/generate.py --scale 1 --seed 1 --out /tmp/force        # about the demo's size
    python bench/generate.py --scale ref --out /tmp/force \\
        --hugo /tmp/force-hugo --pelican /tmp/force-pelican              # the reference force, and its news for peers

`--scale 1` is about the demo force (10 LPUs, 60 teams, 100 news items); `--scale ref` (= 200)
is a large force's ten-year archive (12 LPUs, 170 teams, 20,000 news items, 3,000 priorities,
2,000 meetings), about 26,000 HTML pages. Counts between grow on a log-log line through those two
points (news linearly). The same seed always gives the same bytes.

`--hugo` and `--pelican` also write the same news articles (force-wide and local) as a Hugo and a
Pelican project, with the minimal layouts and theme under bench/peers/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import words as W  # noqa: E402  (bench/words.py, beside this file)
from force_plan import (NOW, REF_SCALE, START, Force, Priority, parse_scale, rel_link,  # noqa: E402
                        slugify, yaml_text)

DOMAIN = "synthetic.police.example"
PEERS = Path(__file__).resolve().parent / "peers"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# -- wmpsite ------------------------------------------------------------------------
SITE_TOML = """\
# A synthetic force for the benchmark (bench/generate.py, scale {scale}, seed {seed}). Everything is invented.

[force]
name = "{name}"
short_name = "SVP"
base_url = "https://www.{domain}/"
description = "News, neighbourhood teams, local priorities and crime prevention advice from {name}."
language = "en-GB"
time_zone = "Europe/London"
emergency_number = "999"
non_emergency_number = "101"
textphone = "18001 101"
report_online_url = "https://www.police.uk/ro/report/ocr/sv/how-to-report/"

[[force.social]]
network = "x"
handle = "@SynthValleyPolice"
url = "https://x.com/SynthValleyPolice"

[[force.social]]
network = "facebook"
handle = "Synthetic Valley Police"
url = "https://www.facebook.com/SynthValleyPolice"

[accessibility]
contact_email = "web.accessibility@{domain}"
contact_phone = "0121 496 0500"
statement_prepared = 2024-09-23
last_reviewed = 2026-06-14
compliance = "partial"
known_issues = ["Some older PDF documents are not tagged for screen readers."]
response_days = 5

[build]
output = "_site"
news_per_page = 10
home_news_count = 6
"""


def svg(i: int) -> str:
    hue = (i * 47) % 360
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 450" role="img">'
            f'<rect width="800" height="450" fill="hsl({hue},40%,85%)"/>'
            f'<circle cx="400" cy="225" r="{80 + 10 * i}" fill="hsl({hue},50%,45%)"/></svg>\n')


def write_wmpsite(force: Force, out: Path, scale: float, seed: int) -> dict[str, int]:
    """Write site.toml, static/ and content/ under `out`; return what was written."""
    rng = force.rng
    write(out / "site.toml", SITE_TOML.format(scale=scale, seed=seed, name=force.name, domain=DOMAIN))
    for i in range(8):
        write(out / f"static/images/news/{i}.svg", svg(i))
    lpu_names = dict(force.lpus)
    written = {"files": 0, "words": 0}

    def emit(path: str, fields: list[str], body: str) -> None:
        write(out / path, "---\n" + "\n".join(fields) + "\n---\n" + body)
        written["files"] += 1
        written["words"] += len(body.split())

    for slug, title in W.PAGES[:force.n["pages"]]:
        path = f"content/pages/{slug}.md"
        slots = force.slots(force.name, "Lloyd House", "force", W.TOPICS[0])
        links = [("our crime prevention advice", rel_link(path, f"content/advice/{force.advice[0][0]}.md", rng))]
        emit(path, [f"title: {title}", f"summary: {yaml_text(title + ' at ' + force.name + '.')}",
                    "updated: 2026-01-15"],
             force.body(path, slots, rng.choice(W.TOPICS), 150, 400, links=links))
    for slug, title, topic in force.advice:
        path = f"content/advice/{slug}.md"
        slots = force.slots("your area", force.street("Market"), "local", topic)
        emit(path, [f"title: {yaml_text(title)}",
                    f"summary: {yaml_text(f'How to protect yourself from {topic[1]}, and what to do if it happens.')}",
                    f"category: {topic[2]}", f"tags: [{topic[0]}]", "updated: 2025-11-03"],
             force.body(path, slots, topic, 300, 600, headings=["Staying safe", "If it happens to you",
                                                                "Get support", "Report it"]))
    for slug, name in force.lpus:
        path = f"content/lpus/{slug}/_index.md"
        handle = slug.replace("-", "") + "police"
        fields = [f"name: {name}", f"summary: {yaml_text(f'Policing {name} and the neighbourhoods around it.')}",
                  "contact:", f"  phone: {force.phone()}", f"  email: {slug}@{DOMAIN}", "  stations:",
                  f"    - name: {name} Police Station",
                  f"      address: {force.street(name)}, {name} B{rng.randint(1, 99)} {rng.randint(1, 9)}AB",
                  "      opening_hours: Monday to Saturday, 8am to 8pm",
                  "social:", "  - network: x", f'    handle: "@{handle}"', f"    url: https://x.com/{handle}"]
        teams = force.teams_of[slug]
        links = [(f"the {t.name} team", rel_link(path, t.path, rng)) for t in teams[:4]]
        slots = force.slots(name, force.street(name), teams[0].name, W.TOPICS[3])
        emit(path, fields, force.body(path, slots, W.TOPICS[3], 200, 400, links=links,
                                      headings=["Our priorities", "Neighbourhood teams", "Contact us"]))
    meetings = distribute(force.n["meetings"], len(force.teams), rng)
    for team, count in zip(force.teams, meetings):
        path = team.path
        members = []
        for k in range(rng.randint(4, 7)):
            short, role = W.RANKS[k % len(W.RANKS)]
            person = force.person()
            members += [f"  - name: {short} {person}", f"    role: {role}"]
            if k < 4:
                members.append(f"    email: {slugify(person).replace('-', '.')}@{DOMAIN}")
        meeting_lines = []
        for _ in range(count):
            day = START + dt.timedelta(days=rng.randrange((NOW - START).days + 365))
            hour = rng.choice([10, 14, 18, 19])
            online = rng.random() < 0.2
            meeting_lines += [f'  - title: "Have your say: {team.name}"' if rng.random() < 0.6
                              else f"  - title: Beat surgery in {team.name}",
                              f"    start: {day} {hour}:{rng.choice(['00', '30'])}",
                              f"    end: {day} {hour + 1}:30",
                              "    location: Online" if online else
                              f"    location: {team.name} {rng.choice(W.VENUES)}, {force.street(team.name)}",
                              "    summary: Hear what we have done about the local priorities, and help choose "
                              "what we focus on next."]
        fields = [f"name: {team.name}",
                  f"summary: {yaml_text(f'The neighbourhood team for {team.name} and the streets around it.')}",
                  "areas:", f"  - {team.name}", f"  - {team.name} town centre",
                  f"postcodes: [B{rng.randint(1, 99)}]",
                  "contact:", f"  phone: {force.phone()}", f"  email: {team.slug}@{DOMAIN}",
                  "members:", *members]
        if meeting_lines:
            fields += ["meetings:", *meeting_lines]
        slots = force.slots(team.name, force.street(team.name), team.name, W.TOPICS[3])
        about = " ".join(s.format_map({**slots, "place": team.name}) for s in W.TEAM_ABOUT)
        links = [("our priorities", rel_link(path, p.path, rng)) for p in force.priorities if p.team is team][:3]
        emit(path, fields, about + "\n\n" + force.body(path, slots, W.TOPICS[3], 100, 250, links=links,
                                                        headings=["Contact the team", "Our area"]))
    for p in force.priorities:
        raised = START + dt.timedelta(days=rng.randrange((NOW - START).days - 30))
        status = rng.choice(["open", "in-progress", "resolved", "resolved"])
        actions = []
        day = raised
        for _ in range(rng.randint(0 if status == "open" else 1, 5)):
            day = min(day + dt.timedelta(days=rng.randint(7, 60)), NOW - dt.timedelta(days=1))
            actions += [f"  - date: {day}", f"    text: {yaml_text(rng.choice(p.topic[4]).format_map(force.slots(p.team.name, p.street, p.team.name, p.topic)))}"]
        fields = [f"title: {yaml_text(p.title)}", f"team: {p.team.slug}", f"raised: {raised}", f"status: {status}",
                  f"summary: {yaml_text(f'Residents told us about {p.topic[1]} on {p.street}.')}"]
        if actions:
            fields += ["actions:", *actions]
        links = [(f"our advice on {p.topic[1]}", rel_link(p.path, f"content/advice/{force.advice_of.get(p.topic[0], force.advice[0][0])}.md", rng)),
                 (f"the {p.team.name} team", rel_link(p.path, p.team.path, rng))]
        slots = force.slots(p.team.name, p.street, p.team.name, p.topic)
        emit(p.path, fields, force.body(p.path, slots, p.topic, 200, 400, links=links,
                                        headings=list(W.PRIORITY_HEADINGS)))
    priorities_of: dict[str, list[Priority]] = {}
    for p in force.priorities:
        priorities_of.setdefault(p.lpu, []).append(p)
    lpu_slugs = [slug for slug, _ in force.lpus]
    for item in force.news:
        fields = [f"title: {yaml_text(item.title)}", f"date: {item.when:%Y-%m-%d %H:%M}"]
        summary = rng.choice([
            "What we are doing about {topic} in {place}, and how you can help.",
            "An update on {topic} for people in {place}.",
            "Officers in {place} are asking for information after reports of {topic} on {street}.",
            "Advice and an update on {topic} from officers in {place}."]).format(
            topic=item.topic[1], place=item.place, street=item.street)
        fields.append(f"summary: {yaml_text(summary)}")
        if rng.random() < 0.05:
            fields.append(f"updated: {(item.when + dt.timedelta(days=rng.randint(1, 20))):%Y-%m-%d}")
        fields.append(f"tags: [{item.topic[0]}]")
        if rng.random() < 0.3:
            fields += ["image:", f"  src: images/news/{rng.randrange(8)}.svg",
                       f"  alt: {yaml_text(f'Officers in {item.place} talking to residents')}"]
        if item.lpu is None:
            if rng.random() < 0.2:
                fields.append("kind: press-release")
            if rng.random() < 0.4:
                fields.append(f"lpus: [{', '.join(rng.sample(lpu_slugs, rng.randint(1, 2)))}]")
        elif item.team:
            fields.append(f"team: {item.team.slug}")
        links = [(f"our advice on {item.topic[1]}",
                  rel_link(item.path, f"content/advice/{force.advice_of.get(item.topic[0], force.advice[0][0])}.md", rng))]
        if item.team:
            links.append((f"the {item.team.name} team", rel_link(item.path, item.team.path, rng)))
        if item.lpu and priorities_of.get(item.lpu):
            p = rng.choice(priorities_of[item.lpu])
            links.append((f"the priority on {p.street}", rel_link(item.path, p.path, rng)))
        if item.index > 0:
            earlier = force.news[rng.randrange(item.index)]
            links.append(("an earlier story", rel_link(item.path, earlier.path, rng)))
        team_name = item.team.name if item.team else (lpu_names.get(item.lpu) or item.place)
        slots = force.slots(item.place, item.street, team_name, item.topic)
        body = force.body(item.path, slots, item.topic, 300, 600, news=item, links=links)
        item.extra = {"summary": summary, "body": body, "fields": fields}
        emit(item.path, fields, body)
    return written


def distribute(total: int, buckets: int, rng: random.Random) -> list[int]:
    """Split `total` into `buckets` near-equal counts, the remainder at random."""
    counts = [total // buckets] * buckets
    for i in rng.sample(range(buckets), total % buckets):
        counts[i] += 1
    return counts


# -- peers --------------------------------------------------------------------------
def write_hugo(force: Force, out: Path) -> int:
    """The news as a Hugo project: hugo.toml, layouts/ from bench/peers/hugo, content/news/."""
    if (out / "layouts").exists():
        shutil.rmtree(out / "layouts")
    shutil.copytree(PEERS / "hugo" / "layouts", out / "layouts")
    config = (PEERS / "hugo" / "hugo.toml").read_text(encoding="utf-8")
    write(out / "hugo.toml", config.replace("{name}", force.name).replace("{domain}", DOMAIN))
    for i in range(8):
        write(out / f"static/images/news/{i}.svg", svg(i))
    for item in force.news:
        fields = [f"title: {json.dumps(item.title)}", f"date: {item.when:%Y-%m-%dT%H:%M:00}",
                  f"summary: {json.dumps(item.extra['summary'])}", f"slug: {item.slug}",
                  f"tags: [{item.topic[0]}]"]
        write(out / f"content/news/{item.slug}.md", "---\n" + "\n".join(fields) + "\n---\n" + item.extra["body"])
    return len(force.news)


def write_pelican(force: Force, out: Path) -> int:
    """The news as a Pelican project: pelicanconf.py and theme/ from bench/peers/pelican, content/."""
    if (out / "theme").exists():
        shutil.rmtree(out / "theme")
    shutil.copytree(PEERS / "pelican" / "theme", out / "theme")
    config = (PEERS / "pelican" / "pelicanconf.py").read_text(encoding="utf-8")
    write(out / "pelicanconf.py", config.replace("{name}", force.name).replace("{domain}", DOMAIN))
    for item in force.news:
        fields = [f"Title: {item.title}", f"Date: {item.when:%Y-%m-%d %H:%M}", f"Summary: {item.extra['summary']}",
                  f"Slug: {item.slug}", f"Tags: {item.topic[0]}", "Category: News"]
        write(out / f"content/news/{item.slug}.md", "\n".join(fields) + "\n\n" + item.extra["body"])
    return len(force.news)


def generate(scale: float, seed: int, out: Path, hugo: Path | None = None,
             pelican: Path | None = None) -> dict[str, int]:
    """Write the force under `out` (and its news for Hugo and Pelican); return the counts."""
    for folder in (out, hugo, pelican):
        if folder is not None and folder.exists():
            shutil.rmtree(folder)
    force = Force(scale, seed)
    written = write_wmpsite(force, out, scale, seed)
    stats = dict(force.n, files=written["files"], words=written["words"],
                 force_news=sum(1 for n in force.news if n.lpu is None))
    if hugo is not None:
        write_hugo(force, hugo)
    if pelican is not None:
        write_pelican(force, pelican)
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="exit codes: 0 written; 2 wrong usage")
    parser.add_argument("--scale", type=parse_scale, default=1.0,
                        help=f"1 is about the demo force; 'ref' ({REF_SCALE:g}) is the reference force (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="the random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="the wmpsite project folder to write (replaced)")
    parser.add_argument("--hugo", type=Path, help="also write the news as a Hugo project here (replaced)")
    parser.add_argument("--pelican", type=Path, help="also write the news as a Pelican project here (replaced)")
    args = parser.parse_args(argv)
    stats = generate(args.scale, args.seed, args.out, args.hugo, args.pelican)
    print(", ".join(f"{k} {v}" for k, v in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
