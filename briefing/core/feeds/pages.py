"""Fetching articles' pages politely: few at once per host, spaced, and when a host says wait.

At most PER_HOST pages of one host are requested at once, and the requests to one host
start at least `Settings.full_text_gap` apart; a 429 or 503 with Retry-After makes that
host wait (its other pages are not requested in this run). Every page goes through the
feed limits of `fetch.py` (size cap after decompression, deadline, redirect checks) and
the private-network guard on a pinned connection (`pinned.py`). Main text is extracted
as bodies arrive, in the ingest worker processes when the caller gives them (many pages),
else in a few threads. This module never writes to the store.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from briefing.core.feeds.fetch import PAGE_ACCEPT, FetchResult, Guard, Resolver, client_for, fetch_feed
from briefing.core.models.article import PageState
from briefing.core.models.feeds import Feed, FeedState, Settings

if TYPE_CHECKING:
    from briefing.core.text.extract import ExtractedArticle

PER_HOST = 2
"""Pages of one host requested at once, at most."""
EXTRACT_THREADS = 2
"""Pages whose main text is extracted at once in this process (no worker pool given)."""


@dataclass(frozen=True, slots=True)
class PageRequest:
    """One article's page to fetch."""

    article_id: str
    url: str
    """The article's http(s) link."""
    state: PageState
    """What is known of the page: its validators make the request conditional."""

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


@dataclass(frozen=True, slots=True)
class PageReply:
    """What came of one page request (or why it was not made)."""

    request: PageRequest
    result: FetchResult | None
    """The fetch (its body dropped once extracted); None when no request was made."""
    page: ExtractedArticle | None = None
    """The page's main text and metadata, when a body was read."""
    waiting: str | None = None
    """Why no request was made: the host asked to wait (until `until`)."""
    until: datetime | None = None


def _extract(result: FetchResult, now: datetime) -> ExtractedArticle:
    from briefing.core.feeds.fulltext import decode_page
    from briefing.core.text.extract import extract_article

    assert result.content is not None
    html = decode_page(result.content, result.headers.get("content-type"))
    return extract_article(html, url=result.final_url or result.feed.url, now=now)


class _Host:
    """One host's turn-taking: its slots, when its next request may start, its wait."""

    def __init__(self) -> None:
        self.slots = asyncio.Semaphore(PER_HOST)
        self.next_start = 0.0
        self.until: datetime | None = None
        self.reason: str | None = None


async def fetch_pages(
    requests: Sequence[PageRequest],
    settings: Settings,
    *,
    guard: Guard,
    resolve: Resolver,
    deliver: Callable[[PageReply], None],
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    stop: threading.Event | None = None,
    pool: Executor | None = None,
) -> None:
    """Request every page (in the order given, as turns allow) and `deliver` each reply,
    on the event loop's thread, as it completes. `stop` set: no further request starts.
    `pool` extracts the main texts (worker processes); without it, threads here do."""
    loop = asyncio.get_running_loop()
    hosts: dict[str, _Host] = {}
    gate = asyncio.Semaphore(max(1, settings.concurrency))
    # Bodies in hand (fetched, not yet extracted) are bounded: memory stays a few caps.
    in_hand = asyncio.Semaphore(2 * max(1, settings.concurrency))
    own = None if pool is not None else ThreadPoolExecutor(max_workers=EXTRACT_THREADS,
                                                           thread_name_prefix="briefing-extract")
    extractor = pool or own
    assert extractor is not None

    async def one(client: httpx.AsyncClient, request: PageRequest) -> None:
        host = hosts.setdefault(request.host, _Host())
        await host.slots.acquire()
        try:
            start = max(loop.time(), host.next_start)
            host.next_start = start + settings.full_text_gap
            await asyncio.sleep(start - loop.time())
            if host.until is not None:
                deliver(PageReply(request, None, waiting=host.reason, until=host.until))
                return
            if stop is not None and stop.is_set():
                return
            await in_hand.acquire()
            async with gate:
                result = await fetch_feed(
                    client, Feed(name=f"page of {request.article_id}", url=request.url), settings,
                    FeedState(url=request.url, etag=request.state.etag,
                              last_modified=request.state.last_modified),
                    now=clock(), guard=guard, accept=PAGE_ACCEPT)
            if result.state.retry_after is not None and host.until is None:
                host.until = result.state.retry_after
                host.reason = f"{request.host} asked to wait: {result.error}"
        finally:
            host.slots.release()  # the host's turn is over once the bytes are in
        try:
            page = None
            if result.status == "ok" and result.content is not None:
                try:
                    page = await loop.run_in_executor(extractor, _extract, result, clock())
                    result = replace(result, content=None)
                except Exception as exc:  # noqa: BLE001 - one hostile page fails alone
                    result = replace(result, status="error", content=None,
                                     error=f"could not read the page ({type(exc).__name__})")
        finally:
            in_hand.release()
        deliver(PageReply(request, result, page))

    try:
        async with client_for(settings, guard, resolve) as client:
            await asyncio.gather(*(one(client, r) for r in requests))
    finally:
        if own is not None:
            own.shutdown(wait=False, cancel_futures=True)

