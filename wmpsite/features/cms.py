"""The editors' CMS at /admin/ on the main site: Decap CMS, its configuration and its own page.

With [cms] in site.toml the build writes admin/index.html, admin/config.yml (features/decap.py) and
Decap's script, copied from the npm package (package.json) so that it is served from the force's own
origin, never a CDN. The admin page has its own Content-Security-Policy, allowing what Decap needs
(its styles are injected, it compiles its checks and runs WebAssembly, it talks to the backend's API) and nothing more, and
`noindex`; it is no planned page, so no other page links it, and no sitemap or search index has it.
"""

from __future__ import annotations

import re
from pathlib import Path

from wmpsite.core.config import THEME_ROOT, CmsConfig, Config
from wmpsite.core.errors import ContentError
from wmpsite.core.kind import Kind
from wmpsite.core.model import Force
from wmpsite.core.page import Task
from wmpsite.core.urls import MAIN
from wmpsite.features.decap import config_yaml

FOLDER = "admin"
#: Where npm puts Decap's bundle, in the project or in the wmpsite checkout.
BUNDLE = Path("node_modules/decap-cms/dist")
_BUNDLE_FILE = re.compile(r"(?:[0-9]+\.)?decap-cms\.js|decap-cms\.js\.LICENSE\.txt|[0-9a-f]+\.wasm")
#: What each backend's API is reached at, and where its editors' avatars come from.
API = {"github": ("https://api.github.com", "https://avatars.githubusercontent.com"),
       "gitlab": ("https://gitlab.com", "https://gitlab.com https://secure.gravatar.com"),
       "azure": ("https://dev.azure.com https://app.vssps.visualstudio.com", ""),
       "git-gateway": ("", "")}  # Netlify Identity and Git Gateway answer on the site's own origin


def bundle_folder(config: Config) -> Path | None:
    """The folder of Decap's installed bundle: the project's own node_modules first, then wmpsite's."""
    for root in (config.root, THEME_ROOT):
        if (root / BUNDLE / "decap-cms.js").is_file():
            return root / BUNDLE
    return None


def policy(cms: CmsConfig) -> dict[str, str]:
    """The admin page's Content-Security-Policy, by directive."""
    api, images = API[cms.backend]
    connect = " ".join(filter(None, ("'self'", api, cms.local_backend and f"http://127.0.0.1:{cms.local_backend}")))
    # Decap checks its configuration with Ajv, which compiles each check into code ('unsafe-eval'), and
    # runs WebAssembly; only this page's policy allows it, every other page's meta tag still forbids it.
    return {"default-src": "'self'", "script-src": "'self' 'unsafe-eval' 'wasm-unsafe-eval'",
            "style-src": "'self' 'unsafe-inline'",  # Decap's components inject their styles
            "img-src": " ".join(filter(None, ("'self' data: blob:", images))), "connect-src": connect,
            "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'"}


def index_html(config: Config) -> bytes:
    """admin/index.html: Decap's page, which reads config.yml beside it."""
    assert config.cms is not None
    csp = "; ".join(f"{name} {sources}" for name, sources in policy(config.cms).items())
    name = config.force.name.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return f"""<!doctype html>
<html lang="{config.force.language}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="Content-Security-Policy" content="{csp}">
  <meta name="robots" content="noindex, nofollow">
  <meta name="referrer" content="strict-origin-when-cross-origin">
  <title>Content manager: {name}</title>
  <link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
  <noscript>The content manager needs JavaScript. You can still edit the files in content/ (docs/content.md).</noscript>
  <script src="decap-cms.js"></script>
</body>
</html>
""".encode()


def admin_files(config: Config, force: Force):
    """Every file of /admin/ on the main site."""
    yield f"{MAIN}/{FOLDER}/index.html", index_html(config)
    yield f"{MAIN}/{FOLDER}/config.yml", config_yaml(config, force)
    folder = bundle_folder(config)
    assert folder is not None, "a missing bundle is an error at load (missing_bundle)"
    for path in sorted(folder.iterdir()):
        if _BUNDLE_FILE.fullmatch(path.name):
            yield f"{MAIN}/{FOLDER}/{path.name}", path.read_bytes()


def missing_bundle(config: Config, fields: dict, errors: list[ContentError]) -> dict:
    """An error, at load so that `check` says it too, when [cms] is on but Decap is not installed."""
    if config.cms is not None and bundle_folder(config) is None:
        text = (config.root / "site.toml").read_text(encoding="utf-8")
        line = next((n for n, row in enumerate(text.splitlines(), 1) if re.match(r"\s*\[cms\]", row)), None)
        errors.append(ContentError("site.toml", "[cms] is on, but the Decap CMS script is not installed "
                                   f"(looked for {BUNDLE}/decap-cms.js here and in wmpsite's folder)", line,
                                   "run `npm ci --ignore-scripts` in the project folder (package.json lists "
                                   "decap-cms), or remove [cms]"))
    return {}


def header_policy(config: Config) -> dict[str, dict[str, str]]:
    """What the main site's header policy must allow for the admin page (outputs/headers.py)."""
    return {MAIN: policy(config.cms)} if config.cms is not None else {}


KIND = Kind(
    "content manager",
    finish=missing_bundle,
    tasks=lambda config, force, urls, moment, cache_file, social: [
        Task("content manager", lambda: admin_files(config, force))] if config.cms is not None else [],
    policy=header_policy,
)
