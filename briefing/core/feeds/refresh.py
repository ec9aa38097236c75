"""Refresh: fetch every feed, parse, extract facts, store; one outcome per feed.

A failing feed records its reason in its FeedState and the batch goes on. The work is a
pipeline driven by one event queue: each feed is parsed as it arrives, its new articles
go to the facts workers at once, and the main thread stores what the workers have
finished in slices of up to STORE_SLICE while they work on the rest. So on a large
refresh the network, parsing, facts and storing all overlap and both cores stay busy;
a small one runs inline, with no process pool to start.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from briefing.core.errors import FetchError
from briefing.core.feeds.fetch import FetchResult, fetch_feeds
from briefing.core.feeds.fulltext import feed_hosts
from briefing.core.ingest.pipeline import (
    POOL_THRESHOLD,
    _with_facts,
    prepare,
    store_articles,
    with_id,
    worker_pool,
)
from briefing.core.models.article import Article
from briefing.core.models.feeds import Feed, FeedState, Settings
from briefing.core.store.store import Store

if TYPE_CHECKING:
    from briefing.core.stories.clusters import ClusterIndex

STORE_SLICE = 2500
"""At most this many new articles are stored (and clustered) at a time. Smaller slices
overlap more but cost more: within one slice an article is compared only with those
placed before it, across slices with every stored one (1,000 doubled the pairs scored)."""
MIN_SLICE = 200
"""Once every feed has arrived, a slice is stored as soon as it is as large as the work
still with the workers (and at least this): the last slice, stored after they finish
while a core idles, is then small."""
FACTS_CHUNK = 64
"""Articles sent to a worker per task: enough that pickling is not per article, few
enough that the slice being stored never waits on a long task."""
_BYTES_PER_ITEM = 1500
"""A feed item's typical size, to judge from the bytes fetched whether a pool pays."""

OutcomeStatus = Literal["new", "not_modified", "error", "skipped"]
_Parsed = tuple[list[Article], str | None, str | None]


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What one feed's refresh came to."""

    feed: Feed
    status: OutcomeStatus
    added: int = 0
    error: str | None = None
    detail: str | None = None
    """Why a feed was skipped (gone, or Retry-After not yet passed)."""


def _parse(result: FetchResult) -> _Parsed:
    """(articles with their ids, error, warning) for one fetched body; runs in a worker."""
    from briefing.core.feeds.parse import parse_feed

    assert result.content is not None
    try:
        parsed = parse_feed(result.content, result.headers, result.feed,
                            fetched=result.state.last_fetch or datetime.now(UTC),
                            base_url=result.final_url)
    except FetchError as exc:
        return [], str(exc), None
    except Exception as exc:  # noqa: BLE001 - a parser bug on hostile bytes fails one feed
        return [], f"could not parse ({type(exc).__name__})", None
    # Ids here, in the worker: hashing the text is per-article work the main thread skips.
    return [with_id(a) for a in parsed.articles], None, parsed.warning


def _extract(articles: list[Article]) -> list[Article]:
    """Facts (and the rest of what storing derives from a text) for one chunk; runs in a worker."""
    return [prepare(a) for a in articles]


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

    Fetching runs in a thread; this one reacts to whatever happens next (a feed arrived,
    a worker finished) and `on_outcome` hears of each feed once its articles are stored.
    Articles ready while nothing else is in flight wait up to `wave_seconds` for more
    to arrive, so a handful of feeds answering together are stored in one write.
    """
    stamp = now or datetime.now(UTC)
    by_url = store.feed_states()
    # Caching info belongs to a URL: a feed whose URL changed starts afresh.
    known = {f.name: by_url[f.url] for f in feeds if f.url in by_url}
    events: queue.Queue[_Event] = queue.Queue()

    def fetch_all() -> None:
        try:
            fetch_feeds(feeds, settings, known, now=stamp, on_result=lambda r: events.put(("fetched", r)))
        finally:
            events.put(("fetched_all", None))

    outcomes: dict[int, FeedOutcome] = {}

    def report(outcome: FeedOutcome) -> None:
        outcomes[id(outcome.feed)] = outcome
        if on_outcome:
            on_outcome(outcome)

    pipeline = _Pipeline(store, settings, events, report, workers=workers, wave_seconds=wave_seconds)
    pipeline.trusted = feed_hosts(feeds)
    fetcher = threading.Thread(target=fetch_all, name="briefing-fetch", daemon=True)
    fetcher.start()
    try:
        pipeline.run()
    finally:
        pipeline.close()
        fetcher.join(timeout=5)
    return [outcomes[id(f)] for f in feeds if id(f) in outcomes]


_Event = tuple[Literal["fetched", "fetched_all", "parsed", "extracted"], object]


@dataclass(slots=True)
class _FeedWork:
    """One fetched feed on its way through the pipeline."""

    result: FetchResult
    parsed: _Parsed | None = None
    waiting: int = 0
    """Its new articles not yet stored: the feed's outcome waits for them."""
    added: int = 0
    full_text: list[str] = field(default_factory=list)


class _Pipeline:
    """Parse -> dedupe -> facts -> store, as events arrive; see `refresh_feeds`."""

    def __init__(
        self, store: Store, settings: Settings, events: queue.Queue[_Event],
        report: Callable[[FeedOutcome], None], *, workers: int | None, wave_seconds: float,
    ) -> None:
        self.store = store
        self.settings = settings
        self.events = events
        self.report = report
        self.wave_seconds = wave_seconds
        self.trusted: set[str] = set()
        self.workers = workers or min(os.cpu_count() or 1, 4)
        self.pool: Executor | None = None
        self.stories: ClusterIndex | None = None
        """The story index of this refresh: built by its first slice, extended by the rest."""
        self.fetched_bytes = 0
        self.in_flight = 0
        """Parse and facts tasks given to the pool and not yet handled here."""
        self.extracting = 0
        """Articles with the workers for their facts."""
        self.seen: set[str] = set()
        self.to_extract: list[tuple[_FeedWork, Article]] = []
        self.ready: list[tuple[_FeedWork, Article]] = []
        self.ready_since: float | None = None
        self.done: list[_FeedWork] = []
        """Feeds whose outcome is settled, for the next write of feed states."""
        self.done_since: float | None = None
        self.fetching = True

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def run(self) -> None:
        while self.fetching or self.in_flight or self.ready or self.done:
            waits = [since + self.wave_seconds - time.monotonic() for since in self._deadlines()]
            timeout = max(0.0, min(waits)) if waits else None
            try:
                self._handle(self.events.get(timeout=timeout))
                while True:  # everything that is already waiting, before the next write
                    self._handle(self.events.get_nowait())
            except queue.Empty:
                pass
            self._submit_facts(final=not self.fetching or not self.in_flight)
            self._store_ready()
            self._settle()

    def _deadlines(self) -> list[float]:
        """When the waits of `wave_seconds` began: for ready articles (while nothing else
        is in flight to join them) and for settled feeds not yet written."""
        since = []
        if self.ready and not self.in_flight and self.fetching and self.ready_since is not None:
            since.append(self.ready_since)
        if self.done and self.fetching and self.done_since is not None:
            since.append(self.done_since)
        return since

    def _handle(self, event: _Event) -> None:
        kind, payload = event
        if kind == "fetched_all":
            self.fetching = False
        elif kind == "fetched":
            assert isinstance(payload, FetchResult)
            self._arrived(payload)
        else:
            assert isinstance(payload, _Task)
            self.in_flight -= 1
            if kind == "parsed":
                self._parsed(payload.work[0], payload.future.result())
            else:
                self.extracting -= len(payload.work)
                self._extracted(payload.work, payload.future.result())

    def _arrived(self, result: FetchResult) -> None:
        work = _FeedWork(result)
        if result.status != "ok" or result.content is None:
            self.done.append(work)
            return
        self.fetched_bytes += len(result.content)
        pool = self._executor()
        if pool is None:
            self._parsed(work, _parse(result))
        else:
            self._dispatch("parsed", [work], pool.submit(_parse, result))

    def _parsed(self, work: _FeedWork, parsed: _Parsed) -> None:
        work.parsed = parsed
        # Dedupe before extracting facts: a feed that changed one item re-sends the rest.
        for article in parsed[0]:
            if article.id not in self.seen and not self.store.is_known(article):
                self.seen.add(article.id)
                self.to_extract.append((work, article))
                work.waiting += 1
        if not work.waiting:
            self.done.append(work)
        self._submit_facts(final=False)

    def _submit_facts(self, *, final: bool) -> None:
        """Hand the articles awaiting facts to the pool in chunks (or extract them here)."""
        pool = self._executor()
        if pool is None:
            if self.to_extract:
                self._extracted([w for w, _ in self.to_extract], [_with_facts(a) for _, a in self.to_extract])
                self.to_extract = []
            return
        while len(self.to_extract) >= FACTS_CHUNK or (final and self.to_extract):
            chunk, self.to_extract = self.to_extract[:FACTS_CHUNK], self.to_extract[FACTS_CHUNK:]
            self.extracting += len(chunk)
            self._dispatch("extracted", [w for w, _ in chunk], pool.submit(_extract, [a for _, a in chunk]))

    def _extracted(self, works: list[_FeedWork], articles: list[Article]) -> None:
        if not self.ready:
            self.ready_since = time.monotonic()
        self.ready += zip(works, articles, strict=True)

    def _dispatch(
        self, kind: Literal["parsed", "extracted"], works: list[_FeedWork], future: Future[Any]
    ) -> None:
        self.in_flight += 1
        task = _Task(works, future)
        future.add_done_callback(lambda _: self.events.put((kind, task)))

    def _executor(self) -> Executor | None:
        if self.pool is None and self.workers > 1 and self.fetched_bytes // _BYTES_PER_ITEM >= POOL_THRESHOLD:
            self.pool = worker_pool(self.workers)
        return self.pool

    def _store_ready(self) -> None:
        """Store a slice when one is full, or when waiting longer would gain nothing."""
        while self.ready:
            settled = not self.in_flight and (
                not self.fetching or time.monotonic() >= (self.ready_since or 0.0) + self.wave_seconds)
            pending = self.extracting + len(self.to_extract)
            draining = not self.fetching and len(self.ready) >= max(MIN_SLICE, pending)
            if len(self.ready) < STORE_SLICE and not settled and not draining:
                return
            part, self.ready = self.ready[:STORE_SLICE], self.ready[STORE_SLICE:]
            self.ready_since = time.monotonic() if self.ready else None
            added = set(store_articles(self.store, [a for _, a in part], stories=self._stories()).added)
            full_text: list[str] = []
            for work, article in part:
                work.waiting -= 1
                if article.id in added:
                    work.added += 1
                    if work.result.feed.full_text:
                        full_text.append(article.id)
                if not work.waiting:
                    self.done.append(work)
            if full_text:
                # Summary-only feeds: fetch each new article's page; a failure keeps the summary.
                from briefing.core.feeds.fulltext import fetch_full_texts

                fetch_full_texts(self.store, full_text, self.settings, trusted_hosts=self.trusted)
                self._stories().forget_texts(full_text)

    def _settle(self) -> None:
        """Report the feeds that are done and write their states, in one write: once
        `wave_seconds` after the first of them, or at the end. Feeds answering one after
        another then share a write instead of costing one each."""
        if not self.done:
            return
        now = time.monotonic()
        if self.done_since is None:
            self.done_since = now
        if self.fetching and now < self.done_since + self.wave_seconds:
            return
        done, self.done, self.done_since = self.done, [], None
        counts = self.store.count_by_feed()
        states: list[FeedState] = []
        outcomes: list[FeedOutcome] = []
        for work in done:
            outcome, state = _outcome(work.result, work.parsed, work.added)
            states.append(replace(state, article_count=counts.get(work.result.feed.name, 0)))
            outcomes.append(outcome)
        self.store.save_feed_states(states)
        for outcome in outcomes:
            self.report(outcome)

    def _stories(self) -> ClusterIndex:
        if self.stories is None:
            from briefing.core.stories.clusters import ClusterIndex

            self.stories = ClusterIndex()
        return self.stories


@dataclass(frozen=True, slots=True)
class _Task:
    """A task given to the pool, and the feeds whose articles it carries."""

    work: list[_FeedWork]
    future: Future[Any]


def _outcome(r: FetchResult, parsed: _Parsed | None, added: int) -> tuple[FeedOutcome, FeedState]:
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
