"""A refresh stores new articles in slices (phase 1), then enriches them all (phase 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefing.core.feeds import refresh
from briefing.core.ingest import enrich
from briefing.core.models.feeds import Feed, Settings
from briefing.core.store.store import Store
from tests.core.feeds.test_refresh import rss
from tests.httpserver import FeedServer


def test_a_refresh_stores_in_slices_then_enriches_every_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refresh, "STORE_SLICE", 2)
    sizes: list[int] = []
    from briefing.core.ingest.pipeline import store_articles

    def recording(store: Store, articles: Any) -> Any:
        sizes.append(len(articles))
        return store_articles(store, articles)

    monkeypatch.setattr(refresh, "store_articles", recording)
    events: list[refresh.Progress] = []
    with FeedServer() as server:
        server.reply("/a.xml", body=rss("a", 3), headers={"Content-Type": "application/rss+xml"})
        server.reply("/b.xml", body=rss("b", 4), headers={"Content-Type": "application/rss+xml"})
        feeds = [Feed("A", server.url("/a.xml")), Feed("B", server.url("/b.xml"))]
        with Store.open(tmp_path) as store:
            outcomes = refresh.refresh_feeds(store, feeds, Settings(timeout=5, deadline=15), workers=1,
                                             wave_seconds=2.0, on_progress=events.append)
            assert [(o.status, o.added) for o in outcomes] == [("new", 3), ("new", 4)]
            assert len(store.articles()) == 7
            assert all(meta.cluster for meta in store.articles())
            assert not store.unextracted()
            assert store.feed_states()[feeds[1].url].article_count == 4
    assert sum(sizes) == 7 and all(n <= 2 for n in sizes)
    kinds = [e.event for e in events]
    assert kinds.count("feed") == 2 and "stored" in kinds
    first_enriched = kinds.index("enriched")  # phase 2 starts once every feed is stored
    assert all(k == "enriched" for k in kinds[first_enriched:]) and kinds.count("stored") >= 2
    assert events[-1].enriched == events[-1].pending == 7 and events[-1].stored == 7
    assert [e.t for e in events] == sorted(e.t for e in events)


def test_a_large_refresh_parses_and_extracts_in_the_worker_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small enough numbers that a few feeds take the path of a 10,000-article refresh:
    # parsed in worker processes, stored in slices, then extracted by the workers in batches.
    monkeypatch.setattr(refresh, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(enrich, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(enrich, "BATCH", 4)
    monkeypatch.setattr(enrich, "CHUNK", 2)
    monkeypatch.setattr(refresh, "STORE_SLICE", 3)
    sizes: list[int] = []
    from briefing.core.ingest.pipeline import store_articles

    def recording(store: Store, articles: Any) -> Any:
        sizes.append(len(articles))
        return store_articles(store, articles)

    monkeypatch.setattr(refresh, "store_articles", recording)
    steps: list[refresh.Progress] = []
    with FeedServer() as server:
        for name, n in (("a", 4), ("b", 5), ("c", 2)):
            server.reply(f"/{name}.xml", body=rss(name, n), headers={"Content-Type": "application/rss+xml"})
        server.reply("/dupe.xml", body=rss("a", 4), headers={"Content-Type": "application/rss+xml"})
        feeds = [Feed(name.upper(), server.url(f"/{name}.xml")) for name in ("a", "b", "c", "dupe")]
        with Store.open(tmp_path) as store:
            outcomes = refresh.refresh_feeds(store, feeds, Settings(timeout=5, deadline=15), workers=2,
                                             on_progress=steps.append)
            assert [o.status for o in outcomes] == ["new"] * 4
            assert sum(o.added for o in outcomes) == 11  # the duplicate feed adds nothing new
            assert {o.feed.name: o.added for o in outcomes}["C"] == 2
            metas = store.articles()
            assert len(metas) == 11
            stored = [store.get(m.id) for m in metas]
            assert all(a is not None and a.facts is not None and a.facts.entities for a in stored)
    assert sum(sizes) == 11 and max(sizes) <= 3
    enriched = [s.enriched for s in steps if s.event == "enriched"]
    assert enriched == [0, 4, 8, 11]  # announced, then one step per committed batch
