"""Phase 2 of ingest: stored articles get their facts, topics, story and search terms.

Phase 1 stores an article as soon as it is fetched and parsed, readable at once; this
fills in what the facts engine derives, in batches, each committed as it completes (so
a reader shows the facts as they land). An article's facts are pending while its index
row lacks this engine's fingerprint (`fv`): a run killed midway leaves exactly the
uncommitted batches pending, and the next run does those, nothing else.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import orjson

from briefing.core.ingest.pipeline import POOL_THRESHOLD, facts_version, prepare, worker_pool
from briefing.core.models.article import Article, PreparedData
from briefing.core.store.store import Store

if TYPE_CHECKING:
    from briefing.core.stories.clusters import ClusterIndex

BATCH = 200
"""Articles per committed step: small enough that facts appear within a second or two."""
CHUNK = 25
"""Articles per task given to a worker."""
LOOKAHEAD = 2
"""Batches in the workers' hands while this process commits one: with one, a worker that
finished early waited for the commit to get more."""


@dataclass(frozen=True, slots=True)
class Enriched:
    """One committed step of phase 2."""

    done: int
    """Articles enriched so far in this run."""
    total: int
    """Articles this run set out to enrich."""
    t: float
    """time.monotonic() when it was committed."""


def pending(store: Store) -> list[str]:
    """Ids of the articles stored without facts yet (phase 1 done, phase 2 not), newest first.

    Facts made by an older engine are not pending: the reader redoes an article's when it
    is opened, and `briefing reindex` redoes them all."""
    return store.unextracted()


_Item = tuple[str, str, str, str | None, tuple[str, ...]]
"""One article to enrich: id, title, text, published (ISO), feed tags."""


def _prepare_chunk(items: list[_Item]) -> list[bytes | None]:
    """The prepared blob of each (id, title, text, published, tags)."""
    from datetime import datetime

    out: list[bytes | None] = []
    for aid, title, text, published, tags in items:
        article = Article(id=aid, title=title, text=text, tags=tags,
                          published=datetime.fromisoformat(published) if published else None)
        out.append(prepare(article).prepared)
    return out


def _prepare_in_worker(items: list[_Item], niceness: int) -> list[bytes | None]:
    """`_prepare_chunk` in a worker process, which yields `niceness` to the main one from
    here on (see `pipeline.worker_pool`)."""
    from briefing.core.ingest.pipeline import nice_for_facts

    nice_for_facts(niceness)
    return _prepare_chunk(items)


def enrich(
    store: Store,
    ids: Sequence[str] | None = None,
    *,
    workers: int | None = None,
    stories: ClusterIndex | None = None,
    on_batch: Callable[[Enriched], None] | None = None,
    pool: Executor | None = None,
    niceness: int = 0,
) -> int:
    """Facts, topics, stories and search terms for `ids` (default: every pending article).

    More than a batch is taken a segment at a time, newest stored first, in the given
    order within a segment (see `Store.in_storage_order`).

    Returns how many were enriched. Safe to stop at any moment: each batch commits its
    facts and their fingerprint together; clusters and the search index follow it and
    are caught up from the store if a run stops between them.
    """
    version = facts_version()
    todo = pending(store) if ids is None else [a for a in ids if store.facts_version_of(a) != version]
    if not todo:
        return 0
    if len(todo) > BATCH:
        todo = store.in_storage_order(todo)
    own_pool = None
    n = workers or min(os.cpu_count() or 1, 4)
    if pool is None and len(todo) >= POOL_THRESHOLD and n > 1:
        pool = own_pool = worker_pool(n)
    done, index = 0, None
    ahead = LOOKAHEAD if pool is not None else 0
    # The workers extract the next batches while this process commits the oldest one;
    # the story index is read once they have work.
    waiting: deque[tuple[dict[str, str], Callable[[], dict[str, PreparedData]]]] = deque()

    def commit_oldest() -> None:
        nonlocal done, index
        if index is None:
            index = _story_index(store, todo, stories)
        texts, result = waiting.popleft()
        done += _commit(store, result(), texts, index, todo)
        _report(on_batch, done, len(todo))

    try:
        for batch, texts in _batches(store, todo):
            waiting.append((texts, _start(pool, batch, niceness)))
            while len(waiting) > ahead:
                commit_oldest()
        while waiting:
            commit_oldest()
    finally:
        if own_pool is not None:
            own_pool.shutdown(cancel_futures=True)
    return done


def _story_index(store: Store, todo: Sequence[str], stories: ClusterIndex | None) -> ClusterIndex:
    """The story index, read around every article the run places in a story, at once:
    batch by batch, each read scanned the whole store's columns for the few days it
    added. Articles placed before, whose facts are redone, stay in it as they are."""
    from briefing.core.stories.clusters import ClusterIndex, cluster_index

    unplaced = [aid for aid in todo if (meta := store.meta(aid)) is not None and meta.cluster is None]
    return cluster_index(store, unplaced, ClusterIndex() if stories is None else stories)


def _report(on_batch: Callable[[Enriched], None] | None, done: int, total: int) -> None:
    if on_batch is not None:
        on_batch(Enriched(done, total, time.monotonic()))


def _batches(store: Store, todo: Sequence[str]) -> Iterator[tuple[list[_Item], dict[str, str]]]:
    """The articles to enrich, a batch at a time, read a body segment at a time."""
    for start in range(0, len(todo), BATCH):
        part = todo[start:start + BATCH]
        texts: dict[str, str] = {}
        items: list[_Item] = []
        for aid, title, text in store.texts_of(part):
            meta = store.meta(aid)
            if meta is None:
                continue
            published = meta.published.isoformat() if meta.published else None
            tags = tuple(name for name, kind in meta.topics if kind == "tag")
            items.append((aid, title, text, published, tags))
            texts[aid] = text
        yield items, texts


def _start(
    pool: Executor | None, batch: list[_Item], niceness: int = 0
) -> Callable[[], dict[str, PreparedData]]:
    """Hand a batch to the workers (or extract it here, for small runs); the function
    returned waits for and decodes each article's prepared data."""
    chunks = [batch[i:i + CHUNK] for i in range(0, len(batch), CHUNK)]
    if pool is None:
        computed = [_prepare_chunk(chunk) for chunk in chunks]
        return lambda: _decode(chunks, computed)
    futures = [pool.submit(_prepare_in_worker, chunk, niceness) for chunk in chunks]
    return lambda: _decode(chunks, [f.result() for f in futures])


def _decode(chunks: list[list[_Item]], results: list[list[bytes | None]]) -> dict[str, PreparedData]:
    prepared: dict[str, PreparedData] = {}
    for chunk, blobs in zip(chunks, results, strict=True):
        for item, blob in zip(chunk, blobs, strict=True):
            if blob is not None:
                prepared[item[0]] = orjson.loads(blob)
    return prepared


def _commit(
    store: Store, prepared: dict[str, PreparedData], texts: dict[str, str], stories: ClusterIndex,
    todo: Sequence[str],
) -> int:
    """Store one batch's facts and its articles' stories in one write, then index them for
    search (the index is told that the rest of `todo` follows: see `SearchIndex.add`).
    Written apart, each batch rewrote its index segments twice."""
    with store.batch():
        updated = store.set_facts(prepared, facts_version())
        _join_stories(store, updated, stories, texts, prepared)
    _index_for_search(store, updated, texts, prepared, todo)
    return len(updated)


def place(
    store: Store,
    ids: Sequence[str],
    *,
    stories: ClusterIndex | None = None,
    texts: dict[str, str] | None = None,
    prepared: dict[str, PreparedData] | None = None,
    coming: Sequence[str] = (),
) -> None:
    """Put stored articles that have their facts into stories and the search index.

    Only articles never placed join a story: re-extraction by a newer engine leaves
    stories be. `texts` and `prepared` are what the caller has in hand already;
    `coming` the articles it places next.
    """
    with store.batch():
        _join_stories(store, ids, stories, texts, prepared)
    _index_for_search(store, ids, texts, prepared, coming)


def _join_stories(
    store: Store, ids: Sequence[str], stories: ClusterIndex | None, texts: dict[str, str] | None,
    prepared: dict[str, PreparedData] | None,
) -> None:
    from briefing.core.stories.clusters import assign_clusters

    done = prepared or {}
    unplaced = [aid for aid in ids if (meta := store.meta(aid)) is not None and meta.cluster is None]
    if unplaced:
        words = {aid: (done[aid]["title_words"], done[aid]["words"]) for aid in unplaced if aid in done}
        assign_clusters(store, unplaced, texts or {}, index=stories, words=words)


def _index_for_search(
    store: Store, ids: Sequence[str], texts: dict[str, str] | None, prepared: dict[str, PreparedData] | None,
    coming: Sequence[str],
) -> None:
    from briefing.core.search.index import index_new_articles

    done = prepared or {}
    search = {aid: (done[aid]["search"][0], done[aid]["search"][1]) for aid in ids if aid in done}
    index_new_articles(store, ids, texts, search, coming=coming)
