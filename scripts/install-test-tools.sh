#!/usr/bin/env bash
# Install the real tools that tests/quality/ runs, when they are missing:
#   - Debian chromium          (/usr/bin/chromium, driven headless by Playwright)
#   - a Java runtime           (java, runs the Nu Html Checker)
#   - Debian nginx-light       (/usr/sbin/nginx, serves a built site with our security headers
#                               on 127.0.0.1, from a config in a temp folder, never the system one)
#   - npm packages pinned in package.json / package-lock.json:
#       vnu-jar  (the Nu Html Checker, node_modules/vnu-jar/build/dist/vnu.jar)
#       axe-core (node_modules/axe-core/axe.min.js, injected into pages)
#       lighthouse (node_modules/lighthouse/cli/index.js, run on Debian chromium)
#       decap-cms (node_modules/decap-cms/dist/, the editors' CMS a build with [cms] serves at /admin/)
#       decap-server (node_modules/decap-server/dist/index.js, Decap's local backend for the CMS test)
#
# Safe to run again: each step is skipped when its tool is already there, so a
# second run takes well under a second. Needs root (or sudo) only when an apt
# package is missing. Never downloads a browser of its own: no
# `playwright install` (it cannot work on our machines; see docs/testing.md).
set -euo pipefail

cd "$(dirname "$0")/.."

log() { printf 'install-test-tools: %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root to run: $*"
        log "install it yourself, or rerun as root"
        exit 1
    fi
}

apt_packages=()
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
command -v java >/dev/null 2>&1 || apt_packages+=(default-jre-headless)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || apt_packages+=(nginx-light)
command -v npm >/dev/null 2>&1 || apt_packages+=(nodejs npm)

if [ "${#apt_packages[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        log "missing ${apt_packages[*]} and no apt-get here: install them by hand"
        exit 1
    fi
    log "apt-get install ${apt_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq "${apt_packages[@]}" >/dev/null
    # The tests run nginx themselves on a high port; a system nginx started by the package's
    # install script (where services may start) would only hold port 80 open.
    if [[ " ${apt_packages[*]} " == *" nginx-light "* ]] && command -v systemctl >/dev/null 2>&1 \
        && systemctl is-active --quiet nginx 2>/dev/null; then
        as_root systemctl disable --now nginx >/dev/null 2>&1 || true
    fi
fi

# npm tools: reinstall only when package-lock.json changed since the last
# install (the stamp holds its checksum) or a file we need has gone.
stamp=node_modules/.wmpsite-tools-stamp
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
have="$(cat "$stamp" 2>/dev/null || true)"
if [ "$want" != "$have" ] \
    || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] \
    || [ ! -f node_modules/axe-core/axe.min.js ] \
    || [ ! -f node_modules/lighthouse/cli/index.js ] \
    || [ ! -f node_modules/decap-cms/dist/decap-cms.js ] \
    || [ ! -f node_modules/decap-server/dist/index.js ]; then
    log "npm ci --ignore-scripts (vnu-jar, axe-core, lighthouse, decap-cms, decap-server)"
    # --ignore-scripts: vnu-jar's install script only checks for java; axe-core has none; lighthouse
    # needs none (it finds chromium through CHROME_PATH and downloads no browser); decap-cms ships its
    # bundle built, and decap-server runs as it is.
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    printf '%s\n' "$want" > "$stamp"
fi

log "ok: $(/usr/bin/chromium --version 2>/dev/null | head -n1); $(java -version 2>&1 | head -n1); $(/usr/sbin/nginx -v 2>&1 || nginx -v 2>&1); vnu-jar $(node -p 'require("./node_modules/vnu-jar/package.json").version'), axe-core $(node -p 'require("./node_modules/axe-core/package.json").version'), lighthouse $(node -p 'require("./node_modules/lighthouse/package.json").version')"
