"""Phase 2 gives the same store whether the facts come from worker processes or not, and
indexes each article for search once."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from briefing.core.ingest import enrich
from briefing.core.ingest.importers import iter_files, read_file
from briefing.core.ingest.pipeline import store_articles, with_id, worker_pool
from briefing.core.models.article import Article
from briefing.core.search.index import search
from briefing.core.store.store import Store

SAMPLES = Path(__file__).resolve().parents[3] / "briefing" / "samples" / "articles"


def _articles() -> list[Article]:
    stamp = datetime(2026, 1, 2, tzinfo=UTC)  # else each store stamps its own time
    return [with_id(replace(a, fetched=stamp)) for path, refused in iter_files([SAMPLES]) if not refused
            for a in read_file(path).articles]


def _stored(store: Store) -> dict[str, tuple[Any, ...]]:
    out: dict[str, tuple[Any, ...]] = {}
    for meta in store.articles():
        article = store.get(meta.id)
        assert article is not None and article.facts is not None
        out[meta.id] = (article.facts.to_dict(), meta.topics, meta.cluster, store.facts_version_of(meta.id))
    return out


def _garbage(root: Path) -> int:
    with sqlite3.connect(root / "search.sqlite") as db:
        return int(db.execute("SELECT value FROM meta WHERE key='garbage'").fetchone()[0])


def test_phase_two_in_worker_processes_stores_what_it_stores_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(enrich, "BATCH", 7)  # several committed batches, each in chunks
    monkeypatch.setattr(enrich, "CHUNK", 3)
    articles = _articles()
    assert len(articles) >= 20
    stores: list[dict[str, tuple[Any, ...]]] = []
    hits: list[list[str]] = []
    for name, workers in (("here", 0), ("pool", 2)):
        home = tmp_path / name
        with Store.open(home) as store:
            assert len(store_articles(store, articles).added) == len(articles)
            pool = worker_pool(workers) if workers else None
            steps: list[enrich.Enriched] = []
            try:
                done = enrich.enrich(store, pool=pool, on_batch=steps.append)
            finally:
                if pool is not None:
                    pool.shutdown()
            assert done == len(articles) and not store.unextracted()
            assert [s.done for s in steps][-1] == len(articles) and len(steps) > 2
            stores.append(_stored(store))
            hits.append([hit.id for hit in search(store, "pipeline", limit=50)])
            assert _garbage(store.root) == 0, "each article was indexed once, by its own batch"
    assert stores[0] == stores[1]
    assert hits[0] == hits[1] and hits[0]


def test_an_index_opened_by_another_process_meanwhile_is_caught_up_not_rebuilt(tmp_path: Path) -> None:
    """Articles stored before the index existed and not pending are indexed by the first
    batch's opening; the pending ones by their own batches."""
    articles = _articles()
    with Store.open(tmp_path) as store:
        store_articles(store, articles[:5])
        enrich.enrich(store, enrich.pending(store))
        search_db = store.root / "search.sqlite"
        search_db.unlink()  # a store older than search, as far as the index knows
        for suffix in ("-wal", "-shm"):
            search_db.with_name(search_db.name + suffix).unlink(missing_ok=True)
    with Store.open(tmp_path) as store:
        store_articles(store, articles[5:])
        enrich.enrich(store)
        with sqlite3.connect(store.root / "search.sqlite") as db:
            indexed = int(db.execute("SELECT count(*) FROM docs").fetchone()[0])
        assert indexed == len(articles) == len(store.articles())
        assert _garbage(store.root) == 0


def test_each_batch_clusters_at_the_cost_of_the_batch_not_of_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dates around the whole run are read once; batch by batch, the story index and
    its story sizes are kept, never read from the store's columns again."""
    from briefing.core.stories.clusters import ClusterIndex

    monkeypatch.setattr(enrich, "BATCH", 6)
    articles = _articles()
    calls: list[str] = []
    with Store.open(tmp_path) as store:
        store_articles(store, articles)
        for name in ("articles_between", "cluster_sizes"):
            real = getattr(store, name)

            def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
                calls.append(_name)
                return _real(*args, **kwargs)

            monkeypatch.setattr(store, name, counted)
        stories = ClusterIndex()
        after_each_batch: list[int] = []
        enrich.enrich(store, stories=stories, on_batch=lambda _: after_each_batch.append(len(calls)))
        assert len(after_each_batch) >= 5
        assert calls.count("cluster_sizes") == 1 and "articles_between" in calls
        assert len(set(after_each_batch)) == 1, "no batch read the store's columns again"
        counted_by_store = {c: n for c, n in store.cluster_sizes().items()}
    assert {c: n for c, n in stories.story_sizes.items() if n} == counted_by_store


def test_articles_whose_facts_are_redone_stay_stories_new_ones_can_join(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One run may redo the facts of placed articles (a newer engine) and place new ones:
    the new ones are compared with the old ones as if nothing were redone."""
    articles = sorted(_articles(), key=lambda a: a.published or datetime.min.replace(tzinfo=UTC))
    old, new = articles[::2], articles[1::2]  # stories told across both
    clusters: list[dict[str, str | None]] = []
    for name, redo in (("plain", False), ("redo", True)):
        with Store.open(tmp_path / name) as store:
            store_articles(store, old)
            enrich.enrich(store)
            placed = {m.id: m.cluster for m in store.articles()}
            if redo:
                monkeypatch.setattr(enrich, "facts_version", lambda: "a newer engine")
            store_articles(store, new)
            todo = [*enrich.pending(store), *(placed if redo else ())]
            enrich.enrich(store, todo)
            now = {m.id: m.cluster for m in store.articles()}
            assert {aid: c for aid, c in now.items() if aid in placed} == placed
            clusters.append(now)
        monkeypatch.undo()
    assert clusters[0] == clusters[1]
    joined = [aid for aid, c in clusters[0].items() if aid not in placed and c in placed]
    assert joined, "a new article joined an old story"


def test_workers_yield_to_the_reader_only_when_asked() -> None:
    """A `briefing fetch` extracts at full priority; the reader's background refresh asks
    its workers to yield (niceness), and a worker keeps it from its first facts on."""
    import os

    item = ("0", "Talks", "Maria Kowalski met NATO officials in Ankara on Monday.", None, ())
    base = os.nice(0)
    for niceness in (0, 3):
        pool = worker_pool(1)
        try:
            assert pool.submit(os.nice, 0).result() == base, "parsing runs at full priority"
            assert pool.submit(enrich._prepare_in_worker, [item], niceness).result()[0]
            assert pool.submit(os.nice, 0).result() == base + niceness
        finally:
            pool.shutdown()
