"""YouTube videos behind a click-to-load facade: the view templates show, and its checks.

A page with a `video:` shows a local still and a real <button>; nothing is
requested from YouTube until the resident presses it, when
static/js/video-facade.js puts in an iframe from the privacy-enhanced
youtube-nocookie.com. Without JavaScript the button stays hidden and a plain
link to the video on YouTube is there instead. Only pages with a video allow
that one frame origin in their Content-Security-Policy.
"""

from __future__ import annotations

from dataclasses import dataclass

from wmpsite.core.parts import Video
from wmpsite.core.urls import EMBED_ORIGIN

SCRIPT = "js/video-facade.js"


@dataclass(frozen=True)
class VideoView:
    """What `_video.html` shows: every URL resolved."""

    title: str
    description: str | None
    thumbnail_url: str   # the local still
    embed_url: str       # youtube-nocookie.com, loaded only after the click
    watch_url: str       # youtube.com, for residents without JavaScript
    script_url: str
    frame_origin: str    # for the page's CSP frame-src


def video_view(r, video: Video | None, site: str) -> VideoView | None:
    """The facade of `video` on `site`, or None for no video."""
    if video is None:
        return None
    return VideoView(video.title, video.description, r.urls.static(video.thumbnail, site),
                     f"{EMBED_ORIGIN}/embed/{video.youtube}?autoplay=1",
                     f"https://www.youtube.com/watch?v={video.youtube}", r.urls.static(SCRIPT, site), EMBED_ORIGIN)
