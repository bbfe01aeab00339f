"""Ready-to-post texts: counted as each network counts, cut only where a cut is safe."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest
import regex
from hypothesis import given, settings, strategies as st
from twitter_text import parse_tweet

from wmpsite.outputs.posts import (
    ELLIPSIS,
    LIMITS,
    NETWORKS,
    Post,
    bluesky_facets,
    check_post,
    compose_post,
    graphemes,
    post_from_text,
    post_length,
)

URL = "https://www.west-midlands.police.uk/news/2026/03/14/appeal-for-witnesses-in-aston/"   # 82 chars
DEMO_URL = "https://www.west-midlands.police.example/news/bike-marking/"                     # 59 chars
POLICE = "\U0001F46E\U0001F3FD\u200d\u2640\ufe0f"            # 👮🏽‍♀️ woman police officer, medium skin tone
FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467"        # 👨‍👩‍👧
WELSH = "Heddlu Gorllewin Canolbarth Lloegr: apêl am dystion yng Nghaerdydd"
POLISH = "Policja prosi o pomoc: skradziono rower z Żabki przy ulicy Łąkowej"
URDU = "پولیس نے ایسٹن میں چوری کے گواہوں سے اپیل کی ہے"
JAPANESE = "警察は目撃者を探しています"
LONG = ("Appeal for witnesses after a man was seriously injured in a collision involving a stolen "
        "motorbike on the A38 Bristol Road in Selly Oak on Saturday evening; officers want to speak to "
        "anyone with dashcam footage, doorbell video or mobile phone film of the bike before the "
        "crash on Harborne Lane, B29 0")
assert len(LONG) == 300
#: Facebook's and Instagram's limits are far beyond any title: a test of cutting gives them X's room.
ROOMY = {"facebook", "instagram"}


def tight(network: str, limit: int) -> int | None:
    """`limit` for the networks whose own limit is too roomy for a title to be cut, else their own."""
    return limit if network in ROOMY else None


def slices(post: Post) -> list[str]:
    data = post.text.encode("utf-8")
    return [data[f.byte_start:f.byte_end].decode("utf-8") for f in post.facets]


def head_of(post: Post) -> str:
    """The title part of a composed post (what stands before the link)."""
    return post.text[:post.text.index(post.url)].rstrip()


def assert_clean_cut(title: str, post: Post) -> None:
    """The post holds a whole-grapheme prefix of the title, cut at a safe place, then the link."""
    head = head_of(post)
    assert head.endswith(ELLIPSIS)
    kept = head[:-1].rstrip()
    assert kept and title.startswith(kept)
    title_clusters, kept_clusters = graphemes(title), graphemes(kept)
    assert title_clusters[:len(kept_clusters)] == kept_clusters, "a grapheme was split"
    for word in regex.finditer(r"\S+", title):
        start, end = word.span()
        if word.group()[0] in "#@" or "://" in word.group() or regex.search(r"\w\.\w", word.group()):
            assert not start < len(kept) < end, f"cut inside {word.group()!r}"


# --- counting, against the real libraries ------------------------------------------------

@pytest.mark.parametrize("text, x, mastodon, bluesky", [
    (POLICE, 2, 1, 1),
    (FAMILY, 2, 1, 1),
    (f"{POLICE} {FAMILY}", 5, 3, 3),
    (JAPANESE, 26, 13, 13),
    (URDU, 47, 47, 47),
    (WELSH, 66, 66, 66),
    (POLISH, 66, 66, 66),
    (ELLIPSIS, 2, 1, 1),                               # U+2026 is outside X's weight-1 ranges
    (URL, 23, 23, 82),                                  # t.co / Mastodon's placeholder / in full
    (DEMO_URL, 59, 59, 59),                             # '.example' is no TLD to twitter-text
    ("Brum.com", 23, 8, 8),                             # X links bare domains; Mastodon needs http(s)
    ("Follow @WMPolice@mastodon.social", 32, 16, 32),  # Mastodon counts a mention's local part
    ("e\u0301", 1, 1, 1),                               # NFC first: é
])
def test_lengths_match_each_network(text, x, mastodon, bluesky):
    assert post_length("x", text) == x == parse_tweet(text).weightedLength
    assert post_length("mastodon", text) == mastodon
    assert post_length("bluesky", text) == bluesky


def test_bluesky_and_mastodon_count_grapheme_clusters():
    assert graphemes(f"a{POLICE}b{FAMILY}") == ["a", POLICE, "b", FAMILY]
    assert post_length("bluesky", POLICE * 300) == 300
    assert post_length("mastodon", f"{URL} {URL}") == 47


@pytest.mark.parametrize("text, facebook, threads", [
    (POLICE, 7, 17),                        # UTF-16: 2+2+1+1+1; Threads: the emoji's UTF-8 bytes
    (FAMILY, 8, 18),
    ("🇬🇧", 4, 8),                            # a flag: two regional indicators
    ("1\ufe0f\u20e3", 3, 7),                 # keycap 1️⃣
    (JAPANESE, 13, 13),
    (URDU, 47, 47),
    (WELSH, 66, 66),
    ("Ŵyl ŷd yng Nghwm-ŵr", 19, 19),         # Welsh circumflexes: one character each
    ("w\u0302yl", 3, 3),                     # NFC first: ŵ
    (URL, 82, 82),                           # no link shortening on Meta's networks
    ("Follow @WMPolice@mastodon.social", 32, 32),
])
def test_meta_networks_count_as_meta_says(text, facebook, threads):
    assert post_length("facebook", text) == post_length("instagram", text) == facebook
    assert post_length("threads", text) == threads


def test_threads_cuts_a_long_emoji_title_by_its_bytes_and_keeps_one_hashtag():
    post = compose_post("threads", " ".join([POLICE] * 60), URL, ["Appeal", "Aston"])
    assert post.length == post_length("threads", post.text) <= 500
    assert post.text.endswith(URL) and "#" not in post.text         # 60 x 17 bytes: no room for a tag
    kept = head_of(post)[:-1].split()
    assert set(kept) == {POLICE} and len(kept) == (500 - 83 - 1) // 18
    post = compose_post("threads", "Free bike marking", URL, ["Appeal", "Aston"])
    assert post.text == f"Free bike marking {URL} #Appeal"     # Threads makes one tag the topic


def test_instagram_keeps_a_long_welsh_word_whole_or_cuts_it_at_a_grapheme():
    word = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"   # 58 letters, one word
    title = f"Apêl: {word} ŵyl"
    post = compose_post("instagram", title, URL, limit=post_length("instagram", f"{title} {URL}") - 2)
    assert head_of(post) == f"Apêl: {word}{ELLIPSIS}"
    post = compose_post("instagram", word * 3, URL, limit=post_length("instagram", URL) + 40)
    assert_clean_cut(word * 3, post)
    assert post.length == post_length("instagram", URL) + 40


def test_meta_post_checks():
    assert check_post("threads", "a" * 480 + f" {POLICE} {URL}", URL) == [
        "is 581 of 500 characters (an emoji as its UTF-8 bytes) on Threads"]
    links = " ".join(f"https://example.org/{n}" for n in range(5))
    assert check_post("threads", f"{links} {URL}", URL) == ["has 6 links; Threads takes at most 5"]
    assert check_post("threads", f"{links} {URL}".replace("/4", "/3"), URL) == []
    tags = " ".join(f"#Tag{n}x" for n in range(31))
    assert check_post("instagram", f"Aston {tags}", URL) == ["has 31 hashtags; Instagram takes at most 30"]
    people = " ".join(f"@wmp{n}" for n in range(21))
    assert check_post("instagram", people, URL) == ["mentions 21 accounts; Instagram takes at most 20"]
    assert check_post("facebook", POLICE * 9100, URL) == [
        "is 63783 of 63206 characters (UTF-16) on Facebook with the link added at the end"]
    assert check_post("facebook", f"{WELSH} {URL}", URL) == []


# --- composing -----------------------------------------------------------------------------

def test_short_title_link_and_hashtags_in_order():
    post = compose_post("x", "Free bike marking in Selly Oak", URL, ["BikeTheft", "#SellyOak"])
    assert post.text == f"Free bike marking in Selly Oak {URL} #BikeTheft #SellyOak"
    assert post.length == parse_tweet(post.text).weightedLength == 31 + 23 + 11 + 10
    assert (post.network, post.url, post.facets, post.limit) == ("x", URL, (), 280)
    with pytest.raises(dataclasses.FrozenInstanceError):
        post.text = ""


@pytest.mark.parametrize("title", [WELSH, POLISH, URDU, JAPANESE, f"{POLICE} {FAMILY} Family fun day"])
@pytest.mark.parametrize("network", NETWORKS)
def test_hard_titles_that_fit_are_kept_whole(network, title):
    post = compose_post(network, title, URL, ["Appeal"])
    assert post.text == f"{title} {URL} #Appeal"
    assert post.length == post_length(network, post.text) <= LIMITS[network]


def test_hashtags_go_before_the_title_is_cut_last_first():
    title = "a" * 240                      # 240 + 1 + 23 = 264 on X: room for one 9-weight tag only
    post = compose_post("x", title, URL, ["Appeal1", "Aston12", "Brum"])
    assert post.text == f"{title} {URL} #Appeal1"
    assert post.length == 273
    post = compose_post("x", "a" * 250, URL, ["Appeal1"])
    assert post.text == f"{'a' * 250} {URL}" and post.length == 274


def test_hashtag_already_in_title_or_repeated_is_not_added_again():
    post = compose_post("mastodon", "Bikes marked in #SellyOak", URL, ["SellyOak", "bikes", "Bikes"])
    assert post.text == f"Bikes marked in #SellyOak {URL} #bikes"


@pytest.mark.parametrize("network", NETWORKS)
def test_300_character_title_is_cut_at_a_word(network):
    post = compose_post(network, LONG, URL, ["Appeal"], limit=280 if network in ROOMY | {"mastodon", "threads"} else None)
    assert post.length == post_length(network, post.text) <= post.limit
    assert "#Appeal" not in post.text and post.text.endswith(URL)
    assert_clean_cut(LONG, post)
    kept = head_of(post)[:-1]
    assert regex.match(r"[,;:.]?\s", LONG[len(kept):]), "cut between words"
    # As long as possible: one more word would not fit.
    longer = LONG[:len(kept) + regex.match(r"[,;:.]?\s+\S+", LONG[len(kept):]).end()].rstrip(",;:.")
    assert post_length(network, f"{longer}{ELLIPSIS} {URL}") > post.limit


def test_x_cut_is_exact_with_the_ellipsis_weighing_two():
    post = compose_post("x", LONG, URL)
    assert post.text == ("Appeal for witnesses after a man was seriously injured in a collision involving a "
                         "stolen motorbike on the A38 Bristol Road in Selly Oak on Saturday evening; officers "
                         f"want to speak to anyone with dashcam footage, doorbell video or mobile phone film of "
                         f"the\u2026 {URL}")
    assert post.length == 254 + 2 + 1 + 23 == parse_tweet(post.text).weightedLength


def test_dangling_punctuation_is_trimmed_before_the_ellipsis():
    post = compose_post("bluesky", "Arrest made; appeal continues, witnesses sought in Aston", URL, limit=113)
    assert head_of(post) == f"Arrest made; appeal continues{ELLIPSIS}"


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("unit", [POLICE, FAMILY, f"{POLICE}{FAMILY}"])
def test_emoji_zwj_sequences_are_never_split(network, unit):
    title = unit * 600                     # one 'word': only a grapheme cut can fit it
    post = compose_post(network, title, URL, limit=tight(network, 500))
    assert post.length <= post.limit
    assert_clean_cut(title, post)
    spaced = " ".join([unit] * 300)
    post = compose_post(network, spaced, URL, limit=tight(network, 500))
    assert post.length <= post.limit
    assert_clean_cut(spaced, post)
    assert head_of(post)[:-1].endswith(unit)


@pytest.mark.parametrize("network", NETWORKS)
def test_japanese_is_cut_between_characters(network):
    title = JAPANESE * 30
    post = compose_post(network, title, URL, limit=140 if network in ROOMY | {"mastodon", "threads"} else None)
    assert post.length <= post.limit
    assert_clean_cut(title, post)
    if network == "x":
        assert post.length == 280          # 127 characters of weight 2, the ellipsis 2, space, t.co


@pytest.mark.parametrize("title", [WELSH, POLISH, URDU])
@pytest.mark.parametrize("network", NETWORKS)
def test_welsh_polish_urdu_cut_at_words(network, title):
    limit = post_length(network, f"{title} {URL}") - 10
    post = compose_post(network, title, URL, limit=limit)
    assert post.length <= limit
    assert_clean_cut(title, post)
    assert title[len(head_of(post)[:-1])] == " "


def test_welsh_cut_exactly():
    post = compose_post("bluesky", WELSH, URL, limit=139)
    assert post.text == f"Heddlu Gorllewin Canolbarth Lloegr: apêl am dystion yng{ELLIPSIS} {URL}"
    assert post.length == 139
    assert compose_post("bluesky", WELSH, URL, limit=134).text == f"Heddlu Gorllewin Canolbarth Lloegr: apêl am{ELLIPSIS} {URL}"


@pytest.mark.parametrize("network", NETWORKS)
def test_address_like_words_in_a_title_are_never_cut(network):
    title = ("Report it online at https://www.west-midlands.police.uk/report-online/bikes or at Brum.com "
             "and tell us about #BikeTheft today please")
    for limit in range(post_length(network, URL), post_length(network, f"{title} {URL}")):
        post = compose_post(network, title, URL, limit=limit)
        assert post.length <= limit
        if post.text != URL:
            assert_clean_cut(title, post)
            assert f"{ELLIPSIS}{ELLIPSIS}" not in post.text
            assert not regex.search(rf"(://\S+|\.com|#BikeTheft){ELLIPSIS}", post.text), post.text


def test_x_counts_a_bare_domain_in_the_title_as_23():
    post = compose_post("x", "Scam warning: westmidlands-police-refunds.com is fake", URL)
    assert post.length == 13 + 1 + 23 + 8 + 1 + 23 == parse_tweet(post.text).weightedLength


def test_link_alone_too_long_and_bad_hashtags_are_refused():
    with pytest.raises(ValueError, match="the link alone is 82 of 50 graphemes on Bluesky"):
        compose_post("bluesky", "Title", URL, limit=50)
    with pytest.raises(ValueError, match="cannot be a hashtag"):
        compose_post("x", "Title", URL, ["Bike Theft"])
    with pytest.raises(ValueError, match="cannot be a hashtag"):
        compose_post("x", "Title", URL, ["2026"])
    with pytest.raises(ValueError, match="unknown network"):
        compose_post("tiktok", "Title", URL)


# --- Bluesky facets ----------------------------------------------------------------------

def test_bluesky_facets_slice_the_utf8_bytes_to_the_link_and_tags():
    post = compose_post("bluesky", f"{WELSH} {POLICE} {URDU}", URL, ["Appeal", "Caerdydd"])
    assert slices(post) == [URL, "#Appeal", "#Caerdydd"]
    assert [f.value for f in post.facets] == [URL, "Appeal", "Caerdydd"]
    link = post.facets[0]
    assert link.byte_start == len(f"{WELSH} {POLICE} {URDU} ".encode("utf-8")) != post.text.index(URL)
    assert post.to_json()["facets"][0] == {
        "index": {"byteStart": link.byte_start, "byteEnd": link.byte_end},
        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": URL}]}


def test_bluesky_facets_of_a_cut_post_still_slice_to_the_link():
    post = compose_post("bluesky", f"{FAMILY} " * 200, URL)
    assert slices(post) == [URL]


@pytest.mark.parametrize("text", [
    f"Heddlu: apêl {POLICE} https://x.org/a_(b) (https://y.org/c). #Appeal, #2026 #Brum_2026! ＃Tag {URL}",
    f"警察 #警察 {URL} #Appeal #{'a' * 70} end",
    f"{URDU} #اپیل {URL}",
])
def test_bluesky_facets_agree_with_atproto_detection(text):
    from atproto_client.utils.facet_detection import detect_facets

    theirs = [f.model_dump(by_alias=True, exclude_none=True) for f in detect_facets(text)]
    for facet in theirs:
        facet.pop("$type")
        facet["index"].pop("$type")
        for feature in facet["features"]:
            feature.pop("$type")
    ours = [f.to_json() for f in bluesky_facets(text, URL)]
    for facet in ours:
        facet["features"] = [{k: v for k, v in feature.items() if k != "$type"} for feature in facet["features"]]
    assert ours == theirs


# --- editors' own texts ------------------------------------------------------------------

def test_check_post_names_the_count_in_the_networks_units():
    text = "a" * 264 + " " + URL + " " + POLICE       # 264 + 1 + 23 + 1 + 2 = 291
    assert check_post("x", text, URL) == ["is 291 of 280 weighted characters on X"]
    assert check_post("mastodon", text, URL) == []
    assert check_post("mastodon", text, URL, limit=200) == ["is 290 of 200 characters on Mastodon"]
    assert check_post("bluesky", text, URL) == ["is 349 of 300 graphemes on Bluesky"]


def test_check_post_counts_the_link_added_when_missing():
    text = "b" * 260
    assert check_post("x", text, URL) == ["is 284 of 280 weighted characters on X with the link added at the end"]
    assert post_from_text("x", "Bikes marked", URL).text == f"Bikes marked {URL}"
    assert post_from_text("x", f"See {URL} today", URL).text == f"See {URL} today"


def test_check_post_other_problems():
    assert check_post("x", "   ", URL) == ["is empty"]
    assert check_post("x", "Hi \ufffe", URL) == ["contains a character X refuses (U+FFFE, U+FEFF or U+FFFF)"]
    assert check_post("bluesky", FAMILY * 200, URL) == ["is 3683 of 3000 bytes on Bluesky with the link added "
                                                        "at the end"]
    assert check_post("bluesky", f"Hi #{'a' * 70}", URL) == [
        "has a hashtag longer than 64 characters, which Bluesky will not link: #aaaaaaaaaaaaaaaaaaaa…"]
    assert check_post("x", f"{WELSH} {URL}", URL) == []


def test_editor_post_is_never_cut_and_gets_facets():
    post = post_from_text("bluesky", f"{LONG} #Appeal", URL)
    assert post.text == f"{LONG} #Appeal {URL}" and post.length == 391
    assert slices(post) == ["#Appeal", URL]


# --- properties --------------------------------------------------------------------------

PIECES = [WELSH, POLISH, URDU, JAPANESE, POLICE, FAMILY, "Brum.com", "#Appeal", "@WMPolice", "e\u0301",
          "https://wmp.police.uk/x", "(Aston)", "—", "a" * 40, "Ysgol", "Łódź", "🇬🇧", "1/2"]


@settings(max_examples=40, deadline=None)
@given(network=st.sampled_from(NETWORKS),
       parts=st.lists(st.sampled_from(PIECES), min_size=1, max_size=14),
       joiners=st.lists(st.sampled_from([" ", "", "  ", ", "]), min_size=14, max_size=14),
       tags=st.lists(st.sampled_from(["Appeal", "Aston", "BikeTheft", "Heddlu"]), max_size=3),
       room=st.integers(min_value=10, max_value=400))
def test_every_composed_post_fits_and_keeps_link_graphemes_and_words(network, parts, joiners, tags, room):
    title = "".join(p + j for p, j in zip(parts, joiners)).strip()
    limit = post_length(network, URL) + room
    post = compose_post(network, title, URL, tags, limit=limit)
    assert post.length == post_length(network, post.text) <= limit
    assert post.text.count(URL) == 1 and regex.search(rf"(^| ){regex.escape(URL)}( |$)", post.text)
    norm = unicodedata.normalize("NFC", " ".join(title.split()))
    if post.text == URL:                   # even the shortest safe cut would not fit
        first = norm.split()[0]
        shortest = f"{first} {ELLIPSIS}" if regex.search(r"^[#@]|\w\.\w|://", first) else \
            f"{graphemes(norm)[0]}{ELLIPSIS}"
        assert post_length(network, f"{shortest} {URL}") > limit
    elif head_of(post).endswith(ELLIPSIS):
        assert_clean_cut(norm, post)
        assert "#" not in post.text[post.text.index(URL):]
    else:
        assert head_of(post) == norm
    if network == "bluesky":
        assert URL in slices(post)
