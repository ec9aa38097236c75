"""Full text for offline reading: fetch an article's page and keep its main text.

Many feeds carry only a summary. For feeds marked `full_text = true`, and on demand from
the reader, the linked page is fetched (http/https only, with the feed limits), its main
text extracted (`text.extract`, the same extractor as `briefing import` of a page), stored,
and the facts and search index redone. A failure leaves the summary in place and says why,
in one line.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from briefing.core.feeds.fetch import Guard, fetch_feeds
from briefing.core.models.feeds import Feed, Settings
from briefing.core.store.store import Store
from briefing.core.text.clean import clean_line, safe_link

if TYPE_CHECKING:
    from briefing.core.text.extract import ExtractedArticle

MIN_GAIN = 1.2
"""The page text must be this much longer than what is stored, or it is not worth keeping."""


@dataclass(frozen=True, slots=True)
class FullTextResult:
    """What came of one article's full-text fetch."""

    article_id: str
    ok: bool
    reason: str | None = None
    """Why the stored text was kept, one line."""
    chars: int = 0
    title: str | None = None
    """The headline the page states (its metadata), for callers to fill what the feed lacked."""
    published: datetime | None = None
    """The publication date the page states."""
    source: str | None = None
    """The outlet's name the page states."""
    url: str | None = None
    """The page's canonical http(s) address."""


def decode_page(content: bytes, content_type: str | None) -> str:
    """Bytes of an HTML page as text: header charset, then <meta charset>, then UTF-8."""
    from briefing.core.text.html import meta_charset

    candidates: list[str] = []
    if content_type and (m := re.search(r"charset=([\w.:-]{1,40})", content_type, re.I)):
        candidates.append(m.group(1))
    if declared := meta_charset(content):
        candidates.append(declared)
    candidates.append("utf-8")
    for charset in candidates:
        try:
            return content.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("utf-8", errors="replace")


def extract_main_text(html: str, url: str | None = None) -> str:
    """The article's own text from a whole page (see `text.extract.extract_article`)."""
    from briefing.core.text.extract import extract_article

    return extract_article(html, url=url).text


def private_address(host: str) -> str | None:
    """The first non-public address `host` is or resolves to (loopback, private, link-local,
    reserved...), or None. A name that does not resolve is left for the fetch to report."""
    import ipaddress
    import socket

    try:
        candidates = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return None
        candidates = []
        for info in infos:
            with contextlib.suppress(ValueError):
                candidates.append(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]))
    for address in candidates:
        if not address.is_global:
            return str(address)
    return None


def private_network_guard(trusted_hosts: Collection[str] = ()) -> Guard:
    """A fetch guard refusing every host and connection off the public internet, except
    hosts that also serve one of the user's own feeds. It checks each redirect hop and the
    address actually reached, so neither a redirect nor a name that resolves differently
    the second time leads into the private network."""
    trusted = {h.lower() for h in trusted_hosts}

    def guard(host: str, address: str | None) -> str | None:
        if host.lower() in trusted:
            return None
        found = private_address(address if address is not None else host)
        if found is None:
            return None
        return f"{clean_line(host, limit=80)} is in a private network ({found}); not fetched"

    return guard


def _result(aid: str, page: ExtractedArticle, refused: str | None = None) -> FullTextResult:
    """A fetch that reached the page: what it stated, and why its text was refused if it was."""
    return FullTextResult(aid, refused is None, refused, 0 if refused else len(page.text), title=page.title,
                          published=page.published, source=page.source, url=page.url)


def fetch_full_texts(
    store: Store,
    ids: Sequence[str],
    settings: Settings,
    *,
    now: datetime | None = None,
    trusted_hosts: Collection[str] = (),
) -> list[FullTextResult]:
    """Fetch, extract and store the full text of several articles (fetched concurrently).

    Article links come from feeds we do not control: one pointing into a private network
    (a router's admin page, a cloud metadata address) is refused, unless its host also
    serves one of the user's own feeds (`trusted_hosts`).
    """
    from briefing.core.ingest.pipeline import facts_for, facts_version
    from briefing.core.search.index import index_new_articles
    from briefing.core.text.extract import extract_article

    results: dict[str, FullTextResult] = {}
    pages: list[tuple[str, Feed]] = []
    for aid in ids:
        article = store.get(aid)
        link = safe_link(article.link) if article else None
        if article is None:
            results[aid] = FullTextResult(aid, False, "no such article")
        elif link is None:
            results[aid] = FullTextResult(aid, False, "the article has no http(s) link")
        else:
            pages.append((aid, Feed(name=f"page of {aid}", url=link)))
    guard = private_network_guard(trusted_hosts)
    fetched = fetch_feeds([f for _, f in pages], settings, {}, now=now or datetime.now(UTC),
                          guard=guard) if pages else []
    updated: list[str] = []
    with store.batch():
        for (aid, page_feed), result in zip(pages, fetched, strict=True):
            if result.status != "ok" or result.content is None:
                results[aid] = FullTextResult(aid, False, result.error or f"not fetched ({result.status})")
                continue
            page = extract_article(decode_page(result.content, result.headers.get("content-type")),
                                   url=result.final_url or page_feed.url, now=now)
            article = store.get(aid)
            assert article is not None
            if len(page.text) < max(200, int(len(article.text) * MIN_GAIN)):
                results[aid] = _result(aid, page, "the page holds no more text than the summary")
                continue
            # Dates in the text are read against the publication date: the page's, if the feed gave none.
            facts = facts_for(replace(article, text=page.text, published=article.published or page.published))
            store.update_article(aid, text=page.text, facts=facts, facts_version=facts_version())
            results[aid] = _result(aid, page)
            updated.append(aid)
    if updated:
        index_new_articles(store, updated)
    return [results[aid] for aid in ids]


def fetch_full_text(
    store: Store, aid: str, settings: Settings, *, now: datetime | None = None,
    trusted_hosts: Collection[str] = (),
) -> FullTextResult:
    """The reader's on-demand key: one article."""
    return fetch_full_texts(store, [aid], settings, now=now, trusted_hosts=trusted_hosts)[0]


def feed_hosts(feeds: Iterable[Feed]) -> set[str]:
    """Hosts of the user's own feeds: their pages may be fetched even on a private network."""
    return {host.lower() for f in feeds if (host := urlsplit(f.url).hostname)}
