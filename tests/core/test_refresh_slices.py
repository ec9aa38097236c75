"""A refresh stores its new articles in slices as their facts arrive, with one story index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefing.core import refresh
from briefing.core.models import Feed, Settings
from briefing.core.store import Store
from tests.core.test_refresh import rss
from tests.httpserver import FeedServer


def test_a_refresh_stores_in_slices_with_one_story_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refresh, "STORE_SLICE", 2)
    calls: list[tuple[int, Any]] = []
    from briefing.core.ingest import store_articles

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
