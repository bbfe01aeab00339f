#!/usr/bin/env python3
"""The jobs of the sites' pipeline, from one list: deploy/forces.toml.

Each force, and each separately deployable site of a force (its main site, and each LPU with an
address of its own), is a job of its own that a CI system runs in parallel; posting runs once per
force after its sites are deployed. This prints those jobs for the CI files beside it:

    python deploy/matrix.py github              # sites=[...] and forces=[...] for $GITHUB_OUTPUT
    python deploy/matrix.py gitlab > jobs.yml   # a child pipeline of one job per site, one post per force
    python deploy/matrix.py secrets dyfed-powys # the environment variables that force's posting needs

With --due, a force whose last build said nothing changes before now (its state/next-change.json)
has no jobs: a scheduled run that finds nothing due costs one small job.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from wmpsite.build import pipeline  # noqa: E402
from wmpsite.core.config import load_config  # noqa: E402
from wmpsite.publish.clients import required_env  # noqa: E402

FORCES = REPO / "deploy" / "forces.toml"


def forces(listed: Path = FORCES) -> list[dict[str, str]]:
    """The forces of the list: id (for job and cache names) and source (its folder, holding site.toml)."""
    data = tomllib.loads(listed.read_text(encoding="utf-8"))
    found = [{"id": force["id"], "source": force["source"]} for force in data.get("force", [])]
    ids = [force["id"] for force in found]
    if len(set(ids)) != len(ids):
        raise SystemExit(f"{listed}: each force needs an id of its own; found {ids}")
    return found


def due(source: Path, now: dt.datetime) -> bool:
    """Whether a scheduled run has work: no record of the last build, or its next change is by now."""
    record = source / "state" / "next-change.json"
    if not record.is_file():
        return True
    moment = json.loads(record.read_text(encoding="utf-8")).get("next_change")
    return moment is not None and dt.datetime.fromisoformat(moment) <= now


def jobs(listed: Path = FORCES, only_due: bool = False, now: dt.datetime | None = None) -> tuple[list, list]:
    """(one job per site: force, source, site; one per force: id, source)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    sites, posting = [], []
    for force in forces(listed):
        source = REPO / force["source"]
        if only_due and not due(source, now):
            continue
        checked = pipeline.check(source)
        sites += [{"force": force["id"], "source": force["source"], "site": name} for name in checked.urls.sites]
        posting.append(force)
    return sites, posting


def secrets(force_id: str, listed: Path = FORCES) -> list[str]:
    force = next((f for f in forces(listed) if f["id"] == force_id), None)
    if force is None:
        raise SystemExit(f"{listed}: no force '{force_id}'")
    config = load_config(REPO / force["source"] / "site.toml")
    return sorted({name for account in config.publish.accounts for name in required_env(account)})


def gitlab(sites: list[dict], posting: list[dict]) -> str:
    """A child pipeline: a build-and-deploy job per site, then a post job per force (resource_group keeps
    two posters of one force from ever running at once)."""
    out: dict = {"stages": ["sites", "post"], "default": {"image": "python:3.11"}}
    for job in sites:
        folder = f"_site/{job['force']}"
        out[f"site {job['force']} {job['site']}"] = {
            "stage": "sites",
            "cache": {"key": f"wmpsite-{job['force']}-{job['site']}", "paths": [f"{job['source']}/.cache/", folder]},
            "script": ["pip install .",
                       f"python build.py build --source {job['source']} --output {folder} --site {job['site']} --verbose",
                       f"deploy/deploy-site.sh {folder}/{job['site']} {job['force']} {job['site']}"],
            "artifacts": {"paths": [f"{folder}/{job['site']}/", f"{folder}/next-change.json"], "expire_in": "1 day"},
        }
    for force in posting:
        out[f"post {force['id']}"] = {
            "stage": "post",
            "resource_group": f"post-{force['id']}",
            "needs": [f"site {job['force']} {job['site']}" for job in sites if job["force"] == force["id"]],
            "script": ["pip install '.[publish]'",
                       f"python build.py post --live --source {force['source']} --output _site/{force['id']}",
                       f"deploy/commit-ledger.sh {force['source']} _site/{force['id']}"],
        }
    return json.dumps(out, indent=1) + "\n"  # JSON is YAML, and GitLab reads it as such


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["github", "gitlab", "secrets"])
    parser.add_argument("force", nargs="?", help="for secrets: the force's id")
    parser.add_argument("--due", action="store_true", help="only the forces with something due (scheduled runs)")
    parser.add_argument("--forces", type=Path, default=FORCES, help="the list (default: deploy/forces.toml)")
    args = parser.parse_args(argv)
    if args.what == "secrets":
        if not args.force:
            parser.error("secrets needs the force's id")
        print("\n".join(secrets(args.force, args.forces)))
        return 0
    sites, posting = jobs(args.forces, args.due)
    if args.what == "github":
        print("sites=" + json.dumps(sites))
        print("forces=" + json.dumps(posting))
    else:
        sys.stdout.write(gitlab(sites, posting))
    return 0


if __name__ == "__main__":
    sys.exit(main())
