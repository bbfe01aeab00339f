"""Which client posts for an account, and the environment variables holding its credentials."""

from __future__ import annotations

from typing import Mapping

from wmpsite.core.config import PublishAccount
from wmpsite.publish.meta import FacebookPoster, InstagramPoster, ThreadsPoster
from wmpsite.publish.networks import BlueskyPoster, MastodonPoster, PostFailed, XPoster

#: The environment variables of an account: its `credentials` prefix, '_', then these.
CREDENTIALS = {"x": ("API_KEY", "API_SECRET", "ACCESS_TOKEN", "ACCESS_TOKEN_SECRET"),
               "mastodon": ("ACCESS_TOKEN",), "bluesky": ("APP_PASSWORD",),
               "facebook": ("PAGE_ACCESS_TOKEN",), "instagram": ("ACCESS_TOKEN",), "threads": ("ACCESS_TOKEN",)}
POSTERS = {"x": XPoster, "mastodon": MastodonPoster, "bluesky": BlueskyPoster,
           "facebook": FacebookPoster, "instagram": InstagramPoster, "threads": ThreadsPoster}
#: The Python module each network's client library provides, for the message when it is missing.
LIBRARIES = {"x": "tweepy", "mastodon": "Mastodon.py", "bluesky": "atproto", "facebook": "python-facebook-api",
             "instagram": "python-facebook-api", "threads": "python-facebook-api"}


def required_env(account: PublishAccount) -> list[str]:
    """The environment variables an account's live posting needs."""
    return [f"{account.credentials}_{name}" for name in CREDENTIALS[account.network]]


def make_poster(account: PublishAccount, env: Mapping[str, str], language: str):
    """The client for one account (networks.py says what a client does)."""
    credentials = {name: env[f"{account.credentials}_{name}"] for name in CREDENTIALS[account.network]}
    if "PAGE_ACCESS_TOKEN" in credentials:
        credentials["ACCESS_TOKEN"] = credentials["PAGE_ACCESS_TOKEN"]
    try:
        return POSTERS[account.network](account, credentials, language)
    except ImportError as exc:
        raise PostFailed(f"the client library is missing ({exc.name}, from {LIBRARIES[account.network]}): "
                         "pip install 'wmpsite[publish]'") from None
