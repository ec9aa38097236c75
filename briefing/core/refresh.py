"""Refresh: fetch every feed, parse, extract facts, store; one outcome per feed.

A failing feed records its reason in its FeedState and the batch goes on. Parsing and
facts run in a process pool for large refreshes so both cores work; the store is
written in slices of STORE_SLICE articles while the pool works on the next, never
once per article.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from briefing.core.errors import FetchError
from briefing.core.fetch import FetchResult, fetch_feeds
from briefing.core.fulltext import feed_hosts
from briefing.core.ingest import POOL_THRESHOLD, _with_facts, store_articles, with_id, worker_pool
from briefing.core.models import Article, Feed, FeedState, Settings
from briefing.core.store import Store

if TYPE_CHECKING:
    from briefing.core.clusters import ClusterIndex

STORE_SLICE = 2500
"""New articles are stored (and clustered) this many at a time as their facts arrive, so
the main process stores one slice while the workers extract the next. Smaller slices
overlap more but cost more: within one slice an article is compared only with those
placed before it, across slices with every stored one (1,000 doubled the pairs scored)."""

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
    wave_seconds: float = 1.0,
) -> list[FeedOutcome]:
    """Fetch, parse, extract and store every feed; outcomes in the order of `feeds`.

    Fetching runs in a thread while this one works in waves: whatever arrived in the last
    `wave_seconds` is parsed, enriched and stored in one batch, and `on_outcome` hears of
    those feeds. So the network and the CPU overlap, and new articles appear as they are
    stored rather than at the end.
    """
    stamp = now or datetime.now(UTC)
    by_url = store.feed_states()
    # Caching info belongs to a URL: a feed whose URL changed starts afresh.
    known = {f.name: by_url[f.url] for f in feeds if f.url in by_url}
    arrived: queue.Queue[FetchResult | None] = queue.Queue()

    def fetch_all() -> None:
        try:
            fetch_feeds(feeds, settings, known, now=stamp, on_result=arrived.put)
        finally:
            arrived.put(None)

    fetcher = threading.Thread(target=fetch_all, name="briefing-fetch", daemon=True)
    fetcher.start()
    outcomes: dict[int, FeedOutcome] = {}
    pipeline = _Pipeline(store, workers, settings)
    pipeline.trusted = feed_hosts(feeds)
    try:
        done = False
        while not done:
            wave: list[FetchResult] = []
            item = arrived.get()
            deadline = time.monotonic() + wave_seconds
            while item is not None:
                wave.append(item)
                try:
                    item = arrived.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
            done = item is None
            for outcome in pipeline.process(wave):
                outcomes[id(outcome.feed)] = outcome
                if on_outcome:
                    on_outcome(outcome)
    finally:
        pipeline.close()
        fetcher.join(timeout=5)
    return [outcomes[id(f)] for f in feeds if id(f) in outcomes]


class _Pipeline:
    """Parse -> dedupe -> facts -> store for one wave of fetched feeds."""

    def __init__(self, store: Store, workers: int | None, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.trusted: set[str] = set()
        self.workers = workers or min(os.cpu_count() or 1, 4)
        self.pool: Executor | None = None
        self.stories: ClusterIndex | None = None
        """The story index of this refresh: built by its first batch, extended by the rest."""

    def _executor(self, n_items: int) -> Executor | None:
        if self.pool is None and n_items >= POOL_THRESHOLD and self.workers > 1:
            self.pool = worker_pool(self.workers)
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def process(self, wave: list[FetchResult]) -> list[FeedOutcome]:
        ok = [r for r in wave if r.status == "ok" and r.content is not None]
        pool = self._executor(sum(len(r.content or b"") for r in ok) // 1500)
        parsed = list(pool.map(_parse, ok)) if pool and len(ok) > 1 else [_parse(r) for r in ok]
        by_feed = {id(r): p for r, p in zip(ok, parsed, strict=True)}
        # Dedupe before extracting facts: a feed that changed one item re-sends the rest.
        fresh: list[tuple[FetchResult, Article]] = []
        seen: set[str] = set()
        for r in ok:
            for article in by_feed[id(r)][0]:
                article = with_id(article)
                if article.id not in seen and not self.store.is_known(article):
                    seen.add(article.id)
                    fresh.append((r, article))
        enriched: list[Article] = []
        added: set[str] = set()
        for part in self._with_facts([a for _, a in fresh]):
            enriched += part
            added.update(store_articles(self.store, part, stories=self._stories()).added)

        outcomes: list[FeedOutcome] = []
        states: list[FeedState] = []
        with self.store.batch():
            added_by_feed: dict[int, int] = {}
            for (r, _), article in zip(fresh, enriched, strict=True):
                if article.id in added:
                    added_by_feed[id(r)] = added_by_feed.get(id(r), 0) + 1
            counts = self.store.count_by_feed()
            for r in wave:
                outcome, state = _outcome(r, by_feed.get(id(r)), added_by_feed.get(id(r), 0))
                states.append(replace(state, article_count=counts.get(r.feed.name, 0)))
                outcomes.append(outcome)
            self.store.save_feed_states(states)
        wanted = [a.id for (r, _), a in zip(fresh, enriched, strict=True)
                  if r.feed.full_text and a.id in added]
        if wanted:
            # Summary-only feeds: fetch each new article's page; a failure keeps the summary.
            from briefing.core.fulltext import fetch_full_texts

            fetch_full_texts(self.store, wanted, self.settings, trusted_hosts=self.trusted)
            self._stories().forget_texts(wanted)
        return outcomes

    def _with_facts(self, todo: list[Article]) -> Iterator[list[Article]]:
        """`todo` with facts, in order, in slices of STORE_SLICE as the workers finish them."""
        pool = self._executor(len(todo))
        if pool and len(todo) >= POOL_THRESHOLD // 4:
            chunk = max(1, len(todo) // (self.workers * 8))
            done: Iterable[Article] = pool.map(_with_facts, todo, chunksize=chunk)
        else:
            done = map(_with_facts, todo)
        part: list[Article] = []
        for article in done:
            part.append(article)
            if len(part) >= STORE_SLICE:
                yield part
                part = []
        if part:
            yield part

    def _stories(self) -> ClusterIndex:
        if self.stories is None:
            from briefing.core.clusters import ClusterIndex

            self.stories = ClusterIndex()
        return self.stories


def _outcome(
    r: FetchResult, parsed: tuple[list[Article], str | None, str | None] | None, added: int
) -> tuple[FeedOutcome, FeedState]:
    state = r.state
    if r.status == "ok" and parsed is not None:
        error = parsed[1]
        if error:
            # Forget the validators: the next fetch must get the body again, not a 304.
            state = replace(state, last_error=error, last_success=None, etag=None, last_modified=None)
            return FeedOutcome(r.feed, "error", 0, error), state
        return FeedOutcome(r.feed, "new", added), state
    if r.status == "not_modified":
        return FeedOutcome(r.feed, "not_modified"), state
    if r.status == "skipped":
        return FeedOutcome(r.feed, "skipped", 0, None, r.error), state
    return FeedOutcome(r.feed, "error", 0, r.error or "failed"), state
