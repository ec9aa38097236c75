"""What a web page says about itself: headline, publication date, outlet, author, address.

Read from the page's own metadata (Open Graph and `article:` properties, JSON-LD, `<meta>`
names, `<link rel=canonical>`, `<time itemprop=datePublished>`), never guessed from the
prose. Every value is cleaned like any untrusted text and links must pass `safe_link`;
nothing the page names is fetched or followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from briefing.core.text.clean import clean_line, safe_link

__all__ = ["PageMeta", "page_date", "read_page_meta", "same_words"]

_JSON_LD_MAX = 256 * 1024
"""Characters of one JSON-LD script parsed; a larger one is not metadata worth the work."""
_JSON_LD_SCRIPTS = 12
_JSON_LD_NODES = 400
"""Objects visited in all JSON-LD of a page; bounds the walk of a hostile graph."""
_FUTURE_SLACK = timedelta(days=2)

_ARTICLE_TYPES = frozenset((
    "article", "newsarticle", "blogposting", "reportagenews", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle",
    "techarticle", "scholarlyarticle", "report", "liveblogposting", "posting", "socialmediaposting",
))  # fmt: skip
_NOT_ARTICLES = frozenset(("organization", "newsmediaorganization", "person", "website", "breadcrumblist",
                           "imageobject", "searchaction", "sitenavigationelement"))
_TRAILING_COMMA = re.compile(r",\s*([}\]])")

# Publication dates, in the order they are trusted: the explicit article properties first.
_DATE_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "og:published_time",
    "published_time", "article.published", "pubdate", "publishdate", "publish-date",
    "publish_date", "date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "article_date_original",
    "cxenseparse:recs:publishtime",
)  # fmt: skip
_SITE_KEYS = ("og:site_name", "application-name", "apple-mobile-web-app-title")
_AUTHOR_KEYS = ("author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator")

# " | Site", " - Site", " — Site" ...: the separators a <title> puts between headline and site.
_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»:]{1,2}|::)\s+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """A page's own account of itself; None where it says nothing usable."""

    title: str | None = None
    """The headline, without the site's name that <title> and og:title often append."""
    published: datetime | None = None
    """When the article was first published (timezone-aware)."""
    source: str | None = None
    """The outlet's name (og:site_name, the JSON-LD publisher)."""
    url: str | None = None
    """The canonical http(s) address of the article."""
    author: str | None = None
    headlines: tuple[str, ...] = ()
    """Every form of the headline the page states (og:title, <title>, <h1>, JSON-LD): a
    body that starts with one of them starts with the headline, not the story."""


def same_words(a: str, b: str) -> bool:
    """The two texts have the same words, ignoring case, punctuation and spacing."""
    words_a = _WORD.findall(a.casefold())
    return bool(words_a) and words_a == _WORD.findall(b.casefold())


def _metas(tree: LexborHTMLParser) -> dict[str, str]:
    """`<meta>` contents by lower-cased property, name or itemprop; the first of each wins."""
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        content = attrs.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            for key in (attrs.get(attr) or "").lower().split():  # itemprop="datePublished dateCreated"
                found.setdefault(key, content.strip())
    return found


def _json_ld_objects(tree: LexborHTMLParser) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD scripts (lists and @graph flattened), bounded."""
    import orjson

    budget = _JSON_LD_NODES
    for script in tree.css('script[type="application/ld+json"]')[:_JSON_LD_SCRIPTS]:
        raw = (script.text(deep=True) or "").strip()
        if not raw or len(raw) > _JSON_LD_MAX:
            continue
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            data = _loose_json(raw)
        stack: list[Any] = [data]
        while stack and budget > 0:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item[:50]))
            elif isinstance(item, dict):
                budget -= 1
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph[:50]))


def _loose_json(raw: str) -> Any:
    """JSON as sites hand-write it into their pages: raw newlines inside strings and trailing
    commas are common. None if even that does not parse."""
    import json

    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", raw), strict=False)
    except (ValueError, RecursionError):
        return None


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _article_object(tree: LexborHTMLParser) -> dict[str, Any]:
    """The JSON-LD object describing the article, else one with a headline or publication
    date (a ClaimReview, a Review), else the web page, else {}."""
    dated: dict[str, Any] = {}
    page: dict[str, Any] = {}
    for obj in _json_ld_objects(tree):
        kinds = _types(obj)
        if kinds & _ARTICLE_TYPES or any(k.endswith(("article", "posting")) for k in kinds):
            return obj
        if not dated and not kinds & _NOT_ARTICLES and ("headline" in obj or "datePublished" in obj):
            dated = obj
        if not page and any(k.endswith("page") for k in kinds):
            page = obj
    return dated or page


def _name(value: Any) -> str | None:
    """A JSON-LD name: a string, an object with `name`, or the first three of a list of either."""
    if isinstance(value, list):
        names = [n for v in value[:3] if (n := _name(v))]
        return ", ".join(dict.fromkeys(names)) or None
    if isinstance(value, dict):
        value = value.get("name")
    return _person(value) if isinstance(value, str) else None


def _person(value: str) -> str | None:
    """A byline as a name: "By Jane Doe" is Jane Doe; a profile URL is no name."""
    if safe_link(value.strip()):
        return None
    return clean_line(re.sub(r"^\s*by\s+", "", value, flags=re.I), limit=200) or None


def _site(value: str) -> str | None:
    """An outlet's name; a site that names itself by its address gets its host."""
    if link := safe_link(value.strip()):
        host = urlsplit(link).hostname or ""
        return host.removeprefix("www.") or None
    return clean_line(value, limit=200) or None


def page_date(value: str, *, now: datetime | None = None) -> datetime | None:
    """A timestamp as pages write them (ISO 8601, RFC 2822, "March 3, 2021"), or None.

    A bare date becomes noon UTC (the same day in most zones), a time without zone UTC.
    Dates before 1970 or more than two days ahead are a page's mistake, not its date.
    """
    text = value.strip()[:64]
    if not text:
        return None
    moment: datetime | None = None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        text += "T12:00:00+00:00"
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        moment = _loose_date(text)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    latest = (now or datetime.now(UTC)) + _FUTURE_SLACK
    if moment.year < 1970 or moment > latest:
        return None
    return moment


def _loose_date(text: str) -> datetime | None:
    from email.utils import parsedate_to_datetime

    from briefing.core.text.textfile import parse_date_line

    if re.match(r"\d{4}-\d{2}-\d{2}[T ]", text):  # ISO with an odd tail: keep the day
        day: date | None = parse_date_line(text[:10])
        return datetime.combine(day, time(12), tzinfo=UTC) if day else None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    day = parse_date_line(text)
    return datetime.combine(day, time(12), tzinfo=UTC) if day else None


def _published(metas: dict[str, str], article: dict[str, Any], tree: LexborHTMLParser,
               now: datetime | None) -> datetime | None:
    candidates: list[str] = []
    ld_date = article.get("datePublished") or article.get("dateCreated")
    for key in _DATE_KEYS:
        if key == "datepublished" and isinstance(ld_date, str):
            candidates.append(ld_date)
        if key in metas:
            candidates.append(metas[key])
    for node in tree.css('time[itemprop="datePublished"], time[pubdate]')[:3]:
        if stamp := node.attributes.get("datetime"):
            candidates.append(stamp)
    for candidate in candidates:
        if moment := page_date(candidate, now=now):
            return moment
    return None


def _canonical(tree: LexborHTMLParser, metas: dict[str, str], article: dict[str, Any],
               base_url: str | None) -> str | None:
    candidates: list[str] = []
    for node in tree.css("link[rel]"):
        if "canonical" in (node.attributes.get("rel") or "").lower().split():
            candidates.append(node.attributes.get("href") or "")
    candidates.append(metas.get("og:url", ""))
    main = article.get("mainEntityOfPage")
    for value in (article.get("url"), main.get("@id") if isinstance(main, dict) else main):
        if isinstance(value, str):
            candidates.append(value)
    for candidate in candidates:
        candidate = candidate.strip()
        if not candidate:
            continue
        if base_url and not urlsplit(candidate).scheme:
            try:
                candidate = urljoin(base_url, candidate)
            except ValueError:
                continue
        if link := safe_link(candidate):
            return link
    return None


def _letters(text: str) -> str:
    return "".join(_WORD.findall(text.casefold()))


def _strip_site(title: str, site: str | None, heading: str | None, host: str | None) -> str:
    """The headline of "Headline | Site" or "Site - Headline".

    A part is the site's name when it matches og:site_name or the host, or when the other
    part is the page's <h1>. Without such evidence a dash may be the headline's own
    ("Brexit - what comes next"), so only a short tail after " | " is taken for a site.
    """
    separators = list(_SEPARATOR.finditer(title))
    if not separators:
        return title
    if heading and len(heading) < len(title) and title.casefold().startswith(heading.casefold()):
        return heading  # "<h1> | whatever the site appends"
    site_key = _letters(site) if site else ""

    def is_site(part: str) -> bool:
        key = _letters(part)
        if not key:
            return False
        if site_key and (key == site_key or (site_key in key and len(key) <= len(site_key) + 12)):
            return True
        return bool(host and len(key) >= 3 and (key in host or host in key))

    first, last = separators[0], separators[-1]
    head, tail = title[: first.start()], title[last.end() :]
    if is_site(tail):
        return title[: last.start()]
    if is_site(head):
        return title[first.end() :]
    if "|" in last.group(0) and len(tail.split()) <= 4 and len(title[: last.start()].split()) >= 2:
        return title[: last.start()]
    return title


_SECOND_LEVEL = frozenset(("co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go", "gob", "gv"))


def _host_key(url: str | None) -> str | None:
    """The name part of a site's host: bbc of www.bbc.co.uk, sky of news.sky.com."""
    host = urlsplit(url).hostname if url else None
    labels = (host or "").lower().split(".")[:-1]  # the top-level domain says nothing
    if labels and labels[-1] in _SECOND_LEVEL and len(labels) > 1:
        labels.pop()
    return labels[-1] if labels and labels[-1] else None


def read_page_meta(html: str | LexborHTMLParser, *, base_url: str | None = None,
                   now: datetime | None = None) -> PageMeta:
    """Headline, date, outlet, author and canonical link from a page's own metadata.

    `base_url` is where the page came from: it resolves a relative canonical link and
    tells the site's host for recognising its name in <title>.
    """
    tree = html if isinstance(html, LexborHTMLParser) else LexborHTMLParser(html)
    metas = _metas(tree)
    article = _article_object(tree)
    publisher = article.get("publisher")
    publisher_name = publisher.get("name") if isinstance(publisher, dict) else publisher
    stated_sites = [metas.get(_SITE_KEYS[0]), publisher_name, *(metas.get(k) for k in _SITE_KEYS[1:])]
    site = next((name for s in stated_sites if isinstance(s, str) and (name := _site(s))), None)
    url = _canonical(tree, metas, article, base_url)

    heading_node = tree.css_first("h1")
    heading = clean_line(heading_node.text(deep=True), limit=500) if heading_node is not None else ""
    title_node = tree.css_first("title")
    page_title = clean_line(title_node.text(deep=True), limit=500) if title_node is not None else ""
    ld_headline = article.get("headline") if isinstance(article.get("headline"), str) else None
    stated = [metas.get("og:title"), ld_headline, metas.get("twitter:title"), page_title, heading]
    headlines = tuple(dict.fromkeys(line for s in stated if s and (line := clean_line(s, limit=500))))
    title = None
    if headlines:
        title = _strip_site(headlines[0], site, heading or None, _host_key(url or base_url)) or headlines[0]

    author = _name(article.get("author")) or next(
        (name for key in _AUTHOR_KEYS if (name := _person(metas.get(key, "")))), None)
    return PageMeta(
        title=title,
        published=_published(metas, article, tree, now),
        source=site or None,
        url=url,
        author=author,
        headlines=headlines if title is None or title in headlines else (*headlines, title),
    )
