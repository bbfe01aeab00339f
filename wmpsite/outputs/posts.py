"""Ready-to-post texts for X, Mastodon, Bluesky, Facebook, Instagram and Threads: compose, count and
check them (no I/O).

Each network counts in its own way, so a text is checked against each network it goes to:

- X: 280 weighted characters, twitter-text v3 weighting (`twitter-text-parser`): most Latin,
  Cyrillic and Arabic letters weigh 1, CJK and emoji 2, and every address that twitter-text
  recognises as a URL weighs 23 (t.co). An address on a top-level domain it does not know,
  such as `.example`, is not a URL to X and counts in full.
- Mastodon: 500 characters (or the instance's own limit) counted as graphemes, each URL with
  `http(s)://` as 23, a mention `@user@instance` as `@user` (Mastodon's StatusLengthValidator).
- Bluesky: 300 graphemes (and at most 3000 UTF-8 bytes), the full address counted; links and
  hashtags are marked by facets at UTF-8 byte offsets, as `@atproto/api`'s detectFacets does.
- Facebook: 63,206 characters; Instagram: a caption of 2,200 characters with at most 30 hashtags
  and 20 mentions. Meta does not say how it counts, so both are counted as UTF-16 code units,
  as its web apps measure text: an emoji counts 2 or more, which never under-counts.
- Threads: 500 characters, each emoji counted as its UTF-8 bytes (👮🏽‍♀️ is 17), as Threads' own
  documentation says, every other character once; the whole address counts; at most 5 links.
  Threads makes one hashtag a post's topic, so a composed post carries one at most.

Graphemes are extended grapheme clusters (UAX #29) from the `regex` module's `\\X`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable

import regex

NETWORKS = ("x", "mastodon", "bluesky", "facebook", "instagram", "threads")
LIMITS = {"x": 280, "mastodon": 500, "bluesky": 300, "facebook": 63_206, "instagram": 2_200, "threads": 500}
NAMES = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky", "facebook": "Facebook", "instagram": "Instagram",
         "threads": "Threads"}
UNITS = {"x": "weighted characters", "mastodon": "characters", "bluesky": "graphemes",
         "facebook": "characters (UTF-16)", "instagram": "characters (UTF-16)",
         "threads": "characters (an emoji as its UTF-8 bytes)"}
MAX_HASHTAGS = {"instagram": 30, "threads": 1}   # more are refused (Instagram) or left plain (Threads)
INSTAGRAM_MAX_MENTIONS = 20
THREADS_MAX_LINKS = 5
URL_LENGTH = 23                 # t.co on X; Mastodon's URL placeholder
BLUESKY_MAX_BYTES = 3000        # app.bsky.feed.post text maxLength
BLUESKY_MAX_TAG = 64            # graphemes in a tag facet
ELLIPSIS = "\u2026"

# Whitespace as @atproto/api's rich-text detection lists it.
_S = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_ZERO_WIDTH = "\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
_BSKY_URL = regex.compile(rf"(?:^|(?<=[{_S}(]))(https?://[^{_S}]+)", regex.IGNORECASE)
_BSKY_TAG = regex.compile(
    rf"(?:^|(?<=[{_S}]))[#\uff03]((?!\ufe0f)[^{_S}{_ZERO_WIDTH}]*"
    rf"[^0-9{_S}\p{{P}}{_ZERO_WIDTH}]+[^{_S}{_ZERO_WIDTH}]*)")
_TRAILING_P = regex.compile(r"\p{P}+\Z")
_MENTION = regex.compile(r"(?<![=/\w])@([a-z0-9_]+(?:[a-z0-9_.\-]+[a-z0-9_]+)?)(?:@[\w.\-]+\w)?",
                         regex.IGNORECASE)
_HASHTAG = regex.compile(r"[\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*")
_TOKEN = regex.compile(r"\S+")
_NO_SPACE_SCRIPT = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_TRIM_END = regex.compile(r"[\s\p{Pd}\p{Ps}\p{Pi},;:.]+\Z")
_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]")
_WORD_TAG = regex.compile(r"(?<![\w#&])[#\uff03]([\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*)")


@dataclass(frozen=True)
class Facet:
    """A Bluesky rich-text facet: a link or a hashtag at UTF-8 byte offsets of the text."""

    byte_start: int
    byte_end: int
    kind: str        # 'link' or 'tag'
    value: str       # the link's address, or the tag without '#'

    def to_json(self) -> dict:
        """The facet as app.bsky.richtext.facet JSON."""
        feature = ({"$type": "app.bsky.richtext.facet#link", "uri": self.value} if self.kind == "link"
                   else {"$type": "app.bsky.richtext.facet#tag", "tag": self.value})
        return {"index": {"byteStart": self.byte_start, "byteEnd": self.byte_end}, "features": [feature]}


@dataclass(frozen=True)
class Post:
    """A text ready to post on one network, with its length by that network's counting."""

    network: str                 # 'x', 'mastodon' or 'bluesky'
    text: str                    # NFC-normalised
    url: str                     # the page the post links to; it appears in `text`
    facets: tuple[Facet, ...]    # Bluesky only; () elsewhere
    length: int                  # in UNITS[network]
    limit: int

    def to_json(self) -> dict:
        """The post as the social feeds carry it: {"text": ..., "facets": [...]}."""
        return {"text": self.text, "facets": [f.to_json() for f in self.facets]}


def post_limit(network: str, limit: int | None = None) -> int:
    """Return the limit for `network`: `limit` when given (a Mastodon instance's own), else the network's."""
    if network not in LIMITS:
        raise ValueError(f"unknown network {network!r}: expected one of {', '.join(NETWORKS)}")
    if limit is None:
        return LIMITS[network]
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"a post limit must be a whole number of at least 1, not {limit!r}")
    return limit


def graphemes(text: str) -> list[str]:
    """Split text into extended grapheme clusters: graphemes('👮🏽‍♀️ok') == ['👮🏽‍♀️', 'o', 'k']."""
    return regex.findall(r"\X", text)


def post_length(network: str, text: str) -> int:
    """Count `text` as `network` does (see the module docstring)."""
    post_limit(network)
    text = unicodedata.normalize("NFC", text)
    if network == "x":
        from twitter_text import parse_tweet
        return parse_tweet(text).weightedLength
    if network == "mastodon":
        return len(graphemes(_mastodon_countable(text)))
    if network in ("facebook", "instagram"):
        return len(text.encode("utf-16-le")) // 2
    if network == "threads":
        return sum(len(g.encode("utf-8")) if _EMOJI.search(g) else len(g) for g in graphemes(text))
    return len(graphemes(text))


def bluesky_facets(text: str, url: str | None = None) -> tuple[Facet, ...]:
    """Find the links (http and https) and hashtags in `text` as Bluesky facets, sorted.

    Detection follows @atproto/api's detectFacets; `url`, where it appears in the text, is
    marked exactly, even if it ends in punctuation the detector would trim.
    """
    facets: list[Facet] = []
    exact = _span_of(text, url) if url else None
    for match in _BSKY_URL.finditer(text):
        start, end = match.span(1)
        uri = match.group(1)
        if uri[-1] in ".,;:!?":
            uri, end = uri[:-1], end - 1
        if uri.endswith(")") and "(" not in uri:
            uri, end = uri[:-1], end - 1
        if exact and start < exact[1] and exact[0] < end:
            continue
        facets.append(Facet(_bytes(text, start), _bytes(text, end), "link", uri))
    if exact:
        facets.append(Facet(_bytes(text, exact[0]), _bytes(text, exact[1]), "link", url))
    for match in _BSKY_TAG.finditer(text):
        tag = _TRAILING_P.sub("", match.group(1))
        if not tag or len(graphemes(tag)) > BLUESKY_MAX_TAG:
            continue
        start = match.start(1) - 1
        if exact and start < exact[1] and exact[0] < start + 1 + len(tag):
            continue
        facets.append(Facet(_bytes(text, start), _bytes(text, start + 1 + len(tag)), "tag", tag))
    return tuple(sorted(facets, key=lambda f: (f.byte_start, f.byte_end)))


def compose_post(network: str, title: str, url: str, hashtags: Iterable[str] = (),
                 limit: int | None = None) -> Post:
    """Make the post for an item: title, link, then hashtags, fitted to the network's limit.

    When the whole does not fit, hashtags are dropped from the last; then the title is cut at a
    word (between ideographs in Chinese and Japanese, at a grapheme only when its first word alone
    is too long) and ends with '…'. A cut never falls inside a grapheme, an address or a
    hashtag. Raises ValueError when even the link alone does not fit, or a hashtag is not one.

    >>> compose_post("x", "Free bike marking in Selly Oak", "https://wmp.police.uk/news/bikes/",
    ...              ["BikeTheft"]).text
    'Free bike marking in Selly Oak https://wmp.police.uk/news/bikes/ #BikeTheft'
    """
    limit = post_limit(network, limit)
    title = " ".join(unicodedata.normalize("NFC", title).split())
    url = _clean_url(url)
    tags = []
    for tag in hashtags:
        tag = _clean_hashtag(tag)
        if tag.casefold() not in {t.casefold() for t in tags} and \
                not regex.search(rf"(?<![\w#]){regex.escape('#' + tag)}(?!\w)", title, regex.IGNORECASE):
            tags.append(tag)
    tags = tags[:MAX_HASHTAGS.get(network, len(tags))]

    def text(head: str, kept: list[str]) -> str:
        return " ".join([part for part in (head, url) if part] + ["#" + t for t in kept])

    for count in range(len(tags), -1, -1):
        if _fits(network, text(title, tags[:count]), limit):
            return _post(network, text(title, tags[:count]), url, limit)
    head = _cut_title(title, lambda h: _fits(network, text(h, []), limit))
    if head:
        return _post(network, text(head, []), url, limit)
    if _fits(network, url, limit):
        return _post(network, url, url, limit)
    raise ValueError(f"the link alone is {post_length(network, url)} of {limit} {UNITS[network]} on "
                     f"{NAMES[network]}: {url}")


def post_from_text(network: str, text: str, url: str, limit: int | None = None) -> Post:
    """Make a post of an editor's own text as written, never cut; add the link at the end if missing."""
    limit = post_limit(network, limit)
    url = _clean_url(url)
    text = unicodedata.normalize("NFC", text).strip()
    if _span_of(text, url) is None:
        text = f"{text} {url}" if text else url
    return _post(network, text, url, limit)


def check_post(network: str, text: str, url: str, limit: int | None = None) -> list[str]:
    """List what is wrong with an editor's post text, in plain words; [] when it can be posted.

    Each problem reads after 'the post text', e.g. 'is 291 of 280 weighted characters on X'.
    The text is counted as post_from_text makes it (with the link added at the end if missing).
    """
    limit = post_limit(network, limit)
    name = NAMES[network]
    if not text or not text.strip():
        return ["is empty"]
    post = post_from_text(network, text, url, limit)
    added = "" if _span_of(unicodedata.normalize("NFC", text), _clean_url(url)) else \
        " with the link added at the end"
    problems = []
    if post.length > limit:
        problems.append(f"is {post.length} of {limit} {UNITS[network]} on {name}{added}")
    size = len(post.text.encode("utf-8"))
    if network == "bluesky" and size > BLUESKY_MAX_BYTES:
        problems.append(f"is {size} of {BLUESKY_MAX_BYTES} bytes on Bluesky{added}")
    if network == "x":
        from twitter_text.has_invalid_characters import has_invalid_characters
        if has_invalid_characters(post.text):
            problems.append("contains a character X refuses (U+FFFE, U+FEFF or U+FFFF)")
    if network == "bluesky":
        for match in _BSKY_TAG.finditer(post.text):
            tag = _TRAILING_P.sub("", match.group(1))
            if len(graphemes(tag)) > BLUESKY_MAX_TAG:
                problems.append(f"has a hashtag longer than {BLUESKY_MAX_TAG} characters, which Bluesky "
                                f"will not link: #{tag[:20]}…")
    if network == "instagram":
        tags = len(_WORD_TAG.findall(post.text))
        if tags > MAX_HASHTAGS["instagram"]:
            problems.append(f"has {tags} hashtags; Instagram takes at most {MAX_HASHTAGS['instagram']}")
        mentions = len(_MENTION.findall(post.text))
        if mentions > INSTAGRAM_MAX_MENTIONS:
            problems.append(f"mentions {mentions} accounts; Instagram takes at most {INSTAGRAM_MAX_MENTIONS}")
    if network == "threads":
        links = len(set(_BSKY_URL.findall(post.text)))
        if links > THREADS_MAX_LINKS:
            problems.append(f"has {links} links; Threads takes at most {THREADS_MAX_LINKS}")
    return problems


# --- helpers -----------------------------------------------------------------------------

def _post(network: str, text: str, url: str, limit: int) -> Post:
    facets = bluesky_facets(text, url) if network == "bluesky" else ()
    return Post(network, text, url, facets, post_length(network, text), limit)


def _fits(network: str, text: str, limit: int) -> bool:
    if _floor(network, text) > limit:      # skip the slow exact count of what cannot fit
        return False
    if network == "bluesky" and len(text.encode("utf-8")) > BLUESKY_MAX_BYTES:
        return False
    return post_length(network, text) <= limit


def _floor(network: str, text: str) -> int:
    """A quick lower bound of post_length(network, text): every grapheme outside an address,
    hashtag or mention weighs at least 1, and on X at least 2 if it holds a heavy character."""
    total = 0
    for word in text.split():
        if not _is_special(word):
            total += sum(2 if network == "x" and any(_heavy(c) for c in g) else 1 for g in graphemes(word))
    return total


def _heavy(char: str) -> bool:
    """Whether twitter-text v3 weighs this character 2 (outside its weight-1 ranges)."""
    code = ord(char)
    return not (code <= 4351 or 8192 <= code <= 8205 or 8208 <= code <= 8223 or 8242 <= code <= 8247)


def _clean_url(url: str) -> str:
    url = url.strip()
    if not url or any(c.isspace() for c in url):
        raise ValueError(f"a post's link must be one address without spaces, not {url!r}")
    return url


def _clean_hashtag(tag: str) -> str:
    bare = unicodedata.normalize("NFC", tag.strip()).lstrip("#\uff03")
    if not _HASHTAG.fullmatch(bare):
        raise ValueError(f"{tag!r} cannot be a hashtag: use letters, digits and '_' only, with at least "
                         "one letter, and no spaces")
    return bare


def _span_of(text: str, url: str) -> tuple[int, int] | None:
    """Where `url` stands in `text` as a whole word (not inside a longer address)."""
    for match in regex.finditer(regex.escape(url), text):
        start, end = match.span()
        if (start == 0 or text[start - 1].isspace() or text[start - 1] == "(") and \
                (end == len(text) or not regex.match(r"[\w/#%?=&\-]", text[end])):
            return start, end
    return None


def _bytes(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _mastodon_countable(text: str) -> str:
    """Rewrite text as Mastodon counts it: URLs as 23 characters, remote mentions as local ones."""
    from twitter_text import extract_urls_with_indices
    # Only words with '://' can hold such a URL; blanking the others gives the same matches
    # faster (twitter-text's pattern is slow on long runs without spaces, such as emoji).
    masked = regex.sub(r"\S+", lambda m: m.group() if "://" in m.group() else " " * len(m.group()), text)
    spans = [(u["indices"][0], u["indices"][1], "x" * URL_LENGTH)
             for u in extract_urls_with_indices(masked, False)]
    for match in _MENTION.finditer(text):
        start, end = match.span()
        if not any(s < end and start < e for s, e, _ in spans):
            spans.append((start, end, "@" + match.group(1)))
    out, at = [], 0
    for start, end, replacement in sorted(spans):
        out += [text[at:start], replacement]
        at = end
    return "".join(out) + text[at:]


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans a cut must not fall inside: addresses, hashtags, mentions (whole words)."""
    from twitter_text import extract_urls_with_indices
    spans = [match.span() for match in _TOKEN.finditer(text) if _is_special(match.group())]
    masked = regex.sub(r"\S+", lambda m: m.group() if "." in m.group() else " " * len(m.group()), text)
    spans += [tuple(u["indices"]) for u in extract_urls_with_indices(masked)]   # as _mastodon_countable
    return spans


def _is_special(word: str) -> bool:
    """Whether a word is, or may be read as, an address, a hashtag, a mention or a cashtag."""
    return word[0] in "#\uff03@$" or "://" in word or bool(regex.search(r"\w\.\w", word))


def _cut_title(title: str, fits: Callable[[str], bool]) -> str | None:
    """The longest cut-down title (ending in '…') that fits, trying words before graphemes."""
    clusters = graphemes(title)
    bounds, at = [], 0
    for cluster in clusters:
        bounds.append(at)
        at += len(cluster)
    bounds = set(bounds)
    protected = _protected(title)

    def allowed(i: int) -> bool:
        return 0 < i < len(title) and i in bounds and not any(s < i < e for s, e in protected)

    words = [i for i in range(1, len(title)) if allowed(i) and (
        title[i].isspace() or _NO_SPACE_SCRIPT.match(title[i]) or _NO_SPACE_SCRIPT.match(title[i - 1]))]
    letters = [i for i in range(1, len(title)) if allowed(i)]
    for cuts in (words, letters):
        best = _longest([h for h in (_head(title, i, bounds, protected) for i in cuts) if h], fits)
        if best is not None:
            return best
    return None


def _head(title: str, cut: int, bounds: set[int], protected: list[tuple[int, int]]) -> str | None:
    """The title cut at `cut`, trailing spaces and dangling punctuation trimmed, plus '…'."""
    head = title[:cut].rstrip()
    if not any(e == len(head) for s, e in protected):
        trimmed = _TRIM_END.sub("", head)
        if trimmed and len(trimmed) in bounds:
            head = trimmed
    if not head:
        return None
    last = head.split()[-1]
    if any(e == len(head) for s, e in protected) or _is_special(last):
        return head + " " + ELLIPSIS        # never glue '…' onto an address or a hashtag
    return head + ELLIPSIS


def _longest(heads: list[str], fits: Callable[[str], bool]) -> str | None:
    """The longest head that fits: binary search (length grows with the head), then make sure."""
    lo, hi = 0, len(heads)
    while lo < hi:
        mid = (lo + hi) // 2
        if fits(heads[mid]):
            lo = mid + 1
        else:
            hi = mid
    for i in range(lo - 1, -1, -1):
        if fits(heads[i]):
            return heads[i]
    return None
