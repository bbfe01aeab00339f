#!/usr/bin/env python3
"""Fetch Decap CMS's bundle for the demo's /admin/ where npm is not installed (`make site` calls it).

The build serves Decap from node_modules/decap-cms/dist/ (wmpsite/features/cms.py). npm puts it
there (`npm ci --ignore-scripts`); without npm this fetches the same tarball from the npm registry,
the version package-lock.json pins, checks it against the lock file's integrity hash, and unpacks
only its dist/ folder.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = "https://registry.npmjs.org"


def main() -> int:
    pinned = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]["node_modules/decap-cms"]
    version, integrity = pinned["version"], pinned["integrity"]
    url = pinned.get("resolved") or f"{REGISTRY}/decap-cms/-/decap-cms-{version}.tgz"
    with urllib.request.urlopen(url, timeout=300) as response:
        data = response.read()
    algorithm, expected = integrity.split("-", 1)
    if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != expected:
        print(f"fetch_decap: {url} does not match package-lock.json's integrity hash; nothing unpacked",
              file=sys.stderr)
        return 1
    target = ROOT / "node_modules" / "decap-cms"
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            if member.isfile() and (name.startswith("dist/") or name == "package.json") and ".." not in name:
                path = target / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(archive.extractfile(member).read())
    print(f"fetch_decap: Decap CMS {version} unpacked into {target.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
