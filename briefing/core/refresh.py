"""Refresh: fetch every feed, parse, extract facts, store; one outcome per feed.

A failing feed records its reason in its FeedState and the batch goes on. Parsing and
facts run in a process pool for large refreshes so both cores work; the store is
written in a few large batches, never once per article.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from briefing.core.errors import FetchError
from briefing.core.fetch import FetchResult, fetch_feeds
from briefing.core.identity import article_id, content_hash
from briefing.core.ingest import POOL_THRESHOLD, _with_facts
from briefing.core.models import Article, Feed, FeedState, Settings
from briefing.core.store import Store

OutcomeStatus = Literal["new", "not_modified", "error", "skipped"]


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What one feed's refresh came to."""

    feed: Feed
    status: OutcomeStatus
    added: int = 0
    error: str | None = None
    detail: str | None = None
    """Why a feed was skipped (gone, or Retry-After not yet passed)."""


def with_id(article: Article) -> Article:
    if article.id:
        return article
    chash = content_hash(article.title, article.text)
    return replace(article, id=article_id(link=article.link, guid=article.guid, chash=chash))


def _parse(result: FetchResult) -> tuple[list[Article], str | None, str | None]:
    """(articles, error, warning) for one fetched body; runs in a worker process."""
    from briefing.core.parse import parse_feed

    assert result.content is not None
    try:
        parsed = parse_feed(result.content, result.headers, result.feed,
                            fetched=result.state.last_fetch or datetime.now(UTC),
                            base_url=result.final_url)
    except FetchError as exc:
        return [], str(exc), None
    except Exception as exc:  # noqa: BLE001 - a parser bug on hostile bytes fails one feed
        return [], f"could not parse ({type(exc).__name__})", None
    return list(parsed.articles), None, parsed.warning


def refresh_feeds(
    store: Store,
    feeds: Sequence[Feed],
    settings: Settings,
    *,
    now: datetime | None = None,
    on_outcome: Callable[[FeedOutcome], None] | None = None,
    workers: int | None = None,
) -> list[FeedOutcome]:
    stamp = now or datetime.now(UTC)
    by_url = store.feed_states()
    # Caching info belongs to a URL: a feed whose URL changed starts afresh.
    known = {f.name: by_url[f.url] for f in feeds if f.url in by_url}
    results = fetch_feeds(feeds, settings, known, now=stamp)
    ok = [r for r in results if r.status == "ok" and r.content is not None]
    n_items = sum(len(r.content or b"") for r in ok) // 1500
    pool: Executor | None = None
    if n_items >= POOL_THRESHOLD and (workers or os.cpu_count() or 1) > 1:
        pool = ProcessPoolExecutor(max_workers=workers or min(os.cpu_count() or 2, 4))
    try:
        parsed = list(pool.map(_parse, ok)) if pool else [_parse(r) for r in ok]
        by_feed = {id(r): p for r, p in zip(ok, parsed, strict=True)}
        # Dedupe before extracting facts: a feed that changed one item re-sends the rest.
        fresh: list[tuple[FetchResult, Article]] = []
        for r in ok:
            articles, _, _ = by_feed[id(r)]
            fresh += [(r, with_id(a)) for a in articles if store.find_duplicate(a) is None]
        todo = [a for _, a in fresh]
        if pool and len(todo) >= POOL_THRESHOLD:
            chunk = max(1, len(todo) // 16)
            enriched = list(pool.map(_with_facts, todo, chunksize=chunk))
        else:
            enriched = [_with_facts(a) for a in todo]
    finally:
        if pool:
            pool.shutdown()

    outcomes: list[FeedOutcome] = []
    states: list[FeedState] = []
    with store.batch():
        added = set(store.add_articles(enriched).added) if enriched else set()
        added_by_feed: dict[int, int] = {}
        for (r, _), article in zip(fresh, enriched, strict=True):
            if article.id in added:
                added_by_feed[id(r)] = added_by_feed.get(id(r), 0) + 1
        counts = store.count_by_feed()
        for r in results:
            state = r.state
            if r.status == "ok" and r.content is not None:
                _, error, _warning = by_feed[id(r)]
                if error:
                    state = replace(state, last_error=error, last_success=None, etag=None,
                                    last_modified=None)
                    outcome = FeedOutcome(r.feed, "error", 0, error)
                else:
                    outcome = FeedOutcome(r.feed, "new", added_by_feed.get(id(r), 0))
            elif r.status == "not_modified":
                outcome = FeedOutcome(r.feed, "not_modified")
            elif r.status == "skipped":
                outcome = FeedOutcome(r.feed, "skipped", 0, None, r.error)
            else:
                outcome = FeedOutcome(r.feed, "error", 0, r.error or "failed")
            states.append(replace(state, article_count=counts.get(r.feed.name, 0)))
            outcomes.append(outcome)
        store.save_feed_states(states)
    for outcome in outcomes:
        if on_outcome:
            on_outcome(outcome)
    return outcomes
