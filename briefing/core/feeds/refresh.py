"""Refresh in two phases: every feed's new articles stored and readable, then enriched.

Phase 1 (readable): each feed is fetched, parsed (in worker processes when there is
much to parse), deduplicated and stored as it arrives, in slices, so a reader lists the
new articles within a second of their feed answering; each is marked full text or
summary. Phase 2 (enriched): the facts engine, story clustering and the search index
work through every article still pending, in committed batches (`ingest.enrich`);
summaries of `full_text = "auto"`/`true` feeds first get their pages (`fulltext`,
within the refresh's page budget), so their facts are made once, from the full text.
A failing feed records its reason in its FeedState and the batch goes on; progress is
reported as `Progress` events.
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
from briefing.core.feeds.fulltext import feed_hosts, text_kind
from briefing.core.ingest.pipeline import (
    POOL_THRESHOLD,
    WORKER_NICENESS,
    store_articles,
    warm_up,
    with_keys,
    worker_pool,
)
from briefing.core.models.article import Article
from briefing.core.models.feeds import Feed, FeedState, Settings
from briefing.core.store.store import Store

if TYPE_CHECKING:
    from briefing.core.ingest.enrich import Enriched
    from briefing.core.stories.clusters import ClusterIndex

STORE_SLICE = 2500
"""At most this many new articles are stored in one write."""
_BYTES_PER_ITEM = 1500
"""A feed item's typical size, to judge from the bytes fetched whether a pool pays."""
PAGES_POOL_THRESHOLD = 40
"""From this many pages to fetch, their main texts are extracted in the worker pool."""

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


@dataclass(frozen=True, slots=True)
class Progress:
    """One step of a refresh, for progress displays and `fetch --progress json`."""

    event: Literal["feed", "stored", "full_text", "enriched"]
    """feed: one feed settled; stored: new articles are readable; full_text: one more
    article's page settled (fetched, failed or deferred); enriched: facts landed."""
    t: float
    """time.monotonic() when it happened."""
    feeds_done: int
    feeds_total: int
    stored: int
    """New articles stored so far in this refresh."""
    enriched: int = 0
    """Articles enriched so far in this refresh."""
    pending: int = 0
    """Articles phase 2 set out to enrich (0 until it starts)."""
    outcome: FeedOutcome | None = None
    """The feed that settled (`feed` events)."""
    pages: int = 0
    """Article pages settled so far in this refresh (phase 2, before the facts)."""
    pages_total: int = 0
    """Article pages phase 2 set out to fetch."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"event": self.event, "t": round(self.t, 4), "feeds_done": self.feeds_done,
                                "feeds_total": self.feeds_total, "stored": self.stored,
                                "enriched": self.enriched, "pending": self.pending,
                                "pages": self.pages, "pages_total": self.pages_total}
        if self.outcome is not None:
            data |= {"feed": self.outcome.feed.name, "status": self.outcome.status,
                     "added": self.outcome.added, "error": self.outcome.error}
        return data


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
    # Ids, dedupe keys and text kinds here, in the worker: per-article work the main thread skips.
    return [with_keys(replace(a, text_kind=text_kind(a.text))) for a in parsed.articles], None, parsed.warning


def refresh_feeds(
    store: Store,
    feeds: Sequence[Feed],
    settings: Settings,
    *,
    now: datetime | None = None,
    on_outcome: Callable[[FeedOutcome], None] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    workers: int | None = None,
    wave_seconds: float = 0.25,
    enrich: bool = True,
) -> list[FeedOutcome]:
    """Fetch, parse and store every feed (phase 1), then enrich what is pending (phase 2).

    Outcomes come in the order of `feeds`; `on_outcome` hears of each feed once its
    articles are stored. Articles ready while nothing else is in flight wait up to
    `wave_seconds` for more, so feeds answering together are stored in one write.
    `enrich=False` stops after phase 1 (the caller enriches later).
    """
    with store.refreshing():  # another refresh of this store finishes first
        return _refresh(store, feeds, settings, now=now, on_outcome=on_outcome, on_progress=on_progress,
                        workers=workers, wave_seconds=wave_seconds, enrich=enrich)


def _refresh(
    store: Store, feeds: Sequence[Feed], settings: Settings, *, now: datetime | None,
    on_outcome: Callable[[FeedOutcome], None] | None, on_progress: Callable[[Progress], None] | None,
    workers: int | None, wave_seconds: float, enrich: bool,
) -> list[FeedOutcome]:
    stamp = now or datetime.now(UTC)
    store.poll_changes()  # what a refresh that ran meanwhile stored: its ETags above all
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

    always = {f.name for f in feeds if settings.full_text_of(f) is True}
    pipeline = _Pipeline(store, events, report, on_progress, len(feeds), workers=workers,
                         wave_seconds=wave_seconds, always=always)
    pipeline.warm = enrich
    # The reader refreshes from a worker thread, with its screen to keep responsive; the
    # CLI from its main thread, with nothing else to do.
    if threading.current_thread() is not threading.main_thread():
        pipeline.niceness = WORKER_NICENESS
    fetcher = threading.Thread(target=fetch_all, name="briefing-fetch", daemon=True)
    fetcher.start()
    try:
        pipeline.run()
        fetcher.join(timeout=5)
        if enrich:
            pipeline.phase_two(settings, feeds, now)
    finally:
        pipeline.close()
    return [outcomes[id(f)] for f in feeds if id(f) in outcomes]


_Event = tuple[Literal["fetched", "fetched_all", "parsed"], object]


@dataclass(slots=True)
class _FeedWork:
    """One fetched feed on its way through the pipeline."""

    result: FetchResult
    parsed: _Parsed | None = None
    waiting: int = 0
    """Its new articles not yet stored: the feed's outcome waits for them."""
    added: list[str] = field(default_factory=list)


class _Pipeline:
    """Parse -> dedupe -> store as events arrive (phase 1), then enrich (phase 2)."""

    def __init__(
        self, store: Store, events: queue.Queue[_Event], report: Callable[[FeedOutcome], None],
        on_progress: Callable[[Progress], None] | None, total: int, *, workers: int | None,
        wave_seconds: float, always: set[str] | None = None,
    ) -> None:
        self.store = store
        self.events = events
        self.report = report
        self.on_progress = on_progress
        self.total = total
        self.wave_seconds = wave_seconds
        self.workers = workers or min(os.cpu_count() or 1, 4)
        self.pool: Executor | None = None
        self.fetched_bytes = 0
        self.in_flight = 0
        """Parse tasks given to the pool and not yet handled here."""
        self.seen: set[str] = set()
        self.ready: list[tuple[_FeedWork, Article]] = []
        self.ready_since: float | None = None
        self.done: list[_FeedWork] = []
        """Feeds whose outcome is settled, for the next write of feed states."""
        self.done_since: float | None = None
        self.fetching = True
        self.feeds_done = 0
        self.stored = 0
        self.new_ids: list[str] = []
        self.always = always or set()
        """Feeds with `full_text = true`: every new article's page is fetched."""
        self.full_text_ids: list[str] = []
        self.enriched = 0
        self.pages = self.pages_total = 0
        self.warm = False
        """Whether phase 2 follows: the workers then load the facts engine early."""
        self.niceness = 0
        """How far the workers extracting facts yield to this process (`worker_pool`)."""
        self.stories: ClusterIndex | None = None
        """One story index for every enrichment of this refresh (before and after the pages)."""

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def _progress(self, event: Literal["feed", "stored", "full_text", "enriched"], *,
                  outcome: FeedOutcome | None = None, enriched: int = 0, pending: int = 0) -> None:
        if self.on_progress is not None:
            self.on_progress(Progress(event, time.monotonic(), self.feeds_done, self.total, self.stored,
                                      enriched, pending, outcome, self.pages, self.pages_total))

    # -- phase 1 ---------------------------------------------------------------------------

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
            self._parsed(payload.work, payload.future.result())

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
            self.in_flight += 1
            task = _Task(work, pool.submit(_parse, result))
            task.future.add_done_callback(lambda _: self.events.put(("parsed", task)))

    def _parsed(self, work: _FeedWork, parsed: _Parsed) -> None:
        work.parsed = parsed
        # Only repeats within this refresh are dropped here; what the store knows already
        # (a feed that changed one item re-sends the rest) is dropped by the store's own
        # dedupe as it writes: asking it first cost as much again, a third of phase 1's
        # work in this process.
        for article in parsed[0]:
            if article.id not in self.seen:
                self.seen.add(article.id)
                if not self.ready:
                    self.ready_since = time.monotonic()
                self.ready.append((work, article))
                work.waiting += 1
        if not work.waiting:
            self.done.append(work)

    def _executor(self) -> Executor | None:
        if self.pool is None and self.workers > 1 and self.fetched_bytes // _BYTES_PER_ITEM >= POOL_THRESHOLD:
            self.pool = worker_pool(self.workers)
        return self.pool

    def _store_ready(self) -> None:
        """Store a slice when one is full, or when waiting longer would gain nothing."""
        while self.ready:
            settled = not self.in_flight and (
                not self.fetching or time.monotonic() >= (self.ready_since or 0.0) + self.wave_seconds)
            if len(self.ready) < STORE_SLICE and not settled:
                return
            part, self.ready = self.ready[:STORE_SLICE], self.ready[STORE_SLICE:]
            self.ready_since = time.monotonic() if self.ready else None
            added = set(store_articles(self.store, [a for _, a in part]).added)
            for work, article in part:
                work.waiting -= 1
                if article.id in added:
                    work.added.append(article.id)
                    self.new_ids.append(article.id)
                    if work.result.feed.name in self.always:
                        self.full_text_ids.append(article.id)
                if not work.waiting:
                    self.done.append(work)
            self.stored += len(added)
            self._progress("stored")
            self._warm_up()

    def _warm_up(self) -> None:
        """Once every feed has answered and enough is stored for phase 2 to use the pool:
        the workers load the facts engine, queued after the last parse tasks, while this
        process stores the last slices (its first article took phase 2 a second or more)."""
        if self.warm and self.pool is not None and not self.fetching and self.stored >= POOL_THRESHOLD:
            self.warm = False
            for _ in range(self.workers):
                self.pool.submit(warm_up, self.niceness)

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
            outcome, state = _outcome(work.result, work.parsed, len(work.added))
            states.append(replace(state, article_count=counts.get(work.result.feed.name, 0)))
            outcomes.append(outcome)
        self.store.save_feed_states(states)
        for outcome in outcomes:
            self.feeds_done += 1
            self.report(outcome)
            self._progress("feed", outcome=outcome)

    # -- phase 2 ---------------------------------------------------------------------------

    def phase_two(self, settings: Settings, feeds: Sequence[Feed], now: datetime | None) -> None:
        """The pages of summaries (`full_text`), then facts for every pending article: those
        with no page to wait for first, so their facts land while the pages come."""
        wanted = self._wanted_pages(settings, feeds)
        if wanted:
            self.enrich(skip=set(wanted))
            self.full_text(wanted, settings, feed_hosts(feeds), now)
        self.enrich()

    def _wanted_pages(self, settings: Settings, feeds: Sequence[Feed]) -> list[str]:
        """This refresh's new articles of `true` feeds, then every summary of an `auto` or
        `true` feed still worth a try (stopped runs', deferred and failed ones), newest first."""
        from briefing.core.feeds.fulltext import classify_text_kinds

        fetching = [f.name for f in feeds if settings.full_text_of(f) in (True, "auto")]
        if not fetching:
            return []
        classify_text_kinds(self.store)  # once, for articles stored before text kinds were
        return list(dict.fromkeys([*self.full_text_ids, *self.store.full_text_candidates(fetching)]))

    def full_text(self, ids: list[str], settings: Settings, trusted: set[str], now: datetime | None) -> None:
        """Each wanted article's page, its text stored in place of the summary; the facts
        are left pending for `enrich` (made once, from the full text)."""
        from briefing.core.feeds.fulltext import fetch_full_texts

        self.pages_total = min(len(ids), settings.full_text_budget)

        def page(done: int, total: int) -> None:
            self.pages, self.pages_total = done, total
            self._progress("full_text")

        self._progress("full_text")
        pool = None
        if self.pool is None and self.workers > 1 and self.pages_total >= PAGES_POOL_THRESHOLD:
            pool = self.pool = worker_pool(self.workers)  # enrich goes on with it
        fetch_full_texts(self.store, ids, settings, trusted_hosts=trusted, now=now, facts=False,
                         budget=settings.full_text_budget, on_progress=page, pool=pool or self.pool)

    def enrich(self, skip: set[str] | None = None) -> None:
        """Facts, stories and search terms for every article still pending (but `skip`),
        newest first: this refresh's and any a stopped run left."""
        from briefing.core.ingest.enrich import enrich, pending, place

        todo = [aid for aid in pending(self.store) if not skip or aid not in skip]
        fresh = [aid for aid in self.new_ids if aid not in (skip or ())]
        if not todo and not fresh:
            return
        base = self.enriched
        self._progress("enriched", enriched=base, pending=base + len(todo))
        waiting = set(todo)
        ready = [aid for aid in fresh if aid not in waiting]  # came with facts
        if ready:
            place(self.store, ready)
        self.new_ids = [aid for aid in self.new_ids if skip and aid in skip]  # placed or enriched now
        if todo:
            def step(s: Enriched) -> None:
                self.enriched = base + s.done
                self._progress("enriched", enriched=self.enriched, pending=base + s.total)

            if self.stories is None:
                from briefing.core.stories.clusters import ClusterIndex

                self.stories = ClusterIndex()
            enrich(self.store, todo, workers=self.workers, pool=self._pool_for(len(todo)), on_batch=step,
                   stories=self.stories, niceness=self.niceness)

    def _pool_for(self, count: int) -> Executor | None:
        if self.pool is None and self.workers > 1 and count >= POOL_THRESHOLD:
            self.pool = worker_pool(self.workers)
        return self.pool


@dataclass(frozen=True, slots=True)
class _Task:
    """A parse task given to the pool, and the feed it parses."""

    work: _FeedWork
    future: Future[_Parsed]


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
