# Pelican settings for the benchmark's news (bench/generate.py fills in {name} and {domain}).
# One page per article, an index of all articles 10 a page, and Atom and RSS feeds of 20: like
# wmpsite's article pages, news lists and feeds. Tag, category, author and archive pages are off,
# as wmpsite builds none of them for this comparison.
AUTHOR = "{name}"
SITENAME = "{name}"
SITEURL = "https://www.{domain}"
PATH = "content"
THEME = "theme"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en-GB"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# The same Python-Markdown extensions as wmpsite (wmpsite/content/markdown.py); `meta` reads the fields.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}

ARTICLE_PATHS = ["news"]
ARTICLE_URL = "news/{slug}/"
ARTICLE_SAVE_AS = "news/{slug}/index.html"
DIRECT_TEMPLATES = ["index"]
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "page/{number}/", "page/{number}/index.html"),
)
PAGE_PATHS = []
STATIC_PATHS = []
TAG_SAVE_AS = CATEGORY_SAVE_AS = AUTHOR_SAVE_AS = ""
TAGS_SAVE_AS = CATEGORIES_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
FEED_MAX_ITEMS = 20
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Cold builds: no content cache (Pelican's default too).
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

SHORT_NAME = "SVP"
EMERGENCY = "999"
NON_EMERGENCY = "101"
TEXTPHONE = "18001 101"
REPORT_ONLINE = "https://www.{domain}/ro/report"
SOCIAL = [("x", "@SynthValleyPolice", "https://x.com/SynthValleyPolice"),
          ("facebook", "Synthetic Valley Police", "https://www.facebook.com/SynthValleyPolice")]
NAV = [("Home", "/"), ("News", "/"), ("Your area", "/a-z/"), ("Advice", "/advice/"),
       ("Report a crime", "/report-a-crime/"), ("Contact us", "/contact-us/"), ("About us", "/about-us/")]
