"""A refresh stores its new articles in slices as their facts arrive, with one story index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefing.core.feeds import refresh
from briefing.core.models.feeds import Feed, Settings
from briefing.core.store.store import Store
from tests.core.feeds.test_refresh import rss
from tests.httpserver import FeedServer


def test_a_refresh_stores_in_slices_with_one_story_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refresh, "STORE_SLICE", 2)
    calls: list[tuple[int, Any]] = []
    from briefing.core.ingest.pipeline import store_articles

    def recording(store: Store, articles: Any, *, stories: Any = None) -> Any:
        calls.append((len(articles), stories))
        return store_articles(store, articles, stories=stories)

    monkeypatch.setattr(refresh, "store_articles", recording)
    with FeedServer() as server:
        server.reply("/a.xml", body=rss("a", 3), headers={"Content-Type": "application/rss+xml"})
        server.reply("/b.xml", body=rss("b", 4), headers={"Content-Type": "application/rss+xml"})
        feeds = [Feed("A", server.url("/a.xml")), Feed("B", server.url("/b.xml"))]
        with Store.open(tmp_path) as store:
            outcomes = refresh.refresh_feeds(store, feeds, Settings(timeout=5, deadline=15), workers=1,
                                             wave_seconds=2.0)
            assert [(o.status, o.added) for o in outcomes] == [("new", 3), ("new", 4)]
            assert len(store.articles()) == 7
            assert all(meta.cluster for meta in store.articles())
            assert store.feed_states()[feeds[1].url].article_count == 4
    assert sum(n for n, _ in calls) == 7 and all(n <= 2 for n, _ in calls)
    assert len({id(stories) for _, stories in calls}) == 1 and calls[0][1] is not None


def test_a_large_refresh_goes_through_the_worker_pool_in_chunks_and_slices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small enough numbers that a few feeds take the path of a 10,000-article refresh:
    # parsed and extracted in worker processes, stored in slices as chunks come back.
    monkeypatch.setattr(refresh, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(refresh, "FACTS_CHUNK", 2)
    monkeypatch.setattr(refresh, "STORE_SLICE", 3)
    monkeypatch.setattr(refresh, "MIN_SLICE", 1)
    sizes: list[int] = []
    from briefing.core.ingest.pipeline import store_articles

    def recording(store: Store, articles: Any, *, stories: Any = None) -> Any:
        sizes.append(len(articles))
        return store_articles(store, articles, stories=stories)

    monkeypatch.setattr(refresh, "store_articles", recording)
    with FeedServer() as server:
        for name, n in (("a", 4), ("b", 5), ("c", 2)):
            server.reply(f"/{name}.xml", body=rss(name, n), headers={"Content-Type": "application/rss+xml"})
        server.reply("/dupe.xml", body=rss("a", 4), headers={"Content-Type": "application/rss+xml"})
        feeds = [Feed(name.upper(), server.url(f"/{name}.xml")) for name in ("a", "b", "c", "dupe")]
        with Store.open(tmp_path) as store:
            outcomes = refresh.refresh_feeds(store, feeds, Settings(timeout=5, deadline=15), workers=2)
            assert [o.status for o in outcomes] == ["new"] * 4
            assert sum(o.added for o in outcomes) == 11  # the duplicate feed adds nothing new
            assert {o.feed.name: o.added for o in outcomes}["C"] == 2
            metas = store.articles()
            assert len(metas) == 11
            stored = [store.get(m.id) for m in metas]
            assert all(a is not None and a.facts is not None and a.facts.entities for a in stored)
    assert sum(sizes) == 11 and max(sizes) <= 3
