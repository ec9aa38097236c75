"""The one main-text extractor: a whole web page to its article, for imports and full text.

trafilatura finds the article's element and our `html_to_text` renders it, so an imported
page and a fetched one read alike; the page's own metadata (see `pagemeta`) gives the
headline, date, outlet and address. trafilatura is imported on first use, never at
start-up, and a failure inside it on a hostile page is a miss, never a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from briefing.core.text.clean import clean_text
from briefing.core.text.html import HTML_MAX_CHARS, html_to_text, main_text
from briefing.core.text.pagemeta import PageMeta, read_page_meta, same_words

__all__ = ["ExtractedArticle", "extract_article"]

STRICT_KEEPS = 0.6
"""trafilatura's stricter pass (favor_precision) drops teaser lists and sign-up boxes that
the default pass keeps, but on some pages it drops the story itself. Its text is taken only
when it keeps at least this share of the default pass's words."""
SHORT_WORDS = 60
"""Below this many words the extraction may have missed the story: the fallback is asked."""
FALLBACK_GAIN = 4
"""The fallback replaces a short extraction only when it has this many times the words, so
a real short piece is not swapped for a page's menus."""

_BOILERPLATE_LINE = re.compile(
    r"copyright|©|\(c\)|all rights reserved|personal,? non-commercial use|cookies?\b|subscribe|"
    r"sign (?:up|in)|log ?in|javascript|advertisement",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """The article in a page: its text and what the page says about it (None: unstated)."""

    text: str
    """Clean plain text, paragraphs separated by one blank line, headline not repeated."""
    title: str | None = None
    published: datetime | None = None
    source: str | None = None
    """The outlet's name."""
    url: str | None = None
    """The page's canonical http(s) address."""
    author: str | None = None


def _words(text: str) -> int:
    return len(text.split())


def _trafilatura(html: str, url: str | None, *, strict: bool) -> str:
    """trafilatura's choice of the article element, rendered by our HTML-to-text.

    Comments are left out, tables kept. `fast` skips trafilatura's own second opinion
    (its readability and jusText ports): measured on the benchmark it more often swaps a
    good extraction for a whole page than rescues a bad one, and we ask ours instead. No
    deduplication: its cache is process-wide, so a page extracted twice would shrink.
    """
    try:
        import trafilatura

        found = trafilatura.extract(
            html, url=url, output_format="html", include_comments=False, include_tables=True,
            include_images=False, include_links=False, deduplicate=False, fast=True,
            favor_precision=strict, with_metadata=False,
        )
    except Exception:  # noqa: BLE001 - a parser failure on a hostile page is a miss, not a crash
        return ""
    return html_to_text(found) if found else ""


def _only_boilerplate(text: str) -> bool:
    """Nothing but a copyright line, a cookie notice or a sign-up prompt."""
    lines = [line for line in text.split("\n") if line.strip()]
    return all(_BOILERPLATE_LINE.search(line) for line in lines)


def _body(html: str, url: str | None) -> str:
    text = _trafilatura(html, url, strict=False)
    if text:
        strict = _trafilatura(html, url, strict=True)
        if _words(strict) >= STRICT_KEEPS * _words(text):
            text = strict
    if _words(text) < SHORT_WORDS:
        _, fallback = main_text(html)
        if not text or _only_boilerplate(text) or _words(fallback) >= FALLBACK_GAIN * _words(text):
            text = fallback or text
    return text


def _drop_headline(text: str, meta: PageMeta) -> str:
    """The body without a first paragraph that only repeats the headline."""
    first, sep, rest = text.partition("\n\n")
    first_line = first.split("\n", 1)[0]
    if any(same_words(first_line, h) for h in meta.headlines):
        if "\n" in first:
            return first.split("\n", 1)[1].lstrip() + sep + rest
        return rest
    return text


def extract_article(html: str, *, url: str | None = None, now: datetime | None = None) -> ExtractedArticle:
    """The article of a whole page: main text, headline, date, outlet, author, address.

    `url` is where the page came from (None for a saved file): it resolves relative links
    and helps tell the site's name from the headline in <title>.
    """
    html = html[:HTML_MAX_CHARS].replace("\x00", "")
    meta = read_page_meta(html, base_url=url, now=now)
    text = _drop_headline(_body(html, meta.url or url), meta)
    return ExtractedArticle(
        text=clean_text(text), title=meta.title, published=meta.published, source=meta.source,
        url=meta.url, author=meta.author,
    )
