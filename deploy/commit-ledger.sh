#!/usr/bin/env bash
# After `build.py post`, also after a failed post, so the posts that were made are remembered: commit a
# force's posting ledger, and the build's record of its next change (which scheduled runs read).
#   commit-ledger.sh SOURCE OUTPUT
set -euo pipefail
source=$1 output=$2
if [[ -f "$output/next-change.json" ]]; then
    cp "$output/next-change.json" "$source/state/next-change.json"
fi
git config user.name "wmpsite publisher"
git config user.email "${PUBLISHER_EMAIL:-publisher@localhost}"
git add -- "$source/state"
git diff --cached --quiet || git commit -m "Posting ledger of $source: after build.py post"
git push
