"""`full_text = "auto"`: which bodies are summaries, and the pages fetched for them in phase 2
of a refresh: politely, within a budget, conditionally, resumably, per article."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from briefing.core.feeds.fulltext import fetch_full_text, fetch_full_texts, summary_only
from briefing.core.feeds.refresh import Progress, refresh_feeds
from briefing.core.ingest.pipeline import facts_version
from briefing.core.models.article import Article
from briefing.core.models.feeds import Feed, Settings
from briefing.core.store.store import Store
from tests.core.feeds.test_fulltext import PAGE
from tests.httpserver import FeedServer, RequestHandler

SUMMARY = "Ministers met in Baku to discuss the gas corridor."
LONG = " ".join(["Officials in Baku said the corridor would carry more gas to Europe next year."] * 14)
FAST = Settings(timeout=5, deadline=10, full_text="auto", full_text_gap=0.0)


@pytest.mark.parametrize(("text", "summary"), [
    ("", True),
    (SUMMARY, True),
    (LONG, False),
    (LONG + " The rest of the story…", True),
    (LONG + " […]", True),
    (LONG + " [...]", True),
    (LONG + " Read more »", True),
    (LONG + "\n\nContinue reading", True),
    (LONG + " Read the full story at Reuters", True),
    (LONG + " (more…)", True),
    (LONG + " He said there was more to read.", False),
])
def test_which_bodies_are_summaries(text: str, summary: bool) -> None:
    assert summary_only(text) is summary


def rss(items: list[tuple[str, str, str]]) -> bytes:
    start = datetime(2026, 1, 12, 14, tzinfo=UTC)
    entries = "".join(f"<item><title>{title}</title><link>{link}</link><guid>{title}</guid>"
                      f"<pubDate>{format_datetime(start - timedelta(minutes=i))}</pubDate>"
                      f"<description>{body}</description></item>"
                      for i, (title, link, body) in enumerate(items))
    return f"<rss version='2.0'><channel><title>W</title>{entries}</channel></rss>".encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def pages(server: FeedServer, names: list[str]) -> list[tuple[str, str, str]]:
    for name in names:
        server.reply(f"/p/{name}", body=PAGE.replace("Gas corridor expands", f"Gas corridor {name}").encode(),
                     headers={"Content-Type": "text/html"})
    return [(name, server.url(f"/p/{name}"), SUMMARY + f" ({name})") for name in names]


def kinds(store: Store) -> dict[str, str]:
    return {m.title: m.text_kind for m in store.articles()}


@pytest.mark.parametrize(("mode", "fetched"), [("auto", {"s1", "s2"}), (True, {"s1", "s2", "long"}),
                                                (False, set())])
def test_the_feed_mode_decides_which_pages_are_fetched(
    tmp_path: Path, server: FeedServer, mode: bool | str, fetched: set[str]
) -> None:
    items = pages(server, ["s1", "s2", "long"])
    items[2] = ("long", items[2][1], LONG)
    server.reply("/feed", body=rss(items))
    with Store.open(tmp_path) as store:
        refresh_feeds(store, [Feed("W", server.url("/feed"), full_text=mode)],  # type: ignore[arg-type]
                      Settings(timeout=5, deadline=10, full_text_gap=0.0))
        assert {p.split("/")[-1] for p in (r.path for r in server.requests) if p.startswith("/p/")} == fetched
        expected = {"s1": "summary", "s2": "summary", "long": "full"} | dict.fromkeys(fetched, "full")
        assert kinds(store) == expected
        for meta in store.articles():  # facts made once, after the text was settled
            assert not meta.pending and store.facts_version_of(meta.id) == facts_version()


def test_the_settings_default_applies_to_feeds_that_say_nothing(tmp_path: Path, server: FeedServer) -> None:
    server.reply("/feed", body=rss(pages(server, ["s1"])))
    with Store.open(tmp_path) as store:
        refresh_feeds(store, [Feed("W", server.url("/feed"))], FAST)
        assert kinds(store) == {"s1": "full"}


def test_the_budget_bounds_a_refresh_and_the_next_one_goes_on(tmp_path: Path, server: FeedServer) -> None:
    names = [f"s{i}" for i in range(5)]
    server.reply("/feed", body=rss(pages(server, names)))
    feed = Feed("W", server.url("/feed"))
    events: list[Progress] = []
    with Store.open(tmp_path) as store:
        refresh_feeds(store, [feed], Settings(timeout=5, deadline=10, full_text="auto", full_text_gap=0.0,
                                              full_text_budget=2), on_progress=events.append)
        assert list(kinds(store).values()).count("full") == 2
        assert [(e.pages, e.pages_total) for e in events if e.event == "full_text"][-1] == (2, 2)
        assert len([r for r in server.requests if r.path.startswith("/p/")]) == 2
        assert {m.title for m in store.articles() if m.text_kind == "full"} == {"s0", "s1"}  # newest first
        refresh_feeds(store, [feed], Settings(timeout=5, deadline=10, full_text="auto", full_text_gap=0.0,
                                              full_text_budget=2))
        refresh_feeds(store, [feed], Settings(timeout=5, deadline=10, full_text="auto", full_text_gap=0.0,
                                              full_text_budget=2))
        assert set(kinds(store).values()) == {"full"}
        assert len([r for r in server.requests if r.path.startswith("/p/")]) == 5  # each page once


def test_requests_to_one_host_are_spaced_and_two_at_most(tmp_path: Path, server: FeedServer) -> None:
    starts: list[float] = []
    lock = threading.Lock()
    in_flight = most = 0

    def slow_page(handler: RequestHandler) -> None:
        nonlocal in_flight, most
        with lock:
            starts.append(time.monotonic())
            in_flight += 1
            most = max(most, in_flight)
        handler.stopping.wait(0.4)
        with lock:
            in_flight -= 1
        handler.send(200, PAGE.encode(), {"Content-Type": "text/html"})

    items = []
    for i in range(5):
        items.append((f"s{i}", server.handle(f"/p/{i}", slow_page), SUMMARY + str(i)))
    server.reply("/feed", body=rss(items))
    with Store.open(tmp_path) as store:
        refresh_feeds(store, [Feed("W", server.url("/feed"))],
                      Settings(timeout=5, deadline=10, full_text="auto", full_text_gap=0.2))
    assert 1 <= most <= 2 and len(starts) == 5
    # Seen at the server, one gap can shrink by scheduling jitter on a loaded machine (a
    # request sent late reaches it just before the next one); the spacing shows in the span.
    ordered = sorted(starts)
    assert ordered[-1] - ordered[0] >= 4 * 0.2 * 0.9


def test_a_page_with_no_more_text_is_asked_again_only_conditionally(tmp_path: Path, server: FeedServer
                                                                    ) -> None:
    def short(handler: RequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"p1"':
            handler.send(304, headers={"ETag": '"p1"'})
        else:
            handler.send(200, b"<html><body><p>Short.</p></body></html>",
                         {"Content-Type": "text/html", "ETag": '"p1"'})

    link = server.handle("/p/short", short)
    with Store.open(tmp_path) as store:
        (aid,) = store.add_articles([Article(id="", title="T", text=SUMMARY, link=link,
                                             text_kind="summary")]).added
        first = fetch_full_texts(store, [aid], FAST, trusted_hosts={"127.0.0.1"})[0]
        second = fetch_full_texts(store, [aid], FAST, trusted_hosts={"127.0.0.1"})[0]
        assert first.reason == "the page holds no more text than the summary"
        assert second.reason == "the page is unchanged and holds no more text than the summary"
        assert server.hits("/p/short")[1].headers.get("if-none-match") == '"p1"'
        article = store.get(aid)
        assert article is not None and article.page is not None
        assert article.page.failures == 2 and article.page.etag == '"p1"' and article.text_kind == "summary"


def test_a_host_that_asked_to_wait_is_not_asked_again_before_its_time(tmp_path: Path, server: FeedServer
                                                                       ) -> None:
    busy = server.reply("/p/busy", status=503, headers={"Retry-After": "3600"})
    later = server.reply("/p/later", body=PAGE.encode(), headers={"Content-Type": "text/html"})
    with Store.open(tmp_path) as store:
        ids = store.add_articles([Article(id="", title="A", text=SUMMARY, link=busy, text_kind="summary"),
                                  Article(id="", title="B", text=SUMMARY + " B", link=later,
                                          text_kind="summary")]).added
        first = fetch_full_texts(store, ids, Settings(timeout=5, deadline=10, full_text_gap=0.3),
                                 trusted_hosts={"127.0.0.1"})
        assert first[0].reason is not None and first[0].reason.startswith("HTTP 503")
        assert first[1].deferred and (first[1].reason or "").startswith("127.0.0.1 asked to wait")
        assert server.hits("/p/later") == []
        again = fetch_full_text(store, ids[1], FAST, trusted_hosts={"127.0.0.1"})
        assert again.deferred and (again.reason or "").startswith("127.0.0.1 asked to wait until")
        assert server.hits("/p/busy") and len(server.hits("/p/busy")) == 1
        assert "127.0.0.1" in store.host_waits()
        article = store.get(ids[0])
        assert article is not None and article.page is not None and article.page.failures == 0


def test_the_page_replaces_the_summary_which_stays_as_the_lede(tmp_path: Path, server: FeedServer) -> None:
    (item,) = pages(server, ["s1"])
    server.reply("/feed", body=rss([item]))
    moment = datetime(2026, 1, 12, 14, 5, tzinfo=UTC)
    with Store.open(tmp_path) as store:
        refresh_feeds(store, [Feed("W", server.url("/feed"))], FAST, now=moment)
        (meta,) = store.articles()
        article = store.get(meta.id)
        assert article is not None and article.page is not None
        assert article.text_kind == "full" and "compressor stations" in article.text
        assert article.lede == SUMMARY + " (s1)" and not article.text.startswith(SUMMARY)
        assert article.page.fetched == moment and article.page.host == "127.0.0.1"
        assert article.page.error is None
        assert article.facts is not None and any(e.name == "Parviz Shahbazov" for e in article.facts.entities)


def test_a_stopped_refresh_leaves_its_summaries_for_the_next(tmp_path: Path, server: FeedServer) -> None:
    server.reply("/feed", body=rss(pages(server, ["s1", "s2"])))
    feed = Feed("W", server.url("/feed"))
    with Store.open(tmp_path) as store:
        refresh_feeds(store, [feed], FAST, enrich=False)  # as if killed after phase 1
        assert set(kinds(store).values()) == {"summary"}
        refresh_feeds(store, [feed], FAST)
        assert set(kinds(store).values()) == {"full"}
        assert all(not m.pending for m in store.articles())


def test_text_kinds_of_articles_stored_before_them_are_worked_out(tmp_path: Path) -> None:
    """A store from before text kinds: rows carry none; feed articles are judged once by
    their text, imported and sample ones stay full."""
    with Store.open(tmp_path) as store:
        store.add_articles([Article(id="", title="short", text=SUMMARY, feed="W", link="http://x.example/1"),
                            Article(id="", title="long", text=LONG, feed="W", link="http://x.example/2"),
                            Article(id="", title="imported", text="Short note.", feed="import")])
        with store.batch():  # strip the text kinds, as an older briefing wrote them
            for number in store._segment_numbers("index"):
                db = store._index_db(number)
                data = db.storage.read() or {}
                for row in data["articles"].values():
                    row.pop("tk", None)
                db.storage.write(data)
    with Store.open(tmp_path) as store:
        assert set(kinds(store).values()) == {"full"}  # unknown counts as full
        from briefing.core.feeds.fulltext import classify_text_kinds

        assert classify_text_kinds(store) == 2
        assert kinds(store) == {"short": "summary", "long": "full", "imported": "full"}
        assert classify_text_kinds(store) == 0


def test_full_text_in_feeds_toml(tmp_path: Path) -> None:
    from briefing.core.config import load_config
    from briefing.core.errors import ConfigError

    path = tmp_path / "feeds.toml"
    path.write_text('[settings]\nfull_text = "auto"\nfull_text_budget = 50\nfull_text_gap = 1.5\n'
                    '[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\n'
                    '[[feeds]]\nname = "B"\nurl = "https://b.example/rss"\nfull_text = false\n'
                    '[[feeds]]\nname = "C"\nurl = "https://c.example/rss"\nfull_text = true\n')
    settings, (a, b, c) = load_config(path)
    assert (settings.full_text, settings.full_text_budget, settings.full_text_gap) == ("auto", 50, 1.5)
    assert [settings.full_text_of(f) for f in (a, b, c)] == ["auto", False, True]
    assert Settings().full_text is False and Settings().full_text_budget == 300
    for bad, where in (('[settings]\nfull_text = "sometimes"\n', "feeds.toml:2: settings.full_text must be"),
                       ('[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\nfull_text = 1\n',
                        "feeds[1].full_text must be true, false or \"auto\""),
                       ("[settings]\nfull_text_budget = -1\n",
                        "settings.full_text_budget = -1 is out of range")):
        path.write_text(bad)
        with pytest.raises(ConfigError, match=None) as info:
            load_config(path)
        assert where in str(info.value)


def test_the_bundled_feeds_use_auto() -> None:
    from briefing.core.config import load_config
    from briefing.core.paths import bundled_feeds_toml

    settings, feeds = load_config(bundled_feeds_toml())
    assert settings.full_text == "auto" and all(settings.full_text_of(f) == "auto" for f in feeds)


def test_many_pages_are_extracted_in_the_worker_pool(
    tmp_path: Path, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.core.feeds import refresh

    monkeypatch.setattr(refresh, "PAGES_POOL_THRESHOLD", 2)
    server.reply("/feed", body=rss(pages(server, ["s1", "s2", "s3"])))
    with Store.open(tmp_path) as store:
        refresh_feeds(store, [Feed("W", server.url("/feed"))], FAST, workers=2)
        assert set(kinds(store).values()) == {"full"}
        for meta in store.articles():
            article = store.get(meta.id)
            assert article is not None and "compressor stations" in article.text


def test_fetching_a_fetched_page_again_keeps_or_renews_its_text(tmp_path: Path, server: FeedServer) -> None:
    """`F` on an article whose text came from its page: the same text is "unchanged", a new
    version replaces it, and the lede stays the feed's summary."""
    link = server.reply("/p/story", body=PAGE.encode(), headers={"Content-Type": "text/html"})
    with Store.open(tmp_path) as store:
        (aid,) = store.add_articles([Article(id="", title="T", text=SUMMARY, link=link,
                                             text_kind="summary")]).added
        assert fetch_full_text(store, aid, FAST, trusted_hosts={"127.0.0.1"}).ok
        again = fetch_full_text(store, aid, FAST, trusted_hosts={"127.0.0.1"})
        assert again.ok and again.reason == "the page's text is unchanged"
        server.reply("/p/story", body=PAGE.replace("observers", "observers and lenders").encode(),
                     headers={"Content-Type": "text/html"})
        renewed = fetch_full_text(store, aid, FAST, trusted_hosts={"127.0.0.1"})
        article = store.get(aid)
        assert renewed.ok and renewed.reason is None and article is not None and article.page is not None
        assert "observers and lenders" in article.text and article.lede == SUMMARY
        assert article.page.failures == 0 and article.page.error is None
