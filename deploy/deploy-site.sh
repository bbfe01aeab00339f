#!/usr/bin/env bash
# Deploy one built site: deploy-site.sh FOLDER FORCE SITE. Called by the CI files once per site.
# It copies the folder to DEPLOY_TARGET/FORCE/SITE/ with rsync (a local path, or user@host:path over
# ssh with the key in DEPLOY_SSH_KEY), deleting what the new build no longer has. A force that
# publishes another way (a cloud bucket, its hosting's own tool) replaces this file.
set -euo pipefail
folder=$1 force=$2 site=$3
: "${DEPLOY_TARGET:?set DEPLOY_TARGET (a path, or user@host:path) in the CI system's secrets}"
if [[ -n "${DEPLOY_SSH_KEY:-}" ]]; then
    key=$(mktemp)
    trap 'rm -f "$key"' EXIT
    printf '%s\n' "$DEPLOY_SSH_KEY" > "$key"
    export RSYNC_RSH="ssh -i $key -o StrictHostKeyChecking=accept-new"
fi
rsync -a --delete --checksum "$folder/" "$DEPLOY_TARGET/$force/$site/"
