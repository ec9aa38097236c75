"""Scale: the list is virtual and filters are set operations on the in-memory index, so
50,000 articles cost what the visible rows cost. Bounds are loose (shared CI machines);
bench/tui.py measures the real numbers.
"""

from __future__ import annotations

import time

import pytest
from textual.app import App, ComposeResult

from briefing.core.models.meta import ArticleMeta
from briefing.core.select import ArticleFilter
from briefing.core.stories.topics import TopicIndex
from briefing.tui.reading import NO_STORIES
from briefing.tui.state import ReaderState
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.topics_sidebar import TopicsSidebar
from tests.tui.conftest import NOW, clock

pytestmark = pytest.mark.anyio

N = 50_000


def _corpus() -> tuple[list[ArticleMeta], TopicIndex]:
    index = TopicIndex()
    metas = []
    start = NOW.timestamp()
    for i in range(N):
        topics = ((f"Person {i % 997}", "person"), (f"Place {i % 101}", "place"))
        ts = start - i * 60
        metas.append(ArticleMeta(f"{i:012x}", f"Article {i}", "Wire", "feed", None, ts, topics,
                                 False, None))
        index.add(metas[-1].id, topics, ts)
    return metas, index


def test_filtering_50k_is_a_set_operation() -> None:
    metas, index = _corpus()
    state = ReaderState()
    state.loaded(metas, index, [], NO_STORIES, {}, frozenset())
    state.filter = ArticleFilter(topics=("person 5", "place 5"))
    started = time.perf_counter()
    shown = state.visible()
    elapsed = time.perf_counter() - started
    assert shown and all(a.id in index.topics["person 5"].articles for a in shown)
    stamps = [a.ts or 0.0 for a in shown]
    assert stamps == sorted(stamps, reverse=True)
    assert elapsed < 0.25, elapsed


class _ListApp(App[None]):
    def __init__(self, metas: list[ArticleMeta]) -> None:
        super().__init__()
        self.metas = metas

    def compose(self) -> ComposeResult:
        yield ArticleList(clock, id="article-list")

    def on_mount(self) -> None:
        self.query_one(ArticleList).set_articles(self.metas)
        self.query_one(ArticleList).focus()


async def test_virtual_list_moves_instantly_through_50k() -> None:
    metas, _ = _corpus()
    app = _ListApp(metas)
    async with app.run_test(size=(100, 30)) as pilot:
        articles = app.query_one(ArticleList)
        assert articles.count == N
        assert len(app.query("ArticleList *")) == 0  # no widget per row
        started = time.perf_counter()
        await pilot.press("G")
        await pilot.press("g", "pagedown", "pagedown", "j", "k")
        elapsed = time.perf_counter() - started
        assert articles.cursor == 2 * (articles.size.height - 1)
        await pilot.press("G")
        assert articles.current is not None and articles.current.title == f"Article {N - 1}"
        assert elapsed < 2.0, elapsed


class _SidebarApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TopicsSidebar(id="sidebar")


async def test_the_sidebar_makes_rows_only_for_the_topics_on_screen() -> None:
    """A store of 500k articles carries topics by the hundred thousand: a filter or a read
    mark must not make a row for each."""
    index = TopicIndex()
    for i in range(60_000):
        index.add(f"{i:012x}", ((f"Person {i}", "person"), ("Ankara", "place")), NOW.timestamp() - i)
    ranked = index.ranked(NOW.timestamp())
    app = _SidebarApp()
    async with app.run_test(size=(60, 30)) as pilot:
        sidebar = app.query_one(TopicsSidebar)
        sidebar.update_topics(index=index, ranked=ranked, unread={"ankara": 7})
        topics = sidebar.topic_list
        assert len(topics.rows) == 1 + len(ranked)
        started = time.perf_counter()
        for _ in range(10):
            sidebar.update_topics(filters=("ankara",))
            sidebar.update_topics(filters=())
        elapsed = time.perf_counter() - started
        assert elapsed < 0.5, elapsed  # rows made for all 60,001 topics took seconds
        sidebar.update_unread({"ankara": 5})  # a read mark: the row on screen is redrawn
        await pilot.pause()
        drawn = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "5/60000" in drawn and "7/60000" not in drawn
        topics.focus()
        await pilot.press("G")
        last = topics.current
        assert last is not None and last.key == ranked[-1].key and last.label == ranked[-1].name
        assert topics.rows[1].key == "ankara" and topics.rows[1].unread == 5
        sidebar.update_topics(filters=("ankara",))  # the cursor stays on its topic
        assert topics.current is not None and topics.current.key == ranked[-1].key
        sidebar.update_unread({"ankara": 3})
        assert topics.rows[1].section == "filters" and topics.rows[1].unread == 3
        assert topics.rows[3].key == "ankara" and topics.rows[3].unread == 3  # ALL TOPICS' first
        await pilot.press("g")  # back to the top: the new count is drawn there
        await pilot.pause()
        drawn = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert drawn.count("3/60000") == 2 and "7/60000" not in drawn
