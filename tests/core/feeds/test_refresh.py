"""Refresh end to end over loopback: outcomes per feed, streamed as feeds arrive."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from briefing.core.feeds.refresh import FeedOutcome, refresh_feeds
from briefing.core.models.feeds import Feed, Settings
from briefing.core.store.store import Store
from tests.httpserver import FeedServer, RequestHandler


def rss(name: str, n: int) -> bytes:
    items = "".join(
        f"<item><title>{name} story {i}</title><link>http://127.0.0.1/{name}/{i}</link>"
        f"<guid>{name}-{i}</guid><description>Officials in Ankara met on Monday about item {i} "
        f"of {name}.</description></item>" for i in range(n))
    return f"<rss version='2.0'><channel><title>{name}</title>{items}</channel></rss>".encode()


def test_fast_feeds_are_stored_and_reported_before_a_slow_one_finishes(tmp_path: Path) -> None:
    release = threading.Event()
    seen_at_outcome: dict[str, int] = {}
    with FeedServer() as server:
        server.reply("/fast.xml", body=rss("fast", 3), headers={"Content-Type": "application/rss+xml"})

        def slow(handler: RequestHandler) -> None:
            release.wait(10)
            handler.send(200, rss("slow", 2), {"Content-Type": "application/rss+xml"})

        server.handle("/slow.xml", slow)
        server.reply("/gone.xml", status=500, body=b"boom")
        feeds = [Feed("Slow", server.url("/slow.xml")), Feed("Fast", server.url("/fast.xml")),
                 Feed("Broken", server.url("/gone.xml"))]
        with Store.open(tmp_path) as store:

            def on_outcome(outcome: FeedOutcome) -> None:
                seen_at_outcome[outcome.feed.name] = len(store.articles())
                if outcome.feed.name == "Fast":
                    release.set()  # the slow feed answers only once the fast one is stored

            outcomes = refresh_feeds(store, feeds, Settings(timeout=5, deadline=15), on_outcome=on_outcome,
                                     wave_seconds=0.05)
            assert [o.feed.name for o in outcomes] == ["Slow", "Fast", "Broken"]
            assert [(o.status, o.added) for o in outcomes] == [("new", 2), ("new", 3), ("error", 0)]
            assert "500" in (outcomes[2].error or "")
            assert seen_at_outcome["Fast"] == 3  # stored before the slow feed had answered
            assert seen_at_outcome["Slow"] == 5
            states = store.feed_states()
            assert states[feeds[1].url].article_count == 3
            assert states[feeds[2].url].last_error is not None


def test_a_feed_that_fails_to_parse_keeps_no_validators(tmp_path: Path) -> None:
    with FeedServer() as server:
        server.reply("/page.xml", body=b"<html><body>Not a feed</body></html>",
                     headers={"Content-Type": "text/html", "ETag": '"x"'})
        feed = Feed("Page", server.url("/page.xml"))
        with Store.open(tmp_path) as store:
            (outcome,) = refresh_feeds(store, [feed], Settings(timeout=5, deadline=10))
            assert outcome.status == "error"
            state = store.feed_states()[feed.url]
            assert state.etag is None and state.last_error == outcome.error


def test_feeds_answering_one_after_another_share_a_write_of_their_states(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Feed states are written for the feeds settled within a wave, not once per feed:
    a refresh of many slow feeds is a handful of writes."""
    import time

    writes: list[int] = []
    save = Store.save_feed_states

    def counting(self: Store, states: Any) -> None:
        states = list(states)
        writes.append(len(states))
        save(self, states)

    monkeypatch.setattr(Store, "save_feed_states", counting)
    with FeedServer() as server:
        for i in range(6):

            def staggered(handler: RequestHandler, delay: float = 0.05 * i) -> None:
                time.sleep(delay)
                handler.send(500, b"down")

            server.handle(f"/f{i}.xml", staggered)
        feeds = [Feed(f"F{i}", server.url(f"/f{i}.xml")) for i in range(6)]
        with Store.open(tmp_path) as store:
            outcomes = refresh_feeds(store, feeds, Settings(timeout=5, deadline=15), wave_seconds=1.0)
            assert [o.status for o in outcomes] == ["error"] * 6
            assert all(state.last_error for state in store.feed_states().values())
    assert sum(writes) == 6 and len(writes) <= 2, writes
