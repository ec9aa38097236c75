"""Feed bytes to Articles: feedparser on bytes and headers, then our own cleaning.

feedparser is handed the body and the response headers, never a URL or a path, so it can
fetch nothing. Entity declarations are refused before it sees them, the work is bounded
for pathological input, and any failure becomes a one-line FetchError, never a crash.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from briefing.core.errors import FetchError
from briefing.core.models.article import Article
from briefing.core.models.feeds import Feed
from briefing.core.text.boilerplate import strip_trailing_boilerplate
from briefing.core.text.clean import clean_line, clean_text, safe_link
from briefing.core.text.html import html_to_text

__all__ = ["MAX_ENTRIES", "ParsedFeed", "parse_feed"]

MAX_ENTRIES = 2_000
"""Entries read from one feed; the rest are ignored with a warning."""

_BODY_MAX = 1_000_000
"""Characters of one entry's HTML handed to html_to_text."""
_FIELD_MAX = 4_000
"""Characters of a title, author or guid handed to the cleaners."""
_PERSON_MAX = 256
"""Bytes kept of a person-like element's text before feedparser sees it."""
_FUTURE_SLACK = timedelta(days=2)
_HTML_TYPES = frozenset(("text/html", "application/xhtml+xml", "html", "xhtml"))

# `<!ENTITY` after a `<!DOCTYPE`: internal-subset entities (billion laughs, XXE).
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
# An HTML page where a feed should be: what the body starts with, comments skipped.
_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
# Elements whose text feedparser runs through a backtracking e-mail regex (quadratic or
# worse in the length of the text): their text is cut to _PERSON_MAX bytes beforehand.
_PERSON_START = re.compile(
    rb"<(?:[A-Za-z][\w.-]*:)?(?:author|creator|publisher|contributor|managingEditor|webMaster"
    rb"|name|email|owner)(?:\s[^<>]*)?>",
    re.IGNORECASE,
)
_CDATA = b"<![CDATA["
# Numeric character references that could be out of range or surrogates (feedparser
# crashes on `&#1114112;` and `&#55296;`): five or more decimal / four or more hex digits.
_BIG_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{4,})|([0-9]{5,}));")
_REPLACEMENT_REF = b"&#65533;"
_ONE_LINE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What one feed document holds, cleaned."""

    title: str | None
    """The channel's own title, cleaned; None when it has none."""
    articles: tuple[Article, ...]
    """The entries as Articles with id "" (the store assigns ids), in feed order."""
    warning: str | None = None
    """A one-line note when the feed was read only in part (malformed XML, too many entries)."""
    link: str | None = None
    """The channel's site link, when it is a safe http(s) link."""


def _one_line(text: str, limit: int = 200) -> str:
    text = clean_line(_ONE_LINE.sub(" ", text), limit=limit)
    return text or "unknown error"


def _reason(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    message = _ONE_LINE.sub(" ", str(exc)).strip()
    if message.startswith("<unknown>:"):  # SAX's placeholder for "the stream"
        return _one_line(f"XML error at line {message[len('<unknown>:') :]}")
    return _one_line(f"{type(exc).__name__}: {message}" if message else type(exc).__name__)


def _scan_head(content: bytes) -> bytes:
    """The first bytes, with the NULs of UTF-16/32 removed so ASCII patterns match."""
    head = content[:4096]
    return head.replace(b"\x00", b"") if b"\x00" in head else head


def _refuse_entities(content: bytes) -> None:
    """Refuse a DOCTYPE that declares entities (entity expansion, external entities)."""
    data = content.replace(b"\x00", b"") if b"\x00" in content[:4096] else content
    entity = _ENTITY.search(data)
    if entity is None:
        return
    doctype = _DOCTYPE.search(data, 0, entity.start())
    if doctype is not None:
        raise FetchError(
            "feed declares XML entities in its DOCTYPE; refused (entity expansion or "
            "external entities are an attack, not a feed)"
        )


def _cut_person_fields(content: bytes) -> bytes:
    """Cut over-long author-like element texts so feedparser's e-mail regex stays fast."""
    pieces: list[bytes] = []
    position = 0
    for match in _PERSON_START.finditer(content):
        start = match.end()
        if start < position:
            continue
        if content.startswith(_CDATA, start):
            close = content.find(b"]]>", start)
            if close < 0:
                continue  # unterminated: feedparser reports the XML error
            end = close + 3
            text = content[start + len(_CDATA) : close]
        else:
            end = content.find(b"<", start)
            end = len(content) if end < 0 else end
            text = content[start:end]
        if len(text) <= _PERSON_MAX:
            continue
        kept = text[:_PERSON_MAX]
        amp = kept.rfind(b"&")
        if amp >= 0 and b";" not in kept[amp:]:
            kept = kept[:amp]  # never cut an entity reference in half
        kept = kept.decode("utf-8", "ignore").encode("utf-8")  # nor a UTF-8 sequence
        if end - start > len(text):
            kept = _CDATA + kept + b"]]>"
        pieces.append(content[position:start])
        pieces.append(kept)
        position = end
    if not pieces:
        return content
    pieces.append(content[position:])
    return b"".join(pieces)


def _charref(match: re.Match[bytes]) -> bytes:
    hex_digits, decimal = match.group(1), match.group(2)
    value = int(hex_digits, 16) if hex_digits else int(decimal)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return _REPLACEMENT_REF
    return match.group(0)


def _repair_charrefs(content: bytes) -> bytes:
    """Replace character references to no character at all by U+FFFD's."""
    if _BIG_CHARREF.search(content) is None:
        return content
    return _BIG_CHARREF.sub(_charref, content)


def _published(entry: Mapping[str, Any], fetched: datetime) -> datetime | None:
    latest = fetched + _FUTURE_SLACK
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get: FeedParserDict.get maps missing keys to others, with a warning.
        value = dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)
        if not isinstance(value, time.struct_time):
            continue
        try:
            moment = datetime(*value[:6], tzinfo=UTC)
        except (ValueError, OverflowError, TypeError):
            continue
        if moment.year < 1970 or moment > latest:
            continue
        return moment
    return None


def _detail_text(value: object, kind: object) -> str:
    if not isinstance(value, str) or not value:
        return ""
    value = value[:_BODY_MAX]
    if isinstance(kind, str) and kind.lower() in _HTML_TYPES:
        return html_to_text(value)
    return clean_text(value)


def _entry_text(entry: Mapping[str, Any]) -> str:
    best = ""
    contents = entry.get("content")
    if isinstance(contents, list):
        for content in contents[:8]:
            if isinstance(content, Mapping):
                text = _detail_text(content.get("value"), content.get("type"))
                if len(text) > len(best):
                    best = text
    if best:
        return best
    detail = entry.get("summary_detail")
    kind = detail.get("type") if isinstance(detail, Mapping) else "text/html"
    return _detail_text(entry.get("summary"), kind)


def _entry_title(entry: Mapping[str, Any]) -> str:
    title = entry.get("title")
    if not isinstance(title, str) or not title:
        return ""
    title = title[:_FIELD_MAX]
    detail = entry.get("title_detail")
    kind = detail.get("type") if isinstance(detail, Mapping) else None
    if isinstance(kind, str) and kind.lower() in _HTML_TYPES and ("<" in title or "&" in title):
        title = html_to_text(title)
    return clean_line(title)


def _resolve(link: object, base: str | None) -> str | None:
    if not isinstance(link, str) or not link.strip():
        return None
    link = link.strip()[:4096]
    if base and not urlsplit(link).scheme:
        try:
            link = urljoin(base, link)
        except ValueError:
            return None
    return safe_link(link)


def _entry_link(entry: Mapping[str, Any], base: str | None) -> str | None:
    if entry.get("guidislink"):
        # feedparser copies a permalink guid into `link`; a guid that is no URL is no link.
        link = safe_link(entry.get("link"))
    else:
        link = _resolve(entry.get("link"), base)
    if link is None:
        for candidate in entry.get("links") or ():
            if isinstance(candidate, Mapping) and candidate.get("rel", "alternate") == "alternate":
                link = _resolve(candidate.get("href"), base)
                if link:
                    break
    return link


def _optional_line(value: object, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    return clean_line(value[:_FIELD_MAX], limit=limit) or None


def _author(entry: Mapping[str, Any]) -> str | None:
    detail = entry.get("author_detail")
    if isinstance(detail, Mapping) and detail.get("name"):
        return _optional_line(detail.get("name"), 200)
    return _optional_line(entry.get("author"), 200)


def _article(
    entry: Mapping[str, Any], feed: Feed, source: str, base: str | None, fetched: datetime
) -> Article:
    text = strip_trailing_boilerplate(_entry_text(entry))
    link = _entry_link(entry, base)
    title = _entry_title(entry)
    if not title:
        first = text.split("\n", 1)[0]
        title = clean_line(first, limit=100) or link or "(untitled)"
    return Article(
        id="",
        title=title,
        text=text,
        source=source,
        feed=feed.name,
        link=link,
        guid=_optional_line(entry.get("id"), 2048),
        author=_author(entry),
        published=_published(entry, fetched),
        fetched=fetched,
        tags=feed.tags,
    )


def _http_base(*candidates: str | None) -> str | None:
    for candidate in candidates:
        if candidate and safe_link(candidate):
            return candidate.strip()
    return None


def parse_feed(
    content: bytes,
    headers: Mapping[str, str],
    feed: Feed,
    *,
    fetched: datetime,
    base_url: str | None = None,
) -> ParsedFeed:
    """Parse one fetched feed document into cleaned Articles.

    `headers` are the response headers (their Content-Type names the charset); `base_url`
    is where the bytes came from after redirects (defaults to feed.url) and resolves
    relative links. Raises FetchError with a one-line reason when the bytes are not a
    feed: empty, an HTML page, declared entities, or XML too broken to yield any entry.
    """
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=UTC)
    if not content.strip():
        raise FetchError("empty body: the server sent no feed")
    head = _scan_head(content)
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf\xff\xfe")):
        raise FetchError("not a feed: the server sent an HTML page")
    _refuse_entities(content)
    content = _repair_charrefs(_cut_person_fields(content))
    response_headers = {str(k).lower(): str(v) for k, v in headers.items()}
    try:
        parsed = feedparser.parse(
            io.BytesIO(content),
            response_headers=response_headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
        entries = list(parsed.get("entries") or ())
        channel = parsed.get("feed") or {}
        version = parsed.get("version") or ""
        bozo = bool(parsed.get("bozo"))
        problem = parsed.get("bozo_exception") if bozo else None
    except Exception as exc:  # feedparser crashes on some hostile input; never pass it on
        raise FetchError(f"feed could not be parsed: {_reason(exc)}") from None

    if not entries:
        if bozo and not channel.get("title"):
            raise FetchError(f"not a valid feed: {_reason(problem)}")
        if not version and not channel.get("title"):
            raise FetchError("not a feed: no RSS, Atom or RDF document found")

    title = _optional_line(channel.get("title"), 300)
    site = _http_base(_resolve(channel.get("link"), _http_base(base_url, feed.url)))
    base = _http_base(site, base_url, feed.url)
    source = title or feed.name

    warnings: list[str] = []
    if bozo and entries:
        warnings.append(f"feed is malformed, read what could be: {_reason(problem)}")
    if len(entries) > MAX_ENTRIES:
        warnings.append(f"feed has {len(entries)} entries; only the first {MAX_ENTRIES} read")
        entries = entries[:MAX_ENTRIES]

    articles: list[Article] = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        try:
            articles.append(_article(entry, feed, source, base, fetched))
        except Exception as exc:  # one broken entry must not lose the others
            warnings.append(f"an entry was skipped: {_reason(exc)}")
    warning = _one_line("; ".join(dict.fromkeys(warnings)), limit=300) if warnings else None
    return ParsedFeed(title=title, articles=tuple(articles), warning=warning, link=site)
